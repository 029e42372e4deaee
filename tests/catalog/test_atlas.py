"""The atlas: counts of published scenarios per industry × domain and per category, and the /atlas page."""

import json
import re
from collections import Counter
from urllib.parse import parse_qsl

import pytest
from lxml import html as lxml_html

from app.accounts.models import OrgKind
from app.catalog.atlas import atlas_counts
from app.catalog.models import Scenario, ScenarioStatus
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.solutions.models import Solution
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain
from tests.conftest import ROOT, taxonomy_entry

SEED = json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8"))
DATA_BLOCK = re.compile(r'<script type="application/json" id="atlas-data">(.*?)</script>', re.S)


@pytest.fixture
def scenarios(make_scenario):
    """Three published scenarios (one with two domains), a draft and a withdrawn one."""
    make_scenario(industry="EQP", domains=("IM", "DM"), category="C04", subcategory="C04-2")
    make_scenario(industry="EQP", domains=("IM",), category="C04", subcategory="C04-1")
    make_scenario(industry="RAW", domains=("5G",), category="C01", subcategory="C01-2")
    make_scenario(industry="EQP", domains=("IM",), status=ScenarioStatus.DRAFT)
    make_scenario(industry="FOOD", domains=("SEC",), status=ScenarioStatus.WITHDRAWN)


def by_code(model, code):
    return taxonomy_entry(model, code)


def page_data(html: str) -> dict:
    match = DATA_BLOCK.search(html)
    assert match, "no #atlas-data block"
    return json.loads(match.group(1))


# --- the service -----------------------------------------------------------------------------


def test_cells_rows_columns_and_total(scenarios):
    atlas = atlas_counts()
    matrix = atlas.scenarios
    eqp, raw, food = by_code(Industry, "EQP"), by_code(Industry, "RAW"), by_code(Industry, "FOOD")
    im, dm, g5, sec = (by_code(TechDomain, c) for c in ("IM", "DM", "5G", "SEC"))

    assert matrix.cell(eqp, im) == 2 and matrix.cell(eqp, dm) == 1 and matrix.cell(raw, g5) == 1
    assert matrix.cell(raw, im) == 0 and matrix.cell(food, sec) == 0
    # the two-domain scenario counts in both its cells but once in its row and in the total
    assert matrix.row_total(eqp) == 2 and matrix.row_total(raw) == 1 and matrix.row_total(food) == 0
    assert (matrix.column_total(im), matrix.column_total(dm), matrix.column_total(g5), matrix.column_total(sec)) == (
        2,
        1,
        1,
        0,
    )
    assert matrix.total == 3 and matrix.max_cell == 2
    assert sum(matrix.row_totals.values()) == matrix.total
    assert set(atlas.measures) == {"scenarios", "needs", "solutions"} and not atlas.is_empty


def test_industries_and_domains_in_taxonomy_order(scenarios):
    atlas = atlas_counts()
    assert [i.code for i in atlas.industries] == [i["code"] for i in SEED["industries"]]
    assert [d.code for d in atlas.domains] == [d["code"] for d in SEED["tech_domains"]]


def test_counts_match_the_database(make_scenario):
    industries = [i["code"] for i in SEED["industries"]]
    domains = [d["code"] for d in SEED["tech_domains"]]
    subcategories = [(c["code"], s["code"]) for c in SEED["categories"] for s in c["subcategories"]]
    statuses = [ScenarioStatus.PUBLISHED, ScenarioStatus.PUBLISHED, ScenarioStatus.DRAFT, ScenarioStatus.WITHDRAWN]
    for n in range(40):
        category, subcategory = subcategories[(n * 7) % len(subcategories)]
        make_scenario(
            industry=industries[n % len(industries)],
            domains=tuple(domains[(n + k * 4) % len(domains)] for k in range(1 + n % 3)),
            category=category,
            subcategory=subcategory,
            status=statuses[n % len(statuses)],
        )

    published = db.session.scalars(db.select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED)).all()
    expected_cells = Counter((s.industry_id, d.id) for s in published for d in s.domains)
    expected_rows = Counter(s.industry_id for s in published)
    expected_columns = Counter(d.id for s in published for d in s.domains)
    expected_subcategories = Counter(s.subcategory_id for s in published)

    atlas = atlas_counts()
    matrix = atlas.scenarios
    for industry in atlas.industries:
        assert matrix.row_total(industry) == expected_rows[industry.id]
        for domain in atlas.domains:
            assert matrix.cell(industry, domain) == expected_cells[(industry.id, domain.id)]
    for domain in atlas.domains:
        assert matrix.column_total(domain) == expected_columns[domain.id]
    assert matrix.total == len(published) == 20
    assert sum(matrix.cells.values()) > matrix.total  # some scenarios have several domains
    for node in atlas.categories:
        for leaf in node.subcategories:
            assert leaf.count == expected_subcategories[leaf.subcategory.id]
        assert node.count == sum(leaf.count for leaf in node.subcategories)
    assert sum(node.count for node in atlas.categories) == len(published)


def test_category_tree(scenarios):
    tree = atlas_counts().categories
    assert [node.category.code for node in tree] == [c["code"] for c in SEED["categories"]]
    assert sum(len(node.subcategories) for node in tree) == 63
    nodes = {node.category.code: node for node in tree}
    assert nodes["C04"].count == 2 and nodes["C01"].count == 1 and nodes["C02"].count == 0
    c04 = {leaf.subcategory.code: leaf.count for leaf in nodes["C04"].subcategories}
    assert c04 == {"C04-1": 1, "C04-2": 1, "C04-3": 0, "C04-4": 0, "C04-5": 0}
    assert [leaf.subcategory.code for leaf in nodes["C04"].subcategories] == sorted(c04)


def test_deactivated_entries_show_only_while_they_hold_published_scenarios(scenarios):
    for model, code in (
        (Industry, "EQP"),
        (Industry, "TEX"),
        (TechDomain, "DM"),
        (TechDomain, "PC"),
        (ScenarioSubcategory, "C04-2"),
        (ScenarioSubcategory, "C04-3"),
        (ScenarioCategory, "C01"),
        (ScenarioCategory, "C02"),
    ):
        by_code(model, code).is_active = False
    db.session.commit()
    atlas = atlas_counts()
    industries = [i.code for i in atlas.industries]
    domains = [d.code for d in atlas.domains]
    assert "EQP" in industries and "TEX" not in industries
    assert "DM" in domains and "PC" not in domains
    categories = {
        node.category.code: [leaf.subcategory.code for leaf in node.subcategories] for node in atlas.categories
    }
    assert "C04-2" in categories["C04"] and "C04-3" not in categories["C04"]
    assert "C01" in categories and "C02" not in categories
    assert sum(atlas.scenarios.row_total(i) for i in atlas.industries) == atlas.scenarios.total


def test_nothing_published_is_empty(make_scenario):
    make_scenario(status=ScenarioStatus.DRAFT)
    atlas = atlas_counts()
    assert atlas.is_empty and atlas.scenarios.total == 0 and atlas.scenarios.cells == {}
    assert len(atlas.industries) == 8 and len(atlas.domains) == 9
    assert all(node.count == 0 for node in atlas.categories)


# --- the page --------------------------------------------------------------------------------


def test_page_is_public_and_links_each_count_to_the_scenario_list(client, scenarios):
    response = client.get("/atlas")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "场景赋能图谱" in html
    assert re.search(r'<a href="/scenarios/\?industry=EQP&amp;domain=IM"[^>]*>2</a>', html)
    assert re.search(r'<a href="/scenarios/\?industry=EQP&amp;domain=DM"[^>]*>1</a>', html)
    assert re.search(r'<a href="/scenarios/\?industry=RAW&amp;domain=5G"[^>]*>1</a>', html)
    assert 'href="/scenarios/?industry=EQP"' in html and 'href="/scenarios/?domain=IM"' in html
    assert 'href="/scenarios/?category=C04"' in html and 'href="/scenarios/?subcategory=C04-2"' in html
    # zero cells, and the draft and withdrawn scenarios' cells, are not links
    assert "industry=RAW&amp;domain=IM" not in html and "industry=FOOD" not in html
    assert 'href="/scenarios/?subcategory=C04-3"' not in html and 'href="/scenarios/?category=C02"' not in html
    assert "echarts.min.js" in html and "js/atlas.js" in html


def test_page_sends_no_inline_script_or_style(client, scenarios):
    response = client.get("/atlas")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html


def test_data_block_holds_the_counts_and_links(client, scenarios):
    data = page_data(client.get("/atlas").get_data(as_text=True))
    assert [i["code"] for i in data["industries"]][:2] == ["RAW", "EQP"]
    assert data["industries"][1] == {"code": "EQP", "name": "装备制造", "total": 2}
    assert [d["code"] for d in data["domains"] if d["newMode"]] == ["DM", "PD", "IM", "NC", "PC", "SE"]
    x, y = [d["code"] for d in data["domains"]].index("IM"), 1
    scenarios = data["measures"]["scenarios"]
    assert [x, y, 2, "/scenarios/?industry=EQP&domain=IM"] in scenarios["cells"]
    assert len(scenarios["cells"]) == 8 * 9 and scenarios["max"] == 2
    assert [cell for cell in scenarios["cells"] if cell[2] == 0 and cell[3] is not None] == []
    categories = {c["code"]: c for c in data["categories"]}
    assert set(categories) == {"C01", "C04"}  # the treemap draws only what holds scenarios
    assert categories["C04"]["value"] == 2 and categories["C04"]["url"] == "/scenarios/?category=C04"
    assert {s["code"]: s["value"] for s in categories["C04"]["children"]} == {"C04-1": 1, "C04-2": 1}


def test_names_follow_the_language(client, scenarios):
    client.set_cookie("lang", "en")
    data = page_data(client.get("/atlas").get_data(as_text=True))
    assert data["industries"][1]["name"] == "Equipment manufacturing"
    assert data["domains"][0]["name"] == "Digital management"


def test_names_cannot_break_out_of_the_data_block(client, scenarios):
    hostile = "</script><script>alert(1)</script>"
    by_code(ScenarioCategory, "C04").name = hostile
    by_code(ScenarioSubcategory, "C04-2").name = hostile
    by_code(Industry, "EQP").name = "<b>装备</b>"
    db.session.commit()
    html = client.get("/atlas").get_data(as_text=True)
    assert hostile not in html and "<b>装备</b>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the HTML lists escape it
    data = page_data(html)  # the JSON block ends at its own </script> and parses back intact
    c04 = next(c for c in data["categories"] if c["code"] == "C04")
    assert c04["name"] == hostile and {s["name"] for s in c04["children"]} >= {hostile}
    assert data["industries"][1]["name"] == "<b>装备</b>"


@pytest.mark.parametrize("status", [None, ScenarioStatus.DRAFT, ScenarioStatus.WITHDRAWN])
def test_empty_state_until_something_is_published(client, make_scenario, status):
    if status:
        make_scenario(status=status)
    response = client.get("/atlas")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "场景清单尚未发布" in html
    assert 'id="atlas-data"' not in html and "echarts.min.js" not in html and "<table" not in html


# --- supply and demand: open needs and published solutions beside the scenarios ---------------


@pytest.fixture
def market(make_user, make_org, make_need, make_solution, scenarios):
    """Open needs in 14 cells (more than the 12 the gap list once showed), a draft need, and
    solutions: one covering EQP × IM, one in two industries × two domains, a draft one."""
    owner = make_user()
    org = make_org(owner=owner, kind=OrgKind.BOTH)
    industries = [i["code"] for i in SEED["industries"]]
    domains = [d["code"] for d in SEED["tech_domains"]]
    for n in range(14):
        make_need(
            org,
            owner,
            industry_id=by_code(Industry, industries[n % len(industries)]).id,
            domains=(domains[n % len(domains)], domains[(n + 3) % len(domains)]),
        )
    make_need(org, owner, domains=("IM",))
    make_need(org, owner, domains=("DM",), status=ListingStatus.DRAFT)
    make_solution(org, owner, industries=("EQP",), domains=("IM",))
    make_solution(org, owner, industries=("RAW", "EQP"), domains=("5G", "DM"))
    make_solution(org, owner, industries=("FOOD",), domains=("SEC",), status=ListingStatus.DRAFT)


def database_cells() -> dict[str, Counter]:
    """Each measure's count per (industry code, domain code), counted here from the records."""
    public = (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS)
    scenarios = db.session.scalars(db.select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED)).all()
    needs = db.session.scalars(db.select(Need).where(Need.status.in_(public))).all()
    solutions = db.session.scalars(db.select(Solution).where(Solution.status.in_(public))).all()
    return {
        "scenarios": Counter((s.industry.code, d.code) for s in scenarios for d in s.domains),
        "needs": Counter((n.industry.code, d.code) for n in needs for d in n.domains),
        "solutions": Counter((i.code, d.code) for s in solutions for i in s.industries for d in s.domains),
    }


def test_every_cell_of_every_measure_equals_the_database(client, market):
    expected = database_cells()
    assert expected["needs"] and expected["solutions"]
    data = page_data(client.get("/atlas").get_data(as_text=True))
    industries = [i["code"] for i in data["industries"]]
    domains = [d["code"] for d in data["domains"]]
    for name, counts in expected.items():
        cells = data["measures"][name]["cells"]
        assert {(industries[y], domains[x]): n for x, y, n, _url in cells if n} == dict(counts), name
    html = lxml_html.fromstring(client.get("/atlas?measure=needs").get_data(as_text=True))
    table = html.xpath("//*[@data-measure-table='needs']//tbody")[0]
    for row, industry in zip(table.xpath("./tr"), industries, strict=True):
        shown = [cell.text_content().strip() for cell in row.xpath("./td")][:-1]
        assert shown == [str(expected["needs"][industry, domain]) for domain in domains]


def test_each_measure_links_its_cells_to_its_own_filtered_list(client, market):
    data = page_data(client.get("/atlas").get_data(as_text=True))
    urls = {name: {url for *_xy, n, url in m["cells"] if n} for name, m in data["measures"].items()}
    assert "/needs/?industry=EQP&domain=IM" in urls["needs"]
    assert "/solutions/?industry=EQP&domain=IM" in urls["solutions"]
    assert "/scenarios/?industry=EQP&domain=IM" in urls["scenarios"]
    html = client.get("/atlas").get_data(as_text=True)
    assert 'href="/needs/?industry=EQP&amp;domain=IM"' in html and 'href="/solutions/?domain=DM"' in html


@pytest.mark.parametrize(
    ("query", "shown"), [("", "scenarios"), ("?measure=needs", "needs"), ("?measure=x", "scenarios")]
)
def test_the_switch_chooses_what_the_cells_and_the_table_show(client, market, query, shown):
    html = lxml_html.fromstring(client.get("/atlas" + query).get_data(as_text=True))
    radios = html.xpath("//form[@id='atlas-switch']//input[@type='radio'][@name='measure']")
    assert [r.get("value") for r in radios] == ["scenarios", "needs", "solutions"]
    assert [r.get("value") for r in radios if r.get("checked") is not None] == [shown]
    for radio in radios:  # each radio has its visible label, with the measure's total
        assert html.xpath(f"//label[@for='{radio.get('id')}']")[0].text_content().strip()
    tables = html.xpath("//*[@data-measure-table]")
    assert [t.get("data-measure-table") for t in tables if t.get("hidden") is None] == [shown]
    assert len(tables) == 3


def test_the_gap_list_holds_every_cell_where_needs_outnumber_solutions(client, market):
    counts = database_cells()
    expected = {cell for cell, n in counts["needs"].items() if n > counts["solutions"][cell]}
    assert len(expected) > 12
    html = lxml_html.fromstring(client.get("/atlas").get_data(as_text=True))
    rows = html.xpath("//*[@data-test='market-gaps']//tr[@data-test='gap']")
    listed = set()
    for row in rows:
        need_link = row.xpath("./td[1]/a")[0]
        query = dict(parse_qsl(need_link.get("href").partition("?")[2]))
        assert (
            need_link.get("href").startswith("/needs/?")
            and int(need_link.text) == counts["needs"][query["industry"], query["domain"]]
        )
        supply = counts["solutions"][query["industry"], query["domain"]]
        solution_links = row.xpath("./td[2]/a/@href")
        if supply:
            assert solution_links == [f"/solutions/?industry={query['industry']}&domain={query['domain']}"]
        listed.add((query["industry"], query["domain"]))
    assert listed == expected and len(rows) == len(expected)
    # grouped by industry, in the taxonomy's order
    groups = [g.text_content().strip() for g in html.xpath("//*[@data-test='market-gaps']//th[@scope='rowgroup']")]
    assert groups == [i.name for i in atlas_counts().industries if any(c[0] == i.code for c in expected)]
