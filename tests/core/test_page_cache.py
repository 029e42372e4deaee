"""Anonymous visitors' public pages come from the cache (app/core/page_cache.py), and nothing in
it is ever stale, someone else's, or in the wrong language."""

import re
from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import OrgKind, SiteRole
from app.catalog import batches
from app.catalog.models import BatchStatus, Scenario, ScenarioStatus
from app.core.data_version import DataVersion
from app.extensions import db
from app.inquiries import services as inquiries
from app.inquiries.models import FollowUp, FollowUpAnswer, Side
from app.listings.moderation import ListingStatus
from app.solutions.models import Solution
from app.stats.ledger import record_enablement
from tests.conftest import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
HIT, MISS = "hit", "miss"


def public_urls(scenario_code: str, solution_id: int) -> list[str]:
    """The public pages of issue 16 and the API, each kept on its own."""
    return [
        "/",
        "/scenarios/",
        "/scenarios/?q=" + quote("预测性维护"),
        "/scenarios/?industry=EQP&domain=IM",
        f"/scenarios/{scenario_code}",
        "/atlas",
        "/needs/",
        "/solutions/",
        f"/solutions/{solution_id}",
        "/events/",
        "/stats/public",
        "/pilots/",
        "/api/v1/scenarios",
        "/api/v1/scenarios?q=" + quote("预测性维护"),
        f"/api/v1/scenarios/{scenario_code}",
    ]


@pytest.fixture
def catalogue(make_batch, make_scenario, make_org, make_solution, make_user):
    """A published scenario and solution, and the provider's owner who publishes."""
    batch = make_batch()
    scenario = make_scenario(title="注塑车间设备预测性维护", batch=batch)
    owner = make_user(name="方案负责人")
    provider = make_org(owner=owner, kind=OrgKind.PROVIDER, verified=True)
    solution = make_solution(provider, owner, title="设备预测性维护即插即用套件")
    return {"batch": batch, "scenario": scenario, "solution": solution, "owner": owner, "provider": provider}


def signed_in(app, user):
    client = app.test_client()
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def cache_status(response) -> str | None:
    return response.headers.get("X-Cache")


def test_signed_in_pages_are_never_kept_nor_served_to_anyone_else(app, client, catalogue, make_user, make_org):
    alice = make_user(name="甲用户")
    make_org(owner=alice)
    bob = make_user(name="乙用户")
    make_org(owner=bob, kind=OrgKind.PROVIDER)
    visitors = {"anonymous": client, "甲用户": signed_in(app, alice), "乙用户": signed_in(app, bob)}
    urls = public_urls(catalogue["scenario"].code, catalogue["solution"].id)
    for round_ in range(2):
        for url in urls:
            for name, visitor in visitors.items():
                response = visitor.get(url)
                assert response.status_code == 200, url
                page = response.get_data(as_text=True)
                others = {"甲用户", "乙用户"} - {name}
                assert not any(other in page for other in others), (name, url)
                if name == "anonymous":
                    assert cache_status(response) == (HIT if round_ else MISS), url
                    assert "退出" not in page
                else:
                    assert cache_status(response) is None, (name, url)
                    assert response.headers["Cache-Control"] == "private, no-store"
                    if not url.startswith("/api/"):
                        assert name in page and CSRF_INPUT.search(page)


def test_a_change_to_public_data_shows_at_once_on_every_public_page_and_in_the_api(
    app, client, catalogue, make_user, make_batch, make_scenario
):
    admin = signed_in(app, make_user(role=SiteRole.ADMIN))
    owner = signed_in(app, catalogue["owner"])
    scenario, solution = catalogue["scenario"], catalogue["solution"]
    urls = public_urls(scenario.code, solution.id)

    def every_page_is_new() -> dict[str, str]:
        """Each page after a change: rendered again (never the kept one), then kept."""
        pages = {}
        for url in urls:
            response = client.get(url)
            if response.status_code == 404:  # a page that is gone is not kept
                assert cache_status(response) is None and cache_status(client.get(url)) is None
                continue
            assert cache_status(response) == MISS, url
            pages[url] = response.get_data(as_text=True)
            assert cache_status(client.get(url)) == HIT, url
        return pages

    every_page_is_new()

    # An edit of a scenario (as the import service makes it, through the session).
    db.session.get(Scenario, scenario.id).title = "注塑车间设备预测性维护（第二版）"
    db.session.commit()
    pages = every_page_is_new()
    for url in (
        "/scenarios/",
        f"/scenarios/{scenario.code}",
        "/api/v1/scenarios",
        f"/api/v1/scenarios/{scenario.code}",
    ):
        assert "第二版" in pages[url], url

    # A release published (what `publish_batch` does to the scenarios an import brought in), then
    # withdrawn by the office: its scenario is listed and counted at once, then gone everywhere.
    release = make_batch(name="2023年第一批", year=2023, status=BatchStatus.DRAFT)
    added = make_scenario(title="焊装车间视觉质检", code="QD-2023-0001", batch=release, status=ScenarioStatus.DRAFT)
    added.status, release.status = ScenarioStatus.PUBLISHED, BatchStatus.PUBLISHED
    db.session.commit()
    pages = every_page_is_new()
    assert "焊装车间视觉质检" in pages["/scenarios/"] and "QD-2023-0001" in pages["/api/v1/scenarios"]
    batches.withdraw_batch(release)
    db.session.commit()
    pages = every_page_is_new()
    assert "焊装车间视觉质检" not in pages["/scenarios/"] and "QD-2023-0001" not in pages["/api/v1/scenarios"]
    assert client.get(f"/scenarios/{added.code}").status_code == 404

    # A moderation decision: a submitted solution approved is public at once.
    submitted = Solution(
        organization=catalogue["provider"],
        created_by=catalogue["owner"],
        status=ListingStatus.SUBMITTED,
        title="能耗监测即插即用套件",
        summary="电表采集与能耗看板。",
        description="分项计量。",
        delivery_mode=solution.delivery_mode,
        price_model=solution.price_model,
        industries=list(solution.industries),
        domains=list(solution.domains),
    )
    db.session.add(submitted)
    db.session.commit()
    assert "能耗监测即插即用套件" not in client.get("/solutions/").get_data(as_text=True)
    assert admin.post_form(f"/admin/moderation/solutions/{submitted.id}/approve").status_code == 302
    pages = every_page_is_new()
    assert "能耗监测即插即用套件" in pages["/solutions/"]

    # The owner takes a solution off the list.
    assert owner.post_form(f"/solutions/{solution.id}/close").status_code == 302
    pages = every_page_is_new()
    assert "设备预测性维护即插即用套件" not in pages["/solutions/"]
    assert client.get(f"/solutions/{solution.id}").status_code == 404


def test_chinese_and_english_are_kept_apart(app, client, catalogue):
    english = app.test_client()
    english.set_cookie("lang", "en")
    for url in public_urls(catalogue["scenario"].code, catalogue["solution"].id):
        if url.startswith("/api/"):
            continue
        for round_ in range(2):
            chinese_page, english_page = client.get(url), english.get(url)
            assert cache_status(chinese_page) == cache_status(english_page) == (HIT if round_ else MISS), url
            assert '<html lang="zh-CN">' in chinese_page.get_data(as_text=True), url
            assert '<html lang="en">' in english_page.get_data(as_text=True), url


def test_no_kept_page_carries_a_csrf_token_or_a_flash_message(app, client, catalogue, make_user):
    scenario, solution = catalogue["scenario"], catalogue["solution"]
    urls = [url for url in public_urls(scenario.code, solution.id) if not url.startswith("/api/")]
    # A visitor whose session has a CSRF token (from the login form) gets the same public pages.
    client.get("/login")
    for url in urls:
        assert not CSRF_INPUT.search(client.get(url).get_data(as_text=True)), url

    # A visitor with a flash message to see: shown to them (not from the cache), kept from others.
    flashed = app.test_client()
    response = flashed.post_form("/password/forgot", {"email": "nobody@example.com"})
    assert response.status_code == 302
    with flashed.session_transaction() as session:
        message = session["_flashes"][0][1]
    page = flashed.get("/")
    assert message in page.get_data(as_text=True) and cache_status(page) is None
    others = app.test_client()
    for url in urls:
        assert message not in others.get(url).get_data(as_text=True), url
    assert message not in flashed.get("/").get_data(as_text=True)

    # A signed-in visitor's token never reaches an anonymous one.
    member = signed_in(app, make_user())
    tokens = {CSRF_INPUT.search(member.get(url).get_data(as_text=True)).group(0) for url in urls}
    for url in urls:
        page = others.get(url).get_data(as_text=True)
        assert not CSRF_INPUT.search(page) and not any(token in page for token in tokens), url


def test_etag_answers_304_until_the_data_changes(client, catalogue):
    scenario = catalogue["scenario"]
    for url in ("/scenarios/", "/api/v1/scenarios", f"/scenarios/{scenario.code}"):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.headers["Vary"] and "Cookie" in first.headers["Vary"]
        for _ in range(2):  # rendered, then from the cache
            again = client.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.get_data() == b""
    db.session.get(Scenario, scenario.id).title = "注塑车间设备预测性维护（修订）"
    db.session.commit()
    for url in ("/scenarios/", "/api/v1/scenarios", f"/scenarios/{scenario.code}"):
        stale = client.get(url).headers["ETag"]
        changed = client.get(url, headers={"If-None-Match": "x"})
        assert changed.status_code == 200 and "修订" in changed.get_data(as_text=True)
        assert client.get(url, headers={"If-None-Match": stale}).status_code == 304
    assert client.get("/scenarios/", headers={"If-None-Match": etag}).status_code == 200


def test_private_data_keeps_the_cache_and_public_data_replaces_it(client, catalogue, make_user):
    version = db.session.scalar(select(DataVersion.token))
    assert cache_status(client.get("/")) == MISS
    make_user(name="新注册用户")  # an account is not public data
    assert db.session.scalar(select(DataVersion.token)) == version
    assert cache_status(client.get("/")) == HIT
    db.session.get(Solution, catalogue["solution"].id).summary = "新的简介"
    db.session.commit()
    assert db.session.scalar(select(DataVersion.token)) != version
    assert cache_status(client.get("/")) == MISS


@pytest.mark.real_commits
def test_a_restarted_app_never_serves_a_stale_page(app, tmp_path, make_scenario, make_batch):
    """Two app objects on one database and one cache folder, as two restarts of the portal (or a
    web worker and a cron job): what one changes, the other shows at once."""
    make_scenario(title="注塑车间设备预测性维护", batch=make_batch())
    config = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "STORED_FILES_DIR": str(tmp_path / "files"),
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(tmp_path / "cache"),
        "DATA_VERSION_TTL": 2,  # the cache's copy of the version, as in production
    }
    first = create_app("testing", config)
    page = first.test_client().get("/scenarios/")
    assert cache_status(page) == MISS and "预测性维护" in page.get_data(as_text=True)
    assert cache_status(first.test_client().get("/scenarios/")) == HIT
    with first.app_context():
        db.session.scalars(select(Scenario)).one().title = "焊装车间视觉质检"
        db.session.commit()
        db.engine.dispose()

    restarted = create_app("testing", config)
    page = restarted.test_client().get("/scenarios/")
    assert cache_status(page) == MISS and "焊装车间视觉质检" in page.get_data(as_text=True)
    assert cache_status(restarted.test_client().get("/scenarios/")) == HIT
    with restarted.app_context():
        db.engine.dispose()


def test_a_follow_up_answer_shows_on_the_public_statistics_at_once(client, catalogue, make_user, make_org):
    """Threads are private (opening one keeps the kept pages), the answers' counts are public."""
    buyer = make_user()
    firm = make_org(owner=buyer, verified=True)
    record_enablement(firm=firm, kind="deal", source_type="manual", source_id="cache", occurred_on=date(2024, 3, 1))
    inquiry = inquiries.inquire(db.session.get(Solution, catalogue["solution"].id), buyer, "想了解部署周期。")
    db.session.commit()
    before = client.get("/stats/public")
    assert 'data-test="follow-ups"' in before.get_data(as_text=True)
    assert cache_status(client.get("/stats/public")) == HIT
    db.session.add(FollowUp(inquiry=inquiry, side=Side.ENTERPRISE, answer=FollowUpAnswer.DELIVERED, answered_by=buyer))
    db.session.commit()
    after = client.get("/stats/public")
    assert cache_status(after) == MISS and after.get_data() != before.get_data()


def test_the_admin_statistics_are_kept_for_every_admin_but_each_page_is_their_own(app, make_user, make_org):
    first, second = make_user(name="管理员甲", role=SiteRole.ADMIN), make_user(name="管理员乙", role=SiteRole.ADMIN)
    pages = {}
    for admin in (first, second):
        page = signed_in(app, admin).get("/stats/").get_data(as_text=True)
        pages[admin.display_name] = page
        assert admin.display_name in page and CSRF_INPUT.search(page)
    assert "管理员乙" not in pages["管理员甲"] and "管理员甲" not in pages["管理员乙"]
    assert CSRF_INPUT.search(pages["管理员甲"]).group(0) != CSRF_INPUT.search(pages["管理员乙"]).group(0)
    firm = make_org(verified=True)
    record_enablement(
        firm=firm, kind="diagnosis", source_type="manual", source_id="cache", occurred_on=date(2024, 3, 1)
    )
    db.session.commit()
    after = signed_in(app, first).get("/stats/").get_data(as_text=True)
    assert re.sub(CSRF_INPUT, "", after) != re.sub(CSRF_INPUT, "", pages["管理员甲"])


def test_a_needs_recommendations_follow_a_new_solution_at_once(app, make_user, make_org, make_need, make_solution):
    owner = make_user()
    need = make_need(make_org(owner=owner, verified=True), owner, title="注塑车间能耗监测")
    member = signed_in(app, owner)
    assert "能耗监测云平台" not in member.get(f"/needs/{need.id}").get_data(as_text=True)
    provider_owner = make_user()
    provider = make_org(owner=provider_owner, kind=OrgKind.PROVIDER, verified=True)
    make_solution(provider, provider_owner, title="能耗监测云平台", summary="注塑车间能耗监测与分析。")
    assert "能耗监测云平台" in member.get(f"/needs/{need.id}").get_data(as_text=True)
