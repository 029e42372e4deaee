"""People are told of the office's decisions about their own things: an inbox note for every member
of the owning organization (or the objector), a mail to those who did not turn that topic's mail off,
and nothing to anyone else."""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Membership, Organization, OrgKind, SiteRole, User
from app.core.models import local_today
from app.extensions import db
from app.incubation.models import AnnualFigures
from app.listings.moderation import ListingStatus
from app.mail.models import MailMessage
from app.notifications.models import Notification, Topic
from app.pilots.models import CallStatus, PilotObjection
from tests.conftest import PDF
from tests.incubation.conftest import figures_form, report
from tests.solutions.test_attachments import attachments_of, signed_in, upload

LAST_YEAR = date.today().year - 1


def verified(org: Organization) -> bool:
    db.session.expire_all()
    return org.is_verified


def mute(app, user: User, topic: Topic) -> None:
    """`user` turns off the mails of `topic` on the inbox settings page, keeping the others."""
    others = [t.value for t in Topic if t != topic]
    assert signed_in(app, user).post_form("/inbox/settings", {"topics": others}).status_code == 302


@dataclass
class Since:
    """What was written to the inbox and the outbox after this point."""

    notification_id: int
    mail_id: int

    @classmethod
    def now(cls) -> "Since":
        return cls(
            db.session.scalar(select(func.coalesce(func.max(Notification.id), 0))),
            db.session.scalar(select(func.coalesce(func.max(MailMessage.id), 0))),
        )

    def notes(self) -> list[Notification]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(Notification).where(Notification.id > self.notification_id).order_by(Notification.id)
            )
        )

    def told(self) -> dict[str, Notification]:
        return {note.user.email: note for note in self.notes()}

    def mailed(self) -> dict[str, MailMessage]:
        return {
            mail.recipient: mail
            for mail in db.session.scalars(select(MailMessage).where(MailMessage.id > self.mail_id))
        }


@dataclass
class Firm:
    org: Organization
    owner: User
    quiet: User  # a second member, who turned the topic's mail off


@pytest.fixture
def office(app, make_user):
    admin = make_user("office@example.com", role=SiteRole.ADMIN)
    return admin, signed_in(app, admin)


@pytest.fixture
def firm(make_user, make_org) -> Firm:
    owner = make_user("owner@example.com")
    org = make_org(owner=owner, name="青岛明远能效科技有限公司", kind=OrgKind.PROVIDER)
    quiet = make_user("quiet@example.com")
    db.session.add(Membership(organization=org, user=quiet))
    db.session.commit()
    return Firm(org, owner, quiet)


@pytest.fixture
def outsider(make_user, make_org) -> User:
    """Someone of another organization, who must hear nothing."""
    user = make_user("outsider@example.com")
    make_org(owner=user, kind=OrgKind.PROVIDER)
    return user


def assert_members_told(since: Since, firm: Firm, *parts: str, link: str, topic: Topic) -> None:
    told = since.told()
    assert set(told) == {firm.owner.email, firm.quiet.email}
    for note in told.values():
        assert note.topic == topic and note.link == link
        assert all(part in note.title for part in parts), note.title
    mailed = since.mailed()
    assert set(mailed) == {firm.owner.email}
    assert mailed[firm.owner.email].subject == told[firm.owner.email].title


# --- needs and solutions ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["needs", "solutions"])
def test_the_owners_are_told_that_their_item_is_published(app, kind, office, firm, outsider, make_need, make_solution):
    make = make_need if kind == "needs" else make_solution
    item = make(firm.org, firm.owner, status=ListingStatus.SUBMITTED, title="注塑车间能耗在线监测")
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    assert office[1].post_form(f"/admin/moderation/{kind}/{item.id}/approve").status_code == 302
    assert_members_told(
        since, firm, "“注塑车间能耗在线监测”", "已通过审核", link=f"/{kind}/{item.id}", topic=Topic.MODERATION
    )


@pytest.mark.parametrize("kind", ["needs", "solutions"])
def test_the_owners_are_told_why_their_item_was_sent_back(app, kind, office, firm, outsider, make_need, make_solution):
    make = make_need if kind == "needs" else make_solution
    item = make(firm.org, firm.owner, status=ListingStatus.SUBMITTED, title="注塑车间能耗在线监测")
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    response = office[1].post_form(f"/admin/moderation/{kind}/{item.id}/reject", {"reason": "请补充预算范围"})
    assert response.status_code == 302
    assert_members_told(
        since,
        firm,
        "“注塑车间能耗在线监测”",
        "未通过审核",
        "请补充预算范围",
        link=f"/{kind}/{item.id}",
        topic=Topic.MODERATION,
    )


def test_a_refused_decision_tells_nobody(app, office, firm, outsider, make_need):
    need = make_need(firm.org, firm.owner)  # published already: nothing to approve
    since = Since.now()
    office[1].post_form(f"/admin/moderation/needs/{need.id}/approve")
    office[1].post_form(f"/admin/moderation/needs/{need.id}/reject", {"reason": "重复发布"})
    assert since.notes() == [] and since.mailed() == {}


# --- a file added to a published solution ----------------------------------------------------


def uploaded(app, firm: Firm, make_solution) -> tuple[int, int]:
    solution = make_solution(firm.org, firm.owner, title="设备预测性维护套件")
    assert upload(signed_in(app, firm.owner), solution.id, PDF, "新版白皮书.pdf").status_code == 302
    [attachment] = attachments_of(solution.id)
    return solution.id, attachment.id


def test_the_owners_are_told_that_their_file_is_public(app, office, firm, outsider, make_solution):
    solution_id, attachment_id = uploaded(app, firm, make_solution)
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    assert office[1].post_form(f"/admin/moderation/attachments/{attachment_id}/approve").status_code == 302
    assert_members_told(
        since,
        firm,
        "“新版白皮书.pdf”",
        "已通过审核",
        link=f"/solutions/{solution_id}",
        topic=Topic.MODERATION,
    )


def test_the_owners_are_told_why_their_file_was_refused(app, office, firm, outsider, make_solution):
    solution_id, attachment_id = uploaded(app, firm, make_solution)
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    response = office[1].post_form(f"/admin/moderation/attachments/{attachment_id}/reject", {"reason": "含有报价单"})
    assert response.status_code == 302 and attachments_of(solution_id) == []
    assert_members_told(
        since,
        firm,
        "“新版白皮书.pdf”",
        "未通过审核",
        "含有报价单",
        link=f"/solutions/{solution_id}",
        topic=Topic.MODERATION,
    )


# --- verification of the organization --------------------------------------------------------


def test_the_members_are_told_that_their_organization_is_verified(app, office, firm, outsider):
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    response = office[1].post_form(
        f"/admin/organizations/{firm.org.id}", {"verify-note": "已核对营业执照", "verify-submit": "认证通过"}
    )
    assert response.status_code == 302 and verified(firm.org)
    assert_members_told(
        since, firm, "“青岛明远能效科技有限公司”", "已通过平台认证", link=f"/orgs/{firm.org.id}", topic=Topic.MODERATION
    )


def test_the_members_are_told_why_their_verification_was_revoked(app, office, firm, outsider):
    firm.org.verified_at = firm.org.created_at
    db.session.commit()
    mute(app, firm.quiet, Topic.MODERATION)
    since = Since.now()
    response = office[1].post_form(
        f"/admin/organizations/{firm.org.id}", {"revoke-note": "营业执照已注销", "revoke-submit": "撤销认证"}
    )
    assert response.status_code == 302 and not verified(firm.org)
    assert_members_told(
        since,
        firm,
        "“青岛明远能效科技有限公司”",
        "撤销",
        "营业执照已注销",
        link=f"/orgs/{firm.org.id}",
        topic=Topic.MODERATION,
    )


# --- the answer to an objection in pilot selection -------------------------------------------


@pytest.fixture
def listed(office, firm, make_pilot_call, make_pilot_application):
    """A project of `firm` on the provisional list of a call in its notice."""
    call = make_pilot_call(office[0], status=CallStatus.NOTICE)
    call.notice_ends_on = local_today()
    application = make_pilot_application(call, firm.org, firm.owner, project_name="注塑车间数字化改造")
    application.selected = True
    db.session.commit()
    return application


def objection_of(app, user: User, application) -> PilotObjection:
    client = signed_in(app, user)
    response = client.post_form(
        f"/pilots/projects/{application.id}/objection", {"reason": "项目尚未实施。", "contact": "13800000000"}
    )
    assert response.status_code == 302
    return db.session.scalars(select(PilotObjection).where(PilotObjection.filed_by_id == user.id)).one()


def answer(office, objection: PilotObjection, text: str, withdraw: bool = False):
    data = {f"o{objection.id}-answer": text} | ({f"o{objection.id}-withdraw": "y"} if withdraw else {})
    return office[1].post_form(f"/admin/pilots/objections/{objection.id}/answer", data)


def test_the_objector_alone_is_told_the_answer(app, office, firm, outsider, listed, make_user):
    objector, quiet = make_user("objector@example.com"), make_user("quiet-objector@example.com")
    mute(app, quiet, Topic.PROGRAMME)
    first, second = objection_of(app, objector, listed), objection_of(app, quiet, listed)

    since = Since.now()
    assert answer(office, first, "经核实，项目已于去年开工。").status_code == 302
    told = since.told()
    assert set(told) == {objector.email}
    note = told[objector.email]
    assert "“注塑车间数字化改造”" in note.title and "异议" in note.title and "答复" in note.title
    assert note.topic == Topic.PROGRAMME and note.link == f"/pilots/projects/{listed.id}"
    mailed = since.mailed()
    assert set(mailed) == {objector.email} and "经核实，项目已于去年开工。" in mailed[objector.email].body

    since = Since.now()
    assert answer(office, second, "经核实，项目尚未开工。", withdraw=True).status_code == 302
    told = since.told()
    assert set(told) == {quiet.email, firm.owner.email, firm.quiet.email}  # the firm hears of its withdrawal
    assert "答复" in told[quiet.email].title and told[quiet.email].link == f"/pilots/{listed.call_id}"
    assert quiet.email not in since.mailed()


# --- a firm's eligibility for an incubation track --------------------------------------------


def test_the_firms_members_are_told_when_its_figures_meet_a_track(app, office, firm, outsider):
    """Founded 2018 (see `make_org`): the gazelle track can be met, from 500 (10k yuan) of revenue
    growing 30% a year."""
    client = signed_in(app, firm.owner)
    first = LAST_YEAR - 2
    for year, revenue in ((first, "300"), (first + 1, "400"), (LAST_YEAR, "450")):
        assert report(client, year, revenue=revenue).status_code == 302
    row = db.session.scalars(
        select(AnnualFigures).where(AnnualFigures.organization_id == firm.org.id, AnnualFigures.year == LAST_YEAR)
    ).one()
    mute(app, firm.quiet, Topic.INCUBATION)
    admins = set(db.session.scalars(select(User.email).where(User.site_role == SiteRole.ADMIN, User.active)))

    since = Since.now()
    data = figures_form(LAST_YEAR, revenue="600", reason="审计报告为 600 万元")
    assert office[1].post_form(f"/admin/incubation/figures/{row.id}/correct", data).status_code == 302
    told = since.told()
    assert set(told) == {firm.owner.email, firm.quiet.email} | admins
    for member in (firm.owner, firm.quiet):
        note = told[member.email]
        assert note.topic == Topic.INCUBATION and note.link == "/incubation/figures"
        assert "已符合瞪羚企业认定条件" in note.title
    assert set(since.mailed()) == {firm.owner.email} | admins

    since = Since.now()
    client.post_form(f"/incubation/figures/{LAST_YEAR}", figures_form(LAST_YEAR, revenue="450"))
    told = since.told()
    assert "不再符合瞪羚企业认定条件" in told[firm.quiet.email].title
    assert firm.quiet.email not in since.mailed() and outsider.email not in told
