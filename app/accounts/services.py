"""Accounts: registration, authentication, sessions and password resets."""

import logging
from functools import cache

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.accounts.models import SiteRole, User, new_session_token
from app.accounts.passwords import hash_password, verify_password
from app.core.domain_error import DomainError
from app.core.i18n import current_language
from app.core.links import external_url
from app.core.models import utcnow
from app.extensions import db
from app.legal.services import current_versions
from app.mail.services import send_mail

security_log = logging.getLogger("gongfu.security")

RESET_SALT = "password-reset"


class ResetTokenError(DomainError):
    """A password reset link that cannot be used; the message is for the user."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def register_user(email: str, display_name: str, password: str, site_role: SiteRole = SiteRole.MEMBER) -> User:
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        site_role=site_role,
    )
    db.session.add(user)
    db.session.flush()
    security_log.info("user registered: id=%s", user.id)
    return user


def register_member(email: str, display_name: str, password: str, consented: bool) -> User:
    """Registration from the sign-up page: only with the member's consent to the current terms of
    use and privacy policy, which is recorded with its versions and time."""
    if not consented:
        raise DomainError(_("请阅读并勾选同意《用户协议》和《隐私政策》。"))
    user = register_user(email, display_name, password)
    user.language = current_language()
    record_consent(user)
    return user


def remember_language(user: User, language: str) -> None:
    """The language the member chose last: their mail and inbox entries are written in it."""
    user.language = language


def consent_due(user: User) -> bool:
    """A version of the terms or the privacy policy the member has not agreed to is published."""
    versions = current_versions()
    return (user.privacy_version or 0) < versions["privacy"] or (user.terms_version or 0) < versions["terms"]


def record_consent(user: User) -> User:
    versions = current_versions()
    user.privacy_version, user.terms_version = versions["privacy"], versions["terms"]
    user.consented_at = utcnow()
    security_log.info("consent: id=%s privacy=%s terms=%s", user.id, user.privacy_version, user.terms_version)
    return user


@cache
def _dummy_hash(method: str) -> str:
    return hash_password("no-such-account-password")


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as for a real account, so timing does not reveal which emails exist.
        verify_password(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
    if user is None or not verify_password(user.password_hash, password):
        security_log.warning("login failed: email=%s", normalize_email(email))
        return None
    if not user.active:
        security_log.warning("login refused for deactivated account: id=%s", user.id)
        return None
    user.last_login_at = utcnow()
    security_log.info("login: id=%s", user.id)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie the user holds."""
    user.session_token = new_session_token()


def change_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    security_log.info("password changed: id=%s", user.id)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    # The hash's tail binds the token to the current password, so it works once.
    return _reset_serializer().dumps({"uid": user.id, "pw": user.password_hash[-12:]})


def request_password_reset(email: str) -> None:
    """Mail a reset link to the active account with this email. For any other address the same steps
    run (lookup, token, mail body, log line) but the sending itself, so that neither the answer nor,
    within the time the sending takes, its duration tells who has an account."""
    user = find_user_by_email(email)
    registered = user is not None and user.active
    if user is None:
        user = User(
            email=normalize_email(email),
            display_name="",
            password_hash=_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]),
        )
    context = {
        "user": user,
        "url": external_url("accounts.reset_password", token=make_reset_token(user)),
        "minutes": current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    }
    security_log.info("password reset requested: id=%s mailed=%s", user.id, registered)
    if registered:
        send_mail(user.email, _("重置您的工赋汇密码"), "emails/reset_password.txt", **context)
    else:
        render_template("emails/reset_password.txt", **context)


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise ResetTokenError(_("重置链接已过期，请重新申请。")) from exc
    except BadSignature as exc:
        raise ResetTokenError(_("重置链接无效或已使用，请重新申请。")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-12:] != data.get("pw"):
        raise ResetTokenError(_("重置链接无效或已使用，请重新申请。"))
    return user


def set_site_role(user: User, role: SiteRole) -> None:
    user.site_role = role
    security_log.info("site role changed: id=%s role=%s", user.id, role.value)


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)
    security_log.info("account %s: id=%s", "activated" if active else "deactivated", user.id)
