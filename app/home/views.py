"""The home page, the personal dashboard and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request
from flask_login import current_user, login_required

from app.admin.services import admin_queue_counts
from app.core.redirects import is_local_path
from app.home.services import portal_counts

bp = Blueprint("home", __name__)

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


@bp.route("/")
def index():
    return render_template("home/index.html", counts=portal_counts())


@bp.route("/dashboard")
@login_required
def dashboard():
    queue = admin_queue_counts() if current_user.is_admin else None
    return render_template("home/dashboard.html", organization=current_user.organization, queue=queue)


@bp.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language", "")
    target = request.form.get("next", "")
    response = redirect(target if is_local_path(target) else "/")
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SECURITY_HSTS"],
        )
    return response
