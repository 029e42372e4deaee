"""The solutions list's CSV and XLSX exports: the whole current search, formula-safe, public
solutions only, in the viewer's language."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES, ListingStatus
from app.solutions.models import Solution
from app.taxonomy.models import TechDomain
from tests.conftest import taxonomy_entry
from tests.exports import CJK, listed_ids, table

SEARCH = "q=能耗监测&plug_and_play=yes&sort=newest"
LIST_LINK = r'<h2 class="h6 mb-1"><a href="/solutions/(\d+)"'


@pytest.fixture
def solutions(make_user, make_org, make_solution):
    owner = make_user()
    org = make_org(owner=owner)
    for n in range(21):
        make_solution(org, owner, title=f"能耗监测即插即用第{n}版", summary="按回路采集用电数据。")
    make_solution(org, owner, title="能耗监测咨询服务", summary="按回路采集用电数据。", plug_and_play=False)
    make_solution(org, owner, title="仓储机器人调度套件", summary="调度叉车。")
    formula = make_solution(org, owner, title="+能耗监测 cmd|' /C calc'!A0", summary="按回路采集用电数据。")
    draft = make_solution(org, owner, ListingStatus.DRAFT, title="能耗监测草稿")
    submitted = make_solution(org, owner, ListingStatus.SUBMITTED, title="能耗监测待审")
    return formula, draft, submitted


def expected_ids() -> set[int]:
    """Public plug-and-play solutions with the words in their title, by the test's own query."""
    return set(
        db.session.scalars(
            select(Solution.id).where(
                Solution.status.in_(PUBLIC_STATUSES), Solution.plug_and_play, Solution.title.contains("能耗监测")
            )
        )
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_holds_every_row_the_list_shows_across_its_pages(client, solutions, kind):
    formula, draft, submitted = solutions
    listed = listed_ids(client, f"/solutions/?{SEARCH}", LIST_LINK)
    assert len(listed) > 20 and set(listed) == expected_ids()
    header, *rows = table(client.get(f"/solutions/export.{kind}?{SEARCH}"))
    assert header[:2] == ["编号", "方案名称"]
    assert [int(row[0]) for row in rows] == listed
    by_id = {int(row[0]): row for row in rows}
    assert by_id[formula.id][1] == "'" + formula.title
    assert draft.id not in by_id and submitted.id not in by_id
    assert by_id[formula.id][3] == "即插即用"


def test_english_headers_and_names_in_english_mode(client, solutions):
    domain = taxonomy_entry(TechDomain, "IM")
    domain.name_en = "Smart manufacturing (test)"
    db.session.commit()
    client.set_cookie("lang", "en")
    header, first, *_ = table(client.get(f"/solutions/export.csv?{SEARCH}"))
    assert not [cell for cell in header if CJK.search(cell)]
    assert first[6] == "Smart manufacturing (test)"
    assert not [cell for cell in (first[3], first[8], first[9]) if CJK.search(cell)]  # kind, delivery, price model


def test_the_list_links_its_exports_with_the_current_search(client, solutions):
    body = client.get(f"/solutions/?{SEARCH}").get_data(as_text=True)
    assert (
        'href="/solutions/export.xlsx?q=%E8%83%BD%E8%80%97%E7%9B%91%E6%B5%8B&amp;plug_and_play=yes&amp;sort=newest"'
        in body
    )
