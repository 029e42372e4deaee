"""An admin decision on an item (or a file) that no longer waits for review is refused with a
caution naming it, and changes nothing; every decision taken is audited by the service."""

import pytest

from app.accounts.models import OrgKind, SiteRole
from app.admin import moderation
from app.core.audit import AuditEntry
from app.extensions import db
from app.listings.moderation import ListingStatus, ModerationError
from app.solutions.models import Solution, SolutionAttachment


@pytest.fixture
def owner(make_user, make_org):
    user = make_user("owner@example.com")
    return user, make_org(owner=user, name="青岛数智制造有限公司", kind=OrgKind.BOTH)


@pytest.fixture
def admin(make_user, login):
    user = make_user("office@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.pop("_flashes", []))


def actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def refusal(step) -> ModerationError:
    with pytest.raises(ModerationError) as refused:
        step()
    db.session.rollback()
    return refused.value


@pytest.mark.parametrize("kind", ["needs", "solutions"])
def test_an_item_not_under_review_is_neither_approved_nor_rejected(owner, admin, make_need, make_solution, kind):
    item = {"needs": make_need, "solutions": make_solution}[kind](owner[1], owner[0], title="车间联网改造")
    listing_kind = moderation.KINDS[kind]
    for step in (
        lambda: moderation.approve(listing_kind, item, admin),
        lambda: moderation.reject(listing_kind, item, admin, "资料不全"),
    ):
        refused = refusal(step)
        assert (str(refused), refused.category) == ("“车间联网改造”不在待审核状态。", "warning")
    assert item.status == ListingStatus.PUBLISHED and actions() == []


def test_a_file_not_waiting_is_neither_approved_nor_rejected(owner, admin, make_solution, make_attachment):
    attachment = make_attachment(make_solution(owner[1], owner[0]), owner[0], filename="白皮书.pdf")
    for step in (
        lambda: moderation.approve_attachment(attachment, admin),
        lambda: moderation.reject_attachment(attachment, admin, "含联系方式"),
    ):
        refused = refusal(step)
        assert (str(refused), refused.category) == ("附件“白皮书.pdf”不在待审核状态。", "warning")
    assert db.session.get(SolutionAttachment, attachment.id) is not None and actions() == []


def test_the_admin_reads_the_caution_and_nothing_changes(client, owner, admin, make_need, make_solution):
    need = make_need(owner[1], owner[0], title="车间联网改造")
    solution = make_solution(owner[1], owner[0], status=ListingStatus.DRAFT, title="能耗监测套件")
    flashes(client)
    for url, data, message in (
        (f"/admin/moderation/needs/{need.id}/approve", {}, "“车间联网改造”不在待审核状态。"),
        (f"/admin/moderation/solutions/{solution.id}/reject", {"reason": "资料不全"}, "“能耗监测套件”不在待审核状态。"),
    ):
        response = client.post_form(url, data)
        assert response.status_code == 302 and response.headers["Location"] == url.rsplit("/", 2)[0]
        assert flashes(client) == [("warning", message)]
    db.session.expire_all()
    assert db.session.get(Solution, solution.id).status == ListingStatus.DRAFT and actions() == []


def test_a_file_already_decided_reads_as_a_caution(client, owner, admin, make_solution, make_attachment):
    attachment = make_attachment(make_solution(owner[1], owner[0]), owner[0], filename="白皮书.pdf")
    flashes(client)
    for decision, data in (("approve", {}), ("reject", {"reason": "含联系方式"})):
        response = client.post_form(f"/admin/moderation/attachments/{attachment.id}/{decision}", data)
        assert response.status_code == 302 and response.headers["Location"] == "/admin/moderation/attachments"
        assert flashes(client) == [("warning", "附件“白皮书.pdf”不在待审核状态。")]
    assert db.session.get(SolutionAttachment, attachment.id) is not None and actions() == []


@pytest.mark.parametrize(("kind", "decision"), [("needs", "approve"), ("solutions", "reject")])
def test_each_decision_is_audited_by_the_service(owner, admin, make_need, make_solution, kind, decision):
    item = {"needs": make_need, "solutions": make_solution}[kind](owner[1], owner[0], status=ListingStatus.SUBMITTED)
    listing_kind = moderation.KINDS[kind]
    if decision == "approve":
        moderation.approve(listing_kind, item, admin)
    else:
        moderation.reject(listing_kind, item, admin, "资料不全")
    [entry] = db.session.scalars(db.select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id) == (f"{kind}.{decision}", admin.id, item.id)
    assert entry.before == {"status": "submitted"} and entry.after["status"] == item.status.value


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_each_file_decision_is_audited_by_the_service(owner, admin, make_solution, make_attachment, decision):
    solution = make_solution(owner[1], owner[0])
    attachment = make_attachment(solution, owner[0], filename="白皮书.pdf")
    attachment.pending = True
    if decision == "approve":
        moderation.approve_attachment(attachment, admin)
    else:
        moderation.reject_attachment(attachment, admin, "含联系方式")
    [entry] = db.session.scalars(db.select(AuditEntry))
    assert (entry.action, entry.target_id) == (f"solutions.attachment_{decision}", solution.id)
    assert entry.after["attachment"] == "白皮书.pdf"
