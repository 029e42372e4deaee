"""Who may see an application, apply, and score."""

from app.accounts.models import User
from app.accounts.permissions import is_member_of
from app.pilots.models import PilotApplication
from app.pilots.services import has_conflict, is_assigned


def can_apply(user: User) -> bool:
    return user.is_authenticated and user.organization is not None and user.organization.is_enterprise


def can_see_application(user: User, application: PilotApplication) -> bool:
    """The applicant's members, the experts assigned to it and admins."""
    return user.is_authenticated and (
        user.is_admin or is_member_of(user, application.organization) or is_assigned(user, application)
    )


def can_review_applications(user: User) -> bool:
    """Experts: they see the applications assigned to them (the service refuses any other)."""
    return user.is_authenticated and user.is_expert


def can_score(user: User, application: PilotApplication) -> bool:
    return (
        user.is_authenticated
        and user.is_expert
        and is_assigned(user, application)
        and not has_conflict(user, application)
    )
