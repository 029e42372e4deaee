"""The moderation queue: needs and solutions waiting for review."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import moderation
from app.core import files
from app.core.forms import ConfirmForm, RejectForm, flash_errors, required_data
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db
from app.solutions import services as solutions
from app.solutions.models import SolutionAttachment

bp = Blueprint("moderation", __name__, url_prefix="/admin/moderation")


def _kind(slug: str) -> moderation.ListingKind:
    kind = moderation.KINDS.get(slug)
    if kind is None:
        abort(404)
    return kind


@bp.route("/")
@admin_required
def index():
    return redirect(url_for("moderation.queue", kind="needs"))


@bp.route("/attachments")
@admin_required
def attachments():
    """Files added to published solutions, each waiting on its own."""
    return render_template(
        "admin/moderation_attachments.html",
        kinds=moderation.KINDS.values(),
        counts=moderation.pending_counts(),
        page=paginate(solutions.pending_attachments()),
        reject_form=RejectForm(),
    )


@bp.route("/attachments/<int:attachment_id>/approve", methods=["POST"])
@admin_required
def approve_attachment(attachment_id: int):
    attachment = db.get_or_404(SolutionAttachment, attachment_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: moderation.approve_attachment(attachment, current_user),
            _("已通过并公开附件：%(name)s。", name=attachment.original_name),
        )
    return redirect(url_for("moderation.attachments"))


@bp.route("/attachments/<int:attachment_id>/reject", methods=["POST"])
@admin_required
def reject_attachment(attachment_id: int):
    attachment = db.get_or_404(SolutionAttachment, attachment_id)
    name = attachment.original_name
    form = RejectForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("moderation.attachments"))
    stored_name = run_step(
        lambda: moderation.reject_attachment(attachment, current_user, required_data(form.reason)),
        _("已退回并删除附件：%(name)s。", name=name),
    )
    if stored_name:
        files.remove_stored(solutions.ATTACHMENTS, stored_name)
    return redirect(url_for("moderation.attachments"))


@bp.route("/<kind>")
@admin_required
def queue(kind: str):
    listing_kind = _kind(kind)
    return render_template(
        "admin/moderation.html",
        kind=listing_kind,
        kinds=moderation.KINDS.values(),
        counts=moderation.pending_counts(),
        page=paginate(moderation.pending(listing_kind)),
        confirm_form=ConfirmForm(),
        reject_form=RejectForm(),
    )


@bp.route("/<kind>/<int:item_id>/approve", methods=["POST"])
@admin_required
def approve(kind: str, item_id: int):
    listing_kind = _kind(kind)
    item = db.get_or_404(listing_kind.model, item_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: moderation.approve(listing_kind, item, current_user),
            _("已通过并公开：%(title)s。", title=item.title),
        )
    return redirect(url_for("moderation.queue", kind=kind))


@bp.route("/<kind>/<int:item_id>/reject", methods=["POST"])
@admin_required
def reject(kind: str, item_id: int):
    listing_kind = _kind(kind)
    item = db.get_or_404(listing_kind.model, item_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("moderation.queue", kind=kind))
    run_step(
        lambda: moderation.reject(listing_kind, item, current_user, required_data(form.reason)),
        _("已退回：%(title)s。", title=item.title),
    )
    return redirect(url_for("moderation.queue", kind=kind))
