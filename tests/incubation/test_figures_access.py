"""A firm's figures chart is drawn on a canvas hidden from screen readers; the table beside it, with
its caption and header scopes, holds the same figures as the chart is given."""

import json
from datetime import date
from decimal import Decimal

from lxml import html as lxml_html

from app.core.templating import number
from tests.incubation.conftest import report

COLUMNS = {"revenue": 1, "profit": 2, "rd": 3}  # the table's columns after the year


def test_the_figures_chart_has_a_table_of_the_same_figures(client, login, firm):
    _org, member = firm
    login(member)
    last = date.today().year - 1
    assert report(client, last - 1, revenue="480", net_profit="-12.5", rd_spending="30").status_code == 302
    assert report(client, last, revenue="612.5", net_profit="40", rd_spending="45").status_code == 302
    document = lxml_html.fromstring(client.get("/incubation/figures").get_data(as_text=True))
    (chart,) = document.xpath("//div[@id='chart-figures']")
    assert chart.get("aria-hidden") == "true"
    data = json.loads(document.xpath("//script[@id='figures-data']")[0].text)
    (table,) = document.xpath("//table[@data-test='figures-table']")
    assert table.xpath("./caption")[0].text_content().strip() == "年度经营数据"
    assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
    by_year = {
        row.xpath("./th[@scope='row']")[0].text_content().strip(): [
            cell.text_content().strip() for cell in row.xpath("./th|./td")
        ]
        for row in table.xpath("./tbody/tr")
    }
    assert sorted(by_year) == sorted(data["years"])
    for index, year in enumerate(data["years"]):
        for series, column in COLUMNS.items():
            assert by_year[year][column] == number(Decimal(str(data[series][index]))), (year, series)
