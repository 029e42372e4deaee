"""Reading aids (适老化) in the browser: a visitor opens the navbar's switch with the keyboard, picks a
larger font size and high contrast on one page, finds both kept on the next page and after a reload,
charts drawn in the high-contrast colours, and switches back. In high contrast, axe finds no text
below the enhanced (AAA, 7:1) contrast ratio on the home page, the statistics, the atlas and the
scenario and needs lists."""

from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.stats.ledger import record_enablement

pytestmark = pytest.mark.browser


def root_font_size(page: Page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def body_colours(page: Page) -> tuple[str, str]:
    return tuple(
        page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    )


def open_switch(page: Page):
    switch = page.get_by_role("button", name="字号与对比度")
    switch.focus()
    page.keyboard.press("Enter")
    expect(switch).to_have_attribute("aria-expanded", "true")
    return page.locator(".access-panel")


def test_font_size_and_high_contrast_are_kept_across_pages_and_switched_back(app, live_server, page, make_org):
    for n, kind in enumerate(["event", "training", "deal"]):
        record_enablement(firm=make_org(), kind=kind, source_type="seed", source_id=n, occurred_on=date(2026, 3, 2))
    db.session.commit()
    html = page.locator("html")

    page.goto(live_server + "/atlas")
    standard_size = root_font_size(page)
    standard_colours = body_colours(page)
    panel = open_switch(page)
    expect(panel.get_by_role("button", name="标准")).to_have_attribute("aria-pressed", "true")

    # Keyboard only: Tab reaches the size buttons inside the open menu; Enter presses one.
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="标准")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="特大")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("button", name="特大")).to_have_attribute("aria-pressed", "true")
    expect(panel.get_by_role("button", name="标准")).to_have_attribute("aria-pressed", "false")
    assert root_font_size(page) > standard_size * 1.3
    page.keyboard.press("Tab")
    contrast = panel.get_by_role("button", name="高对比度")
    expect(contrast).to_be_focused()
    page.keyboard.press("Space")
    expect(contrast).to_have_attribute("aria-pressed", "true")
    expect(html).to_have_class("high-contrast")
    assert body_colours(page) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")

    # The next page, a public page served from the cache, and a reload keep both.
    page.get_by_role("link", name="赋能成效").click()
    page.wait_for_url(live_server + "/stats/public")
    for _ in range(2):
        expect(html).to_have_class("high-contrast")
        expect(html).to_have_attribute("data-font-size", "larger")
        assert root_font_size(page) > standard_size * 1.3
        assert body_colours(page) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
        expect(page.locator("#chart-months canvas")).to_be_visible()
        chart_background = page.evaluate(
            "echarts.getInstanceByDom(document.getElementById('chart-months')).getOption().backgroundColor"
        )
        assert chart_background == "#000000"
        panel = open_switch(page)
        expect(panel.get_by_role("button", name="特大")).to_have_attribute("aria-pressed", "true")
        expect(panel.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
        page.keyboard.press("Escape")
        page.reload()

    # The chart's figures are a table behind "view as table".
    months = page.get_by_test_id("data-months")
    months.get_by_text("以表格查看").click()
    expect(months.get_by_role("table")).to_be_visible()

    # Back to the standard look, kept on the next page too.
    panel = open_switch(page)
    panel.get_by_role("button", name="标准").click()
    panel.get_by_role("button", name="高对比度").click()
    expect(panel.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "false")
    expect(html).not_to_have_class("high-contrast")
    assert root_font_size(page) == standard_size
    page.goto(live_server + "/")
    expect(html).not_to_have_attribute("data-font-size", "larger")
    assert root_font_size(page) == standard_size
    assert body_colours(page) == standard_colours


AXE_CONTRAST = """async () => {
  const results = await axe.run(document, {
    runOnly: {type: "rule", values: ["color-contrast", "color-contrast-enhanced", "link-in-text-block"]},
    resultTypes: ["violations"],
  });
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(" ")}: ${n.failureSummary}`));
}"""


def test_high_contrast_pages_meet_the_enhanced_contrast_ratio(
    live_server, browser: Browser, axe_script, make_org, make_scenario
):
    for n, kind in enumerate(["event", "training", "deal"]):
        record_enablement(firm=make_org(), kind=kind, source_type="seed", source_id=n, occurred_on=date(2026, 3, 2))
    make_scenario(industry="EQP", domains=("IM", "DM"), category="C04", subcategory="C04-2")
    db.session.commit()
    found = []
    for viewport in ({"width": 1280, "height": 800}, {"width": 375, "height": 740}):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.add_init_script(
            "localStorage.setItem('gf-contrast', 'high'); localStorage.setItem('gf-font-size', 'large');"
        )
        context.add_init_script(path=axe_script)
        page = context.new_page()
        for path in ("/", "/stats/public", "/atlas", "/scenarios/", "/needs/"):
            page.goto(live_server + path)
            expect(page.locator("html")).to_have_class("high-contrast")
            found += [f"{viewport['width']} {path}: {violation}" for violation in page.evaluate(AXE_CONTRAST)]
        context.close()
    assert found == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_switch_opens_on_screen_and_in_keyboard_order(live_server, page, width):
    """The switch comes right after the site's name, on screen as in the keyboard order (WCAG 2.4.3),
    and its panel opens inside the window at desktop and phone widths."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/")
    page.locator(".navbar-brand").focus()
    page.keyboard.press("Tab")
    switch = page.get_by_role("button", name="字号与对比度")
    expect(switch).to_be_focused()
    brand, button = page.locator(".navbar-brand").bounding_box(), switch.bounding_box()
    assert button["x"] > brand["x"] + brand["width"] and abs(button["y"] - brand["y"]) < brand["height"]
    panel = open_switch(page)
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
