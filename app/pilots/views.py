"""Pilot projects and demo cases for everyone: the calls and lists by year, a project's page and
objections during the notice; firms apply and follow their applications; experts score theirs."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.permissions import in_an_organization
from app.core import files
from app.core.forms import ConfirmForm, flash_errors, required_data
from app.core.page_cache import public_page
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db
from app.pilots import evidence, services
from app.pilots.forms import KIND_LABELS, STATUS_LABELS, ApplicationForm, ObjectionForm, application_status
from app.pilots.models import PilotApplication, PilotAttachment, PilotCall
from app.pilots.permissions import can_apply, can_review_applications, can_see_application
from app.reviews.forms import parse_scores

bp = Blueprint("pilots", __name__, url_prefix="/pilots")
add_app_template_values(bp, pilot_kind_labels=KIND_LABELS, pilot_status_labels=STATUS_LABELS)
bp.add_app_template_global(application_status, "pilot_application_status")


def _public_call(call_id: int) -> PilotCall:
    call = db.get_or_404(PilotCall, call_id)
    if not services.is_public(call) and not (current_user.is_authenticated and current_user.is_admin):
        abort(404)
    return call


def _listed(application_id: int) -> PilotApplication:
    application = db.get_or_404(PilotApplication, application_id)
    if not services.is_listed(application):
        abort(404)
    return application


@bp.route("/")
@public_page
def index():
    return render_template(
        "pilots/index.html",
        calls=services.public_calls(),
        listed=services.listed,
        accepting=services.accepting,
    )


@bp.route("/<int:call_id>")
def call(call_id: int):
    call = _public_call(call_id)
    org = current_user.organization if current_user.is_authenticated else None
    return render_template(
        "pilots/call.html",
        call=call,
        listed=services.listed(call),
        accepting=services.accepting(call),
        mine=services.application_of(call, org),
        withdrawn_objections=services.upheld_objections_by(call, current_user),
    )


@bp.route("/projects/<int:application_id>")
def project(application_id: int):
    application = _listed(application_id)
    return render_template(
        "pilots/project.html",
        application=application,
        call=application.call,
        form=ObjectionForm(),
        objections=services.objections_seen_by(application, current_user),
        result=services.published_result(application),
    )


@bp.route("/projects/<int:application_id>/objection", methods=["POST"])
@login_required
def object_to(application_id: int):
    application = _listed(application_id)
    form = ObjectionForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.object_to(
                application, current_user, required_data(form.reason), required_data(form.contact)
            ),
            _("异议已提交，平台会核实后答复。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for("pilots.project", application_id=application.id))


@bp.route("/<int:call_id>/apply", methods=["GET", "POST"])
@login_required
def apply(call_id: int):
    call = _public_call(call_id)
    ensure(can_apply(current_user))
    existing = services.application_of(call, current_user.organization)
    if existing is not None:
        return redirect(url_for("pilots.application", application_id=existing.id))
    form = ApplicationForm(call, evidence.choices(current_user.organization, current_user))
    if form.validate_on_submit():
        application = run_step(lambda: services.apply(call, current_user, form.values()), _("申报已提交。"))
        if application is not None:
            return redirect(url_for("pilots.application", application_id=application.id))
    return render_template("pilots/apply.html", call=call, form=form, accepting=services.accepting(call))


@bp.route("/mine")
@login_required
def mine():
    ensure(in_an_organization(current_user))
    return render_template("pilots/mine.html", applications=services.applications_of(current_user.organization))


@bp.route("/applications/<int:application_id>")
@login_required
def application(application_id: int):
    application = db.get_or_404(PilotApplication, application_id)
    ensure(can_see_application(current_user, application))
    review = services.review_of(application.call)
    return render_template(
        "pilots/application.html",
        application=application,
        call=application.call,
        review=review,
        evidence=evidence.shown(application, current_user),
        result=services.published_result(application),
        mine=services.own_scores(application, current_user) if current_user.is_expert else {},
    )


@bp.route("/applications/<int:application_id>/files/<int:file_id>")
@login_required
def attachment(application_id: int, file_id: int):
    application = db.get_or_404(PilotApplication, application_id)
    ensure(can_see_application(current_user, application))
    stored = db.get_or_404(PilotAttachment, file_id)
    if stored.application_id != application.id:
        abort(404)
    return files.send_stored(
        services.FILES, stored.stored_name, stored.content_type, stored.original_name, private=True
    )


@bp.route("/reviews")
@login_required
def reviews():
    ensure(can_review_applications(current_user))
    return render_template("pilots/reviews.html", applications=services.assigned_to(current_user))


@bp.route("/applications/<int:application_id>/score", methods=["POST"])
@login_required
def score(application_id: int):
    """An expert's scores of an application assigned to them (the service refuses any other)."""
    application = db.get_or_404(PilotApplication, application_id)
    ensure(can_review_applications(current_user))
    if ConfirmForm().validate_on_submit():
        scores = parse_scores(request.form, services.review_of(application.call).criteria)
        run_step(lambda: services.score(application, current_user, scores), _("评分已保存。"))
    if can_see_application(current_user, application):
        return redirect(url_for("pilots.application", application_id=application.id))
    return redirect(url_for("pilots.reviews"))
