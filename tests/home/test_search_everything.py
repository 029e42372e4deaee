"""GET /search: one query over every public document type, grouped with counts and top hits,
against the real index."""

import re

import pytest

from app.catalog.models import ScenarioStatus
from app.events.models import EventStatus
from app.listings.moderation import ListingStatus
from app.search import search

WORD = "数字孪生"


def page(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def group_count(html: str, doc_type: str) -> int:
    section = re.search(rf'data-test="group-{doc_type}">(.*?)</section>', html, re.S)
    assert section, doc_type
    return int(re.search(r'data-test="group-count">(\d+)<', section.group(1)).group(1))


@pytest.fixture
def records(make_user, make_org, make_scenario, make_need, make_solution, make_event):
    """Public records about digital twins in every type (four needs), and drafts that mention them."""
    owner = make_user()
    org = make_org(owner=owner, name="青岛孪生科技有限公司")
    make_scenario(title="基于数字孪生的产线仿真", description="构建产线数字孪生模型。")
    make_scenario(title="数字孪生草稿场景", status=ScenarioStatus.DRAFT)
    for n in range(4):
        make_need(org, owner, title=f"数字孪生需求{n}", description="希望建设车间数字孪生。")
    make_need(org, owner, title="数字孪生需求草稿", status=ListingStatus.DRAFT)
    make_need(org, owner, title="数字孪生需求待审", status=ListingStatus.SUBMITTED)
    make_solution(org, owner, title="数字孪生工厂套件", summary="三维数字孪生与实时数据。")
    make_solution(org, owner, title="数字孪生方案草稿", status=ListingStatus.DRAFT)
    make_event(owner, title="数字孪生产业论坛", description="数字孪生应用交流。")
    make_event(owner, title="数字孪生活动草稿", status=EventStatus.DRAFT)
    make_need(org, owner, title="注塑机联网", description="采集注塑机数据。")
    return org


def test_groups_have_the_engines_counts_and_the_top_hits(client, records):
    html = page(client.get(f"/search?q={WORD}"))
    for doc_type, expected in (("scenario", 1), ("need", 4), ("solution", 1), ("event", 1)):
        assert group_count(html, doc_type) == expected == search(doc_type, WORD).total
    needs = re.search(r'data-test="group-need">(.*?)</section>', html, re.S).group(1)
    assert needs.count("<li") == 3  # the top hits, and a link to all four
    assert "查看全部 4 条" in needs
    assert "/needs/?q=%E6%95%B0%E5%AD%97%E5%AD%AA%E7%94%9F" in needs
    assert "<mark>数字孪生</mark>" in html  # highlighted as on every search page
    assert "草稿" not in html and "待审" not in html and "注塑机联网" not in html
    assert "/events/?" not in html and "type=event" in html  # events have no results page of their own


def test_a_type_shows_its_full_results_page_by_page(client, records, make_event, make_user):
    owner = make_user()
    for n in range(21):
        make_event(owner, title=f"数字孪生沙龙第{n}期")
    html = page(client.get(f"/search?q={WORD}&type=event"))
    assert group_count_one(html) == 22 == search("event", WORD).total
    assert html.count('<li class="border-bottom py-2">') == 20
    assert "page=2" in html
    second = page(client.get(f"/search?q={WORD}&type=event&page=2"))
    assert second.count('<li class="border-bottom py-2">') == 2


def group_count_one(html: str) -> int:
    return int(re.search(r'data-test="group-count">(\d+)<', html).group(1))


def test_empty_states(client, records):
    assert "请输入关键词" in page(client.get("/search"))
    assert "没有找到与“区块链溯源”相关的内容" in page(client.get("/search?q=区块链溯源"))
    unknown_type = page(client.get(f"/search?q={WORD}&type=nonsense"))
    assert 'data-test="group-need"' in unknown_type and 'name="type"' not in unknown_type


def test_the_navbar_searches_everything(client):
    html = page(client.get("/"))
    assert 'data-test="nav-search"' in html and 'action="/search"' in html
