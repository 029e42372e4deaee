"""The accounts' steps refuse with a DomainError that carries the user's message, and the views
announce every outcome through run_step with the same messages and categories as before."""

import pytest
from flask_babel import force_locale

from app.accounts import organizations as orgs
from app.accounts import services
from app.accounts.models import Membership
from app.core.domain_error import DomainError
from app.extensions import db
from tests.accounts.test_organizations import invite, org_form
from tests.conftest import PASSWORD


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_an_unknown_invitation_is_404_with_its_message(client):
    response = client.get("/orgs/invitations/no-such-token")
    assert response.status_code == 404
    assert "邀请链接无效。" in response.get_data(as_text=True)


def test_a_revoked_invitation_is_gone_with_its_message(client, make_org, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "revoked@example.com")
    (invitation,) = orgs.pending_invitations(org)
    client.post_form(f"/orgs/{org.id}/invitations/{invitation.id}/revoke")
    assert flashes(client)[-1] == ("success", "邀请已撤销。")
    response = client.get(link)
    assert response.status_code == 410
    assert "该邀请已被撤销。" in response.get_data(as_text=True)


def test_joining_a_second_organization_is_refused_and_changes_nothing(app, client, make_org, login):
    org, other = make_org(), make_org()
    login(org.owner)
    link = invite(client, org, other.owner.email)
    joiner = app.test_client()
    joiner.post_form("/login", {"email": other.owner.email, "password": PASSWORD})
    response = joiner.post_form(link)
    assert response.status_code == 200
    assert "alert-danger" in response.get_data(as_text=True)
    assert "您已属于一个企业/机构，不能再加入其他企业/机构。" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).where(Membership.organization_id == org.id)) == 1


def test_invitation_problems_are_domain_errors_with_the_users_message(app):
    with app.test_request_context(), force_locale("zh"):
        invitation, problem = orgs.check_invitation("no-such-token")
        assert invitation is None and isinstance(problem, DomainError)
        assert (problem.reason, str(problem)) == ("invalid", "邀请链接无效。")
        with pytest.raises(orgs.InvitationError, match="邀请链接无效。"):
            orgs.accept_invitation("no-such-token", None)


def test_removing_the_owner_is_refused_by_the_service(app, make_org):
    org = make_org()
    with app.test_request_context(), force_locale("zh"), pytest.raises(DomainError, match="不能移除企业管理员本人。"):
        orgs.remove_member(org.owner.membership, by=org.owner)


def test_removing_the_owner_flashes_the_refusal_and_keeps_them(client, make_org, login):
    org = make_org()
    login(org.owner)
    membership_id = org.owner.membership.id
    response = client.post_form(f"/orgs/{org.id}/members/{membership_id}/remove")
    assert response.status_code == 302
    assert flashes(client) == [("danger", "不能移除企业管理员本人。")]
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is not None


def test_a_member_asking_for_a_second_organization_is_told_so(client, make_org, login):
    org = make_org()
    login(org.owner)
    response = client.get("/orgs/new")
    assert response.headers["Location"].endswith(f"/orgs/{org.id}")
    assert flashes(client) == [("info", "您已属于一个企业/机构。")]


def test_renaming_a_verified_organization_saves_with_a_caution(client, make_org, login):
    org = make_org(verified=True)
    login(org.owner)
    response = client.post_form(f"/orgs/{org.id}/edit", org_form(name="改名后的公司", credit_code=org.credit_code))
    assert response.status_code == 302
    assert flashes(client) == [("warning", "资料已保存。名称变更后需要平台重新认证，认证前贵单位标注为“待认证”。")]


def test_a_bad_reset_token_is_a_domain_error_with_the_users_message(app):
    with (
        app.test_request_context(),
        force_locale("zh"),
        pytest.raises(DomainError, match="重置链接无效或已使用，请重新申请。"),
    ):
        services.user_for_reset_token("not-a-token")


def test_a_bad_reset_link_leads_back_to_the_request_form(client):
    response = client.get("/password/reset/not-a-token")
    assert response.headers["Location"].endswith("/password/forgot")
    assert flashes(client) == [("danger", "重置链接无效或已使用，请重新申请。")]


def test_the_reset_request_and_the_logout_are_announced_as_notices(client, make_user, login):
    client.post_form("/password/forgot", {"email": "ghost@example.com"})
    assert flashes(client) == [("info", "如果该邮箱已注册，重置链接已发送，请在 1 小时内使用。")]
    login(make_user())
    client.post_form("/logout")
    assert flashes(client)[-1] == ("info", "您已安全退出。")


def test_a_refused_sign_in_says_so_by_the_password_field(client, make_user):
    user = make_user()
    response = client.post_form("/login", {"email": user.email, "password": "not-the-password-123"})
    assert response.status_code == 200
    assert "邮箱或密码不正确，或账号已停用。" in response.get_data(as_text=True)
    assert flashes(client) == []
