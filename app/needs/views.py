"""Needs: the public list and pages, and what an enterprise's members do with their own."""

from flask import Blueprint, abort, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from app.accounts.permissions import in_an_organization
from app.catalog.scenarios import facet_labels
from app.core import data_version
from app.core.i18n import current_language
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.core.steps import run_step
from app.listings import moderation
from app.listings.permissions import can_manage_listing, can_see_listing_contacts, can_view_listing
from app.listings.view_steps import owner_step
from app.needs import services
from app.needs.forms import NeedForm
from app.needs.models import Need
from app.needs.permissions import can_post_need
from app.needs.search import EXPORT, NEED, parse_query
from app.search import search
from app.search.pages import export_search, records_of

bp = Blueprint("needs", __name__, url_prefix="/needs")

#: The parts of a need's page kept per data version (templates/needs/_parts.html).
KEPT_PARTS = ("heading", "scenarios", "facts")


def _need(need_id: int) -> Need:
    need = services.get(need_id)
    if need is None or not can_view_listing(current_user, need):
        abort(404)
    return need


@bp.route("/")
@public_page
def index():
    query = parse_query(request.args)
    result = search(NEED, query.q, query.filters, query.sort, query.page, 20)
    needs = records_of(
        Need, result, selectinload(Need.domains), selectinload(Need.organization), selectinload(Need.industry)
    )
    return render_template(
        "needs/index.html",
        query=query,
        result=result,
        needs=needs,
        labels=facet_labels(),
        can_post=can_post_need(current_user),
        save_doc_type=NEED,
        export_endpoint="needs.export",
    )


@bp.route("/export.<kind>")
def export(kind: str):
    return export_search(EXPORT, kind)


@bp.route("/mine")
@login_required
def mine():
    org = current_user.organization
    ensure(in_an_organization(current_user))
    return render_template(
        "needs/mine.html", page=paginate(moderation.owned_by(Need, org)), org=org, can_post=can_post_need(current_user)
    )


def _kept_parts(need: Need) -> dict[str, Markup]:
    """What the need's page shows every visitor alike, rendered once per data version and language."""
    return data_version.cached_fragments(
        "needs.detail",
        lambda: {part: str(get_template_attribute("needs/_parts.html", part)(need)) for part in KEPT_PARTS},
        need.id,
        current_language(),
    )


def _owner_panel(need: Need) -> Markup:
    """The panel of those who manage the need, kept apart from the other parts: its forms take the
    visitor's CSRF token, which no one else is given (an anonymous page that made a token sets a
    session cookie and is never cached)."""
    return data_version.cached_fragment(
        "needs.owner_panel",
        lambda: str(get_template_attribute("needs/_parts.html", "owner")(need)),
        need.id,
        current_language(),
    )


@bp.route("/<int:need_id>")
def detail(need_id: int):
    need = _need(need_id)
    can_manage = can_manage_listing(current_user, need)
    return render_template(
        "needs/detail.html",
        need=need,
        parts=_kept_parts(need),
        owner_panel=_owner_panel(need) if can_manage else None,
        can_manage=can_manage,
        show_contacts=can_see_listing_contacts(current_user, need),
        recommended=services.recommended_solutions(current_user, need),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    ensure(can_post_need(current_user))
    org = current_user.organization
    form = NeedForm(
        data=None
        if request.method == "POST"
        else {
            "contact_person": org.contact_person,
            "contact_phone": org.contact_phone,
            "contact_email": current_user.email,
            "show_person": True,
        }
    )
    if form.validate_on_submit():
        need = run_step(
            lambda: moderation.create_listing(
                Need, org, current_user, form.values(), submit_now=form.submit_for_review.data
            ),
            lambda need: (
                _("需求已提交审核，审核通过后公开。")
                if need.status == moderation.ListingStatus.SUBMITTED
                else _("需求草稿已保存。")
            ),
        )
        if need:
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    need = _need(need_id)
    ensure(can_manage_listing(current_user, need))
    if not run_step(lambda: moderation.editable(need)):
        return redirect(url_for("needs.detail", need_id=need.id))
    form = NeedForm(need=need)
    if form.validate_on_submit():
        run_step(
            lambda: moderation.update_listing(need, form.values(), submit_now=form.submit_for_review.data),
            lambda back_to_review: (
                _("修改了需求的主要内容，需求已转入重新审核。") if back_to_review else _("需求已保存。")
            ),
        )
        return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need)


@bp.route("/<int:need_id>/submit", methods=["POST"])
@login_required
def submit(need_id: int):
    need = _need(need_id)
    ensure(can_manage_listing(current_user, need))
    owner_step(need, moderation.submit, _("需求已提交审核，审核通过后公开。"))
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.route("/<int:need_id>/close", methods=["POST"])
@login_required
def close(need_id: int):
    need = _need(need_id)
    ensure(can_manage_listing(current_user, need))
    owner_step(need, moderation.close, _("需求已关闭，不再公开。"))
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.route("/<int:need_id>/renew", methods=["POST"])
@login_required
def renew(need_id: int):
    need = _need(need_id)
    ensure(can_manage_listing(current_user, need))
    owner_step(need, services.renew, _("需求已续期，%(days)d 天内保持公开。", days=services.lifetime_days()))
    return redirect(url_for("needs.detail", need_id=need.id))
