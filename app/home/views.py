"""The home page, search everything, the personal dashboard and the language switch."""

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_login import current_user, login_required

from app.accounts.services import remember_language
from app.admin.services import admin_queue_counts
from app.core.page_cache import public_page
from app.core.redirects import is_local_path
from app.core.security import is_cross_site
from app.core.steps import run_step
from app.extensions import csrf
from app.home import search as everything
from app.home.services import home_page

bp = Blueprint("home", __name__)

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


@bp.route("/")
@public_page
def index():
    return render_template("home/index.html", home=home_page())


@bp.route("/search")
@public_page
def search():
    query = everything.parse(request.args)
    return render_template("home/search.html", query=query, groups=everything.search_everything(query))


@bp.route("/dashboard")
@login_required
def dashboard():
    queue = admin_queue_counts() if current_user.is_admin else None
    return render_template("home/dashboard.html", organization=current_user.organization, queue=queue)


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    """Public pages carry no CSRF token, so that one cached page serves every anonymous visitor
    (app/core/page_cache.py): another site cannot switch an anonymous visitor's language (the
    browser names it), and a signed-in visitor's form carries a token as every other form does."""
    if current_user.is_authenticated:
        csrf.protect()
    elif is_cross_site():
        abort(403)
    language = request.form.get("language", "")
    target = request.form.get("next", "")
    response = redirect(target if is_local_path(target) else "/")
    if language in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            run_step(lambda: remember_language(current_user, language))
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SECURITY_HSTS"],
        )
    return response
