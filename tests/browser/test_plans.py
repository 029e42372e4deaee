"""Plans over time in the browser: an admin starts the next plan from the previous one and edits a
target; the public page shows it as the current plan and the previous plan's final results. The
public page read on a desktop, on a 375 px phone and printed (screenshots in $SCREENSHOT_DIR if set)."""

import os
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import SiteRole
from app.core.models import local_today
from app.extensions import db
from app.stats import indicators
from app.stats.ledger import record_enablement
from app.stats.models import Indicator, Plan

pytestmark = pytest.mark.browser

PASSWORD = "Qingdao-admin-2026"
SUCCESSOR = "工业互联网三年行动计划（2025—2027年）"


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def width(page: Page, test_id: str) -> float:
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None
    return box["width"]


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_admin_starts_the_next_plan(app, live_server, page, make_user):
    admin = make_user("admin@example.com", role=SiteRole.ADMIN, password=PASSWORD)
    previous = db.session.scalar(db.select(Plan))
    stations = next(i for i in previous.indicators if i.code == "base_stations_5g")
    indicators.report_value(stations, stations.target, date(2024, 12, 31), "市通信管理局", admin)
    db.session.commit()
    ends = local_today() + timedelta(days=400)  # the new plan holds today, whatever day it runs
    base, main = live_server, page.locator("main")

    page.goto(base + "/login")
    page.get_by_label("邮箱").fill("admin@example.com")
    page.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    page.goto(base + "/stats/")
    main.get_by_role("link", name="行动计划").click()
    expect(page.get_by_test_id("plans")).to_contain_text(previous.name)
    form = page.get_by_test_id("successor-form")
    expect(form.get_by_label("开始日期")).to_have_value("2025-01-01")
    form.get_by_label("计划名称").fill(SUCCESSOR)
    form.get_by_label("结束日期").fill(ends.isoformat())
    form.get_by_role("button", name="新建后续计划").click()

    expect(page.locator(".alert-success")).to_contain_text(f"已新建“{SUCCESSOR}”")
    expect(page.get_by_test_id("plan-name")).to_have_text(SUCCESSOR)
    rows = page.get_by_test_id("indicators").locator("tbody tr")
    expect(rows).to_have_count(len(previous.indicators))
    rows.filter(has_text="平台赋能企业家次").get_by_role("link", name="修改目标").click()
    page.get_by_test_id("indicator-form").get_by_label("目标值").fill("80000")
    page.get_by_test_id("indicator-form").get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存指标")
    page.get_by_role("link", name=SUCCESSOR).click()
    expect(page.get_by_test_id("plan-name")).to_have_text(SUCCESSOR)

    page.goto(base + "/stats/public")
    expect(page.locator("#plan-title")).to_have_text(SUCCESSOR)
    expect(page.get_by_test_id("indicator-enablements")).to_contain_text("80,000")
    past = page.get_by_test_id(f"past-plan-{previous.id}")
    expect(past).to_contain_text(previous.name)
    expect(past.get_by_test_id("past-indicator-base_stations_5g")).to_contain_text("已达成")
    expect(past).not_to_contain_text("落后于进度")
    shoot(page, "stats-public-successor")
    page.emulate_media(media="print")
    shoot(page, "stats-public-successor-print")
    copied = db.session.scalar(
        db.select(Indicator).join(Plan).where(Plan.name == SUCCESSOR, Indicator.code == "enablements")
    )
    original = next(i for i in previous.indicators if i.code == "enablements")
    db.session.refresh(original)
    assert copied.target == Decimal(80000) and original.target != copied.target


def test_the_public_figures_on_a_desktop_a_phone_and_paper(app, live_server, page, make_org):
    for n, kind in enumerate(["event", "training", "deal", "event", "diagnosis"]):
        record_enablement(firm=make_org(), kind=kind, source_type="seed", source_id=n, occurred_on=date(2024, 3 + n, 2))
    db.session.commit()
    page.goto(live_server + "/stats/public")
    expect(page.locator("#chart-months canvas")).to_be_visible()
    months = page.get_by_test_id("data-months")
    expect(months.get_by_text("以表格查看")).to_be_visible()
    expect(months.locator("table")).to_be_hidden()  # on screen, behind "view as table"
    shoot(page, "stats-public-desktop")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.locator("#chart-kinds canvas")).to_be_visible()
    assert no_sideways_scroll(page)
    shoot(page, "stats-public-375")

    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.reload()
    expect(page.locator("#chart-months canvas")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    for table in ("data-months", "data-districts", "data-industries", "data-kinds"):
        assert width(page, table) > 300, table
    expect(page.get_by_test_id("data-kinds").get_by_role("row", name=re.compile("诊断咨询"))).to_contain_text("1")
    assert no_sideways_scroll(page)
    shoot(page, "stats-public-print")
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_a_detail_page_prints_its_content_only(app, live_server, page, make_org, make_user, make_solution):
    owner = make_user("owner@example.com")
    solution = make_solution(make_org(owner=owner), owner, title="设备健康管理平台")
    page.goto(f"{live_server}/solutions/{solution.id}")
    expect(page.locator("nav.navbar")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="设备健康管理平台")).to_be_visible()
    for hidden in ("nav.navbar", "footer", "main .btn", ".breadcrumb", "[data-test=contact-provider]"):
        assert page.locator(hidden).count(), hidden
        for node in page.locator(hidden).all():
            expect(node).to_be_hidden()
    assert no_sideways_scroll(page)
    shoot(page, "solution-print")
