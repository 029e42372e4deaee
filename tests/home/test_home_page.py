"""The home page (`/`): the portal's latest public records in blocks, each from its domain, with a
tidy empty state on a fresh install; few queries, and kept in the page cache for anonymous visitors
with every change showing at once."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, event

from app.accounts.models import OrgKind, SiteRole
from app.articles import services as articles
from app.articles.models import ArticleCategory
from app.catalog import batches
from app.catalog.importing import apply_import, parse_scenarios
from app.catalog.models import ScenarioStatus
from app.core.models import utcnow
from app.events.models import EventStatus
from app.extensions import db
from app.home.services import HEADLINE_INDICATORS
from app.listings import moderation
from app.listings.moderation import ListingStatus
from app.stats import indicators
from app.stats.models import Indicator, Plan, ReportedValue
from config import Config
from tests.catalog.test_import import csv_file, row

MAX_QUERIES = 15


def page(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def block(html: str, name: str) -> str:
    """The HTML of one block of the page (a <section data-test="home-NAME">)."""
    match = re.search(rf'<section[^>]*data-test="home-{name}".*?</section>', html, re.S)
    assert match, f"no block {name}"
    return match.group(0)


@contextmanager
def counting_selects() -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def admin(make_user):
    return make_user("office@example.com", role=SiteRole.ADMIN)


@pytest.fixture
def owner(make_user):
    return make_user("owner@example.com")


@pytest.fixture
def org(owner, make_org):
    return make_org(owner=owner, kind=OrgKind.BOTH, verified=True)


def publish_batch(name: str, year: int, codes: list[str]):
    batch = batches.create_batch(name, year)
    apply_import(parse_scenarios(csv_file([row(code=code, title=f"场景{code}") for code in codes]), "list.csv"), batch)
    batches.publish_batch(batch)
    db.session.commit()
    return batch


def article(app, admin, title, category=ArticleCategory.NOTICE, publish=True, pinned=False, publish_at=None):
    with app.test_request_context():
        item = articles.create_article(articles.ArticleValues(category, title, "摘要", "正文", publish_at), admin)
        if publish:
            articles.publish(item, admin)
        if pinned:
            articles.set_pinned(item, True, admin)
        db.session.commit()
    return item


def remove_plans() -> None:
    db.session.execute(delete(ReportedValue))
    db.session.execute(delete(Indicator))
    db.session.execute(delete(Plan))
    db.session.commit()


def test_the_newest_public_needs_and_solutions_only(client, owner, org, make_need, make_solution):
    make_need(org, owner, title="公开的设备联网需求")
    make_need(org, owner, title="对接中的质量追溯需求", status=ListingStatus.IN_TALKS)
    for status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.REJECTED, ListingStatus.CLOSED):
        make_need(org, owner, title=f"不公开的需求{status.value}", status=status)
    make_solution(org, owner, title="公开的预测性维护方案")
    make_solution(org, owner, title="待审核的方案", status=ListingStatus.SUBMITTED)
    make_solution(org, owner, title="草稿方案", status=ListingStatus.DRAFT)

    html = page(client.get("/"))
    needs, solutions = block(html, "needs"), block(html, "solutions")
    assert "公开的设备联网需求" in needs and "对接中的质量追溯需求" in needs and org.name in needs
    assert "不公开的需求" not in html
    assert "公开的预测性维护方案" in solutions
    assert "待审核的方案" not in html and "草稿方案" not in html


def test_a_few_needs_the_newest_first(client, owner, org, make_need):
    for n in range(1, 7):
        make_need(org, owner, title=f"第{n}号需求", published_at=utcnow() + timedelta(minutes=n))
    needs = block(page(client.get("/")), "needs")
    shown = re.findall(r"第(\d)号需求", needs)
    assert shown == ["6", "5", "4", "3"]


def test_the_latest_standing_batch_with_its_count(client, admin):
    publish_batch("2023年第一批", 2023, ["QD-2023-0001", "QD-2023-0002"])
    latest = publish_batch("2024年第一批", 2024, ["QD-2023-0001", "QD-2024-0001", "QD-2024-0002"])
    html = block(page(client.get("/")), "batch")
    assert "2024年第一批" in html and "2024 年" in html and "2023年第一批" not in html
    assert f"/scenarios/batches/{latest.id}" in html
    assert "本批发布 3 个场景，其中新增 2 个" in html

    draft = batches.create_batch("2025年第一批", 2025)
    apply_import(parse_scenarios(csv_file([row(code="QD-2025-0001")]), "list.csv"), draft)
    batches.withdraw_batch(latest, by=admin)
    db.session.commit()
    html = block(page(client.get("/")), "batch")
    assert "2023年第一批" in html  # the withdrawn batch and the draft are not shown
    assert "2024年第一批" not in html and "2025年第一批" not in html


def test_the_next_published_events(client, admin, make_event):
    now = utcnow()
    make_event(
        admin, title="下周的产融对接会", starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=4)
    )
    make_event(
        admin, title="明天的行业论坛", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=4)
    )
    make_event(admin, title="正在进行的大赛", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))
    make_event(
        admin,
        title="上个月的对接会",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=4),
    )
    make_event(admin, title="草稿活动", status=EventStatus.DRAFT)
    make_event(admin, title="已取消的活动", status=EventStatus.CANCELLED)
    make_event(
        admin, title="一个月后的活动", starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=30, hours=4)
    )

    html = block(page(client.get("/")), "events")
    assert re.findall(r"(正在进行的大赛|明天的行业论坛|下周的产融对接会|一个月后的活动)", html) == [
        "正在进行的大赛",
        "明天的行业论坛",
        "下周的产融对接会",
    ]
    for hidden in ("上个月的对接会", "草稿活动", "已取消的活动"):
        assert hidden not in html


def test_pinned_notices_and_the_latest_policy_items(app, client, admin):
    article(app, admin, "置顶的申报通知", pinned=True)
    article(app, admin, "最新的政策文件", category=ArticleCategory.POLICY)
    article(app, admin, "普通的工作动态", category=ArticleCategory.NEWS)
    article(app, admin, "政策草稿", category=ArticleCategory.POLICY, publish=False)
    article(app, admin, "定时发布的政策", category=ArticleCategory.POLICY, publish_at=utcnow() + timedelta(days=1))
    withdrawn = article(app, admin, "已撤回的置顶通知", pinned=True)
    with app.test_request_context():
        articles.withdraw(withdrawn, admin)
        db.session.commit()

    html = block(page(client.get("/")), "articles")
    assert re.search(r'data-test="pinned-article".*?置顶的申报通知', html, re.S)
    assert re.search(r'data-test="policy-article".*?最新的政策文件', html, re.S)
    assert html.index("置顶的申报通知") < html.index("最新的政策文件")
    for hidden in ("普通的工作动态", "政策草稿", "定时发布的政策", "已撤回的置顶通知"):
        assert hidden not in html


def test_the_current_plans_headline_indicators(client, admin, make_scenario):
    for _ in range(2):
        make_scenario()
    make_scenario(status=ScenarioStatus.DRAFT)
    make_scenario(status=ScenarioStatus.WITHDRAWN)
    ended = indicators.current_plan()
    html = block(page(client.get("/")), "plan")
    assert ended.name in html and "计划期已结束" in html
    headline = ended.indicators[:HEADLINE_INDICATORS]
    assert re.findall(r'data-test="indicator-(?!value")([a-z_0-9]+)"', html) == [i.code for i in headline]
    scenarios = re.search(
        r'data-test="indicator-scenarios_published".*?data-test="indicator-value">([^<]+)<', html, re.S
    )
    assert scenarios.group(1) == "2"

    successor = indicators.create_successor(
        ended, name="2025—2027 年行动计划", starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31), by=admin
    )
    db.session.commit()
    html = block(page(client.get("/")), "plan")
    assert successor.name in html and "计划期已过" in html and ended.name not in html


def test_a_fresh_install_shows_tidy_empty_blocks(client):
    remove_plans()
    html = page(client.get("/"))
    for name, text in (
        ("articles", "暂无通知公告和政策文件。"),
        ("needs", "暂无公开的企业需求。"),
        ("solutions", "暂无公开的解决方案。"),
        ("batch", "场景清单尚未发布。"),
        ("events", "近期没有活动"),
        ("plan", "尚未设定行动计划指标。"),
    ):
        assert text in block(html, name), name
    assert 'data-test="home-search"' in html


def test_the_search_box_searches_everything(client):
    html = page(client.get("/"))
    form = re.search(r'<form[^>]*data-test="home-search".*?</form>', html, re.S).group(0)
    assert 'action="/search"' in form and 'name="q"' in form


def test_signed_in_members_reach_the_home_page_from_their_dashboard(client, login, owner, org):
    login(owner)
    dashboard = page(client.get("/dashboard"))
    assert re.search(r'href="/"[^>]*data-test="public-home-link"', dashboard)
    assert "进入工作台" in page(client.get("/"))


def full_home(app, admin, owner, org, make_need, make_solution, make_event) -> None:
    publish_batch("2024年第一批", 2024, ["QD-2024-0001", "QD-2024-0002"])
    for n in range(5):
        make_need(org, owner, title=f"需求{n}")
        make_solution(org, owner, title=f"方案{n}")
        make_event(admin, title=f"活动{n}")
    for n in range(5):
        article(app, admin, f"置顶通知{n}", pinned=True)
        article(app, admin, f"政策文件{n}", category=ArticleCategory.POLICY)


def test_the_page_makes_few_queries(app, client, admin, owner, org, make_need, make_solution, make_event):
    """Rendered anew (not from the page cache), as in production: the data version and what every
    page shows (the footer) come from the cache, kept by the page before."""
    full_home(app, admin, owner, org, make_need, make_solution, make_event)
    app.config["DATA_VERSION_TTL"] = Config.DATA_VERSION_TTL
    page(client.get("/search"))
    with counting_selects() as selects:
        response = client.get("/")
    html = page(response)
    assert response.headers["X-Cache"] == "miss"
    assert "需求4" in html and "方案4" in html and "活动0" in html and "置顶通知4" in html and "政策文件4" in html
    assert "本批发布 2 个场景" in html and 'data-test="indicator-enablements"' in html
    assert len(selects) < MAX_QUERIES, "\n\n".join(selects)


def test_anonymous_visitors_get_it_from_the_cache_and_a_change_shows_at_once(client, admin, owner, org, make_need):
    first = client.get("/")
    assert first.headers["X-Cache"] == "miss"
    assert client.get("/").headers["X-Cache"] == "hit"

    need = make_need(org, owner, title="刚通过审核的能耗监测需求", status=ListingStatus.SUBMITTED)
    assert "刚通过审核的能耗监测需求" not in page(client.get("/"))
    moderation.approve(need, admin)
    db.session.commit()
    response = client.get("/")
    assert response.headers["X-Cache"] == "miss"
    assert "刚通过审核的能耗监测需求" in block(page(response), "needs")
    assert client.get("/").headers["X-Cache"] == "hit"
