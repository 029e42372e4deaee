"""The meeting schedule of an event in the database: the scheduler (`scheduling`, pure) reads the
event as plain data and its placements are written back as `Meeting` rows.

Before publication the organiser runs the scheduler as often as he likes (meetings he moved by hand
stay where he put them); after publication only moves by hand change the agenda, each checked
against the same rules.
"""

from __future__ import annotations

import importlib.util

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from app.accounts.models import User
from app.core.audit import audit
from app.core.models import utcnow
from app.core.templating import local_datetime
from app.events import scheduling
from app.events.models import (
    Event,
    EventSlot,
    EventTable,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from app.events.services import EventError
from app.extensions import db
from app.notifications.models import Topic
from app.notifications.services import members, notify

REASON_LABELS = {
    scheduling.Reason.SAME_PARTICIPANT: _l("双方是同一单位"),
    scheduling.Reason.NO_COMMON_SLOT: _l("双方没有共同的空闲时段"),
    scheduling.Reason.PARTICIPANT_BUSY: _l("双方共同的空闲时段都已排满"),
    scheduling.Reason.NO_TABLE_FREE: _l("双方有空时洽谈桌已满"),
}
RULE_MESSAGES = {
    scheduling.Rule.NOT_ACCEPTED: _l("这个邀约尚未被接受。"),
    scheduling.Rule.UNKNOWN_SPOT: _l("时段或洽谈桌不属于本活动。"),
    scheduling.Rule.SAME_PARTICIPANT: _l("双方是同一单位。"),
    scheduling.Rule.UNAVAILABLE: _l("“%(org)s”在这个时段没有空。"),
    scheduling.Rule.PARTICIPANT_BUSY: _l("“%(org)s”在这个时段已有洽谈。"),
    scheduling.Rule.TABLE_TAKEN: _l("这张洽谈桌在这个时段已被占用。"),
}


def accepted_requests(event: Event) -> list[MeetingRequest]:
    """Accepted requests between two participants still confirmed."""
    requests = db.session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED)
        .order_by(MeetingRequest.id)
    ).all()
    return [r for r in requests if r.requester.status == r.recipient.status == RegistrationStatus.CONFIRMED]


def instance_of(event: Event) -> scheduling.Instance:
    """The event as the scheduler reads it. A participant who ticked no slot is available in all."""
    every_slot = frozenset(slot.id for slot in event.slots)
    requests = accepted_requests(event)
    people = {r.requester for r in requests} | {r.recipient for r in requests}
    pinned = {
        m.request_id: scheduling.Spot(m.slot_id, m.table_id)
        for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id, Meeting.pinned))
        if m.request in requests
    }
    return scheduling.Instance(
        participants=tuple(
            scheduling.Participant(p.id, frozenset(s.id for s in p.available_slots) or every_slot)
            for p in sorted(people, key=lambda p: p.id)
        ),
        slots=tuple(scheduling.Slot(s.id, int(s.starts_at.timestamp() // 60)) for s in event.slots),
        tables=tuple(scheduling.Table(t.id, t.name) for t in event.tables),
        requests=tuple(
            scheduling.Request(r.id, r.requester_id, r.recipient_id, r.decided_at or r.created_at) for r in requests
        ),
        pinned=pinned,
    )


#: OR-Tools is an optional extra: without it the organiser has the greedy scheduler only.
CAN_OPTIMISE = importlib.util.find_spec("ortools") is not None
OPTIMISE_SECONDS = 20  # within a request: gunicorn kills a worker after 30 s by default


def run_scheduler(event: Event, by: User) -> scheduling.Schedule:
    """Place every accepted request the rules allow; the meetings moved by hand stay."""
    if event.schedule_published_at is not None:
        raise EventError(_("日程已发布，只能手动调整。"), category="warning")
    return _write(event, scheduling.schedule(instance_of(event)), by, "run")


def optimise(event: Event, by: User) -> scheduling.Schedule:
    """Try to place more with CP-SAT, starting from the current draft; keeps the draft when the
    solver finds nothing better in time."""
    if event.schedule_published_at is not None:
        raise EventError(_("日程已发布，只能手动调整。"), category="warning")
    if not CAN_OPTIMISE:
        raise EventError(_("服务器未安装 OR-Tools，不能优化排程。"), category="warning")
    instance = instance_of(event)
    current = scheduling.schedule(instance)
    better = scheduling.optimise(instance, OPTIMISE_SECONDS, current)
    chosen = better if better is not None and len(better.placements) > len(current.placements) else current
    return _write(event, chosen, by, "optimise")


def _write(event: Event, result: scheduling.Schedule, by: User, how: str) -> scheduling.Schedule:
    """Keep the run's placements (and why the others were left out), audited as the run `how`."""
    db.session.execute(delete(Meeting).where(Meeting.event_id == event.id, Meeting.pinned.is_(False)))
    pinned = {m.request_id for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id))}
    for request_id, spot in result.placements.items():
        if request_id not in pinned:
            db.session.add(Meeting(event_id=event.id, request_id=request_id, slot_id=spot.slot, table_id=spot.table))
    for request in accepted_requests(event):
        request.unplaced_reason = result.unplaced.get(request.id, "")
    db.session.flush()
    db.session.expire_all()
    audit(
        by,
        "event.schedule_run",
        event,
        None,
        {"how": how, "placed": len(result.placements), "unplaced": len(result.unplaced)},
    )
    return result


def move(meeting_request: MeetingRequest, slot: EventSlot, table: EventTable, by: User) -> Meeting:
    """Put an accepted request at a spot by hand, if the rules allow, audited; it stays there on
    later runs."""
    event = meeting_request.event
    if slot.event_id != event.id or table.event_id != event.id:
        raise EventError(str(RULE_MESSAGES[scheduling.Rule.UNKNOWN_SPOT]))
    current = {
        m.request_id: scheduling.Spot(m.slot_id, m.table_id)
        for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event.id))
    }
    violations = scheduling.check_move(
        instance_of(event), current, meeting_request.id, scheduling.Spot(slot.id, table.id)
    )
    if violations:
        raise EventError(" ".join(_describe(v) for v in violations))
    meeting = meeting_request.meeting or Meeting(event_id=event.id, request=meeting_request)
    before = _spot(meeting) if meeting.id is not None else None
    meeting.slot, meeting.table, meeting.pinned = slot, table, True
    meeting_request.unplaced_reason = ""
    db.session.add(meeting)
    db.session.flush()
    audit(by, "meeting.move", event, before, _spot(meeting))
    return meeting


def _spot(meeting: Meeting) -> dict[str, object]:
    """Where a meeting is, as the audit log keeps it."""
    return {"request": meeting.request_id, "slot": meeting.slot.starts_at.isoformat(), "table": meeting.table.name}


def _describe(violation: scheduling.Violation) -> str:
    message = RULE_MESSAGES[violation.rule]
    if violation.participant is not None:
        return str(message) % {"org": db.session.get_one(Registration, violation.participant).organization.name}
    return str(message)


def publish(event: Event, by: User) -> int:
    """Publish the agenda and tell every participant with a meeting, audited; returns how many
    were told."""
    if event.schedule_published_at is not None:
        raise EventError(_("日程已经发布。"), category="warning")
    event.schedule_published_at = utcnow()
    told = {r.id: r for m in meetings_of(event) for r in (m.request.requester, m.request.recipient)}
    for registration in told.values():
        lines = [
            f"{local_datetime(m.slot.starts_at, 'MM-dd HH:mm')} {m.table.name} · "
            f"{other_side(m, registration).organization.name}"
            for m in agenda_of(registration)
        ]
        notify(
            members(registration.organization),
            Topic.STATE,
            _l("活动“%(title)s”的洽谈日程已发布", title=event.title),
            "events.agenda",
            detail="\n".join(lines),
            event_id=event.id,
        )
    db.session.flush()
    audit(by, "event.schedule", event, None, {"published": True, "told": len(told)})
    return len(told)


def meetings_of(event: Event) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .join(EventSlot)
            .where(Meeting.event_id == event.id)
            .order_by(EventSlot.starts_at, Meeting.table_id)
        )
    )


def agenda_of(registration: Registration) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .join(MeetingRequest)
            .join(EventSlot, Meeting.slot_id == EventSlot.id)
            .where(or_(MeetingRequest.requester_id == registration.id, MeetingRequest.recipient_id == registration.id))
            .order_by(EventSlot.starts_at)
        )
    )


def unplaced(event: Event) -> list[MeetingRequest]:
    return [r for r in accepted_requests(event) if r.meeting is None]


def other_side(meeting: Meeting, registration: Registration) -> Registration:
    request = meeting.request
    return request.recipient if request.requester_id == registration.id else request.requester
