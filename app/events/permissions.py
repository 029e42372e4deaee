"""Who may see a registration's ticket and cancel it, and act on a meeting request."""

from app.accounts.models import User
from app.accounts.permissions import is_member_of
from app.events.competition import is_judge
from app.events.models import CompetitionEntry, MeetingRequest, Registration


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
