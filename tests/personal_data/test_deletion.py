"""A member asks for their account to be deleted; an admin completes it: the account is anonymised,
the name is gone from every page that showed it, the ledger's figures do not move. Both audited."""

from sqlalchemy import func, select

from app.accounts.models import MemberRole, Membership, User
from app.core.audit import AuditEntry
from app.extensions import db
from app.needs.models import Need
from app.notifications.models import Notification
from app.personal_data.models import DeletionRequest
from app.personal_data.services import DELETED_NAME
from app.stats import services as stats
from app.stats.models import Enablement
from tests.conftest import PASSWORD
from tests.personal_data.conftest import EMAIL, NAME


def signed_in(app, user):
    browser = app.test_client()
    assert browser.post_form("/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def pages(people) -> dict[str, list[str]]:
    """Who sees which pages that may show the member's name or e-mail address."""
    need, org, inquiry = people.need.id, people.org.id, people.inquiry.id
    return {
        "anonymous": ["/", "/needs/", f"/needs/{need}", f"/solutions/{people.solution.id}", f"/orgs/{org}"],
        "other": [f"/needs/{need}", f"/orgs/{org}", f"/inquiries/{inquiry}", "/inquiries/", "/dashboard"],
        "admin": [
            "/admin/users",
            f"/admin/users/{people.member.id}",
            f"/admin/organizations/{org}",
            f"/orgs/{org}/members",
            f"/inquiries/{inquiry}",
            "/admin/audit",
            "/admin/outbox",
            "/admin/deletion-requests",
        ],
    }


def crawl(app, people) -> dict[str, str]:
    browsers = {
        "anonymous": app.test_client(),
        "other": signed_in(app, people.other),
        "admin": signed_in(app, people.admin),
    }
    found = {}
    for viewer, paths in pages(people).items():
        for path in paths:
            response = browsers[viewer].get(path)
            assert response.status_code == 200, (viewer, path, response.status_code)
            found[f"{viewer} {path}"] = response.get_data(as_text=True)
    return found


def ledger_figures(app):
    with app.test_request_context():
        filters = stats.Filters()
        return (
            stats.totals(filters),
            stats.by_district(filters),
            stats.by_kind(filters),
            db.session.scalar(select(func.count()).select_from(Enablement)),
        )


def test_requesting_and_completing_a_deletion(app, client, login, people):
    before = crawl(app, people)
    showed = [page for page, html in before.items() if NAME in html or EMAIL in html]
    assert {f"other /needs/{people.need.id}", f"other /inquiries/{people.inquiry.id}", "admin /admin/users"} <= set(
        showed
    )
    figures = ledger_figures(app)
    needs = db.session.scalar(select(func.count()).select_from(Need))

    login(people.member)
    refused = client.post_form("/account/data/delete", {"password": "wrong-password", "understood": "y"})
    assert refused.status_code == 400 and "当前密码不正确" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DeletionRequest)) == 0
    asked = client.post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"})
    assert asked.status_code == 302
    assert 'data-test="deletion-pending"' in client.get("/account/data").get_data(as_text=True)
    again = client.post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DeletionRequest)) == 1
    request_audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deletion_request"))
    assert request_audit.actor_id == people.member.id

    admin = signed_in(app, people.admin)
    listing = admin.get("/admin/deletion-requests").get_data(as_text=True)
    assert NAME in listing and "办理注销" in listing
    deletion = db.session.scalar(select(DeletionRequest))
    assert admin.post_form(f"/admin/deletion-requests/{deletion.id}/complete").status_code == 302
    completed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deletion_complete"))
    assert completed.actor_id == people.admin.id and completed.before == {"user_id": people.member.id}

    db.session.expire_all()
    member = db.session.get(User, people.member.id)
    assert member.display_name == DELETED_NAME and EMAIL not in member.email and not member.active
    assert member.membership is None
    assert (
        db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == member.id)) == 0
    )
    # The member's session ended, and the account no longer signs in.
    assert client.get("/dashboard").status_code == 302
    assert client.post_form("/login", {"email": EMAIL, "password": PASSWORD}).status_code == 200

    assert ledger_figures(app) == figures
    assert db.session.scalar(select(func.count()).select_from(Need)) == needs
    after = crawl(app, people)
    for page, html in after.items():
        assert NAME not in html and EMAIL not in html, page
    assert any(DELETED_NAME in html for html in after.values())


def test_a_completed_request_is_not_completed_twice(app, people):
    member = signed_in(app, people.member)
    member.post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"})
    deletion = db.session.scalar(select(DeletionRequest))
    admin = signed_in(app, people.admin)
    admin.post_form(f"/admin/deletion-requests/{deletion.id}/complete")
    admin.post_form(f"/admin/deletion-requests/{deletion.id}/complete")
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "account.deletion_complete")
        )
        == 1
    )


def test_only_admins_complete_requests(app, people):
    member = signed_in(app, people.member)
    member.post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"})
    deletion = db.session.scalar(select(DeletionRequest))
    other = signed_in(app, people.other)
    assert other.get("/admin/deletion-requests").status_code == 403
    assert other.post_form(f"/admin/deletion-requests/{deletion.id}/complete").status_code == 403
    assert member.post_form(f"/admin/deletion-requests/{deletion.id}/complete").status_code == 403
    db.session.refresh(deletion)
    assert deletion.is_pending
    assert db.session.get(User, people.member.id).display_name == NAME


def test_admins_do_not_request_deletion_here(app, people):
    admin = signed_in(app, people.admin)
    assert admin.post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(DeletionRequest)) == 0


def test_an_owner_leaving_hands_the_organization_to_the_next_member(app, make_user, people):
    colleague = make_user("colleague@example.com", name="同事")
    db.session.add(Membership(user_id=colleague.id, organization_id=people.org.id, role=MemberRole.MEMBER))
    db.session.commit()
    signed_in(app, people.member).post_form("/account/data/delete", {"password": PASSWORD, "understood": "y"})
    deletion = db.session.scalar(select(DeletionRequest))
    signed_in(app, people.admin).post_form(f"/admin/deletion-requests/{deletion.id}/complete")
    db.session.expire_all()
    assert db.session.get(User, colleague.id).membership.role == MemberRole.OWNER
