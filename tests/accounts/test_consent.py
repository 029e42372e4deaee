"""Registration needs explicit consent to the terms and the privacy policy, recorded with their
versions and time; a newer version is asked for at the next sign-in before anything else."""

from sqlalchemy import func, select

from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from app.legal import services as legal
from app.legal.models import LegalKind
from tests.conftest import PASSWORD

NEWCOMER = {
    "email": "consent@example.com",
    "display_name": "新用户",
    "password": "Qingdao-factory-2026",
    "confirm": "Qingdao-factory-2026",
}


def publish(kind: LegalKind, text: str = "正文") -> int:
    document = legal.publish(kind, text, "Text " + text, None)
    db.session.commit()
    return document.version


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_registration_without_consent_is_refused_and_creates_nothing(client):
    publish(LegalKind.PRIVACY)
    before = user_count()
    response = client.post_form("/register", NEWCOMER)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "请阅读并勾选同意《用户协议》和《隐私政策》" in page
    assert 'href="/terms"' in page and 'href="/privacy"' in page
    assert user_count() == before
    assert services.find_user_by_email(NEWCOMER["email"]) is None


def test_the_service_refuses_registration_without_consent(app):
    before = user_count()
    try:
        services.register_member("svc@example.com", "某人", "Qingdao-factory-2026", consented=False)
    except services.DomainError as error:
        assert "同意" in str(error)
    else:
        raise AssertionError("registered without consent")
    db.session.rollback()
    assert user_count() == before


def test_registration_with_consent_records_the_versions_and_time(client):
    publish(LegalKind.PRIVACY)
    terms = publish(LegalKind.TERMS)
    terms = publish(LegalKind.TERMS, "第二版")
    response = client.post_form("/register", {**NEWCOMER, "consent": "y"})
    assert response.status_code == 302
    user = services.find_user_by_email(NEWCOMER["email"])
    assert (user.privacy_version, user.terms_version) == (1, terms)
    assert user.consented_at is not None and user.consented_at >= user.created_at


def test_a_new_version_is_asked_for_at_the_next_sign_in(client, make_user):
    publish(LegalKind.PRIVACY)
    user = make_user()
    services.record_consent(user)
    db.session.commit()
    # Agreed to the current versions: straight in.
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"
    client.post_form("/logout")

    new_version = publish(LegalKind.PRIVACY, "新的隐私政策")
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD, "next": "/needs/mine"})
    assert response.headers["Location"] == "/account/consent?next=/needs/mine"
    # Until they agree, every other page leads to the consent page; the texts stay readable.
    assert client.get("/dashboard").headers["Location"] == "/account/consent?next=/dashboard"
    assert client.get("/privacy").status_code == 200
    page = client.get("/account/consent?next=/needs/mine").get_data(as_text=True)
    assert "请阅读后勾选同意" in page

    refused = client.post_form("/account/consent", {"next": "/needs/mine"})
    assert refused.status_code == 200 and "请阅读并勾选同意" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.privacy_version == 1

    agreed = client.post_form("/account/consent", {"consent": "y", "next": "/needs/mine"})
    assert agreed.headers["Location"] == "/needs/mine"
    db.session.refresh(user)
    assert user.privacy_version == new_version
    assert client.get("/dashboard").status_code == 200


def test_a_remembered_sign_in_is_asked_too(app, make_user):
    publish(LegalKind.TERMS)
    user = make_user()
    services.record_consent(user)
    db.session.commit()
    browser = app.test_client()
    browser.post_form("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = browser.get_cookie("remember_token")
    publish(LegalKind.TERMS, "新版协议")

    returning = app.test_client()
    returning.set_cookie("remember_token", remember.value)
    response = returning.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/consent")


def test_members_who_never_agreed_are_asked_once_a_text_is_published(client, make_user):
    user = make_user()
    assert client.post_form("/login", {"email": user.email, "password": PASSWORD}).headers["Location"] == "/dashboard"
    client.post_form("/logout")
    publish(LegalKind.PRIVACY)
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/account/consent")


def test_the_consent_page_needs_a_sign_in(client):
    assert client.get("/account/consent").headers["Location"].startswith("/login")
