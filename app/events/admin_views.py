"""The organiser's side of events: create, edit and publish, the meeting programme, the
registrations (approve, reject), the meeting schedule, check-in at the door and the report."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.models import User
from app.core.forms import ConfirmForm, flash_errors
from app.core.models import utcnow
from app.core.numbers import parse_int
from app.core.pagination import paginate, paginate_list
from app.core.permissions import admin_required
from app.core.spreadsheets import XLSX_MIMETYPE
from app.core.steps import run_step
from app.events import agenda, competition, outcomes, reports, services
from app.events.forms import CheckInForm, EventForm, MoveForm, OrganiserOutcomeForm, ProgrammeForm
from app.events.models import (
    Event,
    EventKind,
    EventSlot,
    EventTable,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
)
from app.extensions import db
from app.reviews.forms import CriteriaForm, criteria_text
from app.reviews.models import RoundStatus

bp = Blueprint("event_admin", __name__, url_prefix="/admin/events")


@bp.route("/")
@admin_required
def index():
    return render_template(
        "events/admin/index.html", page=paginate(db.select(Event).order_by(Event.starts_at.desc(), Event.id.desc()))
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = EventForm()
    if form.validate_on_submit():
        event = run_step(
            lambda: services.create_event(form.values(), current_user),
            _("活动草稿已保存，下一步设置洽谈日程。"),
        )
        if event:
            return redirect(url_for("event_admin.programme", event_id=event.id))
    return render_template("events/admin/form.html", form=form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = EventForm.of(event)
    if form.validate_on_submit() and run_step(
        lambda: services.update_event(event, form.values(), current_user), _("活动已保存。")
    ):
        return redirect(url_for("event_admin.manage", event_id=event.id))
    return render_template("events/admin/form.html", form=form, event=event)


@bp.route("/<int:event_id>/programme", methods=["GET", "POST"])
@admin_required
def programme(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = ProgrammeForm()
    if form.validate_on_submit() and run_step(
        lambda: services.set_programme(event, form.programme(), current_user),
        lambda done: _(
            "已生成 %(slots)d 个洽谈时段、%(tables)d 张洽谈桌。", slots=len(done.slots), tables=len(done.tables)
        ),
    ):
        return redirect(url_for("event_admin.manage", event_id=event.id))
    return render_template("events/admin/programme.html", form=form, event=event)


@bp.route("/<int:event_id>/publish", methods=["POST"])
@admin_required
def publish(event_id: int):
    event = db.get_or_404(Event, event_id)
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.publish(event, current_user), _("活动已发布，开放报名。"))
    return redirect(url_for("event_admin.manage", event_id=event.id))


@bp.route("/<int:event_id>")
@admin_required
def manage(event_id: int):
    event = db.get_or_404(Event, event_id)
    status = request.args.get("status", "")
    chosen = RegistrationStatus(status) if status in {s.value for s in RegistrationStatus} else None
    return render_template(
        "events/admin/manage.html",
        event=event,
        status=chosen,
        page=paginate(services.registrations(event, chosen)),
        taken=services.places_taken(event),
        check_in_form=CheckInForm(),
    )


@bp.route("/registrations/<int:registration_id>/<any(approve, reject):decision>", methods=["POST"])
@admin_required
def decide(registration_id: int, decision: str):
    registration = db.get_or_404(Registration, registration_id)
    if ConfirmForm().validate_on_submit():
        decide = services.approve if decision == "approve" else services.reject
        run_step(
            lambda: decide(registration, current_user),
            _("已处理“%(org)s”的报名。", org=registration.organization.name),
        )
    return redirect(url_for("event_admin.manage", event_id=registration.event_id))


@bp.route("/<int:event_id>/check-in", methods=["POST"])
@admin_required
def check_in(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = CheckInForm()
    code = (form.code.data or "") if form.validate_on_submit() else ""
    run_step(
        lambda: services.check_in(event, code, current_user),
        lambda registration: _("“%(org)s”签到成功。", org=registration.organization.name),
    )
    return redirect(url_for("event_admin.manage", event_id=event.id) + "#check-in")


@bp.route("/<int:event_id>/schedule")
@admin_required
def schedule(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template(
        "events/admin/schedule.html",
        event=event,
        meetings=agenda.meetings_of(event),
        unplaced=agenda.unplaced(event),
        requests=len(agenda.accepted_requests(event)),
        reason_labels=agenda.REASON_LABELS,
        move_form=MoveForm.of(event),
        can_optimise=agenda.CAN_OPTIMISE,
    )


@bp.route("/<int:event_id>/schedule/<any(run, optimise):how>", methods=["POST"])
@admin_required
def run_schedule(event_id: int, how: str):
    event = db.get_or_404(Event, event_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: (agenda.run_scheduler if how == "run" else agenda.optimise)(event, current_user),
            lambda result: _(
                "已排入 %(placed)d 场洽谈，%(left)d 场未能排入。",
                placed=len(result.placements),
                left=len(result.unplaced),
            ),
        )
    return redirect(url_for("event_admin.schedule", event_id=event.id))


@bp.route("/<int:event_id>/schedule/publish", methods=["POST"])
@admin_required
def publish_schedule(event_id: int):
    event = db.get_or_404(Event, event_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: agenda.publish(event, current_user),
            lambda told: ngettext(
                "日程已发布，已通知 %(count)d 家单位。", "日程已发布，已通知 %(count)d 家单位。", told, count=told
            ),
        )
    return redirect(url_for("event_admin.schedule", event_id=event.id))


@bp.route("/<int:event_id>/schedule/move", methods=["POST"])
@admin_required
def move_meeting(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = MoveForm.of(event)
    if form.validate_on_submit():
        meeting_request = db.get_or_404(MeetingRequest, form.request_id.data)
        if meeting_request.event_id != event.id:
            abort(404)
        slot, table = db.get_or_404(EventSlot, form.slot.data), db.get_or_404(EventTable, form.table.data)
        run_step(lambda: agenda.move(meeting_request, slot, table, current_user), _("已调整洽谈的时段和桌号。"))
    else:
        flash_errors(form)
    return redirect(url_for("event_admin.schedule", event_id=event.id))


@bp.route("/<int:event_id>/report")
@admin_required
def report(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template("events/admin/report.html", event=event, report=outcomes.report(event))


@bp.route("/<int:event_id>/outcomes")
@admin_required
def meeting_outcomes(event_id: int):
    """Each meeting with what its sides said, and a form to record a side's account for it."""
    event = db.get_or_404(Event, event_id)
    page = paginate_list(agenda.meetings_of(event))
    return render_template(
        "events/admin/outcomes.html",
        event=event,
        page=page,
        forms={meeting.id: OrganiserOutcomeForm.of(meeting) for meeting in page.items},
        institution_of=outcomes.default_institution,
        now=utcnow(),
    )


@bp.route("/meetings/<int:meeting_id>/outcome", methods=["POST"])
@admin_required
def record_outcome(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = OrganiserOutcomeForm.of(meeting)
    if form.validate_on_submit():
        run_step(
            lambda: outcomes.record_for(meeting, form.side.data, current_user, *form.outcome()),
            _("洽谈结果已记录。"),
        )
    else:
        flash_errors(form)
    page = parse_int(request.args.get("page"))
    return redirect(
        url_for("event_admin.meeting_outcomes", event_id=meeting.event_id, page=page) + f"#meeting-{meeting.id}"
    )


@bp.route("/<int:event_id>/report.xlsx")
@admin_required
def report_xlsx(event_id: int):
    event = db.get_or_404(Event, event_id)
    return Response(
        reports.workbook(event),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f"attachment; filename=event-{event.id}-report.xlsx"},
    )


def _competition(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    if event.kind != EventKind.COMPETITION:
        abort(404)
    return event


@bp.route("/<int:event_id>/judging", methods=["GET", "POST"])
@admin_required
def judging(event_id: int):
    event = _competition(event_id)
    review = competition.shown_judging(event)
    form = CriteriaForm(data=None if request.method == "POST" else {"criteria": criteria_text(review)})
    if form.validate_on_submit() and run_step(
        lambda: competition.set_criteria(event, form.parsed, current_user),
        _("评分标准已保存。"),
    ):
        return redirect(url_for("event_admin.judging", event_id=event.id))
    ranked = competition.ranking(event) if review.status != RoundStatus.OPEN else []
    return render_template(
        "events/admin/judging.html",
        event=event,
        review=review,
        form=form,
        ranked=ranked,
        entries=competition.entries(event),
        candidates=competition.candidates(event) if review.status == RoundStatus.OPEN else [],
    )


@bp.route("/<int:event_id>/judges", methods=["POST"])
@admin_required
def add_judge(event_id: int):
    event = _competition(event_id)
    if ConfirmForm().validate_on_submit():
        expert = db.session.get(User, parse_int(request.form.get("expert")) or 0)
        run_step(
            lambda: competition.appoint_judge(event, expert, current_user),
            lambda judge: _("已请 %(name)s 担任评委。", name=judge.display_name),
        )
    return redirect(url_for("event_admin.judging", event_id=event.id) + "#judges")


@bp.route("/<int:event_id>/judges/<int:user_id>/remove", methods=["POST"])
@admin_required
def remove_judge(event_id: int, user_id: int):
    event = _competition(event_id)
    judge = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        run_step(
            lambda: competition.remove_judge(event, judge, current_user),
            _("%(name)s 已不再担任评委。", name=judge.display_name),
        )
    return redirect(url_for("event_admin.judging", event_id=event.id) + "#judges")


@bp.route("/<int:event_id>/judging/<any(close, publish):step>", methods=["POST"])
@admin_required
def judging_step(event_id: int, step: str):
    event = _competition(event_id)
    if ConfirmForm().validate_on_submit():
        if step == "close":
            run_step(lambda: competition.close_judging(event, current_user), _("评审已结束，可以查看排名。"))
        else:
            run_step(lambda: competition.publish_results(event, current_user), _("比赛结果已公布。"))
    return redirect(url_for("event_admin.judging", event_id=event.id))
