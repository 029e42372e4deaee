"""Releases in the browser: a visitor opens the release history, chooses two releases in the
select boxes, compares them, narrows the list to the changed scenarios and reads old beside new."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.taxonomy.models import ScenarioCategory
from tests.catalog.test_import import row
from tests.catalog.test_releases import release
from tests.conftest import taxonomy_entry

pytestmark = pytest.mark.browser


def test_a_visitor_compares_two_releases(live_server, page: Page):
    first = release("2022年第一批", [row(code="A"), row(code="B", title="质量追溯")])
    release(
        "2023年第一批", [row(code="A", title="注塑车间设备预测性维护（二期）", category="C02", subcategory="C02-5")]
    )
    third = release("2024年第一批", [row(code="C", title="仓储物流")])
    main = page.locator("main")

    page.goto(live_server + "/scenarios/batches")
    main.get_by_role("link", name="对比两个批次").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("对比发布批次")
    main.get_by_label("原批次").select_option(label="2022年第一批")
    main.get_by_label("新批次").select_option(label="2024年第一批")
    main.get_by_role("button", name="对比").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/batches/compare\?from={first.id}&to={third.id}$"))

    results = page.get_by_test_id("compare-results").locator("> li")
    expect(results).to_have_count(2)  # C added, A changed; B is on both lists unchanged
    expect(results.nth(0)).to_contain_text("新增")
    expect(results.nth(0)).to_contain_text("仓储物流")

    main.get_by_role("navigation", name="按变化筛选").get_by_role("link", name=re.compile("^变更")).click()
    expect(results).to_have_count(1)
    changed = results.first
    expect(changed).to_contain_text("A")
    title = changed.locator(".field-change").filter(has_text="场景名称")
    expect(title.locator(".field-change-old")).to_have_text(re.compile("原\\s*注塑车间设备预测性维护$"))
    expect(title.locator(".field-change-new ins")).to_have_text("加入：（二期）")
    category = changed.locator(".field-change").filter(has_text="场景大类")
    expect(category.locator(".field-change-old del")).to_contain_text(taxonomy_entry(ScenarioCategory, "C04").name)
    expect(category.locator(".field-change-new ins")).to_contain_text(taxonomy_entry(ScenarioCategory, "C02").name)
    # the choice stays in the select boxes
    expect(main.get_by_label("原批次")).to_have_value(str(first.id))
    expect(main.get_by_label("新批次")).to_have_value(str(third.id))
