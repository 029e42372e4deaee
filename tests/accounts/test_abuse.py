"""Limits on password resets and registrations, and the password strength policy."""

import re
from contextlib import contextmanager

import pytest
from flask import template_rendered

from app.accounts.models import User
from app.extensions import db
from app.mail.models import MailMessage
from tests.conftest import PASSWORD

WEAK_PASSWORDS = ["123456789012", "passwordpassword", "iloveyou1234"]
STRONG_PASSWORD = "Laoshan-tea-garden-88"


def mail_count() -> int:
    return db.session.scalar(db.select(db.func.count(MailMessage.id)))


def user_count() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def forgot(client, email: str, address: str = "127.0.0.1"):
    return client.post_form("/password/forgot", {"email": email}, environ_base={"REMOTE_ADDR": address})


def register(client, email: str, password: str = STRONG_PASSWORD, name: str = "新用户"):
    return client.post_form(
        "/register",
        {"email": email, "display_name": name, "password": password, "confirm": password, "consent": "y"},
    )


def without_csrf(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*?value=")[^"]*', r"\1", page)


@contextmanager
def rendered_templates(app):
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


# Item 6: rate limits


def test_resets_for_one_email_are_limited_whether_or_not_it_exists(app, client, make_user):
    app.config["PASSWORD_RESET_EMAIL_LIMIT"] = "3 per hour"
    make_user("forgetful@example.com")
    for n, email in enumerate(["forgetful@example.com", "Forgetful@Example.com", " forgetful@example.com"]):
        assert forgot(client, email, address=f"10.0.0.{n + 1}").status_code == 302
    assert mail_count() == 3
    response = forgot(client, "forgetful@example.com", address="10.0.0.9")
    assert response.status_code == 429
    assert "重置密码的请求过于频繁" in response.get_data(as_text=True)
    assert mail_count() == 3
    for n in range(3):
        assert forgot(client, "ghost@example.com", address=f"10.0.1.{n + 1}").status_code == 302
    assert forgot(client, "ghost@example.com", address="10.0.1.9").status_code == 429


def test_resets_from_one_client_are_limited_across_emails(app, client, make_user):
    app.config["PASSWORD_RESET_CLIENT_LIMIT"] = "10 per hour"
    emails = [make_user(f"user{n}@example.com").email for n in range(11)]
    for email in emails[:10]:
        assert forgot(client, email).status_code == 302
    response = forgot(client, emails[10])
    assert response.status_code == 429
    assert "重置密码的请求过于频繁" in response.get_data(as_text=True)
    assert mail_count() == 10
    assert forgot(client, emails[10], address="10.0.0.2").status_code == 302


def test_a_refused_reset_form_does_not_count(app, client, make_user):
    app.config["PASSWORD_RESET_CLIENT_LIMIT"] = "1 per hour"
    make_user("careful@example.com")
    assert forgot(client, "careful@example").status_code == 200
    assert forgot(client, "careful@example.com").status_code == 302
    assert mail_count() == 1


def test_registrations_from_one_client_are_limited(app, make_user):
    app.config["REGISTRATION_LIMIT"] = "5 per hour"
    for n in range(5):
        assert register(app.test_client(), f"new{n}@example.com").status_code == 302
    response = register(app.test_client(), "one-too-many@example.com")
    assert response.status_code == 429
    assert "注册过于频繁" in response.get_data(as_text=True)
    assert user_count() == 5
    other = app.test_client()
    response = other.post_form(
        "/register",
        {
            "email": "elsewhere@example.com",
            "display_name": "别处",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.status_code == 302


def test_registration_attempts_with_mistakes_do_not_count(app, client):
    app.config["REGISTRATION_LIMIT"] = "1 per hour"
    for _ in range(3):
        assert register(client, "typo@example.com", password="short").status_code == 200
    assert register(client, "typo@example.com").status_code == 302
    assert user_count() == 1


def test_a_reset_answers_alike_for_known_unknown_and_deactivated_emails(app, make_user):
    make_user("known@example.com")
    make_user("gone@example.com", active=False)
    answers, pages, work = {}, {}, {}
    for email in ("known@example.com", "unknown@example.com", "gone@example.com"):
        client = app.test_client()
        with rendered_templates(app) as names:
            response = forgot(client, email)
        answers[email] = (response.status_code, response.headers["Location"], response.get_data(as_text=True))
        work[email] = names
        pages[email] = without_csrf(client.get(response.headers["Location"]).get_data(as_text=True))
    assert answers["known@example.com"] == answers["unknown@example.com"] == answers["gone@example.com"]
    assert pages["known@example.com"] == pages["unknown@example.com"] == pages["gone@example.com"]
    assert "如果该邮箱已注册" in pages["unknown@example.com"]
    assert work["known@example.com"] == work["unknown@example.com"] == work["gone@example.com"]
    assert "emails/reset_password.txt" in work["unknown@example.com"]
    assert db.session.scalars(db.select(MailMessage.recipient)).all() == ["known@example.com"]


# Item 7: password strength


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_registration_refuses_a_weak_password_and_says_why_in_chinese(client, password):
    page = register(client, "weak@example.com", password=password).get_data(as_text=True)
    assert "密码强度不够" in page
    assert re.search(r"估计.*(秒|分钟|小时)", page)
    assert user_count() == 0


@pytest.mark.parametrize("password", ["liu.xiaoming", "xiaoming2026"])
def test_registration_refuses_a_password_made_of_the_users_own_email(client, password):
    page = register(client, "liu.xiaoming@haier-iot.cn", password=password, name="刘晓明").get_data(as_text=True)
    assert "您的邮箱或姓名" in page
    assert user_count() == 0


def test_registration_accepts_a_strong_password(client):
    assert register(client, "strong@example.com").status_code == 302
    assert user_count() == 1


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_password_change_refuses_a_weak_password(client, make_user, login, password):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    page = client.post_form(
        "/account/password", {"current_password": PASSWORD, "password": password, "confirm": password}
    ).get_data(as_text=True)
    assert "密码强度不够" in page
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_password_reset_refuses_a_weak_password_and_takes_a_strong_one(client, make_user):
    user = make_user("reset-me@example.com")
    forgot(client, user.email)
    mail = db.session.scalars(db.select(MailMessage)).one()
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", mail.body).group(1)
    page = client.post_form(link, {"password": WEAK_PASSWORDS[0], "confirm": WEAK_PASSWORDS[0]}).get_data(as_text=True)
    assert "密码强度不够" in page
    response = client.post_form(link, {"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    assert response.status_code == 302
    assert client.post_form("/login", {"email": user.email, "password": STRONG_PASSWORD}).status_code == 302


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_create_admin_refuses_a_weak_password(app, password):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "chief@example.com", "--password", password])
    assert result.exit_code != 0
    assert "密码强度不够" in result.output
    assert user_count() == 0


def test_create_admin_accepts_a_strong_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "chief@example.com", "--password", STRONG_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert user_count() == 1
