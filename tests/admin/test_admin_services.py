"""The admin services refuse what an admin may not do to their own account, and audit each decision."""

import pytest

from app.accounts.models import SiteRole, User
from app.admin import services
from app.core import settings
from app.core.audit import AuditEntry
from app.core.domain_error import DomainError
from app.extensions import db


def audit_entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.pop("_flashes", []))


def test_an_admin_may_not_change_their_own_role(make_user):
    admin = make_user(role=SiteRole.ADMIN)
    with pytest.raises(DomainError) as refused:
        services.set_user_role(admin, SiteRole.MEMBER, by=admin)
    assert str(refused.value) == "不能修改自己的角色。" and refused.value.category == "danger"
    db.session.rollback()
    assert db.session.get(User, admin.id).site_role == SiteRole.ADMIN
    assert audit_entries("user.role") == []


def test_an_admin_may_not_deactivate_themselves(make_user):
    admin = make_user(role=SiteRole.ADMIN)
    with pytest.raises(DomainError) as refused:
        services.set_user_active(admin, False, by=admin)
    assert str(refused.value) == "不能停用自己的账号。" and refused.value.category == "danger"
    db.session.rollback()
    assert db.session.get(User, admin.id).active
    assert audit_entries("user.deactivate") == []


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/admin/users/{id}", {"site_role": "member"}, "不能修改自己的角色。"),
        ("/admin/users/{id}/active", {"active": "0"}, "不能停用自己的账号。"),
    ],
)
def test_the_refusal_is_shown_to_the_admin(client, make_user, login, url, data, message):
    admin = make_user(role=SiteRole.ADMIN)
    login(admin)
    flashes(client)
    response = client.post_form(url.format(id=admin.id), data)
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{admin.id}"
    assert flashes(client) == [("danger", message)]
    db.session.expire_all()
    admin = db.session.get(User, admin.id)
    assert admin.active and admin.site_role == SiteRole.ADMIN


def test_changing_a_users_role_and_state_is_audited(make_user):
    admin, user = make_user(role=SiteRole.ADMIN), make_user()
    services.set_user_role(user, SiteRole.EXPERT, by=admin)
    services.set_user_active(user, False, by=admin)
    services.set_user_active(user, True, by=admin)
    [role] = audit_entries("user.role")
    assert (role.actor_id, role.target_id, role.before, role.after) == (
        admin.id,
        user.id,
        {"site_role": "member"},
        {"site_role": "expert"},
    )
    [off], [on] = audit_entries("user.deactivate"), audit_entries("user.activate")
    assert off.after == {"active": False} and on.before == {"active": False} and on.after == {"active": True}


def test_verifying_and_revoking_an_organization_is_audited(make_user, make_org):
    admin, org = make_user(role=SiteRole.ADMIN), make_org()
    services.verify_organization(org, by=admin, note="已核对营业执照")
    services.revoke_verification(org, by=admin, note="执照已注销")
    [verify], [revoke] = audit_entries("organization.verify"), audit_entries("organization.unverify")
    assert verify.target_id == revoke.target_id == org.id
    assert verify.after == {"verified": True, "note": "已核对营业执照"}
    assert revoke.before == verify.after and revoke.after == {"verified": False, "note": "执照已注销"}


def test_changing_a_portal_setting_is_audited(make_user):
    admin = make_user(role=SiteRole.ADMIN)
    before = settings.get_int(settings.NEED_LIFETIME_DAYS)
    settings.set_int(settings.NEED_LIFETIME_DAYS, before + 30, admin)
    [entry] = audit_entries("settings.update")
    assert entry.actor_id == admin.id
    assert entry.before == {settings.NEED_LIFETIME_DAYS: before}
    assert entry.after == {settings.NEED_LIFETIME_DAYS: before + 30}
