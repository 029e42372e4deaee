"""The home page in the browser: a visitor lands on it, sees what is new and what is coming, and
searches everything from its search box; on a phone the blocks stack in one column."""

import re

import pytest
from playwright.sync_api import expect

from app.accounts.models import OrgKind, SiteRole
from app.articles.models import ArticleCategory
from tests.home.test_home_page import article, publish_batch

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(app, make_user, make_org, make_need, make_solution, make_event):
    admin = make_user("office@example.com", role=SiteRole.ADMIN)
    owner = make_user("owner@example.com")
    org = make_org(owner=owner, name="青岛海纳模具有限公司", kind=OrgKind.BOTH, verified=True)
    publish_batch("2024年第一批", 2024, ["QD-2024-0001", "QD-2024-0002"])
    need = make_need(org, owner, title="注塑车间能耗监测改造需求")
    make_solution(org, owner, title="设备预测性维护即插即用套件")
    make_event(admin, title="2026 工业互联网产融对接会")
    article(app, admin, "关于开展智能工厂诊断服务的通知", pinned=True)
    article(app, admin, "关于支持中小企业数字化转型的若干措施", category=ArticleCategory.POLICY)
    return need


def test_a_visitor_lands_on_the_home_page_and_searches_everything(live_server, page, portal):
    page.goto(live_server + "/")
    expect(page.get_by_test_id("home-articles")).to_contain_text("关于开展智能工厂诊断服务的通知")
    expect(page.get_by_test_id("home-articles")).to_contain_text("关于支持中小企业数字化转型的若干措施")
    expect(page.get_by_test_id("home-needs")).to_contain_text("注塑车间能耗监测改造需求")
    expect(page.get_by_test_id("home-solutions")).to_contain_text("设备预测性维护即插即用套件")
    expect(page.get_by_test_id("home-events")).to_contain_text("2026 工业互联网产融对接会")
    expect(page.get_by_test_id("batch-link")).to_have_text("2024年第一批")
    expect(page.get_by_test_id("home-plan").get_by_test_id("indicator-value").first).to_be_visible()

    search = page.get_by_test_id("home-search")
    search.get_by_role("searchbox").fill("能耗监测")
    search.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search\?q="))
    needs = page.get_by_test_id("group-need")
    expect(needs).to_contain_text("注塑车间能耗监测改造需求")
    needs.get_by_role("link", name=re.compile("能耗监测改造需求")).click()
    expect(page).to_have_url(re.compile(rf"/needs/{portal.id}$"))


def test_on_a_phone_the_blocks_stack_and_nothing_overflows(browser, live_server, portal):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="zh-CN")
    try:
        phone = context.new_page()
        phone.goto(live_server + "/")
        expect(phone.get_by_test_id("home-needs")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        boxes = [phone.get_by_test_id(name).bounding_box() for name in ("home-articles", "home-needs", "home-plan")]
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    finally:
        context.close()
