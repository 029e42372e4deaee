"""/data and its downloads: every dataset listed with its update time and licence; CSV and XLSX
hold the public records only, formula-safe."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.api.datasets import DATASETS

PRIVATE_MARKERS = ("PRIVATE-", "private-needs@example.com", "DRAFT", "PENDING", "CLOSED")


def test_the_data_page_lists_every_dataset(client, public_records):
    response = client.get("/data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'rel="license"' in html and "CC BY 4.0" in html
    for name in DATASETS:
        section = re.search(rf'data-test="dataset-{name}">(.*?)</section>', html, re.S)
        assert section, name
        body = section.group(1)
        assert f'href="/data/{name}.csv"' in body and f'href="/data/{name}.xlsx"' in body
        assert 'href="/api/v1/' in body
    needs = re.search(r'data-test="dataset-needs">(.*?)</section>', html, re.S).group(1)
    assert re.search(r'data-test="records">2<', needs)  # the two public ones of five
    assert re.search(r'data-test="updated">\d{4}-\d\d-\d\d \d\d:\d\d<', needs)


def test_the_licence_comes_from_the_configuration(app, client):
    app.config.update(
        OPEN_DATA_LICENCE="CC0 1.0", OPEN_DATA_LICENCE_URL="https://creativecommons.org/publicdomain/zero/1.0/"
    )
    try:
        html = client.get("/data").get_data(as_text=True)
    finally:
        del app.config["OPEN_DATA_LICENCE"], app.config["OPEN_DATA_LICENCE_URL"]
    assert "CC0 1.0" in html and "CC BY 4.0" not in html


def csv_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    for marker in PRIVATE_MARKERS:
        assert marker not in text
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("name", "public", "formula_title"),
    [
        ("needs", ("pdm", "talks"), '\'=HYPERLINK("http://evil")仓储数字化'),
        ("solutions", ("kit", "mes"), "'+MES轻量化"),
        ("events", ("finance", "forum"), "'@SUM(1)数字孪生论坛"),
    ],
)
def test_downloads_hold_public_records_formula_safe(client, public_records, name, public, formula_title):
    expected = {str(public_records[name][key]) for key in public}
    rows = csv_rows(client, f"/data/{name}.csv")
    assert {row["id"] for row in rows} == expected
    assert formula_title in {row["title"] for row in rows}
    assert not any(key.startswith("contact") for key in rows[0])
    book = xlsx_rows(client, f"/data/{name}.xlsx")
    assert {str(row["id"]) for row in book} == expected
    assert formula_title in {row["title"] for row in book}
    api = client.get(f"/api/v1/{name}?per_page=100").get_json()["items"]
    assert set(rows[0]) >= {key for key in api[0] if not isinstance(api[0][key], dict)}  # the API's fields


def test_scenario_and_indicator_downloads(client, make_scenario):
    make_scenario(title="=1+1 注塑机联网", code="QD-2022-9001")
    rows = csv_rows(client, "/data/scenarios.csv")
    assert {"code", "title", "industry.code", "industry.name", "domains", "url"} <= set(rows[0])
    assert "'=1+1 注塑机联网" in {row["title"] for row in rows}
    indicators = xlsx_rows(client, "/data/indicators.xlsx")
    assert indicators and {"plan.name", "code", "name", "target", "value", "verdict"} <= set(indicators[0])


def test_unknown_downloads_are_not_found(client):
    assert client.get("/data/users.csv").status_code == 404
    assert client.get("/data/needs.pdf").status_code == 404


def test_article_download_holds_published_articles(client, public_articles):
    rows = csv_rows(client, "/data/articles.csv")
    assert {row["id"] for row in rows} == {str(public_articles["notice"]), str(public_articles["policy"])}
    assert "'-工业互联网发展若干政策" in {row["title"] for row in rows}
    text = client.get("/data/articles.xlsx").data
    assert b"DRAFT" not in text and b"SCHEDULED" not in text


def test_the_footer_and_the_site_map_link_the_data_page(client):
    for url in ("/", "/sitemap"):
        assert 'href="/data"' in client.get(url).get_data(as_text=True), url
