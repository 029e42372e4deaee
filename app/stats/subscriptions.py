"""The ledger counts what the domains say happened (`app.core.signals`): each receiver records the
enablement its signal means. The ledger counts a firm once per kind and source, so a signal sent
again for the same sender adds nothing; the rows are flushed in the sender's transaction.

The senders are the domains' records, which this package cannot import (they import it for
the plan's indicators): a receiver reads only their `id` (and a pilot application's
`organization`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.accounts.models import Organization, User
from app.core import signals
from app.stats.ledger import record_enablement

PROGRAMME_LENGTH = 100  # Enablement.programme's column


def _count(
    kind: str,
    source_type: str,
    source: Any,
    firm: Organization,
    on: date,
    by: User | None,
    provider: Organization | None = None,
    programme: str = "",
    demo: bool = False,
) -> bool:
    return record_enablement(
        firm=firm,
        kind=kind,
        source_type=source_type,
        source_id=source.id,
        occurred_on=on,
        provider=provider,
        programme=programme[:PROGRAMME_LENGTH],
        recorded_by=by,
        demo=demo,
    ).created


def attendee_checked_in(event: Any, *, firm: Organization, on: date, programme: str, by: User) -> None:
    _count("event", "event", event, firm, on, by, programme=programme)


def meeting_held(meeting: Any, *, firms: tuple[Organization, Organization], on: date, programme: str, by: User) -> None:
    """Each side is counted as enabled by the other."""
    for firm, other in (firms, firms[::-1]):
        _count("meeting", "event-meeting", meeting, firm, on, by, provider=other, programme=programme)


def meeting_deal_recorded(
    meeting: Any, *, firm: Organization, provider: Organization, on: date, programme: str, by: User
) -> None:
    _count("deal", "event-meeting", meeting, firm, on, by, provider=provider, programme=programme)


def deal_confirmed(inquiry: Any, *, firm: Organization, provider: Organization, on: date, by: User) -> None:
    _count("deal", "inquiry", inquiry, firm, on, by, provider=provider)


def pilot_list_published(
    call: Any, *, selected: Sequence[Any], on: date, programme: str, by: User | None, demo: bool = False
) -> int:
    """Returns how many of the selected firms were not counted before."""
    return sum(
        _count(
            "pilot", "pilot_application", application, application.organization, on, by, programme=programme, demo=demo
        )
        for application in selected
    )


def firm_certified(enrolment: Any, *, firm: Organization, on: date, programme: str, by: User) -> None:
    _count("incubation", "incubation", enrolment, firm, on, by, programme=programme)


def subscribe() -> None:
    """Connect the ledger to the signals it counts (connecting again changes nothing)."""
    signals.attendee_checked_in.connect(attendee_checked_in)
    signals.meeting_held.connect(meeting_held)
    signals.meeting_deal_recorded.connect(meeting_deal_recorded)
    signals.deal_confirmed.connect(deal_confirmed)
    signals.pilot_list_published.connect(pilot_list_published)
    signals.firm_certified.connect(firm_certified)
