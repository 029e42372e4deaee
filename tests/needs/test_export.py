"""The needs list's CSV and XLSX exports: the whole current search, formula-safe, public needs only,
in the viewer's language."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES, ListingStatus
from app.needs.models import Need
from app.search import pages
from app.taxonomy.models import Industry
from tests.conftest import taxonomy_entry
from tests.exports import CJK, listed_ids, table

SEARCH = "q=设备联网&industry=EQP&sort=newest"
LIST_LINK = r'<h2 class="h6 mb-1"><a href="/needs/(\d+)"'


@pytest.fixture
def needs(make_user, make_org, make_need):
    owner = make_user()
    org = make_org(owner=owner)
    equipment, cars = taxonomy_entry(Industry, "EQP").id, taxonomy_entry(Industry, "AUT").id
    for n in range(22):
        make_need(org, owner, title=f"注塑设备联网第{n}期", industry_id=equipment)
    for n in range(2):
        make_need(org, owner, title=f"冲压设备联网第{n}期", industry_id=cars)
    make_need(org, owner, title="仓储机器人调度", industry_id=equipment)
    formula = make_need(org, owner, title='=HYPERLINK("http://evil.example","设备联网")', industry_id=equipment)
    draft = make_need(org, owner, ListingStatus.DRAFT, title="设备联网草稿", industry_id=equipment)
    closed = make_need(org, owner, ListingStatus.CLOSED, title="设备联网已关闭", industry_id=equipment)
    return formula, draft, closed


def expected_ids() -> set[int]:
    """Public needs of the equipment industry with the words in their title, by the test's own query."""
    return set(
        db.session.scalars(
            select(Need.id).where(
                Need.status.in_(PUBLIC_STATUSES),
                Need.industry_id == taxonomy_entry(Industry, "EQP").id,
                Need.title.contains("设备联网"),
            )
        )
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_holds_every_row_the_list_shows_across_its_pages(client, needs, kind):
    formula, draft, closed = needs
    listed = listed_ids(client, f"/needs/?{SEARCH}", LIST_LINK)
    assert len(listed) > 20 and set(listed) == expected_ids()  # more than one page
    header, *rows = table(client.get(f"/needs/export.{kind}?{SEARCH}"))
    assert header[:2] == ["编号", "需求名称"]
    assert [int(row[0]) for row in rows] == listed
    by_id = {int(row[0]): row for row in rows}
    assert by_id[formula.id][1] == "'" + formula.title
    assert draft.id not in by_id and closed.id not in by_id
    assert by_id[formula.id][3] == taxonomy_entry(Industry, "EQP").name


def test_the_list_links_its_exports_with_the_current_search(client, needs):
    body = client.get(f"/needs/?{SEARCH}&page=2").get_data(as_text=True)
    assert 'href="/needs/export.csv?q=%E8%AE%BE%E5%A4%87%E8%81%94%E7%BD%91&amp;industry=EQP&amp;sort=newest"' in body
    assert "将当前搜索的全部结果导出为 Excel 文件" in body


def test_english_headers_and_names_in_english_mode(client, needs):
    industry = taxonomy_entry(Industry, "EQP")
    industry.name_en = "Equipment (test)"
    db.session.commit()
    client.set_cookie("lang", "en")
    header, first, *_ = table(client.get(f"/needs/export.xlsx?{SEARCH}"))
    assert not [cell for cell in header if CJK.search(cell)]
    assert first[3] == "Equipment (test)" and first[9] == "No"
    chinese = client.get(f"/needs/export.csv?{SEARCH}")
    assert "Cookie" in chinese.headers["Vary"]  # a cache keeps each language apart


def test_a_search_matching_more_than_the_limit_is_refused_with_a_message(client, needs, monkeypatch):
    monkeypatch.setattr(pages, "EXPORT_LIMIT", 5)
    response = client.get(f"/needs/export.csv?{SEARCH}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/needs/?q=")
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "超过一次最多导出的 5 条" in body and 'data-test="export-too-many"' in body
    assert "/needs/export.csv" not in body


def test_an_unknown_format_is_not_found(client):
    assert client.get("/needs/export.pdf").status_code == 404
