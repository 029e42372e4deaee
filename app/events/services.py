"""The rules of events: the programme, registration with capacity, approval and a waiting list,
cancellation that moves the waiting list on, and check-in at the door.

Every step is flushed, not committed: the view's transaction decides.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from sqlalchemy import Select, and_, func, or_, select

from app.accounts.models import Organization, User
from app.core import signals
from app.core.audit import apply_changes, audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.core.templating import local_datetime
from app.events.models import (
    HOLDING,
    Event,
    EventSlot,
    EventStatus,
    EventTable,
    MeetingRequest,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    RequestStatus,
    registration_needs,
    registration_solutions,
)
from app.extensions import db
from app.listings import moderation
from app.matching.services import needs_for_provider, solutions_for_need
from app.needs.models import Need, need_domains
from app.notifications.models import Topic
from app.notifications.services import members, notify
from app.solutions.models import Solution, solution_domains

TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed at the door
TICKET_LENGTH = 8
MAX_SLOTS = 200
MAX_TABLES = 300
CHECK_IN_OPENS = timedelta(hours=1)  # before the event starts


class EventError(DomainError):
    """A step the event's dates, capacity or a registration's status do not allow; for the user."""


# --- the programme -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    days: list[date]
    day_starts: time
    day_ends: time
    breaks: list[tuple[time, time]]
    tables: int
    table_prefix: str


def slot_times(programme: Programme, minutes: int) -> list[tuple[datetime, datetime]]:
    """Back-to-back slots of `minutes` from each day's start to its end, skipping the breaks (local
    wall-clock times, as the organiser typed them)."""
    length = timedelta(minutes=minutes)
    slots = []
    for day in programme.days:
        start, end = datetime.combine(day, programme.day_starts), datetime.combine(day, programme.day_ends)
        while start + length <= end:
            clash = next(
                (
                    datetime.combine(day, b_end)
                    for b_start, b_end in programme.breaks
                    if start < datetime.combine(day, b_end) and datetime.combine(day, b_start) < start + length
                ),
                None,
            )
            if clash is not None:
                start = clash
                continue
            slots.append((start, start + length))
            start += length
    return slots


def set_programme(event: Event, programme: Programme, by: User) -> Event:
    """Replace the event's slots and tables (only before anyone registered: their availability
    points at the slots), audited; returns the event."""
    if event.registrations:
        raise EventError(_("已有单位报名，不能再修改洽谈日程。"))
    times = slot_times(programme, event.slot_minutes)
    if not times:
        raise EventError(_("按所填的日期、时间和休息安排排不出任何洽谈时段，请检查。"))
    if len(times) > MAX_SLOTS or programme.tables > MAX_TABLES:
        raise EventError(_("时段不超过 %(slots)d 个、桌数不超过 %(tables)d 张。", slots=MAX_SLOTS, tables=MAX_TABLES))
    event.slots = [EventSlot(starts_at=to_utc(start), ends_at=to_utc(end)) for start, end in times]
    event.tables = [EventTable(name=f"{programme.table_prefix}{n}", position=n) for n in range(1, programme.tables + 1)]
    db.session.flush()
    audit(by, "event.programme", event, None, {"slots": len(event.slots), "tables": len(event.tables)})
    return event


# --- the event's own lifecycle ---------------------------------------------------------------------


def create_event(values: dict[str, Any], by: User) -> Event:
    """A draft event with the form's values, audited."""
    event = Event(created_by=by, **values)
    db.session.add(event)
    db.session.flush()
    audit(by, "event.create", event, None, {"title": event.title})
    return event


def update_event(event: Event, values: dict[str, Any], by: User) -> Event:
    """Change the event, audited field by field; places it adds go to the waiting list."""
    before, after = apply_changes(event, values)
    promoted = fill_places(event)
    if promoted:
        after["promoted"] = [registration.id for registration in promoted]
    audit(by, "event.update", event, before, after)
    return event


def publish(event: Event, by: User) -> None:
    if event.status != EventStatus.DRAFT:
        raise EventError(_("只有草稿可以发布。"), category="warning")
    event.status = EventStatus.PUBLISHED
    event.published_at = utcnow()
    db.session.flush()
    audit(by, "event.publish", event, {"status": EventStatus.DRAFT.value}, {"status": event.status.value})


def public_events(upcoming: bool | None = None, now: datetime | None = None) -> Select:
    now = now or utcnow()
    stmt = select(Event).where(Event.status != EventStatus.DRAFT)
    if upcoming is True:
        return stmt.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if upcoming is False:
        return stmt.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    return stmt.order_by(Event.starts_at.desc(), Event.id.desc())


def next_events(limit: int, now: datetime | None = None) -> list[Event]:
    """The published events to come or under way, the soonest first (cancelled ones left out)."""
    stmt = public_events(upcoming=True, now=now).where(Event.status == EventStatus.PUBLISHED).limit(limit)
    return list(db.session.scalars(stmt))


# --- registration ----------------------------------------------------------------------------------


def registration_of(event: Event, org: Organization | None) -> Registration | None:
    if org is None:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.organization_id == org.id)
    )


def places_taken(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == event.id, Registration.status.in_(HOLDING)
            )
        )
        or 0
    )


def waiting(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED
            )
        )
        or 0
    )


def is_full(event: Event) -> bool:
    """No place for a newcomer: the places are taken, or firms are waiting (places go to them first)."""
    return places_taken(event) >= event.capacity or waiting(event) > 0


def _lock_places(event: Event) -> int:
    """Hold the event's row until the transaction ends, so that two requests never hand out the
    same place (PostgreSQL; SQLite has a single writer anyway); returns its current capacity."""
    return db.session.execute(select(Event.capacity).where(Event.id == event.id).with_for_update()).scalar_one()


def registration_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return event.status == EventStatus.PUBLISHED and event.registration_opens_at <= now <= event.registration_closes_at


@dataclass(frozen=True)
class Entry:
    """What a member fills in to register."""

    role: ParticipantRole
    profile: str
    offers: str
    requests: str
    needs: list
    solutions: list
    slot_ids: list[int]


def register(event: Event, user: User, entry: Entry, now: datetime | None = None) -> Registration:
    """A place for the user's organization, or a place on the waiting list when the event is full."""
    org = user.organization
    if org is None:
        raise EventError(_("请先加入企业或机构，再以单位名义报名。"))
    if not registration_open(event, now):
        raise EventError(
            _(
                "不在报名时间内（%(opens)s 至 %(closes)s）。",
                opens=local_datetime(event.registration_opens_at),
                closes=local_datetime(event.registration_closes_at),
            )
        )
    existing = registration_of(event, org)
    if existing is not None and existing.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
        raise EventError(_("贵单位已经报名了这个活动。"))
    if any(item.organization_id != org.id for item in [*entry.needs, *entry.solutions]):
        raise EventError(_("只能选择贵单位自己的需求和方案。"))
    slots = [slot for slot in event.slots if slot.id in set(entry.slot_ids)]
    _lock_places(event)  # the places counted below stay as counted until this registration is saved
    fill_places(event)
    full = is_full(event)
    registration = existing or Registration(event=event, organization=org, ticket_code=_new_code())
    registration.registered_by = user
    registration.role, registration.profile = entry.role, entry.profile.strip()
    registration.offers, registration.requests = entry.offers.strip(), entry.requests.strip()
    registration.needs, registration.solutions, registration.available_slots = entry.needs, entry.solutions, slots
    registration.status = RegistrationStatus.WAITLISTED if full else _holding_status(event)
    registration.status_changed_at = utcnow()
    registration.checked_in_at = None
    db.session.add(registration)
    db.session.flush()
    return registration


def public_listings_of(org: Organization) -> tuple[list[Need], list[Solution]]:
    """The organization's public needs and solutions, which it may bring to an event."""
    needs = db.session.scalars(moderation.public(Need).where(Need.organization_id == org.id)).all()
    solutions = db.session.scalars(moderation.public(Solution).where(Solution.organization_id == org.id)).all()
    return list(needs), list(solutions)


def _holding_status(event: Event) -> RegistrationStatus:
    return RegistrationStatus.PENDING if event.approval_required else RegistrationStatus.CONFIRMED


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
        if db.session.scalar(select(Registration.id).where(Registration.ticket_code == code)) is None:
            return code


def cancel(registration: Registration) -> list[Registration]:
    """Free the place; the waiting list moves up (and is told). Returns who moved up."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
        raise EventError(_("这个报名已经取消。"))
    if registration.checked_in_at is not None:
        raise EventError(_("已签到的报名不能取消。"))
    _set_status(registration, RegistrationStatus.CANCELLED)
    return fill_places(registration.event)


def fill_places(event: Event) -> list[Registration]:
    """Give each free place to the waiting list, first come (onto the list) first served, and tell
    each firm; called after every step that may free a place or add one. Nothing moves once the
    event is cancelled or over. Returns who moved up, in order."""
    if event.status != EventStatus.PUBLISHED or event.ends_at <= utcnow():
        return []
    free = _lock_places(event) - places_taken(event)
    if free <= 0:
        return []
    queue = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.status_changed_at, Registration.id)
        .limit(free)
    ).all()
    for registration in queue:
        _move_up(registration, _holding_status(event))
    return list(queue)


def _move_up(registration: Registration, status: RegistrationStatus) -> None:
    _set_status(registration, status)
    title = registration.event.title
    notify(
        members(registration.organization),
        Topic.STATE,
        _l("候补成功：贵单位已获得活动“%(title)s”的名额", title=title)
        if status == RegistrationStatus.CONFIRMED
        else _l("候补成功：贵单位已获得活动“%(title)s”的名额，等待主办方审核", title=title),
        "events.ticket",
        registration_id=registration.id,
    )


def _set_status(registration: Registration, status: RegistrationStatus) -> None:
    registration.status = status
    registration.status_changed_at = utcnow()
    db.session.flush()


def approve(registration: Registration, by: User) -> None:
    """Confirm a registration waiting for approval, or one on the waiting list: the organiser's
    choice, which holds even when it takes the event over its capacity."""
    before = registration.status
    if before == RegistrationStatus.WAITLISTED:
        _move_up(registration, RegistrationStatus.CONFIRMED)
    elif before == RegistrationStatus.PENDING:
        _set_status(registration, RegistrationStatus.CONFIRMED)
    else:
        raise EventError(_("只有待审核或候补中的报名可以通过。"), category="warning")
    _audit_decision(by, "approve", registration, before, [])


def reject(registration: Registration, by: User) -> list[Registration]:
    """Returns who moved up into the place it held."""
    before = registration.status
    if before not in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
        raise EventError(_("只有待审核或候补中的报名可以拒绝。"), category="warning")
    _set_status(registration, RegistrationStatus.REJECTED)
    promoted = fill_places(registration.event)
    _audit_decision(by, "reject", registration, before, promoted)
    return promoted


def _audit_decision(
    by: User, decision: str, registration: Registration, before: RegistrationStatus, promoted: list[Registration]
) -> None:
    after: dict[str, object] = {"event": registration.event_id, "status": registration.status.value}
    if promoted:
        after["promoted"] = [item.id for item in promoted]
    audit(by, f"registration.{decision}", registration.organization, {"status": before.value}, after)


def check_in(event: Event, code: str, by: User, now: datetime | None = None) -> Registration:
    """Let a confirmed participant in by its ticket code, from an hour before the event until its
    end; counts the firm as attending, once, on the event's local date."""
    now = now or utcnow()
    code = (code or "").strip().upper()
    if not code:
        raise EventError(_("请输入或扫描签到码。"))
    if now < event.starts_at - CHECK_IN_OPENS:
        raise EventError(
            _(
                "活动开始前 1 小时起才能签到（%(opens)s 开放签到）。",
                opens=local_datetime(event.starts_at - CHECK_IN_OPENS),
            )
        )
    if now > event.ends_at:
        raise EventError(_("活动已结束，不能再签到。"))
    registration = db.session.scalar(select(Registration).where(Registration.ticket_code == code))
    if registration is None or registration.event_id != event.id:
        raise EventError(_("签到码“%(code)s”不属于本活动。", code=code))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise EventError(_("“%(org)s”的报名尚未确认，不能签到。", org=registration.organization.name))
    if registration.checked_in_at is not None:
        raise EventError(
            _(
                "“%(org)s”已于 %(time)s 签到过。",
                org=registration.organization.name,
                time=local_datetime(registration.checked_in_at, "HH:mm"),
            )
        )
    registration.checked_in_at, registration.checked_in_by_id = now, by.id
    audit(by, "registration.check_in", registration.organization, None, {"event": event.id})
    signals.attendee_checked_in.send(
        event,
        firm=registration.organization,
        on=to_user_timezone(event.starts_at).date(),
        programme=event.title,
        by=by,
    )
    db.session.flush()
    return registration


def registrations(event: Event, status: RegistrationStatus | None = None) -> Select:
    """The event's registrations, oldest first; the waiting list in its own order."""
    stmt = select(Registration).where(Registration.event_id == event.id)
    if status is not None:
        stmt = stmt.where(Registration.status == status)
    if status == RegistrationStatus.WAITLISTED:
        return stmt.order_by(Registration.status_changed_at, Registration.id)
    return stmt.order_by(Registration.created_at, Registration.id)


# --- the participant catalogue and meeting requests ---------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    role: ParticipantRole | None = None
    industry_id: int | None = None
    domain_id: int | None = None


def _brings_domain(domain_id: int):
    """The participant brought a need or a solution in this technology domain."""
    needs = (
        select(registration_needs.c.registration_id)
        .join(need_domains, need_domains.c.need_id == registration_needs.c.need_id)
        .where(need_domains.c.domain_id == domain_id)
    )
    solutions = (
        select(registration_solutions.c.registration_id)
        .join(solution_domains, solution_domains.c.solution_id == registration_solutions.c.solution_id)
        .where(solution_domains.c.domain_id == domain_id)
    )
    return or_(Registration.id.in_(needs), Registration.id.in_(solutions))


def participants(event: Event, filters: CatalogueFilters, excluding: Registration | None = None) -> Select:
    """Confirmed participants, filtered by role, industry, the domains of what they brought and words
    in their name, profile, offers or requests."""
    stmt = (
        select(Registration)
        .join(Organization, Registration.organization_id == Organization.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    )
    if excluding is not None:
        stmt = stmt.where(Registration.id != excluding.id)
    if filters.role is not None:
        stmt = stmt.where(Registration.role == filters.role)
    if filters.industry_id is not None:
        stmt = stmt.where(Organization.industry_id == filters.industry_id)
    if filters.domain_id is not None:
        stmt = stmt.where(_brings_domain(filters.domain_id))
    if filters.q:
        words = f"%{filters.q}%"
        brought = (
            select(registration_needs.c.registration_id)
            .join(Need)
            .where(Need.title.like(words))
            .union(select(registration_solutions.c.registration_id).join(Solution).where(Solution.title.like(words)))
        )
        stmt = stmt.where(
            or_(
                Organization.name.like(words),
                Registration.profile.like(words),
                Registration.offers.like(words),
                Registration.requests.like(words),
                Registration.id.in_(brought),
            )
        )
    return stmt.order_by(Organization.name, Registration.id)


def recommended(registration: Registration, limit: int = 50) -> dict[int, str]:
    """Organizations the matching service recommends to this participant, with why: providers of
    solutions for the needs it brought, enterprises with needs its solutions answer."""
    found: dict[int, str] = {}
    for need in registration.needs:
        for item in solutions_for_need(need, limit):
            found.setdefault(item.item.organization_id, item.explanation)
    if registration.solutions:
        for item in needs_for_provider(registration.organization, limit):
            found.setdefault(item.item.organization_id, item.explanation)
    return found


def confirmed_registration(event: Event, user: User) -> Registration | None:
    registration = registration_of(event, user.organization if user.is_authenticated else None)
    return registration if registration is not None and registration.status == RegistrationStatus.CONFIRMED else None


def send_request(event: Event, user: User, recipient: Registration, message: str | None) -> MeetingRequest:
    requester = confirmed_registration(event, user)
    if requester is None:
        raise EventError(_("只有报名已确认的单位可以发出洽谈邀约。"))
    if recipient.event_id != event.id or recipient.status != RegistrationStatus.CONFIRMED:
        raise EventError(_("对方不是本活动已确认的参会单位。"))
    if recipient.id == requester.id:
        raise EventError(_("不能向自己发出邀约。"))
    live = (RequestStatus.PENDING, RequestStatus.ACCEPTED)
    between = db.session.scalars(
        select(MeetingRequest).where(
            or_(
                and_(MeetingRequest.requester_id == requester.id, MeetingRequest.recipient_id == recipient.id),
                and_(MeetingRequest.requester_id == recipient.id, MeetingRequest.recipient_id == requester.id),
            )
        )
    ).all()
    if any(r.status in live for r in between):
        raise EventError(_("与“%(org)s”之间已有洽谈邀约，请在“我的洽谈”中查看。", org=recipient.organization.name))
    sent = (
        db.session.scalar(
            select(func.count(MeetingRequest.id)).where(
                MeetingRequest.requester_id == requester.id, MeetingRequest.status.in_(live)
            )
        )
        or 0
    )
    if sent >= event.request_limit:
        raise EventError(_("每家单位最多发出 %(limit)d 个洽谈邀约。", limit=event.request_limit))
    request = next((r for r in between if r.requester_id == requester.id), None) or MeetingRequest(
        event=event, requester=requester, recipient=recipient
    )
    request.message = (message or "").strip()[:500]
    request.status = RequestStatus.PENDING if event.requests_need_acceptance else RequestStatus.ACCEPTED
    request.decided_at = None if event.requests_need_acceptance else utcnow()
    db.session.add(request)
    db.session.flush()
    notify(
        members(recipient.organization),
        Topic.INQUIRY,
        _l("“%(org)s”邀请您在“%(event)s”上洽谈", org=requester.organization.name, event=event.title),
        "events.meetings",
        detail=request.message,
        event_id=event.id,
    )
    return request


def decide_request(request: MeetingRequest, user: User, accept: bool) -> None:
    if not (
        user.is_authenticated
        and user.organization is not None
        and user.organization.id == request.recipient.organization_id
    ):
        raise EventError(_("只有受邀单位可以答复邀约。"))
    if request.status != RequestStatus.PENDING:
        raise EventError(_("这个邀约已经处理过了。"))
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_at = utcnow()
    db.session.flush()
    org = request.recipient.organization.name
    notify(
        members(request.requester.organization),
        Topic.STATE,
        _l("“%(org)s”接受了您的洽谈邀约", org=org) if accept else _l("“%(org)s”婉拒了您的洽谈邀约", org=org),
        "events.meetings",
        event_id=request.event_id,
    )


def cancel_request(request: MeetingRequest, user: User) -> None:
    orgs = (request.requester.organization_id, request.recipient.organization_id)
    if not (user.is_authenticated and user.organization is not None and user.organization.id in orgs):
        raise EventError(_("只有洽谈双方可以取消邀约。"))
    if request.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise EventError(_("这个邀约已经结束。"))
    request.status = RequestStatus.CANCELLED
    request.decided_at = utcnow()
    db.session.flush()


def requests_of(registration: Registration) -> Select:
    return (
        select(MeetingRequest)
        .where(or_(MeetingRequest.requester_id == registration.id, MeetingRequest.recipient_id == registration.id))
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
    )
