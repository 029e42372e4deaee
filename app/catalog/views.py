"""Admin pages that edit the taxonomy."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog import services
from app.catalog.forms import TaxonomyEntryForm
from app.core.forms import ConfirmForm, required_data
from app.core.numbers import int_arg
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db
from app.taxonomy import services as taxonomy
from app.taxonomy.models import ScenarioCategory, ScenarioSubcategory

bp = Blueprint("catalog", __name__, url_prefix="/admin/taxonomy")


def _kind(slug: str) -> services.TaxonomyKind:
    kind = services.KINDS.get(slug)
    if kind is None:
        abort(404)
    return kind


def _entry(kind: services.TaxonomyKind, entry_id: int):
    return db.get_or_404(kind.model, entry_id)


@bp.route("/")
@admin_required
def index():
    return redirect(url_for("catalog.entries", kind="industries"))


@bp.route("/<kind>")
@admin_required
def entries(kind: str):
    taxonomy_kind = _kind(kind)
    if taxonomy_kind.model is ScenarioSubcategory:
        groups = [(category, category.subcategories) for category in taxonomy.entries(ScenarioCategory)]
    else:
        groups = [(None, taxonomy.entries(taxonomy_kind.model))]
    return render_template(
        "catalog/entries.html",
        kind=taxonomy_kind,
        kinds=services.KINDS.values(),
        groups=groups,
        confirm_form=ConfirmForm(),
    )


@bp.route("/<kind>/new", methods=["GET", "POST"])
@admin_required
def new_entry(kind: str):
    taxonomy_kind = _kind(kind)
    form = TaxonomyEntryForm(model=taxonomy_kind.model, category_id=int_arg("category_id"))
    if form.validate_on_submit() and run_step(
        lambda: services.add_entry(taxonomy_kind.model, required_data(form.code), form.values(), by=current_user),
        lambda entry: _("已添加“%(name)s”。", name=entry.display_name()),
    ):
        return redirect(url_for("catalog.entries", kind=kind))
    return render_template("catalog/entry_form.html", kind=taxonomy_kind, form=form, entry=None)


@bp.route("/<kind>/<int:entry_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_entry(kind: str, entry_id: int):
    taxonomy_kind = _kind(kind)
    entry = _entry(taxonomy_kind, entry_id)
    form = TaxonomyEntryForm(obj=entry, model=taxonomy_kind.model, entry=entry)
    if form.validate_on_submit() and run_step(
        lambda: services.update_entry(entry, form.values(), by=current_user),
        lambda saved: _("已保存“%(name)s”。", name=saved.display_name()),
    ):
        return redirect(url_for("catalog.entries", kind=kind))
    return render_template("catalog/entry_form.html", kind=taxonomy_kind, form=form, entry=entry)


@bp.route("/<kind>/<int:entry_id>/move", methods=["POST"])
@admin_required
def move_entry(kind: str, entry_id: int):
    taxonomy_kind = _kind(kind)
    entry = _entry(taxonomy_kind, entry_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: services.move_entry(entry, -1 if request.form.get("direction") == "up" else 1, by=current_user)
        )
    return redirect(url_for("catalog.entries", kind=kind))


@bp.route("/<kind>/<int:entry_id>/active", methods=["POST"])
@admin_required
def set_entry_active(kind: str, entry_id: int):
    taxonomy_kind = _kind(kind)
    entry = _entry(taxonomy_kind, entry_id)
    if ConfirmForm().validate_on_submit():
        active = request.form.get("active") == "1"
        run_step(
            lambda: services.set_entry_active(entry, active, by=current_user),
            _("已启用“%(name)s”。", name=entry.display_name())
            if active
            else _("已停用“%(name)s”：已使用它的记录保持不变，新记录不能再选择它。", name=entry.display_name()),
        )
    return redirect(url_for("catalog.entries", kind=kind))
