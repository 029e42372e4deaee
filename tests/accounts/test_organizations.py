import re

import pytest

from app.accounts.models import Invitation, Membership, Organization
from app.extensions import db
from app.mail.models import MailMessage
from app.taxonomy.models import District, Industry
from tests.conftest import PASSWORD, valid_credit_code


def taxonomy_id(model, code):
    return db.session.scalar(db.select(model.id).where(model.code == code))


def org_form(**overrides):
    data = {
        "name": "青岛测试机械有限公司",
        "credit_code": valid_credit_code(9001),
        "kind": "enterprise",
        "district_id": str(taxonomy_id(District, "LS")),
        "industry_id": str(taxonomy_id(Industry, "EQP")),
        "founded_year": "2016",
        "employees": "80",
        "website": "https://example.com",
        "contact_person": "李四",
        "contact_phone": "0532-88886666",
        "description": "测试",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_member_creates_an_organization_and_owns_it(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post_form("/orgs/new", org_form())
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organization))
    assert org.owner.id == user.id
    assert org.is_verified is False
    page = client.get(f"/orgs/{org.id}").get_data(as_text=True)
    assert "待认证" in page and "0532-88886666" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "9137020012345"}, "统一社会信用代码应为 18 位"),
        ({"credit_code": "91370200I2345678O0"}, "只能包含数字和大写字母"),
        (
            {"credit_code": valid_credit_code(9001)[:-1] + ("0" if valid_credit_code(9001)[-1] != "0" else "1")},
            "校验位不正确",
        ),
        ({"contact_phone": "12345"}, "请输入有效的手机号或带区号的座机号码"),
        ({"district_id": "0"}, "请选择区市"),
        ({"website": "ftp://example.com"}, "网址格式不正确"),
        ({"name": ""}, "请输入名称"),
    ],
)
def test_bad_organization_input_is_refused_and_writes_nothing(client, make_user, login, overrides, message):
    login(make_user())
    response = client.post_form("/orgs/new", org_form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Organization) == 0


def test_a_registered_credit_code_is_refused(client, make_user, make_org, login):
    existing = make_org()
    login(make_user())
    response = client.post_form("/orgs/new", org_form(credit_code=existing.credit_code.lower()))
    assert "该统一社会信用代码已注册" in response.get_data(as_text=True)
    assert count(Organization) == 1


def test_public_page_hides_contacts_and_marks_unverified(client, make_org):
    org = make_org()
    page = client.get(f"/orgs/{org.id}").get_data(as_text=True)
    assert "待认证" in page
    assert "13800138000" not in page


def test_verified_organization_shows_its_badge(client, make_org):
    org = make_org(verified=True)
    page = client.get(f"/orgs/{org.id}").get_data(as_text=True)
    assert "已认证" in page and "待认证" not in page


def test_editing_cannot_set_fields_the_form_does_not_show(client, make_org, login):
    org = make_org()
    login(org.owner)
    original_code = org.credit_code
    data = org_form(
        name="改名后的公司",
        credit_code=valid_credit_code(4242),
        verified_at="2020-01-01",
        verification_note="self-verified",
        id="999",
    )
    response = client.post_form(f"/orgs/{org.id}/edit", data)
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organization, org.id)
    assert org.name == "改名后的公司"
    assert org.credit_code == original_code
    assert org.verified_at is None and org.verification_note == ""


def invite(client, org, email):
    response = client.post_form(f"/orgs/{org.id}/members", {"email": email})
    assert response.status_code == 302
    mail = db.session.scalars(
        db.select(MailMessage).where(MailMessage.recipient == email).order_by(MailMessage.id.desc())
    ).first()
    return re.search(r"http://localhost(/orgs/invitations/\S+)", mail.body).group(1)


def test_owner_invites_a_colleague_who_joins(app, client, make_org, make_user, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "colleague@example.com")
    colleague = make_user("colleague@example.com")
    other = app.test_client()
    other.post_form("/login", {"email": colleague.email, "password": PASSWORD})
    assert "邀请您加入" in other.get(link).get_data(as_text=True)
    response = other.post_form(link)
    assert response.status_code == 302
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == colleague.id))
    assert membership.organization_id == org.id
    assert other.get(f"/orgs/{org.id}/members").status_code == 200


def test_an_invitation_cannot_be_used_twice(app, client, make_org, make_user, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "twice@example.com")
    first = make_user("twice@example.com")
    joiner = app.test_client()
    joiner.post_form("/login", {"email": first.email, "password": PASSWORD})
    joiner.post_form(link)
    response = joiner.get(link)
    assert response.status_code == 410
    assert "该邀请已被使用" in response.get_data(as_text=True)
    assert count(Membership) == 2


def test_an_invitation_for_another_address_is_refused(app, client, make_org, make_user, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "intended@example.com")
    stranger = make_user("stranger@example.com")
    other = app.test_client()
    other.post_form("/login", {"email": stranger.email, "password": PASSWORD})
    response = other.post_form(link, follow_redirects=True)
    assert "该邀请发给了其他邮箱" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == stranger.id)) is None


def test_an_expired_invitation_is_refused(client, make_org, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "slow@example.com")
    invitation = db.session.scalars(db.select(Invitation)).one()
    invitation.expires_at = invitation.created_at
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "该邀请已过期" in response.get_data(as_text=True)


def test_owner_revokes_an_invitation(client, make_org, login):
    org = make_org()
    login(org.owner)
    link = invite(client, org, "revoked@example.com")
    invitation = db.session.scalars(db.select(Invitation)).one()
    assert client.post_form(f"/orgs/{org.id}/invitations/{invitation.id}/revoke").status_code == 302
    assert "该邀请已被撤销" in client.get(link).get_data(as_text=True)


def test_owner_removes_a_member_but_not_themselves(client, make_org, make_user, login):
    org = make_org()
    login(org.owner)
    leaving = make_user("leaving@example.com")
    db.session.add(Membership(user=leaving, organization=org))
    db.session.commit()
    membership_id = leaving.membership.id
    assert client.post_form(f"/orgs/{org.id}/members/{membership_id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is None
    owner_membership = org.owner.membership.id
    response = client.post_form(f"/orgs/{org.id}/members/{owner_membership}/remove", follow_redirects=True)
    assert "不能移除企业管理员本人" in response.get_data(as_text=True)
    assert db.session.get(Membership, owner_membership) is not None


def test_a_member_of_one_organization_cannot_touch_another(client, make_org, login):
    mine, theirs = make_org(), make_org()
    login(mine.owner)
    assert client.get(f"/orgs/{theirs.id}/edit").status_code == 403
    response = client.post_form(f"/orgs/{theirs.id}/edit", org_form(name="hijacked"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Organization, theirs.id).name != "hijacked"


def test_removing_a_membership_of_another_organization_is_404(client, make_org, login):
    mine, theirs = make_org(), make_org()
    login(mine.owner)
    response = client.post_form(f"/orgs/{mine.id}/members/{theirs.owner.membership.id}/remove")
    assert response.status_code == 404
