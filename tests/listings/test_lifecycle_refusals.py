"""A lifecycle step the item's status does not allow is refused with the message its owner reads
(each kind words its own), and the refusal changes nothing."""

import pytest

from app.accounts.models import OrgKind
from app.extensions import db
from app.listings import moderation
from app.listings.moderation import ListingStatus, ModerationError
from app.needs import services as needs
from app.needs.models import Need
from app.solutions import services as solutions
from app.solutions.models import Solution


@pytest.fixture
def owner(make_user, make_org, login):
    user = make_user("owner@example.com")
    org = make_org(owner=user, name="青岛数智制造有限公司", kind=OrgKind.BOTH)
    login(user)
    return user, org


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.pop("_flashes", []))


def refusal(step) -> ModerationError:
    with pytest.raises(ModerationError) as refused:
        step()
    db.session.rollback()
    return refused.value


@pytest.mark.parametrize(
    ("kind", "message"),
    [("need", "只有草稿或被退回的需求可以提交审核。"), ("solution", "只有草稿或被退回的方案可以提交审核。")],
)
def test_only_a_draft_or_a_rejected_item_is_submitted(owner, make_need, make_solution, kind, message):
    item = {"need": make_need, "solution": make_solution}[kind](owner[1], owner[0])
    refused = refusal(lambda: moderation.submit(item))
    assert (str(refused), refused.category) == (message, "danger")
    assert item.status == ListingStatus.PUBLISHED


@pytest.mark.parametrize(("kind", "message"), [("need", "这条需求已经关闭。"), ("solution", "这个方案已经下架。")])
def test_a_closed_item_is_not_closed_again(owner, make_need, make_solution, kind, message):
    item = {"need": make_need, "solution": make_solution}[kind](owner[1], owner[0], status=ListingStatus.CLOSED)
    refused = refusal(lambda: moderation.close(item))
    assert (str(refused), refused.category) == (message, "danger")


@pytest.mark.parametrize(
    ("kind", "message"),
    [("need", "已关闭或已完成的需求不能再修改。"), ("solution", "已下架的方案不能再修改。")],
)
def test_a_closed_item_is_not_edited(owner, make_need, make_solution, kind, message):
    item = {"need": make_need, "solution": make_solution}[kind](owner[1], owner[0], status=ListingStatus.CLOSED)
    for step in (lambda: moderation.editable(item), lambda: moderation.update_listing(item, {"title": "新标题"})):
        refused = refusal(step)
        assert (str(refused), refused.category) == (message, "warning")
    assert db.session.get(type(item), item.id).title != "新标题"


def test_a_closed_solutions_cases_and_files_are_not_changed(owner, make_solution, make_case):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.CLOSED)
    case = make_case(solution)
    for step in (
        lambda: solutions.add_case(solution, {"client": "新客户", "work": "新工作", "outcome": "新成效", "year": 2024}),
        lambda: solutions.update_case(case, {"client": "新客户"}),
        lambda: solutions.delete_case(case),
    ):
        refused = refusal(step)
        assert (str(refused), refused.category) == ("已下架的方案不能再修改。", "warning")
    assert [c.client for c in db.session.get(Solution, solution.id).cases] == ["青岛某注塑企业"]


def test_only_a_published_or_expired_need_is_renewed(owner, make_need):
    need = make_need(owner[1], owner[0], status=ListingStatus.DRAFT)
    refused = refusal(lambda: needs.renew(need))
    assert (str(refused), refused.category) == ("只有已发布或已过期的需求可以续期。", "danger")
    assert db.session.get(Need, need.id).expires_at is None


def test_the_owner_reads_the_refusal_and_nothing_changes(client, owner, make_need, make_solution):
    need = make_need(owner[1], owner[0])
    solution = make_solution(owner[1], owner[0], status=ListingStatus.CLOSED)
    flashes(client)
    for url, message in (
        (f"/needs/{need.id}/submit", "只有草稿或被退回的需求可以提交审核。"),
        (f"/solutions/{solution.id}/close", "这个方案已经下架。"),
    ):
        response = client.post_form(url)
        assert response.status_code == 302 and response.headers["Location"] == url.rsplit("/", 1)[0]
        assert flashes(client) == [("danger", message)]
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == ListingStatus.PUBLISHED
    assert db.session.get(Solution, solution.id).status == ListingStatus.CLOSED


@pytest.mark.parametrize(
    ("kind", "message"),
    [("need", "已关闭或已完成的需求不能再修改。"), ("solution", "已下架的方案不能再修改。")],
)
def test_opening_the_form_of_a_closed_item_says_why_not(client, owner, make_need, make_solution, kind, message):
    item = {"need": make_need, "solution": make_solution}[kind](owner[1], owner[0], status=ListingStatus.CLOSED)
    flashes(client)
    response = client.get(f"/{kind}s/{item.id}/edit")
    assert response.status_code == 302 and response.headers["Location"] == f"/{kind}s/{item.id}"
    assert flashes(client) == [("warning", message)]


def test_a_file_is_not_added_to_a_closed_solution(client, owner, make_solution):
    solution = make_solution(owner[1], owner[0], status=ListingStatus.CLOSED)
    refused = refusal(lambda: solutions.add_attachment(solution, None, owner[0]))
    assert (str(refused), refused.category) == ("已下架的方案不能再修改。", "warning")
    assert db.session.get(Solution, solution.id).attachments == []
