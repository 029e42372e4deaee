"""Sharing and printing: detail pages carry Open Graph metadata with absolute URLs on PUBLIC_BASE_URL
(never on the Host a request names), and every page links the print stylesheet."""

from html.parser import HTMLParser

import pytest

from app.accounts.models import SiteRole

PUBLIC_BASE_URL = "https://gongfu.example.cn"


class Head(HTMLParser):
    """The page's <meta property|name> values and its stylesheet links."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.stylesheets: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.meta[values.get("property") or values["name"]] = values.get("content") or ""
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values)


@pytest.fixture
def public_base(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC_BASE_URL)


@pytest.fixture
def pages(make_batch, make_scenario, make_need, make_solution, make_event, make_org, make_user):
    """Each kind of detail page: its path, the title and a piece of the text the card should show."""
    owner = make_user("owner@example.com")
    org = make_org(owner=owner, name="青岛海纳模具有限公司")
    scenario = make_scenario(
        title="注塑车间设备预测性维护", description="采集注塑机振动与温度数据，提前预警故障。", batch=make_batch()
    )
    need = make_need(org, owner, title="冲压线能耗监测", description="三条冲压线需要分项计量 & 峰谷分析。")
    solution = make_solution(org, owner, title="设备健康管理平台", summary="振动、温度一体化监测<快速部署>")
    event = make_event(make_user(role=SiteRole.ADMIN), title="工业互联网供需对接会", description="面向装备制造企业。")
    return {
        "scenario": (f"/scenarios/{scenario.code}", scenario.title, scenario.description),
        "need": (f"/needs/{need.id}", need.title, need.description),
        "solution": (f"/solutions/{solution.id}", solution.title, solution.summary),
        "event": (f"/events/{event.id}", event.title, event.description),
    }


@pytest.mark.parametrize("kind", ["scenario", "need", "solution", "event"])
def test_a_detail_page_carries_an_open_graph_card(client, public_base, pages, kind):
    path, title, text = pages[kind]

    response = client.get(path, headers={"Host": "localhost", "X-Forwarded-Host": "evil.example"})

    assert response.status_code == 200
    meta = Head(response.get_data(as_text=True)).meta
    assert meta["og:title"] == title
    assert text in meta["og:description"]
    assert meta["og:url"] == PUBLIC_BASE_URL + path
    assert meta["og:image"].startswith(f"{PUBLIC_BASE_URL}/static/")
    assert meta["twitter:card"] == "summary_large_image"


def test_the_card_image_is_served(client, public_base, pages):
    path, _title, _text = pages["need"]
    image = Head(client.get(path).get_data(as_text=True)).meta["og:image"]
    response = client.get(image.removeprefix(PUBLIC_BASE_URL))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_a_list_page_has_no_card(client):
    assert not any(key.startswith("og:") for key in Head(client.get("/needs/").get_data(as_text=True)).meta)


@pytest.mark.parametrize("path", ["/stats/public", "/needs/"])
def test_pages_link_the_print_stylesheet(client, path):
    stylesheets = Head(client.get(path).get_data(as_text=True)).stylesheets
    [printed] = [link for link in stylesheets if link.get("media") == "print"]
    response = client.get(printed["href"])
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert b"@page" in response.data
