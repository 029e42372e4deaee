"""A provider proposes for a need and the enterprise declines it; a provider saves a search and
switches off one kind of mail."""

import pytest
from playwright.sync_api import expect

from app.accounts.models import OrgKind
from tests.browser.test_marketplace import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_proposal_declined_with_a_reason(app, live_server, page, make_user, make_org, make_need):
    enterprise = make_user("buyer@example.com")
    need = make_need(make_org(owner=enterprise, name="青岛麦香啤酒有限公司"), enterprise, title="灌装线设备联网改造")
    make_org(owner=make_user("provider@example.com"), name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "provider@example.com")
    page.goto(f"{base}/needs/{need.id}")
    page.get_by_test_id("contact-enterprise").get_by_role("link", name="提交方案").click()
    page.get_by_label("留言").fill("我们做过三条灌装线的联网，两周可以完成。")
    main.get_by_role("button", name="发送").click()
    expect(page.get_by_test_id("inquiry-actions")).to_contain_text("等待青岛麦香啤酒有限公司回应")
    sign_out(page)

    sign_in(page, base, "buyer@example.com")
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("提交了方案")
    page.get_by_test_id("notifications").get_by_role("button").first.click()  # a POST: it is read now
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
    page.get_by_label("婉拒原因（对方可见，可不填）").fill("今年预算已用完")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="婉拒").click()
    expect(page.get_by_test_id("inquiry-state")).to_have_text("已婉拒")
    expect(page.get_by_test_id("inquiry-actions")).to_contain_text("今年预算已用完")
    expect(main.get_by_label("回复")).to_have_count(0)
    sign_out(page)

    # Opened from the thread list, the page marks the decline read once shown (static/js/app.js).
    sign_in(page, base, "provider@example.com")
    expect(page.get_by_test_id("inbox-unread")).to_contain_text("1")
    page.goto(f"{base}/inquiries/")
    page.get_by_test_id("threads").get_by_role("link").first.click()
    expect(page.get_by_test_id("inquiry-state")).to_have_text("已婉拒")
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("inbox-link")).to_be_visible()
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)


def test_a_saved_search_and_mail_settings(app, live_server, page, make_user, make_org):
    make_org(owner=make_user("provider@example.com"), kind=OrgKind.PROVIDER)
    base = live_server
    sign_in(page, base, "provider@example.com")
    page.goto(base + "/needs/?q=预测性维护")
    page.get_by_role("button", name="保存搜索并提醒我").click()
    page.get_by_label("订阅名称").fill("预测性维护商机")
    page.get_by_test_id("save-search").get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存搜索")
    page.goto(base + "/dashboard")
    page.locator("main").get_by_role("link", name="我的订阅").click()
    expect(page.get_by_test_id("saved-searches")).to_contain_text("预测性维护商机")
    page.get_by_role("link", name="邮件提醒设置").click()
    page.get_by_label("对接中的新消息").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("邮件提醒设置已保存")
    expect(page.get_by_label("对接中的新消息")).not_to_be_checked()
    expect(page.get_by_label("新的对接请求或方案")).to_be_checked()


def test_recommendations_say_why(app, live_server, page, make_user, make_org, make_need, make_solution):
    buyer = make_user("buyer@example.com")
    firm = make_org(owner=buyer, name="青岛精密注塑有限公司")
    need = make_need(firm, buyer, title="注塑机预测性维护", description="为注塑机加装振动传感器，预测故障。")
    seller = make_user("provider@example.com")
    provider = make_org(owner=seller, name="青岛智造科技", kind=OrgKind.PROVIDER, verified=True)
    make_solution(provider, seller, title="注塑机预测性维护即插即用套件")
    base = live_server

    sign_in(page, base, "buyer@example.com")
    page.goto(f"{base}/needs/{need.id}")
    recommended = page.get_by_test_id("recommendations")
    expect(recommended).to_contain_text("注塑机预测性维护即插即用套件")
    expect(recommended).to_contain_text("同属装备制造")
    expect(recommended).to_contain_text("已认证服务商")
    recommended.get_by_role("link", name="注塑机预测性维护即插即用套件").click()
    expect(page.get_by_test_id("contact-provider").get_by_role("link", name="我要对接")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "provider@example.com")
    page.goto(base + "/matching/needs")
    expect(page.locator("main")).to_contain_text("注塑机预测性维护")


def test_related_scenarios_are_picked_by_search(app, live_server, page, make_user, make_org, make_batch, make_scenario):
    scenario = make_scenario(batch=make_batch("2022年第一批"), title="注塑车间设备预测性维护")
    buyer = make_user("buyer@example.com")
    make_org(owner=buyer)
    base = live_server
    sign_in(page, base, "buyer@example.com")
    page.goto(base + "/needs/new")
    page.get_by_label("搜索场景清单，点击结果即可添加").fill("预测性维护")
    results = page.get_by_test_id("scenario-results")
    results.get_by_role("button", name=f"{scenario.code} 注塑车间设备预测性维护").click()
    expect(page.get_by_label("相关场景")).to_have_value(scenario.code)
