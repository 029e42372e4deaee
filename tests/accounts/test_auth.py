import re

import pytest

from app.accounts.models import SiteRole, User
from app.extensions import db
from app.mail.models import MailMessage
from tests.conftest import PASSWORD


def count_users() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def register(client, **overrides):
    data = {
        "email": "new@example.com",
        "display_name": "新用户",
        "password": "Qingdao-factory-2026",
        "confirm": "Qingdao-factory-2026",
        "consent": "y",
    }
    data.update(overrides)
    return client.post_form("/register", data)


def test_register_logs_in_and_leads_to_organization_form(client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/orgs/new")
    user = db.session.scalar(db.select(User).where(User.email == "new@example.com"))
    assert user.password_hash.startswith("scrypt:")
    assert "Qingdao-factory-2026" not in user.password_hash
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short-pass", "confirm": "short-pass"}, "密码长度应为 12 到 128 个字符"),
        ({"password": "password1234", "confirm": "password1234"}, "这个密码太常见"),
        ({"password": "aaaaaaaaaaaaaa", "confirm": "aaaaaaaaaaaaaa"}, "这个密码太常见"),
        ({"confirm": "something-else-2026"}, "两次输入的密码不一致"),
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"display_name": ""}, "请输入姓名或称呼"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(client, overrides, message):
    response = register(client, **overrides)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_users() == 0


def test_register_refuses_a_duplicate_email_in_any_case(client, make_user):
    make_user("taken@example.com")
    response = register(client, email="Taken@Example.com")
    assert "该邮箱已注册" in response.get_data(as_text=True)
    assert count_users() == 1


def test_login_with_wrong_password_says_so_in_chinese(client, make_user):
    user = make_user()
    response = client.post_form("/login", {"email": user.email, "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "邮箱或密码不正确" in response.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize("target", ["/orgs/new", "/admin/users?q=a"])
def test_login_follows_a_local_next(client, make_user, target):
    user = make_user()
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "http://evil.example/",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "\t//evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post_form(f"/login?next={target}", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_eleventh_failure_in_a_minute_is_refused_with_429(client, make_user):
    user = make_user()
    for _ in range(10):
        assert client.post_form("/login", {"email": user.email, "password": "wrong-password-123"}).status_code == 200
    response = client.post_form("/login", {"email": user.email, "password": "wrong-password-123"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_failures_are_limited_per_account_across_addresses(client, make_user):
    user = make_user()
    for n in range(10):
        client.post_form(
            "/login",
            {"email": user.email, "password": "wrong-password-123"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"},
        )
    response = client.post_form(
        "/login", {"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.99"}
    )
    assert response.status_code == 429


def test_failures_are_limited_per_address_across_accounts(client, make_user):
    for n in range(10):
        client.post_form("/login", {"email": f"nobody{n}@example.com", "password": "wrong-password-123"})
    user = make_user()
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_successful_logins_do_not_count_against_the_limit(client, make_user, login):
    user = make_user()
    for _ in range(12):
        login(user)
        client.post_form("/logout")


def test_logout_ends_the_session_even_for_a_replayed_cookie(app, make_user, login, client):
    user = make_user()
    login(user, remember=True)
    old_cookies = {c.key: c.value for c in client._cookies.values()}
    client.post_form("/logout")
    replay = app.test_client()
    for key, value in old_cookies.items():
        replay.set_cookie(key, value)
    response = replay.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions(app, make_user, login, client):
    user = make_user()
    login(user)
    other_device = app.test_client()
    other_device.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert other_device.get("/dashboard").status_code == 200
    response = client.post_form(
        "/account/password",
        {"current_password": PASSWORD, "password": "Brand-new-secret-77", "confirm": "Brand-new-secret-77"},
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302


def test_password_change_needs_the_current_password(client, make_user, login):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    response = client.post_form(
        "/account/password",
        {"current_password": "wrong-password-1", "password": "Brand-new-secret-77", "confirm": "Brand-new-secret-77"},
    )
    assert "当前密码不正确" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def reset_link(recipient: str) -> str:
    mail = db.session.scalars(db.select(MailMessage).where(MailMessage.recipient == recipient)).one()
    return re.search(r"http://localhost(/password/reset/\S+)", mail.body).group(1)


def test_password_reset_by_emailed_link(client, make_user):
    user = make_user("forgetful@example.com")
    response = client.post_form("/password/forgot", {"email": "forgetful@example.com"})
    assert response.status_code == 302
    link = reset_link("forgetful@example.com")
    assert client.get(link).status_code == 200
    response = client.post_form(link, {"password": "Remembered-now-2026", "confirm": "Remembered-now-2026"})
    assert response.status_code == 302
    assert client.post_form("/login", {"email": user.email, "password": "Remembered-now-2026"}).status_code == 302


def test_reset_link_works_only_once(client, make_user):
    make_user("once@example.com")
    client.post_form("/password/forgot", {"email": "once@example.com"})
    link = reset_link("once@example.com")
    client.post_form(link, {"password": "Remembered-now-2026", "confirm": "Remembered-now-2026"})
    response = client.get(link, follow_redirects=True)
    assert "重置链接无效或已使用" in response.get_data(as_text=True)


def test_expired_reset_link_is_refused(app, client, make_user):
    user = make_user("late@example.com")
    client.post_form("/password/forgot", {"email": "late@example.com"})
    link = reset_link("late@example.com")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    old_hash = user.password_hash
    response = client.post_form(
        link, {"password": "Remembered-now-2026", "confirm": "Remembered-now-2026"}, follow_redirects=True
    )
    assert "重置链接已过期" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_forgot_password_does_not_reveal_unknown_addresses(client):
    response = client.post_form("/password/forgot", {"email": "ghost@example.com"}, follow_redirects=True)
    assert "如果该邮箱已注册" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(MailMessage.id))) == 0


def test_remember_me_sets_a_long_lived_cookie(client, make_user, login):
    response = login(make_user(), remember=True)
    assert any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_registration_ignores_fields_it_does_not_show(client):
    client.post_form(
        "/register",
        {
            "email": "sneaky@example.com",
            "display_name": "Sneaky",
            "password": "Qingdao-factory-2026",
            "confirm": "Qingdao-factory-2026",
            "consent": "y",
            "site_role": "admin",
            "active": "0",
            "session_token": "fixed",
        },
    )
    user = db.session.scalar(db.select(User).where(User.email == "sneaky@example.com"))
    assert user.site_role == SiteRole.MEMBER and user.active and user.session_token != "fixed"
