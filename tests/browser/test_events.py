"""An event in the browser: the admin creates and publishes it, a firm registers and gets its
ticket, the admin checks it in at the door."""
import pytest
from playwright.sync_api import expect

from app.accounts.models import OrgKind, SiteRole
from tests.browser.test_marketplace import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_an_event_from_creation_to_check_in(app, live_server, page, make_user, make_org):
    make_user("admin@example.com", role=SiteRole.ADMIN)
    make_org(owner=make_user("buyer@example.com"), name="青岛麦香啤酒有限公司", kind=OrgKind.ENTERPRISE)
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/events/")
    main.get_by_role("link", name="创建活动").first.click()
    page.get_by_label("活动类型").select_option(label="产融对接会")
    page.get_by_label("活动名称").fill("食品饮料产融对接会")
    page.get_by_label("活动介绍").fill("银行与食品企业一对一洽谈。")
    page.get_by_label("地点", exact=True).fill("青岛国际会议中心")
    page.get_by_label("开始时间").fill("2030-06-18T09:00")
    page.get_by_label("结束时间").fill("2030-06-18T17:00")
    page.get_by_label("报名开始").fill("2026-01-01T09:00")
    page.get_by_label("报名截止").fill("2030-06-17T18:00")
    page.get_by_label("名额（单位数）").fill("50")
    main.get_by_role("button", name="保存").click()
    page.get_by_label("洽谈日期").fill("2030-06-18")
    page.get_by_label("每天开始").fill("09:00")
    page.get_by_label("每天结束").fill("12:00")
    page.get_by_label("休息时间").fill("10:00-10:20")
    page.get_by_label("洽谈桌数").fill("10")
    main.get_by_role("button", name="生成洽谈时段").click()
    expect(page.locator(".alert-success")).to_contain_text("已生成 8 个洽谈时段、10 张洽谈桌")
    page.once("dialog", lambda dialog: dialog.accept())
    main.get_by_role("button", name="发布并开放报名").click()
    expect(page.locator(".alert-success")).to_contain_text("活动已发布")
    sign_out(page)

    sign_in(page, base, "buyer@example.com")
    page.locator("nav.navbar").get_by_role("link", name="对接活动").click()
    main.get_by_role("link", name="食品饮料产融对接会").click()
    page.get_by_test_id("event-registration").get_by_role("link", name="立即报名").click()
    page.get_by_label("需求方").check()
    page.get_by_label("参会简介").fill("啤酒灌装企业，寻求设备融资。")
    main.get_by_role("button", name="提交报名").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("已确认")
    code = page.get_by_test_id("ticket-code").inner_text()
    sign_out(page)

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/events/")
    main.get_by_role("link", name="食品饮料产融对接会").click()
    page.get_by_label("签到码").fill(code)
    main.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("青岛麦香啤酒有限公司”签到成功")
    expect(page.get_by_test_id("checked-in")).to_have_text("1")
