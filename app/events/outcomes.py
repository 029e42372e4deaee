"""What came of an event: each side's account of its meetings (recorded by the side, or by the
organiser who collected it at the event), the signals they send (which the ledger counts), and
the organiser's report.

A meeting counts as held once either side records an outcome: both firms are counted once
(kind "meeting"). A deal counts once (kind "deal"): the firm enabled is the side that came as demand
or visitor, the other side (supply, investor or bank) is the enabler; when both came in the same
kind of role, the one who asked for the meeting is counted as enabled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.core import signals
from app.core.audit import audit
from app.core.models import utcnow
from app.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from app.events.services import EventError
from app.extensions import db

ENABLERS = (ParticipantRole.SUPPLY, ParticipantRole.INVESTOR)


def side_of(meeting: Meeting, user: User) -> Registration | None:
    org = user.organization if user.is_authenticated else None
    if org is None:
        return None
    return next(
        (r for r in (meeting.request.requester, meeting.request.recipient) if r.organization_id == org.id), None
    )


def record(
    meeting: Meeting,
    user: User,
    kind: OutcomeKind,
    amount: Decimal | None = None,
    financing: Decimal | None = None,
    institution: str = "",
) -> MeetingOutcome:
    """A side's own account of its meeting."""
    side = side_of(meeting, user)
    if side is None:
        raise EventError(_("只有洽谈双方可以记录洽谈结果。"))
    if _recorded(meeting, side):
        raise EventError(_("贵单位已经记录过这场洽谈的结果。"))
    return _record(meeting, side, user, kind, amount, financing, institution)


def record_for(
    meeting: Meeting,
    side_id: int | None,
    by: User,
    kind: OutcomeKind,
    amount: Decimal | None = None,
    financing: Decimal | None = None,
    institution: str = "",
) -> MeetingOutcome:
    """The organiser records a side's account collected at the event; audited."""
    side = next((r for r in (meeting.request.requester, meeting.request.recipient) if r.id == side_id), None)
    if side is None:
        raise EventError(_("请选择洽谈的一方。"))
    if _recorded(meeting, side):
        raise EventError(_("“%(org)s”已经记录过这场洽谈的结果。", org=side.organization.name))
    outcome = _record(meeting, side, by, kind, amount, financing, institution)
    audit(
        by,
        "event.outcome",
        meeting.request.event,
        None,
        {
            "meeting": meeting.id,
            "organization": side.organization.name,
            "kind": kind.value,
            "amount": str(amount) if amount is not None else None,
            "financing": str(financing) if financing is not None else None,
            "institution": outcome.institution,
        },
    )
    return outcome


def _recorded(meeting: Meeting, side: Registration) -> bool:
    return any(o.registration_id == side.id for o in meeting.outcomes)


def _record(
    meeting: Meeting,
    side: Registration,
    by: User,
    kind: OutcomeKind,
    amount: Decimal | None,
    financing: Decimal | None,
    institution: str,
) -> MeetingOutcome:
    if utcnow() < meeting.slot.starts_at:
        raise EventError(_("洽谈开始后才能记录结果。"))
    if kind != OutcomeKind.DEAL and amount is not None:
        raise EventError(_("只有签约才填写金额。"))
    institution = institution.strip() if financing is not None else ""
    _check_financing(meeting.request.event, financing, institution)
    outcome = MeetingOutcome(
        registration=side,
        kind=kind,
        amount=amount,
        financing=financing,
        institution=institution,
        recorded_by_id=by.id,
    )
    meeting.outcomes.append(outcome)
    db.session.flush()
    _count(meeting, by, kind)
    return outcome


def _check_financing(event: Event, financing: Decimal | None, institution: str) -> None:
    """Financing is recorded at industry-finance meetings only, as a positive amount in 万元
    with the institution that provides it (the form offers the investor side's name, which
    goes unrecorded without an amount)."""
    if financing is None:
        return
    if event.kind != EventKind.FINANCE:
        raise EventError(_("只有产融对接会记录融资。"))
    if financing <= 0:
        raise EventError(_("融资金额应大于 0 万元。"))
    if not institution:
        raise EventError(_("请填写提供融资的银行或投资机构。"))


def default_institution(meeting: Meeting, registration: Registration) -> str:
    """The financing institution a side is offered to record: whichever side of the meeting came
    as investor or bank (none when neither did)."""
    request = meeting.request
    other = request.recipient if request.requester_id == registration.id else request.requester
    investor = next((r for r in (other, registration) if r.role == ParticipantRole.INVESTOR), None)
    return investor.organization.name if investor else ""


def _count(meeting: Meeting, user: User, kind: OutcomeKind) -> None:
    request = meeting.request
    day, programme = meeting.slot.starts_at.date(), request.event.title
    firms = (request.requester.organization, request.recipient.organization)
    signals.meeting_held.send(meeting, firms=firms, on=day, programme=programme, by=user)
    if kind == OutcomeKind.DEAL:
        firm, enabler = _firm_and_enabler(request)
        signals.meeting_deal_recorded.send(
            meeting, firm=firm.organization, provider=enabler.organization, on=day, programme=programme, by=user
        )


def _firm_and_enabler(request: MeetingRequest) -> tuple[Registration, Registration]:
    requester, recipient = request.requester, request.recipient
    if requester.role in ENABLERS and recipient.role not in ENABLERS:
        return recipient, requester
    return requester, recipient


@dataclass(frozen=True)
class Report:
    registrations: dict[RegistrationStatus, int]
    checked_in: int
    requests: int
    accepted: int
    meetings: int
    held: int
    outcomes: dict[OutcomeKind, int]
    deal_amount: Decimal
    financing: Decimal
    #: (institution, meetings, amount in 万元), the largest first.
    by_institution: list[tuple[str, int, Decimal]]


def report(event: Event) -> Report:
    regs = Counter(db.session.scalars(select(Registration.status).where(Registration.event_id == event.id)))
    checked_in = (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == event.id, Registration.checked_in_at.is_not(None)
            )
        )
        or 0
    )
    requests = Counter(db.session.scalars(select(MeetingRequest.status).where(MeetingRequest.event_id == event.id)))
    meetings = db.session.scalar(select(func.count(Meeting.id)).where(Meeting.event_id == event.id)) or 0
    outcomes = db.session.scalars(select(MeetingOutcome).join(Meeting).where(Meeting.event_id == event.id)).all()
    return Report(
        registrations=dict(regs),
        checked_in=checked_in,
        requests=sum(requests.values()),
        accepted=requests.get(RequestStatus.ACCEPTED, 0),
        meetings=meetings,
        held=len({o.meeting_id for o in outcomes}),
        outcomes=dict(Counter(o.kind for o in outcomes)),
        deal_amount=_per_meeting(outcomes, "amount"),
        financing=_per_meeting(outcomes, "financing"),
        by_institution=_by_institution(outcomes),
    )


def _per_meeting(outcomes: Sequence[MeetingOutcome], field: str) -> Decimal:
    """The sum over meetings of the larger figure the two sides gave (a meeting is not counted twice)."""
    best: dict[int, Decimal] = {}
    for outcome in outcomes:
        value = getattr(outcome, field)
        if value is not None:
            best[outcome.meeting_id] = max(value, best.get(outcome.meeting_id, value))
    return sum(best.values(), Decimal(0))


def _by_institution(outcomes: Sequence[MeetingOutcome]) -> list[tuple[str, int, Decimal]]:
    """Financing summed by institution; a meeting counts once, with the larger amount its two
    sides gave and the institution that side named."""
    best: dict[int, MeetingOutcome] = {}
    for outcome in outcomes:
        if outcome.financing is not None:
            kept = best.get(outcome.meeting_id)
            if kept is None or outcome.financing > (kept.financing or 0):
                best[outcome.meeting_id] = outcome
    meetings: Counter[str] = Counter()
    amounts: dict[str, Decimal] = {}
    for outcome in best.values():
        meetings[outcome.institution] += 1
        amounts[outcome.institution] = amounts.get(outcome.institution, Decimal(0)) + (outcome.financing or 0)
    return sorted(
        ((name, meetings[name], amount) for name, amount in amounts.items()), key=lambda row: (-row[2], row[0])
    )
