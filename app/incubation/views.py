"""Incubation for everyone: the tracks and their certified firms; for a firm's members, its yearly
figures, how it measures up against each track, and applying."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Organization
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values
from app.extensions import db
from app.incubation import services
from app.incubation.charts import figures_chart
from app.incubation.criteria import describe
from app.incubation.forms import ApplyForm, FiguresForm
from app.incubation.models import AnnualFigures, Track
from app.incubation.permissions import can_report_figures

bp = Blueprint("incubation", __name__, url_prefix="/incubation")
add_app_template_values(bp, incubation_stage_labels=services.STAGE_LABELS)
bp.add_app_template_global(describe, "describe_criterion")
bp.add_app_template_global(services.figures_of, "incubation_figures")
bp.add_app_template_global(figures_chart, "incubation_chart")


def _track(code: str) -> Track:
    track = services.track_by_code(code)
    if track is None:
        abort(404)
    return track


def _own_organization() -> Organization:
    ensure(can_report_figures(current_user))
    return current_user.organization


@bp.route("")
def index():
    return render_template(
        "incubation/index.html",
        progress=services.progress(),
        certified={track.id: services.certified(track) for track in services.tracks()},
    )


@bp.route("/<code>")
def track(code: str):
    track = _track(code)
    org = current_user.organization if current_user.is_authenticated else None
    return render_template(
        "incubation/track.html",
        track=track,
        target=services.target_of(track),
        certified=services.certified(track),
        evaluation=services.evaluation(org, track) if org else None,
        enrolment=services.live_enrolment(org, track) if org else None,
    )


def _figures_page(org: Organization, form: FiguresForm, editing: AnnualFigures | None = None):
    figures = services.figures_of(org)
    return render_template(
        "incubation/figures.html",
        organization=org,
        form=form,
        figures=figures,
        editing=editing,
        chart=figures_chart(figures),
        evaluations=services.evaluations(org),
        enrolments=services.enrolments_of(org),
    )


@bp.route("/figures", methods=["GET", "POST"])
@login_required
def figures():
    org = _own_organization()
    form = FiguresForm.of()
    if (
        form.validate_on_submit()
        and form.accepts(services.check_figures(org, form.values()))
        and run_step(
            lambda: services.record_figures(org, form.values(), current_user),
            lambda saved: _("%(year)d 年数据已保存。", year=saved.year),
        )
    ):
        return redirect(url_for("incubation.figures"))
    return _figures_page(org, form)


@bp.route("/figures/<int:year>", methods=["GET", "POST"])
@login_required
def edit_figures(year: int):
    org = _own_organization()
    existing = db.session.scalar(
        db.select(AnnualFigures).where(AnnualFigures.organization_id == org.id, AnnualFigures.year == year)
    )
    if existing is None:
        abort(404)
    form = FiguresForm.of(existing)
    if (
        form.validate_on_submit()
        and form.accepts(services.check_figures(org, form.values(), existing, keep_year=True))
        and run_step(
            lambda: services.update_figures(existing, form.values(), current_user),
            _("%(year)d 年数据已更新。", year=year),
        )
    ):
        return redirect(url_for("incubation.figures"))
    return _figures_page(org, form, existing)


@bp.route("/<code>/apply", methods=["GET", "POST"])
@login_required
def apply(code: str):
    track, org = _track(code), _own_organization()
    if not run_step(lambda: services.open_to_apply(org, track)):
        return redirect(url_for("incubation.figures"))
    form = ApplyForm()
    if form.validate_on_submit() and run_step(
        lambda: services.apply(org, track, current_user, form.statement.data or ""),
        _("已提交%(track)s申请，平台将审核并通知您。", track=track.display_name()),
    ):
        return redirect(url_for("incubation.figures"))
    return render_template(
        "incubation/apply.html",
        track=track,
        organization=org,
        form=form,
        evaluation=services.evaluation(org, track),
        years=len(services.figures_of(org)),
    )
