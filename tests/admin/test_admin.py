from app.accounts.models import Organization, SiteRole, User
from app.core.audit import AuditEntry
from app.extensions import db
from tests.conftest import PASSWORD


def audit_entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def test_verification_queue_lists_unverified_organizations(client, make_user, make_org, login):
    pending = make_org(name="待审核机械厂")
    make_org(name="已认证电子厂", verified=True)
    login(make_user(role=SiteRole.ADMIN))
    page = client.get("/admin/organizations").get_data(as_text=True)
    assert pending.name in page and "已认证电子厂" not in page
    page = client.get("/admin/organizations?status=verified").get_data(as_text=True)
    assert "已认证电子厂" in page and pending.name not in page


def test_admin_verifies_an_organization_with_a_note_and_it_is_audited(client, make_user, make_org, login):
    org = make_org()
    admin = make_user(role=SiteRole.ADMIN)
    login(admin)
    response = client.post_form(
        f"/admin/organizations/{org.id}", {"verify-note": "已核对营业执照", "verify-submit": "1"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organization, org.id)
    assert org.is_verified and org.verification_note == "已核对营业执照"
    [entry] = audit_entries("organization.verify")
    assert entry.actor_id == admin.id and entry.target_id == org.id
    assert entry.before == {"verified": False, "note": ""}
    assert entry.after == {"verified": True, "note": "已核对营业执照"}
    assert "已认证" in client.get(f"/orgs/{org.id}").get_data(as_text=True)


def test_revoking_verification_needs_a_reason(client, make_user, make_org, login):
    org = make_org(verified=True)
    login(make_user(role=SiteRole.ADMIN))
    response = client.post_form(f"/admin/organizations/{org.id}", {"revoke-note": "", "revoke-submit": "1"})
    assert "请说明撤销认证的原因" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organization, org.id).is_verified
    client.post_form(f"/admin/organizations/{org.id}", {"revoke-note": "执照已注销", "revoke-submit": "1"})
    db.session.expire_all()
    assert not db.session.get(Organization, org.id).is_verified
    assert audit_entries("organization.unverify")[0].after["note"] == "执照已注销"


def test_admin_searches_users(client, make_user, login):
    make_user("zhang.wei@example.com", name="张伟")
    make_user("li.na@example.com", name="李娜")
    login(make_user("boss@example.com", role=SiteRole.ADMIN))
    page = client.get("/admin/users?q=张").get_data(as_text=True)
    assert "zhang.wei@example.com" in page and "li.na@example.com" not in page
    page = client.get("/admin/users?role=admin").get_data(as_text=True)
    assert "boss@example.com" in page and "li.na@example.com" not in page


def test_deactivating_a_user_ends_their_sessions_and_is_audited(app, client, make_user, login):
    target = make_user("target@example.com")
    device = app.test_client()
    device.post_form("/login", {"email": target.email, "password": PASSWORD})
    assert device.get("/dashboard").status_code == 200
    login(make_user(role=SiteRole.ADMIN))
    assert client.post_form(f"/admin/users/{target.id}/active", {"active": "0"}).status_code == 302
    assert device.get("/dashboard").status_code == 302
    [entry] = audit_entries("user.deactivate")
    assert entry.before == {"active": True} and entry.after == {"active": False}
    client.post_form(f"/admin/users/{target.id}/active", {"active": "1"})
    assert device.post_form("/login", {"email": target.email, "password": PASSWORD}).status_code == 302


def test_admin_cannot_deactivate_or_demote_themselves(client, make_user, login):
    admin = make_user(role=SiteRole.ADMIN)
    login(admin)
    client.post_form(f"/admin/users/{admin.id}/active", {"active": "0"})
    client.post_form(f"/admin/users/{admin.id}", {"site_role": "member"})
    db.session.expire_all()
    admin = db.session.get(User, admin.id)
    assert admin.active and admin.site_role == SiteRole.ADMIN
    assert audit_entries("user.deactivate") == [] and audit_entries("user.role") == []


def test_admin_makes_a_user_an_expert(client, make_user, login):
    user = make_user()
    login(make_user(role=SiteRole.ADMIN))
    client.post_form(f"/admin/users/{user.id}", {"site_role": "expert"})
    db.session.expire_all()
    assert db.session.get(User, user.id).site_role == SiteRole.EXPERT
    assert audit_entries("user.role")[0].after == {"site_role": "expert"}


def test_audit_log_is_searchable_by_record_and_by_user(client, make_user, make_org, login):
    first, second = make_org(), make_org()
    alice = make_user("alice.admin@example.com", role=SiteRole.ADMIN)
    bob = make_user("bob.admin@example.com", role=SiteRole.ADMIN)
    login(alice)
    client.post_form(
        f"/admin/organizations/{first.id}", {"verify-note": "A", "verify-submit": "1"}, follow_redirects=True
    )
    client.post_form("/logout")
    login(bob)
    client.post_form(
        f"/admin/organizations/{second.id}", {"verify-note": "B", "verify-submit": "1"}, follow_redirects=True
    )
    by_record = client.get(f"/admin/audit?target_type=Organization&target_id={first.id}").get_data(as_text=True)
    assert first.name in by_record and second.name not in by_record
    by_user = client.get("/admin/audit?actor=bob").get_data(as_text=True)
    assert second.name in by_user and first.name not in by_user


def test_outbox_shows_the_mails_sent(client, make_user, login):
    make_user("reader@example.com")
    client.post_form("/password/forgot", {"email": "reader@example.com"})
    login(make_user(role=SiteRole.ADMIN))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "reader@example.com" in page and "重置您的工赋汇密码" in page
    empty = client.get("/admin/outbox?q=nobody").get_data(as_text=True)
    assert "发件箱是空的" in empty
