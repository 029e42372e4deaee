"""Who may see a registration's ticket and cancel it, take part in the matchmaking, enter a
competition and judge it."""

from app.accounts.models import User
from app.accounts.permissions import is_member_of
from app.events.models import CompetitionEntry, Event, EventKind, Meeting, MeetingRequest, Registration
from app.events.outcomes import side_of
from app.events.services import confirmed_registration


def can_see_ticket(user: User, registration: Registration) -> bool:
    return user.is_authenticated and (user.is_admin or is_member_of(user, registration.organization))


def can_cancel(user: User, registration: Registration) -> bool:
    """The organization's members; the organiser rejects instead."""
    return is_member_of(user, registration.organization)


def is_party(user: User, request: MeetingRequest) -> bool:
    return is_member_of(user, request.requester.organization) or is_member_of(user, request.recipient.organization)


def can_see_entry(user: User, entry: CompetitionEntry) -> bool:
    """The entrant's members, the competition's judges and admins."""
    return user.is_authenticated and (
        user.is_admin or is_judge(user, entry.event) or is_member_of(user, entry.registration.organization)
    )


def is_participant(user: User, event: Event) -> bool:
    """A member of an organization whose registration is confirmed: it asks others for meetings."""
    return confirmed_registration(event, user) is not None


def can_see_participants(user: User, event: Event) -> bool:
    """The participants' catalogue: for the participants; admins look on."""
    return is_participant(user, event) or (user.is_authenticated and user.is_admin)


def can_record_outcome(user: User, meeting: Meeting) -> bool:
    """Either side of the meeting."""
    return side_of(meeting, user) is not None


def can_submit_entry(user: User, event: Event) -> bool:
    """The participants of a competition (other events take no entries)."""
    return event.kind == EventKind.COMPETITION and is_participant(user, event)


def is_judge(user: User, event: Event) -> bool:
    """An active expert the organiser named a judge of this competition."""
    return (
        user.is_authenticated
        and user.is_expert
        and user.active
        and event.kind == EventKind.COMPETITION
        and any(judge.id == user.id for judge in event.judges)
    )
