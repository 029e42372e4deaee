"""The marketplace in the browser: a provider publishes a plug-and-play solution, an admin approves
it, an enterprise finds it by a Chinese search, compares it and inquires; the provider accepts,
both confirm the deal, and the public statistics count one more enabled firm."""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import OrgKind, SiteRole
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/dashboard")


def sign_out(page: Page) -> None:
    page.locator("nav.navbar").get_by_role("button", name="退出").click()


def test_a_plug_and_play_solution_from_publication_to_a_confirmed_deal(
    app, live_server, page, make_user, make_org, make_solution
):
    provider = make_user("provider@example.com")
    make_org(owner=provider, name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    other = make_user("other-provider@example.com")
    make_solution(
        make_org(owner=other, kind=OrgKind.PROVIDER), other, title="能耗监测即插即用轻量版", deployment_days=5
    )
    make_user("admin@example.com", role=SiteRole.ADMIN)
    enterprise = make_user("buyer@example.com")
    make_org(owner=enterprise, name="青岛麦香啤酒有限公司")
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "provider@example.com")
    main.get_by_role("link", name="发布方案").first.click()
    expect(page).to_have_url(base + "/solutions/new")
    page.get_by_label("方案名称").fill("啤酒灌装线能耗监测模块")
    page.get_by_label("一句话简介").fill("分表计量加能耗看板，三天上线。")
    page.get_by_label("方案介绍").fill("对灌装线电耗与蒸汽用量分项计量，找出高耗工序。")
    page.get_by_role("group", name="适用行业").get_by_label("食品饮料").check()
    page.get_by_role("group", name="技术领域").get_by_label("数字化管理").check()
    page.get_by_label("计价方式").select_option(label="按年订阅")
    page.get_by_label("价格下限（万元）").fill("2")
    page.get_by_label("价格上限（万元）").fill("5")
    page.get_by_label("“即插即用”模块化方案").check()
    page.get_by_label("前提条件").fill("配电柜可加装电表")
    page.get_by_label("部署周期（天）").fill("3")
    page.get_by_label("包含内容").fill("智能电表、网关、看板账号")
    main.get_by_role("button", name="保存并提交审核").click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    sign_out(page)

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/moderation/solutions")
    queue = page.get_by_test_id("moderation-queue")
    expect(queue).to_contain_text("啤酒灌装线能耗监测模块")
    queue.get_by_role("button", name="通过并公开").click()
    expect(page.locator(".alert-success")).to_contain_text("已通过并公开")
    sign_out(page)

    sign_in(page, base, "buyer@example.com")
    page.locator("nav.navbar").get_by_role("link", name="解决方案").click()
    main.get_by_role("searchbox").fill("能耗监测")
    main.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 2 条")
    for checkbox in main.get_by_role("checkbox", name="比较").all():
        checkbox.check()
    main.get_by_role("button", name="比较勾选的即插即用方案").click()
    table = page.get_by_test_id("compare")
    expect(table).to_contain_text("3 天")
    expect(table).to_contain_text("5 天")
    table.get_by_role("link", name="啤酒灌装线能耗监测模块").click()
    expect(page.get_by_test_id("solution-facts")).to_contain_text("按年订阅 · 2–5 万元")

    page.goto(base + "/stats/public")
    before = int(page.get_by_test_id("firm-times").inner_text().replace(",", ""))
    page.go_back()
    page.get_by_test_id("contact-provider").get_by_role("link", name="我要对接").click()
    page.get_by_label("留言").fill("我们有两条灌装线，想下月上线，请联系王经理。")
    main.get_by_role("button", name="发送").click()
    expect(page.get_by_test_id("inquiry-state")).to_have_text("待回应")
    sign_out(page)

    sign_in(page, base, "provider@example.com")
    expect(page.get_by_test_id("inbox-unread")).to_contain_text("2")  # the approval, then the inquiry
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("“啤酒灌装线能耗监测模块”已通过审核并公开")
    page.get_by_test_id("notifications").get_by_role("button").first.click()
    expect(page.get_by_test_id("messages")).to_contain_text("两条灌装线")
    page.get_by_label("回复").fill("可以，三天上线，费用 4 万元。")
    main.get_by_role("button", name="发送").click()
    page.get_by_role("button", name="接受对接").click()
    expect(page.get_by_test_id("inquiry-state")).to_have_text("沟通中")
    page.get_by_label("签约金额（万元，可不填）").fill("4")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认签约").click()
    expect(page.get_by_test_id("confirmations")).to_contain_text("已确认")
    sign_out(page)

    # The buyer opens the thread from the thread list: the provider's reply shows as new, and the
    # page, once shown, marks the thread's notifications read.
    sign_in(page, base, "buyer@example.com")
    expect(page.get_by_test_id("inbox-unread")).to_be_visible()
    page.goto(base + "/inquiries/")
    page.get_by_test_id("threads").get_by_role("link").first.click()
    expect(page.get_by_test_id("unread-message")).to_contain_text("三天上线")
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
    expect(page.get_by_test_id("inquiry-actions")).to_contain_text("签约金额：4 万元")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认签约").click()
    expect(page.locator(".alert-success")).to_contain_text("签约完成")
    expect(page.get_by_test_id("inquiry-state")).to_have_text("已签约")
    page.goto(base + "/stats/public")
    expect(page.get_by_test_id("firm-times")).to_have_text(f"{before + 1:,}")
