"""The scenario list from end to end: an admin imports and publishes a batch, a visitor searches,
filters and reads it, and follows a count of the atlas's data table back to the filtered list."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.accounts.models import SiteRole
from tests.browser.conftest import TIMEOUT_MS
from tests.catalog.test_import import row, xlsx_file

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Qingdao-admin-2026"
BATCH = "2024年第一批"
ROWS = [
    row(
        code="QD-2024-0001",
        title="注塑车间设备预测性维护",
        industry="EQP",
        domain="IM、DM",
        category="C04",
        subcategory="C04-2",
        description="采集注塑机振动与温度数据，提前预警主轴故障。",
        organization="青岛海纳模具",
        district="黄岛",
        keywords="预测性维护；振动监测",
    ),
    row(
        code="QD-2024-0002",
        title="轮胎硫化机预测性维护",
        industry="RAW",
        domain="IM",
        category="C04",
        subcategory="C04-2",
        description="监测硫化机温度与压力曲线，按状态安排检修。",
        organization="青岛橡胶轮胎",
        district="即墨",
        keywords="硫化；状态监测",
    ),
    row(
        code="QD-2024-0003",
        title="焊装车间机器视觉检测",
        industry="AUT",
        domain="IM、5G",
        category="C02",
        subcategory="C02-5",
        description="用工业相机识别焊点缺陷，替代人工目检。",
        organization="青岛整车制造",
        district="城阳",
        keywords="机器视觉；缺陷检测",
    ),
    row(
        code="QD-2024-0004",
        title="啤酒灌装线能耗监测",
        industry="FOOD",
        domain="DM",
        category="C05",
        subcategory="C05-1",
        description="分表计量灌装线电耗与蒸汽用量，找出高耗工序。",
        organization="青岛麦香啤酒",
        district="李沧",
        keywords="能耗；计量",
    ),
    row(
        code="QD-2024-0005",
        title="数控机床远程运维",
        industry="EQP",
        domain="IM、SE",
        category="C04",
        subcategory="C04-3",
        description="机床运行数据上云，厂家远程诊断与指导。",
        organization="青岛精工机床",
        district="胶州",
        keywords="远程运维",
    ),
    row(
        code="QD-2024-0006",
        title="衬衫大规模个性化定制",
        industry="TEX",
        domain="PC、NC",
        category="C10",
        subcategory="C10-2",
        description="顾客在线量体下单，订单直达裁剪与缝制工位。",
        organization="青岛红领服饰",
        district="市北",
        keywords="个性化定制；C2M",
    ),
]


def url(base: str, pattern: str) -> re.Pattern:
    return re.compile(re.escape(base) + pattern)


def admin_imports_and_publishes(base: str, page: Page, xlsx_path) -> None:
    nav = page.locator("nav.navbar")
    main = page.locator("main")

    page.goto(base + "/")
    nav.get_by_role("link", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/login")
    page.get_by_label("邮箱").fill(ADMIN_EMAIL)
    page.get_by_label("密码").fill(ADMIN_PASSWORD)
    main.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/dashboard")

    nav.get_by_role("link", name="管理后台").click()
    expect(page).to_have_url(base + "/admin/")
    page.get_by_role("navigation", name="管理后台导航").get_by_role("link", name="场景清单").click()
    expect(page).to_have_url(base + "/admin/scenarios/")
    expect(main.get_by_text("还没有批次")).to_be_visible()

    page.get_by_label("批次名称").fill(BATCH)
    page.get_by_label("年份").fill("2024")
    main.get_by_role("button", name="创建批次").click()
    expect(page).to_have_url(url(base, r"/admin/scenarios/batches/\d+$"))
    batch_url = page.url
    expect(page.get_by_role("alert")).to_contain_text(f"批次“{BATCH}”已创建")
    expect(page.get_by_role("heading", level=1)).to_contain_text(BATCH)
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    expect(main.get_by_role("button", name="发布本批次")).to_have_count(0)  # nothing to publish yet

    page.get_by_label("表格文件").set_input_files(xlsx_path)
    main.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(batch_url + "/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("导入预览")
    expect(page.get_by_test_id("count-added")).to_have_text(str(len(ROWS)))
    expect(page.get_by_test_id("count-changed")).to_have_text("0")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("0")
    expect(page.get_by_test_id("problems")).to_have_count(0)
    preview_rows = main.locator("table tbody tr")
    expect(preview_rows).to_have_count(len(ROWS))
    expect(preview_rows.first).to_contain_text("QD-2024-0001")
    expect(preview_rows.first).to_contain_text("注塑车间设备预测性维护")

    main.get_by_role("button", name=f"确认导入 {len(ROWS)} 行").click()
    expect(page).to_have_url(batch_url)
    expect(page.get_by_role("alert")).to_contain_text(f"已导入：新增 {len(ROWS)} 个，变更 0 个，未变 0 个。")
    expect(main.locator("table tbody tr")).to_have_count(len(ROWS))

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    main.get_by_role("button", name="发布本批次").click()
    expect(page.get_by_role("alert")).to_contain_text(f"“{BATCH}”已发布，{len(ROWS)} 个场景已公开。")
    expect(page).to_have_url(batch_url)
    assert dialogs == [f"发布后 {len(ROWS)} 个场景将对公众可见，确定发布吗？"]
    heading = page.get_by_role("heading", level=1)
    expect(heading.locator(".badge", has_text="已发布")).to_be_visible()
    expect(main.get_by_role("link", name="查看公开页")).to_be_visible()
    expect(main.get_by_role("button", name="撤回")).to_be_visible()


def visitor_searches_filters_and_reads(base: str, page: Page) -> None:
    nav = page.locator("nav.navbar")
    main = page.locator("main")
    results = main.locator("ol.scenario-results > li")

    page.goto(base + "/")
    nav.get_by_role("link", name="场景清单").click()
    expect(page).to_have_url(base + "/scenarios/")
    expect(page.get_by_test_id("result-count")).to_have_text(f"共 {len(ROWS)} 个场景")

    search = main.get_by_role("searchbox", name="搜索场景")
    search.fill("预测性维护")
    search.press("Enter")
    expect(page).to_have_url(url(base, r"/scenarios/\?.*q=%E9%A2%84%E6%B5%8B%E6%80%A7%E7%BB%B4%E6%8A%A4"))
    expect(page).to_have_title(re.compile("^预测性维护 · "))
    expect(search).to_have_value("预测性维护")
    expect(page.get_by_test_id("result-count")).to_have_text("共 2 个场景")
    expect(results).to_have_count(2)
    title_links = results.locator(".scenario-title a")
    expect(title_links.filter(has_text="注塑车间设备预测性维护")).to_have_count(1)
    expect(title_links.filter(has_text="轮胎硫化机预测性维护")).to_have_count(1)
    marks = title_links.locator("mark")
    expect(marks.first).to_be_visible()
    assert all(text and text in "预测性维护" for text in marks.all_text_contents()), marks.all_text_contents()

    facets = main.locator("#facets")
    facets.get_by_role("link").filter(has_text="装备制造").click()
    expect(page).to_have_url(url(base, r"/scenarios/\?.*industry=EQP"))
    assert "q=%E9%A2%84" in page.url  # the search is kept
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 个场景")
    expect(facets.locator("a[aria-current='true']")).to_contain_text("装备制造")
    expect(main.get_by_role("link", name="装备制造 ×")).to_be_visible()  # the chip that removes the filter
    expect(results).to_have_count(1)

    results.first.get_by_role("link", name="注塑车间设备预测性维护").click()
    expect(page).to_have_url(base + "/scenarios/QD-2024-0001")
    expect(page.get_by_role("heading", level=1)).to_have_text("注塑车间设备预测性维护")
    expect(main.get_by_text("采集注塑机振动与温度数据")).to_be_visible()
    history = main.get_by_role("heading", name="发布历史").locator("xpath=following-sibling::ol[1]")
    expect(history.get_by_role("link", name=BATCH)).to_be_visible()
    expect(history.locator(".badge", has_text="新增")).to_be_visible()
    related = main.get_by_role("heading", name="相关场景").locator("xpath=following-sibling::*[1]")
    expect(related.get_by_role("link", name="轮胎硫化机预测性维护")).to_be_visible()  # same sub-category


def visitor_follows_the_atlas_table(base: str, page: Page) -> None:
    main = page.locator("main")
    page.locator("nav.navbar").get_by_role("link", name="场景图谱").click()
    expect(page).to_have_url(base + "/atlas")
    expect(page.get_by_role("heading", level=1)).to_have_text("场景赋能图谱")

    main.get_by_role("link", name="查看数据表").click()
    expect(page).to_have_url(base + "/atlas#atlas-table")
    table = main.locator("#atlas-table table")
    cell = table.get_by_role("link", name="装备制造，智能化制造，场景：2", exact=True)
    expect(cell).to_have_text("2")
    cell.scroll_into_view_if_needed()
    cell.click()
    expect(page).to_have_url(url(base, r"/scenarios/\?(industry=EQP&domain=IM|domain=IM&industry=EQP)$"))
    expect(page.get_by_test_id("result-count")).to_have_text("共 2 个场景")
    titles = main.locator("ol.scenario-results > li .scenario-title a")
    expect(titles).to_have_count(2)
    expect(titles.filter(has_text="注塑车间设备预测性维护")).to_have_count(1)
    expect(titles.filter(has_text="数控机床远程运维")).to_have_count(1)
    chips = main.locator("a.badge.rounded-pill")
    expect(chips).to_have_text(["装备制造 ×", "智能化制造 ×"])


def test_admin_publishes_a_batch_and_a_visitor_finds_it(live_server, browser: Browser, page: Page, make_user, tmp_path):
    make_user(ADMIN_EMAIL, "平台运营", role=SiteRole.ADMIN, password=ADMIN_PASSWORD)
    xlsx_path = tmp_path / "2024年第一批场景清单.xlsx"
    xlsx_path.write_bytes(xlsx_file(ROWS))

    admin_imports_and_publishes(live_server, page, xlsx_path)

    visitor = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    visitor.set_default_timeout(TIMEOUT_MS)
    try:
        visitor_page = visitor.new_page()
        visitor_searches_filters_and_reads(live_server, visitor_page)
        visitor_follows_the_atlas_table(live_server, visitor_page)
    finally:
        visitor.close()
