"""A member's saved searches: save the current list query, see them, delete one."""

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.core.forms import ConfirmForm, flash_errors
from app.core.pagination import paginate
from app.core.steps import run_step
from app.extensions import db
from app.search import saved as saved_searches
from app.search.forms import SaveSearchForm
from app.search.models import SavedSearch
from app.search.pages import SearchQuery

bp = Blueprint("saved_searches", __name__, url_prefix="/saved-searches")
bp.add_app_template_global(SaveSearchForm, "save_search_form")
bp.add_app_template_global(saved_searches.list_args, "saved_search_args")
bp.add_app_template_global(saved_searches.savable, "savable")


@bp.route("/")
@login_required
def index():
    return render_template("search/saved.html", page=paginate(saved_searches.of_user(current_user)))


@bp.route("/new", methods=["POST"])
@login_required
def create():
    form = SaveSearchForm()
    kind = saved_searches.savable(form.doc_type.data or "")
    if kind is None:
        abort(400)
    args = parse_qsl(form.query.data or "")
    if form.validate_on_submit():
        query = SearchQuery.parse(MultiDict(args), kind.facets, ("relevance", "newest"))
        run_step(
            lambda: saved_searches.save(current_user, kind.doc_type, query, form.name.data),
            _("已保存搜索。有新的匹配结果时，会通过站内消息和邮件提醒您。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for(kind.list_endpoint) + ("?" + urlencode(args) if args else ""))


@bp.route("/<int:saved_id>/delete", methods=["POST"])
@login_required
def delete(saved_id: int):
    saved = db.get_or_404(SavedSearch, saved_id)
    if saved.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: saved_searches.delete(saved), _("已删除保存的搜索。"))
    return redirect(url_for("saved_searches.index"))
