"""The atlas in the browser: the switch above the heat map shows scenarios, open needs or published
solutions in the cells and the matching data table, by mouse or by keyboard, without a reload."""

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import OrgKind
from app.catalog.atlas import atlas_counts

pytestmark = pytest.mark.browser

HEATMAP_COUNTS = """() => echarts.getInstanceByDom(document.getElementById('atlas-heatmap'))
  .getOption().series[0].data.map((cell) => cell.value[2])"""


def test_the_switch_shows_needs_then_solutions(
    live_server, page: Page, make_scenario, make_user, make_org, make_need, make_solution
):
    make_scenario(industry="EQP", domains=("IM", "DM"))
    owner = make_user()
    org = make_org(owner=owner, kind=OrgKind.BOTH)
    make_need(org, owner, domains=("IM", "5G"))
    make_need(org, owner, domains=("5G",))
    make_solution(org, owner, industries=("RAW",), domains=("SEC",))
    atlas = atlas_counts()
    expected = {
        name: [m.cell(i, d) for i in atlas.industries for d in atlas.domains] for name, m in atlas.measures.items()
    }
    main = page.locator("main")

    page.goto(live_server + "/atlas")
    switch = main.get_by_role("group", name="图中显示")
    expect(switch.get_by_role("radio", name="场景（1）")).to_be_checked()
    expect(switch.get_by_role("button", name="显示")).to_be_hidden()  # the script switches at once
    assert page.evaluate(HEATMAP_COUNTS) == expected["scenarios"]
    expect(main.locator("[data-measure-table='scenarios']")).to_be_visible()

    switch.get_by_text("开放需求（2）").click()
    expect(switch.get_by_role("radio", name="开放需求（2）")).to_be_checked()
    assert page.evaluate(HEATMAP_COUNTS) == expected["needs"]
    expect(main.locator("[data-measure-table='needs']")).to_be_visible()
    expect(main.locator("[data-measure-table='scenarios']")).to_be_hidden()
    expect(page).to_have_url(live_server + "/atlas?measure=needs")
    table = main.get_by_role("table", name="数据表：开放需求")
    cell = table.get_by_role("link", name="装备制造，5G融合应用，开放需求：2", exact=True)
    expect(cell).to_have_attribute("href", "/needs/?industry=EQP&domain=5G")

    page.keyboard.press("ArrowRight")  # the focus is on the checked radio: the arrow moves to the next
    expect(switch.get_by_role("radio", name="已发布方案（1）")).to_be_checked()
    expect(switch.get_by_role("radio", name="已发布方案（1）")).to_be_focused()
    assert page.evaluate(HEATMAP_COUNTS) == expected["solutions"]
    expect(main.locator("[data-measure-table='solutions']")).to_be_visible()

    page.reload()  # the address keeps the choice
    expect(switch.get_by_role("radio", name="已发布方案（1）")).to_be_checked()
    assert page.evaluate(HEATMAP_COUNTS) == expected["solutions"]
