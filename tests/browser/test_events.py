"""Events in the browser: the admin creates and publishes one, a firm registers and is checked in;
two firms register, meet as scheduled, download their agendas and record a deal that the public
statistics count; the organiser records a bank's financing collected at the event and the report
sums it by institution."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from app.accounts.models import OrgKind, SiteRole
from app.core.models import utcnow
from app.events import services
from app.events.models import Event, Meeting, MeetingRequest, ParticipantRole, RequestStatus
from app.extensions import db
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
    main.get_by_test_id("calendar-link").click()
    page.get_by_test_id("next-event").get_by_role("link").click()
    expect(page.get_by_test_id("calendar-month")).to_have_text("2030年6月")
    page.get_by_test_id("day-2030-06-18").get_by_role("link", name="食品饮料产融对接会").click()
    page.get_by_test_id("event-registration").get_by_role("link", name="立即报名").click()
    page.get_by_label("需求方").check()
    page.get_by_label("参会简介").fill("啤酒灌装企业，寻求设备融资。")
    main.get_by_role("button", name="提交报名").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("已确认")
    code = page.get_by_test_id("ticket-code").inner_text()
    sign_out(page)

    # The day comes: check-in opens an hour before the event starts.
    start = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    db.session.execute(
        update(Event)
        .where(Event.title == "食品饮料产融对接会")
        .values(starts_at=start, ends_at=start + timedelta(hours=8))
    )
    db.session.commit()
    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/events/")
    main.get_by_role("link", name="食品饮料产融对接会").click()
    page.get_by_label("签到码").fill(code)
    main.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("青岛麦香啤酒有限公司”签到成功")
    expect(page.get_by_test_id("checked-in")).to_have_text("1")


def _fair_under_way(make_user, make_event):
    """A matchmaking fair, made by the admin (admin@example.com), that began an hour ago and takes
    registrations all day."""
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    event = make_event(
        admin,
        title="装备制造产融对接会",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        registration_opens_at=start - timedelta(days=1),
        registration_closes_at=start + timedelta(hours=8),
    )
    return event


def test_two_firms_meet_and_record_a_deal(app, live_server, page, make_user, make_org, make_event):
    event = _fair_under_way(make_user, make_event)
    make_org(owner=make_user("buyer@example.com"), name="青岛麦香啤酒有限公司", kind=OrgKind.ENTERPRISE)
    make_org(owner=make_user("bank@example.com"), name="青岛产业银行", kind=OrgKind.PROVIDER)
    base = live_server
    main = page.locator("main")

    page.goto(base + "/stats/public")
    before = int(page.get_by_test_id("firm-times").inner_text().replace(",", ""))
    codes = {}
    for email, role in (("bank@example.com", "投资机构或银行"), ("buyer@example.com", "需求方")):
        sign_in(page, base, email)
        page.goto(f"{base}/events/{event.id}/register")
        page.get_by_label(role).check()
        main.get_by_role("button", name="提交报名").click()
        codes[email] = page.get_by_test_id("ticket-code").inner_text()
        if email == "buyer@example.com":
            main.get_by_role("link", name="浏览参会单位").click()
            page.get_by_label("给青岛产业银行的留言").fill("想谈设备融资")
            main.get_by_role("button", name="邀约洽谈").click()
            expect(page.locator(".alert-success")).to_contain_text("已向“青岛产业银行”发出洽谈邀约")
        sign_out(page)

    sign_in(page, base, "bank@example.com")
    page.goto(f"{base}/events/{event.id}/meetings")
    page.get_by_test_id("meeting-requests").get_by_role("button", name="接受").click()
    expect(page.get_by_test_id("request-status")).to_have_text("已接受")
    sign_out(page)

    sign_in(page, base, "admin@example.com")
    page.goto(f"{base}/admin/events/{event.id}/schedule")
    main.get_by_role("button", name="自动排程").click()
    expect(page.locator(".alert-success")).to_contain_text("已排入 1 场洽谈")
    page.once("dialog", lambda dialog: dialog.accept())
    main.get_by_role("button", name="发布日程").click()
    expect(page.locator(".alert-success")).to_contain_text("日程已发布")
    page.goto(f"{base}/admin/events/{event.id}")
    for code in codes.values():
        page.get_by_label("签到码").fill(code)
        main.get_by_role("button", name="签到", exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text("签到成功")
    sign_out(page)

    for email, other in (("buyer@example.com", "青岛产业银行"), ("bank@example.com", "青岛麦香啤酒有限公司")):
        sign_in(page, base, email)
        page.goto(f"{base}/events/{event.id}/agenda")
        expect(page.get_by_test_id("agenda")).to_contain_text(other)
        with page.expect_download() as download:
            main.get_by_role("link", name="下载日历（.ics）").click()
        assert download.value.suggested_filename == f"agenda-{event.id}.ics"
        page.get_by_label("洽谈结果").select_option(label="达成签约")
        page.get_by_label("签约金额（万元）").fill("300")
        main.get_by_role("button", name="记录").click()
        expect(page.get_by_test_id("outcome")).to_contain_text("达成签约")
        sign_out(page)

    page.goto(base + "/stats/public")
    # Two firms attended, both met, and the buyer signed a deal with the bank.
    expect(page.get_by_test_id("firm-times")).to_have_text(f"{before + 5:,}")


def test_the_organiser_records_a_financing_outcome(app, live_server, page, make_user, make_org, make_event):
    event = _fair_under_way(make_user, make_event)
    firm = make_user("buyer@example.com")
    bank = make_user("bank@example.com")
    make_org(owner=firm, name="青岛麦香啤酒有限公司", kind=OrgKind.ENTERPRISE)
    make_org(owner=bank, name="青岛产业银行", kind=OrgKind.PROVIDER)
    with app.test_request_context():
        sides = [
            services.register(event, user, services.Entry(role, "", "", "", [], [], []))
            for user, role in ((firm, ParticipantRole.DEMAND), (bank, ParticipantRole.INVESTOR))
        ]
    request = MeetingRequest(event=event, requester=sides[0], recipient=sides[1], status=RequestStatus.ACCEPTED)
    db.session.add_all(
        [request, Meeting(event_id=event.id, request=request, slot=event.slots[0], table=event.tables[0])]
    )
    event.schedule_published_at = utcnow()
    db.session.commit()
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "admin@example.com")
    page.goto(f"{base}/admin/events/{event.id}/report")
    expect(main).to_contain_text("还没有洽谈记录融资结果")
    main.get_by_role("link", name="录入洽谈结果").click()
    main.get_by_label("记录哪一方的结果").select_option(label="青岛产业银行")
    main.get_by_label("洽谈结果").select_option(label="达成签约")
    main.get_by_label("融资金额（万元）").fill("0")
    expect(main.get_by_label("融资机构")).to_have_value("青岛产业银行")  # the investor side, offered
    main.get_by_role("button", name="录入").click()
    expect(page.locator(".alert-danger")).to_contain_text("融资金额应大于 0 万元")
    main.get_by_label("记录哪一方的结果").select_option(label="青岛产业银行")
    main.get_by_label("洽谈结果").select_option(label="达成签约")
    main.get_by_label("融资金额（万元）").fill("800")
    main.get_by_role("button", name="录入").click()
    expect(page.locator(".alert-success")).to_contain_text("洽谈结果已记录")
    expect(page.get_by_test_id("institution")).to_have_text("青岛产业银行")
    main.get_by_role("link", name="活动报告").click()
    table = page.get_by_test_id("financing-by-institution")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("青岛产业银行")
    expect(table.locator("tbody tr").first).to_contain_text("800")
