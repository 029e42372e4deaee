"""The reading aids' switch (font size, high contrast) is on every page, signed in or not, and the
choice is the browser's: pages kept in the page cache for every anonymous visitor never carry it, and
the script that applies it before the page paints is our own file in <head>, under the CSP (no inline
script). The browser side is tests/browser/test_access_modes.py."""

import re

from lxml import html as lxml_html

from app.core.security import CONTENT_SECURITY_POLICY

SIZES = ["standard", "large", "larger"]


def switch_of(page: str):
    document = lxml_html.fromstring(page)
    root = document.xpath("/html")[0]
    assert root.get("data-font-size") is None and "high-contrast" not in (root.get("class") or "")
    head_scripts = [script.get("src") for script in document.xpath("/html/head/script")]
    assert any(re.fullmatch(r"/static/js/access\.js\?v=\w+", src or "") for src in head_scripts), head_scripts
    assert document.xpath("/html/head/link[starts-with(@href, '/static/css/access.css')]")
    assert not [script for script in document.xpath("//script[not(@src)]") if script.get("type") != "application/json"]
    (menu,) = document.xpath("//nav[contains(@class, 'navbar')]//button[@data-test='access-menu']")
    sizes = document.xpath("//button[@data-access-size]")
    (contrast,) = document.xpath("//button[@data-access-contrast]")
    return menu, sizes, contrast


def test_every_kind_of_page_has_the_switch_and_the_cached_page_does_not_carry_a_choice(client, login, make_user):
    for round_ in range(2):  # the second anonymous answer comes from the page cache
        response = client.get("/")
        assert response.headers.get("X-Cache") == ("hit" if round_ else "miss")
        menu, sizes, contrast = switch_of(response.get_data(as_text=True))
        assert [button.get("data-access-size") for button in sizes] == SIZES
        assert [button.get("aria-pressed") for button in sizes] == ["true", "false", "false"]
        assert [button.text_content() for button in sizes] == ["标准", "大", "特大"]
        assert contrast.get("aria-pressed") == "false" and contrast.text_content() == "高对比度"
        assert menu.text_content().strip().endswith("字号与对比度") and menu.get("aria-expanded") == "false"
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY + ";"

    login(make_user("access-switch@example.com"))
    menu, sizes, contrast = switch_of(client.get("/dashboard").get_data(as_text=True))
    assert len(sizes) == 3 and contrast is not None


def test_the_switch_speaks_english_in_english(client):
    client.set_cookie("lang", "en")
    menu, sizes, contrast = switch_of(client.get("/stats/public").get_data(as_text=True))
    assert [button.text_content() for button in sizes] == ["Standard", "Large", "Larger"]
    assert contrast.text_content() == "High contrast" and menu.get("title") == "Text size and contrast"
