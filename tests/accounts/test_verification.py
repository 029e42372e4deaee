"""The verified badge vouches for a name and a credit code: changing the name sends the organization
back to 待认证, and only its owners edit the profile."""

from app.accounts.models import Membership, Organization, SiteRole
from app.core.audit import AuditEntry
from app.extensions import db
from tests.accounts.test_organizations import org_form
from tests.conftest import PASSWORD


def page(response) -> str:
    return response.get_data(as_text=True)


def profile_of(org: Organization, **overrides) -> dict:
    """The edit form as the owner would post it, unchanged unless told otherwise."""
    data = org_form(
        name=org.name,
        kind=org.kind.value,
        contact_person=org.contact_person,
        contact_phone=org.contact_phone,
        founded_year=str(org.founded_year),
        employees=str(org.employees),
        website=org.website,
        description=org.description,
    )
    del data["credit_code"]
    data.update(overrides)
    return data


def reload(org_id: int) -> Organization:
    db.session.expire_all()
    return db.session.get(Organization, org_id)


def audit_of(org_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.target_type == "Organization", AuditEntry.target_id == org_id)
        )
    )


def test_renaming_a_verified_organization_sends_it_back_to_pending(client, make_org, make_user, login):
    org = make_org(verified=True)
    name = org.name
    login(org.owner)
    response = client.post_form(f"/orgs/{org.id}/edit", profile_of(org, name="青岛另一家知名企业有限公司"))
    assert response.status_code == 302
    assert "名称变更后需要平台重新认证" in page(client.get(response.headers["Location"]))

    org = reload(org.id)
    assert org.name == "青岛另一家知名企业有限公司" and not org.is_verified and org.verified_by_id is None
    [entry] = audit_of(org.id)
    assert entry.action == "organization.identity_change" and entry.actor_id == org.owner.id
    assert (entry.before["verified"], entry.before["name"]) == (True, name)
    assert (entry.after["verified"], entry.after["name"]) == (False, "青岛另一家知名企业有限公司")

    public = page(client.application.test_client().get(f"/orgs/{org.id}"))
    assert "待认证" in public and "已认证" not in public


def test_a_renamed_organization_is_in_the_admins_pending_list(app, client, make_org, make_user, login):
    org = make_org(verified=True)
    admin = make_user(role=SiteRole.ADMIN)
    admin_client = app.test_client()
    admin_client.post_form("/login", {"email": admin.email, "password": PASSWORD})
    assert "改名待核验有限公司" not in page(admin_client.get("/admin/organizations?status=pending"))
    login(org.owner)
    client.post_form(f"/orgs/{org.id}/edit", profile_of(org, name="改名待核验有限公司"))
    assert "改名待核验有限公司" in page(admin_client.get("/admin/organizations?status=pending"))


def test_changing_only_the_phone_keeps_the_badge(client, make_org, login):
    org = make_org(verified=True)
    verified_at = org.verified_at
    login(org.owner)
    response = client.post_form(f"/orgs/{org.id}/edit", profile_of(org, contact_phone="0532-87654321"))
    assert response.status_code == 302
    assert "重新认证" not in page(client.get(response.headers["Location"]))
    org = reload(org.id)
    assert org.contact_phone == "0532-87654321" and org.verified_at == verified_at
    assert audit_of(org.id) == []
    assert "已认证" in page(client.application.test_client().get(f"/orgs/{org.id}"))


def test_a_member_who_is_not_an_owner_cannot_edit_the_profile(client, make_org, make_user, login):
    org = make_org(verified=True)
    member = make_user("staff@example.com")
    db.session.add(Membership(user=member, organization=org))
    db.session.commit()
    name, verified_at = org.name, org.verified_at
    login(member)
    assert client.get(f"/orgs/{org.id}/edit").status_code == 403
    response = client.post_form(f"/orgs/{org.id}/edit", profile_of(org, name="冒名顶替有限公司"))
    assert response.status_code == 403
    org = reload(org.id)
    assert (org.name, org.verified_at) == (name, verified_at)
    assert audit_of(org.id) == []
    detail = page(client.get(f"/orgs/{org.id}"))
    assert f"/orgs/{org.id}/edit" not in detail and f"/orgs/{org.id}/members" in detail
    assert f"/orgs/{org.id}/edit" not in page(client.get("/dashboard"))


def test_the_owner_sees_the_edit_link(client, make_org, login):
    org = make_org()
    login(org.owner)
    assert f"/orgs/{org.id}/edit" in page(client.get(f"/orgs/{org.id}"))
    assert f"/orgs/{org.id}/edit" in page(client.get("/dashboard"))
