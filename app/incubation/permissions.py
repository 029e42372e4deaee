"""Who may see and report a firm's yearly figures: they are confidential to its members and the office."""

from app.accounts.models import Organization, User
from app.accounts.permissions import is_member_of


def can_see_figures(user: User, org: Organization) -> bool:
    return user.is_authenticated and (user.is_admin or is_member_of(user, org))


def can_report_figures(user: User) -> bool:
    """Members of an organization report their own organization's figures (admins correct them)."""
    return user.is_authenticated and user.organization is not None
