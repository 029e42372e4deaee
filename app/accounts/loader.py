"""Flask-Login wiring: users are loaded by their rotating session token."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import Membership, User
from app.extensions import db


def load_user(session_token: str) -> User | None:
    # Most pages show the user's organization (the menu, the dashboard): loaded with the user.
    organization = joinedload(User.membership).joinedload(Membership.organization)
    user = db.session.scalar(select(User).where(User.session_token == session_token).options(organization))
    return user if user is not None and user.active else None


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
