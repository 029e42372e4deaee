"""Mail and inbox entries are written in the recipient's language (the one they chose last), not in
the language of whoever caused them."""

from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.accounts.models import MemberRole, Membership, OrgKind, SiteRole, User
from app.admin.services import verify_organization
from app.extensions import db
from app.mail.models import MailMessage
from app.notifications.models import Notification

VERIFIED = "贵单位“%(name)s”已通过平台认证"


def _language_of(email: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.language).where(User.email == email))


def test_a_member_keeps_the_language_they_switch_to(client, login, make_user):
    member = make_user(email="switcher@example.com")
    client.post("/language", data={"language": "en", "next": "/"})
    assert _language_of(member.email) == "zh"  # an anonymous switch is the browser's alone
    login(member)
    client.post_form("/language", {"language": "en", "next": "/"})
    assert _language_of(member.email) == "en"
    client.post_form("/language", {"language": "zh", "next": "/"})
    assert _language_of(member.email) == "zh"


def test_registering_on_an_english_page_chooses_english(client):
    client.set_cookie("lang", "en")
    client.post_form(
        "/register",
        {
            "email": "newcomer@example.com",
            "display_name": "Newcomer",
            "password": "Qingdao-factory-2026",
            "confirm": "Qingdao-factory-2026",
            "consent": "y",
        },
    )
    assert _language_of("newcomer@example.com") == "en"


def test_each_member_is_told_in_their_own_language(app, client, login, make_user, make_org):
    owner = make_user(email="owner@example.com")
    colleague = make_user(email="colleague@example.com")
    org = make_org(owner=owner, kind=OrgKind.ENTERPRISE, name="青岛测试企业")
    owner.language = "en"
    db.session.add(Membership(user=colleague, organization=org, role=MemberRole.MEMBER))
    db.session.commit()

    login(make_user(role=SiteRole.ADMIN))  # the admin works in Chinese
    client.post_form(f"/admin/organizations/{org.id}", {"verify-note": "已核对", "verify-submit": "1"})

    with force_locale("en"):
        english = gettext(VERIFIED, name=org.name)
    chinese = gettext(VERIFIED, name=org.name)
    assert english != chinese
    titles = {n.user.email: n.title for n in db.session.scalars(select(Notification))}
    assert titles == {owner.email: english, colleague.email: chinese}
    subjects = {m.recipient: m.subject for m in db.session.scalars(select(MailMessage))}
    assert subjects[owner.email] == english and subjects[colleague.email] == chinese


def test_the_inbox_says_which_language_each_entry_is_in(client, login, make_user, make_org):
    owner = make_user(email="reader@example.com")
    org = make_org(owner=owner, kind=OrgKind.ENTERPRISE, name="青岛读者企业")
    owner.language = "en"
    db.session.commit()
    with client.application.test_request_context():
        verify_organization(org, make_user(role=SiteRole.ADMIN), "")
        owner.language = "zh"
        verify_organization(org, make_user(email="admin2@example.com", role=SiteRole.ADMIN), "")
        db.session.commit()
    login(owner)
    html = client.get("/inbox/").get_data(as_text=True)
    assert html.count('<span lang="en">') == 1 and html.count('<span lang="zh-CN">') == 1
