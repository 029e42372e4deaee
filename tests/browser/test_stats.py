"""Enablement statistics in the browser: an admin records a consulting enablement, watches the
headline number and the chart change, drills down to the row, and the public sees the figures."""

import json
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import SiteRole
from app.extensions import db
from app.stats.ledger import record_enablement

pytestmark = pytest.mark.browser

PASSWORD = "Qingdao-admin-2026"


def chart_data(page: Page) -> dict:
    return json.loads(page.locator("#stats-data").text_content())


def kinds(page: Page) -> dict[str, int]:
    return {item["name"]: item["value"] for item in chart_data(page)["kinds"]}


def test_an_admin_records_consulting_and_drills_down_to_it(app, live_server, page, make_user, make_org):
    make_user("admin@example.com", role=SiteRole.ADMIN, password=PASSWORD)
    firm = make_org(name="青岛海纳模具有限公司")
    for n, kind in enumerate(["event", "training", "event"]):
        record_enablement(firm=make_org(), kind=kind, source_type="seed", source_id=n, occurred_on=date(2026, 3, 2))
    db.session.commit()
    base = live_server
    main = page.locator("main")

    page.goto(base + "/login")
    page.get_by_label("邮箱").fill("admin@example.com")
    page.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    page.locator("nav.navbar").get_by_role("link", name="管理后台").click()
    page.get_by_role("navigation", name="管理后台导航").get_by_role("link", name="赋能统计").click()
    expect(page).to_have_url(base + "/stats/")
    expect(page.get_by_test_id("firm-times")).to_have_text("3")
    expect(page.locator("#chart-months canvas")).to_be_visible()
    assert "诊断咨询" not in kinds(page)

    main.get_by_role("link", name="登记赋能").click()
    page.get_by_label("被赋能企业").fill(firm.credit_code)
    page.get_by_label("赋能类型").select_option(label="诊断咨询")
    page.get_by_label("发生日期").fill("2026-05-18")
    page.get_by_label("证明材料").fill("数字化诊断报告 QD-2026-018")
    main.get_by_role("button", name="登记").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记一次赋能：青岛海纳模具有限公司，诊断咨询")
    expect(page.get_by_test_id("entry")).to_contain_text("数字化诊断报告 QD-2026-018")

    page.get_by_role("navigation", name="管理后台导航").get_by_role("link", name="赋能统计").click()
    expect(page.get_by_test_id("firm-times")).to_have_text("4")
    expect(page.get_by_test_id("firms")).to_have_text("4")
    assert kinds(page)["诊断咨询"] == 1
    assert {m["name"]: m["value"] for m in chart_data(page)["months"]}["2026-05"] == 1

    main.get_by_text("查看数据表").click()
    page.get_by_test_id("table-kinds").get_by_role("row", name=re.compile("诊断咨询")).get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/stats/ledger\?kind=diagnosis"))
    expect(page.get_by_test_id("net")).to_contain_text("合计 1 家次")
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("青岛海纳模具有限公司")
    ledger.get_by_role("link", name="详情").click()
    expect(page.get_by_test_id("entry")).to_contain_text("manual:")

    page.locator("nav.navbar").get_by_role("link", name="赋能成效").click()
    expect(page).to_have_url(base + "/stats/public")
    expect(page.get_by_test_id("firm-times")).to_have_text("4")
    expect(page.locator("#chart-kinds canvas")).to_be_visible()
    expect(main).not_to_contain_text("青岛海纳模具有限公司")
