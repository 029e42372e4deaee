"""Events for everyone: the list and calendar, an event's page and .ics, registering, the ticket."""

import segno
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.permissions import in_an_organization, is_member_of
from app.core import files
from app.core.forms import ConfirmForm, flash_errors, required_data, select_choices
from app.core.links import external_url
from app.core.models import local_today, utcnow
from app.core.numbers import int_arg, parse_int
from app.core.page_cache import public_page
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.core.steps import run_step
from app.core.templating import add_app_template_values, local_datetime
from app.events import agenda as agendas
from app.events import competition, ics, month, outcomes, services
from app.events.forms import (
    KIND_LABELS,
    OUTCOME_LABELS,
    REGISTRATION_STATUS_LABELS,
    ROLE_LABELS,
    EntryForm,
    MeetingRequestForm,
    OutcomeForm,
    RegistrationForm,
    request_status,
)
from app.events.models import (
    EntryFile,
    Event,
    Meeting,
    MeetingRequest,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from app.events.permissions import (
    can_cancel,
    can_record_outcome,
    can_see_entry,
    can_see_participants,
    can_see_ticket,
    can_submit_entry,
    is_judge,
    is_participant,
    is_party,
)
from app.extensions import db
from app.reviews import services as reviews
from app.reviews.forms import parse_scores
from app.taxonomy.models import Industry, TechDomain
from app.taxonomy.services import entries

bp = Blueprint("events", __name__, url_prefix="/events")
add_app_template_values(
    bp,
    event_kind_labels=KIND_LABELS,
    participant_role_labels=ROLE_LABELS,
    registration_status_labels=REGISTRATION_STATUS_LABELS,
    outcome_labels=OUTCOME_LABELS,
)
bp.add_app_template_global(request_status, "meeting_request_status")


def _event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    if not event.is_public and not (current_user.is_authenticated and current_user.is_admin):
        abort(404)
    return event


@bp.route("/")
@public_page
def index():
    upcoming = db.session.scalars(services.public_events(upcoming=True)).all()
    past = db.session.scalars(services.public_events(upcoming=False).limit(30)).all()
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.route("/calendar")
def month_calendar():
    first = month.parse_month(request.args.get("month", ""), local_today())
    return render_template("events/calendar.html", month=month.month_of(first))


@bp.route("/<int:event_id>")
def detail(event_id: int):
    event = _event(event_id)
    org = current_user.organization if current_user.is_authenticated else None
    return render_template(
        "events/detail.html",
        event=event,
        registration=services.registration_of(event, org),
        taken=services.places_taken(event),
        full=services.is_full(event),
        open=services.registration_open(event),
        results=competition.published_results(event),
        judge=is_judge(current_user, event),
    )


@bp.route("/<int:event_id>.ics")
def calendar(event_id: int):
    event = _event(event_id)
    entry = ics.CalendarEntry(
        uid=f"event-{event.id}@gongfu",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=event.venue,
        description=event.description,
        url=external_url("events.detail", event_id=event.id),
    )
    return Response(
        ics.calendar([entry], event.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=event-{event.id}.ics"},
    )


@bp.route("/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = _event(event_id)
    ensure(in_an_organization(current_user))
    org = current_user.organization
    existing = services.registration_of(event, org)
    if existing is not None and existing.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
        return redirect(url_for("events.ticket", registration_id=existing.id))
    form = RegistrationForm()
    own_needs, own_solutions = services.public_listings_of(org)
    form.needs.choices = select_choices((n.id, n.title) for n in own_needs)
    form.solutions.choices = select_choices((s.id, s.title) for s in own_solutions)
    form.slots.choices = select_choices((s.id, local_datetime(s.starts_at, "MM-dd HH:mm")) for s in event.slots)
    if form.validate_on_submit():
        entry = services.Entry(
            role=ParticipantRole(form.role.data),
            profile=form.profile.data or "",
            offers=form.offers.data or "",
            requests=form.requests.data or "",
            needs=[n for n in own_needs if n.id in (form.needs.data or [])],
            solutions=[s for s in own_solutions if s.id in (form.solutions.data or [])],
            slot_ids=form.slots.data or [],
        )
        registration = run_step(lambda: services.register(event, current_user, entry), _registered)
        if registration:
            return redirect(url_for("events.ticket", registration_id=registration.id))
    return render_template("events/register.html", event=event, form=form, open=services.registration_open(event))


def _registered(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("已加入候补名单，有名额空出时会通知您。")
    if registration.status == RegistrationStatus.PENDING:
        return _("报名已提交，等待主办方审核。")
    return _("报名成功，请保存好您的电子票。")


@bp.route("/tickets/<int:registration_id>")
@login_required
def ticket(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    ensure(can_see_ticket(current_user, registration))
    qr = segno.make(registration.ticket_code, error="m").svg_data_uri(scale=6, border=2)
    return render_template(
        "events/ticket.html",
        registration=registration,
        event=registration.event,
        qr=qr,
        confirm_form=ConfirmForm(),
    )


@bp.route("/tickets/<int:registration_id>/cancel", methods=["POST"])
@login_required
def cancel(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    ensure(can_cancel(current_user, registration))
    if ConfirmForm().validate_on_submit():
        run_step(lambda: services.cancel(registration), _("报名已取消，名额已释放。"))
    return redirect(url_for("events.ticket", registration_id=registration.id))


def _participant_or_admin(event: Event) -> Registration | None:
    """The user's confirmed registration; admins look on without one; anyone else is refused."""
    ensure(can_see_participants(current_user, event))
    return services.confirmed_registration(event, current_user)


@bp.route("/<int:event_id>/participants")
@login_required
def participants(event_id: int):
    event = _event(event_id)
    mine = _participant_or_admin(event)
    role = request.args.get("role", "")
    filters = services.CatalogueFilters(
        q=request.args.get("q", "").strip()[:50],
        role=ParticipantRole(role) if role in {r.value for r in ParticipantRole} else None,
        industry_id=int_arg("industry"),
        domain_id=int_arg("domain"),
    )
    page = paginate(services.participants(event, filters, excluding=mine), per_page=30)
    return render_template(
        "events/participants.html",
        event=event,
        page=page,
        filters=filters,
        mine=mine,
        industries=entries(Industry, include_inactive=False),
        domains=entries(TechDomain, include_inactive=False),
        request_form=MeetingRequestForm(),
        recommended=services.recommended(mine) if mine else {},
    )


@bp.route("/<int:event_id>/participants/<int:registration_id>/request", methods=["POST"])
@login_required
def send_request(event_id: int, registration_id: int):
    event = _event(event_id)
    ensure(is_participant(current_user, event))
    recipient = db.get_or_404(Registration, registration_id)
    form = MeetingRequestForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.send_request(event, current_user, recipient, form.message.data),
            _("已向“%(org)s”发出洽谈邀约。", org=recipient.organization.name),
        )
    else:
        flash_errors(form)
    return redirect(url_for("events.participants", event_id=event.id))


@bp.route("/<int:event_id>/meetings")
@login_required
def meetings(event_id: int):
    event = _event(event_id)
    mine = services.registration_of(event, current_user.organization)
    if mine is None:
        abort(403)
    return render_template(
        "events/meetings.html", event=event, mine=mine, requests=db.session.scalars(services.requests_of(mine)).all()
    )


@bp.route("/requests/<int:request_id>/<any(accept, decline, cancel):decision>", methods=["POST"])
@login_required
def decide_request(request_id: int, decision: str):
    meeting_request = db.get_or_404(MeetingRequest, request_id)
    ensure(is_party(current_user, meeting_request))
    if ConfirmForm().validate_on_submit():
        step = (
            (lambda: services.cancel_request(meeting_request, current_user))
            if decision == "cancel"
            else (lambda: services.decide_request(meeting_request, current_user, accept=decision == "accept"))
        )
        run_step(
            step,
            {"accept": _("已接受邀约。"), "decline": _("已婉拒邀约。"), "cancel": _("已取消邀约。")}[decision],
        )
    return redirect(url_for("events.meetings", event_id=meeting_request.event_id))


@bp.route("/<int:event_id>/agenda")
@login_required
def agenda(event_id: int):
    """A participant's meetings, printable; empty until the organiser publishes the schedule."""
    event = _event(event_id)
    registration = services.confirmed_registration(event, current_user)
    if registration is None:
        abort(403)
    meetings = agendas.agenda_of(registration) if event.schedule_published_at else []
    return render_template(
        "events/agenda.html",
        event=event,
        registration=registration,
        meetings=meetings,
        other_side=agendas.other_side,
        institution_of=outcomes.default_institution,
        outcome_form=OutcomeForm(),
        now=utcnow(),
    )


@bp.route("/<int:event_id>/agenda.ics")
@login_required
def agenda_calendar(event_id: int):
    event = _event(event_id)
    registration = services.confirmed_registration(event, current_user)
    if registration is None:
        abort(403)
    if event.schedule_published_at is None:
        abort(404)
    entries = [
        ics.CalendarEntry(
            uid=f"meeting-{meeting.id}@gongfu",
            starts_at=meeting.slot.starts_at,
            ends_at=meeting.slot.ends_at,
            summary=_("洽谈：%(org)s", org=agendas.other_side(meeting, registration).organization.name),
            location=f"{event.venue} {meeting.table.name}",
            description=meeting.request.message,
            url=external_url("events.agenda", event_id=event.id),
        )
        for meeting in agendas.agenda_of(registration)
    ]
    return Response(
        ics.calendar(entries, event.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=agenda-{event.id}.ics"},
    )


@bp.route("/meetings/<int:meeting_id>/outcome", methods=["POST"])
@login_required
def record_outcome(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    ensure(can_record_outcome(current_user, meeting))
    form = OutcomeForm()
    if form.validate_on_submit():
        run_step(
            lambda: outcomes.record(meeting, current_user, *form.outcome()),
            _("洽谈结果已记录。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for("events.agenda", event_id=meeting.event_id))


@bp.route("/<int:event_id>/entry", methods=["GET", "POST"])
@login_required
def entry(event_id: int):
    event = _event(event_id)
    registration = services.confirmed_registration(event, current_user)
    if registration is None:
        abort(403)
    ensure(can_submit_entry(current_user, event))
    current = competition.entry_of(registration)
    form = EntryForm(obj=current)
    if form.validate_on_submit() and run_step(
        lambda: competition.submit(
            registration, required_data(form.title), required_data(form.description), form.files.data
        ),
        _("参赛作品已提交。"),
    ):
        return redirect(url_for("events.entry", event_id=event.id))
    return render_template(
        "events/entry.html", event=event, form=form, current=current, review=competition.shown_judging(event)
    )


@bp.route("/entries/files/<int:file_id>")
@login_required
def entry_file(file_id: int):
    item = db.get_or_404(EntryFile, file_id)
    ensure(can_see_entry(current_user, item.entry))
    return files.send_stored(competition.FILES, item.stored_name, item.content_type, item.original_name, private=True)


@bp.route("/entries/files/<int:file_id>/remove", methods=["POST"])
@login_required
def remove_entry_file(file_id: int):
    item = db.get_or_404(EntryFile, file_id)
    ensure(is_member_of(current_user, item.entry.registration.organization))
    event_id = item.entry.event_id
    removed = run_step(lambda: competition.remove_file(item), _("附件已删除。"))
    if removed:
        files.remove_stored(competition.FILES, removed)
    return redirect(url_for("events.entry", event_id=event_id))


@bp.route("/<int:event_id>/judging", methods=["GET", "POST"])
@login_required
def judging(event_id: int):
    """A judge scores each entry against the criteria; only their own scores are shown."""
    event = _event(event_id)
    ensure(is_judge(current_user, event))
    review = competition.shown_judging(event)
    if ConfirmForm().validate_on_submit():
        subject = parse_int(request.form.get("entry"))
        scores = parse_scores(request.form, review.criteria)
        run_step(
            lambda: competition.score(event, current_user, subject, scores),
            _("评分已保存。"),
        )
        return redirect(url_for("events.judging", event_id=event.id))
    return render_template(
        "events/judging.html",
        event=event,
        review=review,
        entries=competition.entries_for(event, current_user),
        mine=reviews.own_scores(review, current_user),
    )
