"""Every chart of the statistics pages has its figures as a table under it ("view as table"), in the
HTML for screen readers and for readers who cannot tell the chart's colours apart: the same figures
as the service gives the chart."""

import pytest
from lxml import html as lxml_html

from app.accounts.models import SiteRole
from app.core.templating import number
from app.stats import services
from app.stats.charts import chart_data

TABLES = {
    "months": "data-months",
    "districts": "data-districts",
    "industries": "data-industries",
    "kinds": "data-kinds",
}


def tables_under_charts(document) -> dict[str, list[list[str]]]:
    """Each chart's table, by the chart's id, as rows of cell texts; every chart must have one."""
    found = {}
    for chart in document.xpath("//div[contains(@class, 'stats-chart')]"):
        section = chart.getparent()
        details = section.xpath("./details[contains(@class, 'chart-data')]")
        assert details, f"#{chart.get('id')} has no table"
        (table,) = details[0].xpath(".//table")
        assert details[0].xpath("./summary")[0].text_content().strip() == "以表格查看"
        assert table.xpath("./caption")[0].text_content().strip() == section.xpath(".//h2")[0].text_content().strip()
        assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
        assert all(th.get("scope") == "row" for th in table.xpath("./tbody/tr/th"))
        found[chart.get("id").removeprefix("chart-")] = [
            [cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in table.xpath("./tbody/tr")
        ]
    return found


def expected_rows(chart: dict, key: str) -> list[list[str]]:
    rows = [[bar["name"], number(bar["value"])] for bar in chart[key]]
    if key == "months":
        return [[*row, number(total)] for row, total in zip(rows, chart["cumulative"], strict=True)]
    return rows


def test_the_public_page_has_each_charts_figures_as_a_table(app, client, ledger):
    document = lxml_html.fromstring(client.get("/stats/public").get_data(as_text=True))
    with app.test_request_context():
        board = services.dashboard(services.Filters(), with_providers=False, locale="zh", unknown="未填写")
        chart = chart_data(board, drill=False)
    tables = tables_under_charts(document)
    assert set(tables) == set(TABLES)
    for key in TABLES:
        assert tables[key] == expected_rows(chart, key), key
        assert tables[key], key


@pytest.fixture
def stats_admin(make_user, login):
    user = make_user("chart-tables-admin@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


def test_the_admins_dashboard_has_each_charts_figures_as_a_table_with_the_providers(app, client, ledger, stats_admin):
    document = lxml_html.fromstring(client.get("/stats/").get_data(as_text=True))
    with app.test_request_context():
        board = services.dashboard(services.Filters(), with_providers=True, locale="zh", unknown="未填写")
        chart = chart_data(board, drill=False)
    tables = tables_under_charts(document)
    assert set(tables) == {*TABLES, "providers"}
    for key in (*TABLES, "providers"):
        assert tables[key] == expected_rows(chart, key), key
