"""The office's side of incubation: the tracks against their targets, each track's cohort board,
an enrolment's evaluation, history, milestones and notes, enrolling a firm, the criteria, and
correcting a firm's figures."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Organization
from app.core.forms import ConfirmForm, flash_errors, required_data
from app.core.numbers import int_arg
from app.core.permissions import admin_required
from app.core.steps import run_step
from app.extensions import db
from app.incubation import services
from app.incubation.charts import figures_chart
from app.incubation.forms import CorrectionForm, EnrolForm, MilestoneForm, MoveForm, NoteForm, criteria_form
from app.incubation.models import AnnualFigures, Enrolment, Milestone, Stage, Track

bp = Blueprint("incubation_admin", __name__, url_prefix="/admin/incubation")


def _track(code: str) -> Track:
    track = services.track_by_code(code)
    if track is None:
        abort(404)
    return track


@bp.route("/")
@admin_required
def index():
    return render_template("incubation/admin/index.html", progress=services.progress())


@bp.route("/<code>")
@admin_required
def board(code: str):
    track = _track(code)
    return render_template("incubation/admin/board.html", track=track, columns=services.board(track))


@bp.route("/<code>/criteria", methods=["GET", "POST"])
@admin_required
def criteria(code: str):
    track = _track(code)
    form = criteria_form(track)
    if form.validate_on_submit() and run_step(
        lambda: services.set_criteria(track, form.criteria(), current_user),
        _("%(track)s的认定条件已保存。", track=track.display_name()),
    ):
        return redirect(url_for("incubation_admin.index"))
    return render_template("incubation/admin/criteria.html", track=track, form=form)


@bp.route("/<code>/enrol", methods=["GET", "POST"])
@admin_required
def enrol(code: str):
    """Enrol a firm; `?org=<id>` (the link of a notification) shows that firm's evaluation first."""
    track = _track(code)
    chosen = db.session.get(Organization, int_arg("org", 0))
    form = EnrolForm(data={"firm": chosen.credit_code} if chosen and request.method == "GET" else None)
    if form.validate_on_submit():
        enrolment = run_step(
            lambda: services.enrol(form.firm.organization, track, current_user),
            _("已将企业纳入%(track)s培育对象。", track=track.display_name()),
        )
        if enrolment:
            return redirect(url_for("incubation_admin.enrolment", enrolment_id=enrolment.id))
    return render_template(
        "incubation/admin/enrol.html",
        track=track,
        form=form,
        chosen=chosen,
        evaluation=services.evaluation(chosen, track) if chosen else None,
        enrolment=services.live_enrolment(chosen, track) if chosen else None,
    )


def _enrolment(enrolment_id: int) -> Enrolment:
    return db.get_or_404(Enrolment, enrolment_id)


@bp.route("/enrolments/<int:enrolment_id>")
@admin_required
def enrolment(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    figures = services.figures_of(enrolment.organization)
    return render_template(
        "incubation/admin/enrolment.html",
        enrolment=enrolment,
        figures=figures,
        chart=figures_chart(figures),
        evaluation=services.evaluation(enrolment.organization, enrolment.track),
        move_form=MoveForm.of(enrolment.stage),
        milestone_form=MilestoneForm(),
        note_form=NoteForm(),
    )


@bp.route("/enrolments/<int:enrolment_id>/move", methods=["POST"])
@admin_required
def move(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    form = MoveForm.of(enrolment.stage)
    if form.validate_on_submit():
        run_step(
            lambda: services.move(enrolment, Stage(form.to.data), current_user, form.reason.data or "", form.on.data),
            lambda transition: _("已改为“%(stage)s”。", stage=services.STAGE_LABELS[transition.to_stage]),
        )
    else:
        flash_errors(form)
    return redirect(url_for("incubation_admin.enrolment", enrolment_id=enrolment.id))


@bp.route("/enrolments/<int:enrolment_id>/milestones", methods=["POST"])
@admin_required
def add_milestone(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.add_milestone(
                enrolment, required_data(form.title), required_data(form.due_on), current_user
            ),
            _("里程碑已添加。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for("incubation_admin.enrolment", enrolment_id=enrolment.id) + "#milestones")


@bp.route("/milestones/<int:milestone_id>/<any(done, undone):state>", methods=["POST"])
@admin_required
def milestone_state(milestone_id: int, state: str):
    milestone = db.get_or_404(Milestone, milestone_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.set_milestone_done(milestone, state == "done", current_user))
    return redirect(url_for("incubation_admin.enrolment", enrolment_id=milestone.enrolment_id) + "#milestones")


@bp.route("/enrolments/<int:enrolment_id>/notes", methods=["POST"])
@admin_required
def add_note(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    form = NoteForm()
    if form.validate_on_submit():
        run_step(lambda: services.add_note(enrolment, required_data(form.body), current_user), _("辅导记录已保存。"))
    else:
        flash_errors(form)
    return redirect(url_for("incubation_admin.enrolment", enrolment_id=enrolment.id) + "#notes")


@bp.route("/figures/<int:figures_id>/correct", methods=["GET", "POST"])
@admin_required
def correct(figures_id: int):
    figures = db.get_or_404(AnnualFigures, figures_id)
    form = CorrectionForm.of(figures)
    if (
        form.validate_on_submit()
        and form.accepts(services.check_figures(figures.organization, form.values(), figures))
        and run_step(
            lambda: services.correct_figures(figures, form.values(), current_user, form.reason.data),
            lambda _corrected: _(
                "“%(org)s”%(year)d 年的数据已更正。", org=figures.organization.name, year=figures.year
            ),
        )
    ):
        return redirect(url_for("orgs.detail", org_id=figures.organization_id) + "#figures")
    return render_template("incubation/admin/correct.html", figures=figures, form=form)
