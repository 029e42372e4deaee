"""Demo events: an industry-finance meeting open for registration (with meeting requests waiting
for answers), and a past forum whose participants checked in, met as scheduled and said how it
went (attendance, meetings and deals counted in the ledger as demo rows). Deterministic; running
it again adds nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import to_utc
from sqlalchemy import select

from app.accounts.models import Organization, User
from app.core.models import utcnow
from app.events import agenda
from app.events.agenda import run_scheduler
from app.events.models import (
    Event,
    EventKind,
    EventStatus,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from app.events.services import TICKET_ALPHABET, TICKET_LENGTH, Programme, set_programme
from app.extensions import db
from app.stats.ledger import record_enablement
from seeds.marketplace_demo import DEMO_SUFFIX

SEED = 2028
UPCOMING = "2026 工业互联网产融对接会（演示）"
PAST = "2026 装备制造数字化转型论坛（演示）"
ROLES = (
    [ParticipantRole.DEMAND] * 5 + [ParticipantRole.SUPPLY] * 3 + [ParticipantRole.INVESTOR, ParticipantRole.VISITOR]
)


def _at(day: date, hour: int) -> datetime:
    """A local hour of the day, in UTC as stored."""
    return to_utc(datetime.combine(day, time(hour)))


def _event(title: str, kind: EventKind, day: date, author: User, capacity: int) -> Event:
    event = Event(
        kind=kind,
        title=title,
        venue="青岛国际会议中心",
        status=EventStatus.PUBLISHED,
        created_by=author,
        description=f"{title}：银行、投资机构、服务商与制造企业一对一洽谈。\n（演示数据，不是真实的活动。）",
        starts_at=_at(day, 9),
        ends_at=_at(day, 17),
        capacity=capacity,
        slot_minutes=20,
        registration_opens_at=_at(day - timedelta(days=45), 9),
        registration_closes_at=_at(day - timedelta(days=1), 18),
        published_at=_at(day - timedelta(days=46), 9),
    )
    db.session.add(event)
    db.session.flush()
    with current_app.test_request_context():
        set_programme(
            event,
            Programme(
                days=[day],
                day_starts=time(9),
                day_ends=time(17),
                breaks=[(time(12), time(13, 30))],
                tables=20,
                table_prefix="洽谈桌",
            ),
            author,
        )
    return event


def _register(rng: random.Random, event: Event, orgs: list[Organization], author: User) -> list[Registration]:
    registrations = []
    for org in orgs:
        slots = rng.sample(event.slots, rng.randint(len(event.slots) // 2, len(event.slots)))
        registration = Registration(
            event=event,
            organization=org,
            registered_by=author,
            role=rng.choice(ROLES),
            status=RegistrationStatus.CONFIRMED,
            profile=f"{org.name}，期待与同行交流。",
            ticket_code="".join(rng.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH)),
            available_slots=sorted(slots, key=lambda s: s.starts_at),
        )
        db.session.add(registration)
        registrations.append(registration)
    db.session.flush()
    return registrations


def seed_events() -> int:
    """Add the two demo events unless they are there; returns how many."""
    if db.session.scalar(select(Event.id).where(Event.title.in_((UPCOMING, PAST))).limit(1)) is not None:
        return 0
    author = db.session.scalar(select(User).where(User.email == "admin@demo.gongfu"))
    orgs = list(
        db.session.scalars(
            select(Organization).where(Organization.name.endswith(DEMO_SUFFIX)).order_by(Organization.id)
        )
    )
    if author is None or len(orgs) < 40:
        return 0
    rng = random.Random(SEED)
    today = utcnow().date()
    upcoming = _event(UPCOMING, EventKind.FINANCE, today + timedelta(days=20), author, capacity=120)
    _register(rng, upcoming, rng.sample(orgs, 30), author)
    past_day = today - timedelta(days=60)
    past = _event(PAST, EventKind.FORUM, past_day, author, capacity=80)
    _requests(rng, upcoming, 25, accepted_share=0.5)
    for registration in _register(rng, past, rng.sample(orgs, 40), author):
        if rng.random() < 0.85:
            registration.checked_in_at = past.starts_at + timedelta(minutes=rng.randint(0, 90))
            record_enablement(
                firm=registration.organization,
                kind="event",
                source_type="event",
                source_id=past.id,
                occurred_on=past_day,
                programme=past.title[:100],
                demo=True,
            )
    _requests(rng, past, 60, accepted_share=0.8)
    run_scheduler(past, author)
    past.schedule_published_at = past.starts_at - timedelta(days=2)
    for meeting in agenda.meetings_of(past):
        _outcomes(rng, past, meeting, past_day)
    db.session.flush()
    return 2


def _requests(rng: random.Random, event: Event, count: int, accepted_share: float) -> None:
    people = [r for r in event.registrations if r.status == RegistrationStatus.CONFIRMED]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < count:
        asker, asked = rng.sample(people, 2)
        if not pairs & {(asker.id, asked.id), (asked.id, asker.id)}:
            pairs.add((asker.id, asked.id))
            accepted = rng.random() < accepted_share
            db.session.add(
                MeetingRequest(
                    event=event,
                    requester=asker,
                    recipient=asked,
                    message="希望当面交流合作机会。",
                    status=RequestStatus.ACCEPTED if accepted else RequestStatus.PENDING,
                    decided_at=min(event.registration_opens_at + timedelta(days=rng.randint(1, 40)), utcnow())
                    if accepted
                    else None,
                )
            )
    db.session.flush()


def _outcomes(rng: random.Random, event: Event, meeting: Meeting, day: date) -> None:
    """Both sides answer for most meetings; a fifth of them end in a deal."""
    kind = rng.choices(list(OutcomeKind), weights=[3, 5, 2, 2])[0]
    amount = Decimal(rng.choice([20, 50, 80, 150])) if kind == OutcomeKind.DEAL else None
    request = meeting.request
    for side in (request.requester, request.recipient):
        if rng.random() < 0.8:
            meeting.outcomes.append(
                MeetingOutcome(
                    registration=side,
                    kind=kind,
                    amount=amount,
                    recorded_by_id=event.created_by_id,
                    recorded_at=event.ends_at + timedelta(days=1),
                )
            )
    if not meeting.outcomes:
        return
    for firm, other in ((request.requester, request.recipient), (request.recipient, request.requester)):
        record_enablement(
            firm=firm.organization,
            kind="meeting",
            source_type="event-meeting",
            source_id=meeting.id,
            occurred_on=day,
            provider=other.organization,
            programme=event.title[:100],
            demo=True,
        )
    if kind == OutcomeKind.DEAL:
        record_enablement(
            firm=request.requester.organization,
            kind="deal",
            source_type="event-meeting",
            source_id=meeting.id,
            occurred_on=day,
            provider=request.recipient.organization,
            programme=event.title[:100],
            demo=True,
        )
