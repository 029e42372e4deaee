"""Flask-Login wiring: users are loaded by their rotating session token."""

from flask import Flask, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, user_loaded_from_cookie
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Membership, User
from app.accounts.services import consent_due
from app.extensions import db

#: In the session of a member who signed in while a version of the terms or privacy policy they
#: have not agreed to is published: every page leads to the consent page until they agree.
CONSENT_DUE = "consent_due"
#: What such a member may still open: the consent page, the texts it links to, signing out.
CONSENT_FREE = {"accounts.consent", "accounts.logout", "legal.privacy", "legal.terms", "home.set_language", "static"}


#: Run on every signed-in request, so built once: building it (the eager load's options, its cache key)
#: cost as much as running it. Most pages show the user's organization (the menu, the dashboard): it is
#: loaded with the user.
_USER_BY_TOKEN = (
    select(User)
    .where(User.session_token == bindparam("token"))
    .options(joinedload(User.membership).joinedload(Membership.organization))
)


def load_user(session_token: str) -> User | None:
    user = db.session.scalar(_USER_BY_TOKEN, {"token": session_token})
    return user if user is not None and user.active else None


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    user_loaded_from_cookie.connect(_ask_consent_after_cookie_sign_in, app)
    app.before_request(_consent_gate)


def _ask_consent_after_cookie_sign_in(app: Flask, user: User) -> None:
    if consent_due(user):
        session[CONSENT_DUE] = True


def _consent_gate():
    # current_user first: a sign-in from the remember-me cookie happens as it is loaded.
    if not current_user.is_authenticated or not session.get(CONSENT_DUE) or request.endpoint in CONSENT_FREE:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.consent", next=target))
