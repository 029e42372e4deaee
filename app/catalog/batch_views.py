"""Admin pages for the scenario list: batches, import with preview, publishing."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.catalog import batches
from app.catalog.forms import BatchForm
from app.catalog.importing import SCENARIO_FIELD_LABELS, apply_import, parse_scenarios
from app.catalog.models import BatchStatus, ChangeKind, ScenarioBatch
from app.core.forms import ConfirmForm, SpreadsheetForm, flash_errors
from app.core.import_flow import ImportFlow
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db

bp = Blueprint("scenario_admin", __name__, url_prefix="/admin/scenarios")


@bp.app_template_filter("scenario_field_label")
def scenario_field_label(name: str) -> str:
    return str(SCENARIO_FIELD_LABELS.get(name, name))


IMPORT = ImportFlow(parse_scenarios, row_limit=100, problem_limit=500)


def _batch(batch_id: int) -> ScenarioBatch:
    return db.get_or_404(ScenarioBatch, batch_id)


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    form = BatchForm()
    if form.validate_on_submit():
        created = run_step(
            lambda: batches.create_batch(form.name.data, form.year.data, form.notes.data or "", by=current_user),
            lambda batch: _("批次“%(name)s”已创建，现在可以导入场景。", name=batch.name),
        )
        if created is not None:
            return redirect(url_for("scenario_admin.batch", batch_id=created.id))
    page = paginate(batches.batch_query())
    counts = {b.id: batches.change_counts(b) for b in page.items}
    return render_template("catalog/admin_batches.html", page=page, counts=counts, form=form)


@bp.route("/batches/<int:batch_id>")
@admin_required
def batch(batch_id: int):
    batch = _batch(batch_id)
    change = request.args.get("change", "")
    kind = ChangeKind(change) if change in {c.value for c in ChangeKind} else None
    return render_template(
        "catalog/admin_batch.html",
        batch=batch,
        counts=batches.change_counts(batch),
        page=paginate(batches.revisions_query(batch, kind)),
        change=change,
        import_form=SpreadsheetForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/batches/<int:batch_id>/import", methods=["POST"])
@admin_required
def upload(batch_id: int):
    batch = _batch(batch_id)
    if run_step(lambda: batches.importable(batch)) is None:
        return redirect(url_for("scenario_admin.batch", batch_id=batch.id))
    form = SpreadsheetForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("scenario_admin.batch", batch_id=batch.id))
    staged = IMPORT.preview(form.file.data.read(), form.file.data.filename or "")
    return render_template(
        "catalog/admin_import_preview.html",
        batch=batch,
        preview=staged.parsed,
        token=staged.token,
        filename=staged.filename,
        problem_limit=staged.problem_limit,
        row_limit=staged.row_limit,
        change_kinds=ChangeKind,
    )


@bp.route("/batches/<int:batch_id>/import/apply", methods=["POST"])
@admin_required
def apply(batch_id: int):
    batch = _batch(batch_id)
    run_step(
        lambda: IMPORT.apply(
            request.form.get("token", ""),
            lambda preview: apply_import(preview, batch, by=current_user),
            usable=batch.status == BatchStatus.DRAFT,
        ),
        lambda applied: _("已导入：新增 %(added)d 个，变更 %(changed)d 个，未变 %(unchanged)d 个。", **applied[1]),
    )
    return redirect(url_for("scenario_admin.batch", batch_id=batch.id))


@bp.route("/batches/<int:batch_id>/publish", methods=["POST"])
@admin_required
def publish(batch_id: int):
    batch = _batch(batch_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: batches.publish_batch(batch, by=current_user),
            lambda count: ngettext(
                "“%(name)s”已发布，%(count)d 个场景已公开。",
                "“%(name)s”已发布，%(count)d 个场景已公开。",
                count,
                name=batch.name,
                count=count,
            ),
        )
    return redirect(url_for("scenario_admin.batch", batch_id=batch.id))


@bp.route("/batches/<int:batch_id>/withdraw", methods=["POST"])
@admin_required
def withdraw(batch_id: int):
    batch = _batch(batch_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: batches.withdraw_batch(batch, by=current_user),
            lambda count: ngettext(
                "“%(name)s”已撤回，%(count)d 个场景不再公开。",
                "“%(name)s”已撤回，%(count)d 个场景不再公开。",
                count,
                name=batch.name,
                count=count,
            ),
        )
    return redirect(url_for("scenario_admin.batch", batch_id=batch.id))
