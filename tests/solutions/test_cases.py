"""Reference cases: the owner adds, edits and deletes them; they are substance of a published
solution; bad input and other organizations change nothing."""

from datetime import date

import pytest

from app.accounts.models import OrgKind
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.solutions.models import Solution, SolutionCase
from tests.conftest import PASSWORD


def page(response) -> str:
    return response.get_data(as_text=True)


def case_data(**changes) -> dict:
    return {
        "client": "青岛某食品企业",
        "year": "2024",
        "work": "部署能耗在线监测，覆盖 3 个车间。",
        "outcome": "单位产品能耗下降 8%。",
        **changes,
    }


@pytest.fixture
def owner(make_user, make_org, login):
    user = make_user("provider@example.com")
    org = make_org(owner=user, name="青岛能效科技有限公司", kind=OrgKind.PROVIDER)
    login(user)
    return user, org


@pytest.fixture
def outsider(make_user, make_org):
    """A member of another provider, with a solution of its own."""
    user = make_user("rival@example.com")
    org = make_org(owner=user, name="另一家服务商", kind=OrgKind.PROVIDER)
    return user, org


def reload(model, item_id: int):
    db.session.expire_all()
    return db.session.get(model, item_id)


def test_the_owner_adds_cases_to_a_draft_which_stays_a_draft(client, owner, make_solution):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    first = client.post_form(f"/solutions/{solution.id}/cases/new", case_data())
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/solutions/{solution.id}#cases")
    client.post_form(f"/solutions/{solution.id}/cases/new", case_data(client="某家电企业", year="2021"))
    solution = reload(Solution, solution.id)
    assert [(c.client, c.year, c.position) for c in solution.cases] == [
        ("青岛某食品企业", 2024, 1),
        ("某家电企业", 2021, 2),
    ]
    assert solution.status == ListingStatus.DRAFT
    html = page(client.get(f"/solutions/{solution.id}"))
    assert "参考案例已添加。" in html and "单位产品能耗下降 8%。" in html and html.count('data-test="case"') == 2
    assert "方案已转入重新审核" not in html


def test_adding_or_editing_a_case_sends_a_published_solution_back_for_review(client, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0])
    case = make_case(solution)
    assert "方案已发布：添加或修改参考案例" in page(client.get(f"/solutions/{solution.id}/cases/{case.id}/edit"))

    response = client.post_form(
        f"/solutions/{solution.id}/cases/{case.id}/edit",
        case_data(client=case.client, year=str(case.year), work=case.work, outcome=case.outcome),
    )
    assert response.status_code == 302
    assert reload(Solution, solution.id).status == ListingStatus.PUBLISHED  # nothing changed

    client.post_form(f"/solutions/{solution.id}/cases/{case.id}/edit", case_data(outcome="停机减少 45%。"))
    assert reload(SolutionCase, case.id).outcome == "停机减少 45%。"
    assert reload(Solution, solution.id).status == ListingStatus.SUBMITTED
    assert "参考案例已保存。方案已转入重新审核" in page(client.get(f"/solutions/{solution.id}"))

    other = make_solution(owner[1], owner[0])
    client.post_form(f"/solutions/{other.id}/cases/new", case_data())
    assert reload(Solution, other.id).status == ListingStatus.SUBMITTED


def test_deleting_a_case_needs_no_review(client, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0])
    kept, deleted = make_case(solution).id, make_case(solution, client="要删除的客户").id
    response = client.post_form(f"/solutions/{solution.id}/cases/{deleted}/delete")
    assert response.status_code == 302
    solution = reload(Solution, solution.id)
    assert [c.id for c in solution.cases] == [kept] and db.session.get(SolutionCase, deleted) is None
    assert solution.status == ListingStatus.PUBLISHED


def test_deleting_asks_for_confirmation_and_a_csrf_token(client, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0])
    case = make_case(solution)
    assert 'data-confirm="确定删除“青岛某注塑企业”这个案例吗？"' in page(client.get(f"/solutions/{solution.id}"))
    assert client.post(f"/solutions/{solution.id}/cases/{case.id}/delete").status_code == 400
    assert reload(SolutionCase, case.id) is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client": ""}, "请填写客户名称。"),
        ({"client": "客" * 101}, "不超过 100 个字符。"),
        ({"work": "   "}, "请说明为客户做了什么。"),
        ({"work": "做" * 1001}, "不超过 1000 个字符。"),
        ({"outcome": ""}, "请说明取得的成效，最好有数字。"),
        ({"outcome": "效" * 1001}, "不超过 1000 个字符。"),
        ({"year": ""}, "请填写四位数的实施年份，例如 2023。"),
        ({"year": "去年"}, "请填写四位数的实施年份，例如 2023。"),
        ({"year": str(date.today().year + 1)}, f"实施年份不能晚于今年（{date.today().year} 年）。"),
        ({"year": "1999"}, "实施年份不能早于 2000 年。"),
        ({"year": "23"}, "实施年份不能早于 2000 年。"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, owner, make_solution, changes, message):
    solution = make_solution(owner[1], owner[0])
    response = client.post_form(f"/solutions/{solution.id}/cases/new", case_data(**changes))
    assert response.status_code == 200 and message in page(response)
    solution = reload(Solution, solution.id)
    assert solution.cases == [] and solution.status == ListingStatus.PUBLISHED


def test_this_year_and_the_year_2000_are_accepted(client, owner, make_solution):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    for year in (date.today().year, 2000):
        assert client.post_form(f"/solutions/{solution.id}/cases/new", case_data(year=str(year))).status_code == 302
    assert sorted(c.year for c in reload(Solution, solution.id).cases) == [2000, date.today().year]


def test_a_bad_edit_keeps_the_case(client, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0])
    case = make_case(solution)
    response = client.post_form(f"/solutions/{solution.id}/cases/{case.id}/edit", case_data(client=""))
    assert response.status_code == 200 and "请填写客户名称。" in page(response)
    assert reload(SolutionCase, case.id).client == "青岛某注塑企业"


def test_a_closed_solutions_cases_are_frozen(client, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.CLOSED)
    case = make_case(solution)
    for url in (
        f"/solutions/{solution.id}/cases/new",
        f"/solutions/{solution.id}/cases/{case.id}/edit",
        f"/solutions/{solution.id}/cases/{case.id}/delete",
    ):
        response = client.post_form(url, case_data(client="新客户"))
        assert response.status_code == 302
    assert "已下架的方案不能再修改。" in page(client.get(f"/solutions/{solution.id}"))
    assert [c.client for c in reload(Solution, solution.id).cases] == ["青岛某注塑企业"]


def test_the_public_sees_the_cases_of_a_published_solution_without_the_buttons(app, owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0])
    make_case(solution, client="<b>某企业</b>")
    draft = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    make_case(draft)
    anonymous = app.test_client()
    html = page(anonymous.get(f"/solutions/{solution.id}"))
    assert "参考案例" in html and "&lt;b&gt;某企业&lt;/b&gt;" in html and "2023 年" in html
    assert "添加案例" not in html and "/cases/" not in html
    assert anonymous.get(f"/solutions/{draft.id}").status_code == 404


def test_a_solution_without_cases_shows_the_owner_how_to_add_one(app, client, owner, make_solution):
    solution = make_solution(owner[1], owner[0])
    assert "还没有参考案例" in page(client.get(f"/solutions/{solution.id}"))
    html = page(app.test_client().get(f"/solutions/{solution.id}"))
    assert 'data-test="cases"' not in html


def test_another_organization_can_do_nothing_with_the_cases(app, owner, outsider, make_solution, make_case, login):
    solution = make_solution(owner[1], owner[0])
    case = make_case(solution)
    draft = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT)
    draft_case = make_case(draft)
    rival = app.test_client()
    rival.post_form("/login", {"email": outsider[0].email, "password": PASSWORD})
    attempts = [
        ("GET", f"/solutions/{solution.id}/cases/new", 403),
        ("POST", f"/solutions/{solution.id}/cases/new", 403),
        ("GET", f"/solutions/{solution.id}/cases/{case.id}/edit", 403),
        ("POST", f"/solutions/{solution.id}/cases/{case.id}/edit", 403),
        ("POST", f"/solutions/{solution.id}/cases/{case.id}/delete", 403),
        ("GET", f"/solutions/{draft.id}/cases/new", 404),
        ("POST", f"/solutions/{draft.id}/cases/{draft_case.id}/edit", 404),
        ("POST", f"/solutions/{draft.id}/cases/{draft_case.id}/delete", 404),
    ]
    got = [
        (
            method,
            url,
            (rival.get(url) if method == "GET" else rival.post_form(url, case_data(client="改掉"))).status_code,
        )
        for method, url, _ in attempts
    ]
    assert got == attempts
    assert [c.client for c in reload(Solution, solution.id).cases] == ["青岛某注塑企业"]
    assert reload(Solution, solution.id).status == ListingStatus.PUBLISHED
    assert reload(SolutionCase, draft_case.id).client == "青岛某注塑企业"


def test_a_case_is_reached_only_through_its_own_solution(client, owner, outsider, make_solution, make_case):
    """The owner of one solution cannot edit another organization's case by putting its id in
    the address of their own solution."""
    theirs = make_solution(outsider[1], outsider[0])
    their_case = make_case(theirs)
    mine = make_solution(owner[1], owner[0])
    edit = f"/solutions/{mine.id}/cases/{their_case.id}/edit"
    assert client.get(edit).status_code == 404
    assert client.post_form(edit, case_data(client="改掉")).status_code == 404
    assert client.post_form(f"/solutions/{mine.id}/cases/{their_case.id}/delete").status_code == 404
    assert reload(SolutionCase, their_case.id).client == "青岛某注塑企业"
