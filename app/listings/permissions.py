"""Who may see, manage and contact the owner of a need or a solution (what both kinds share)."""

from app.accounts.models import User
from app.accounts.permissions import is_member_of
from app.listings.moderation import ListingMixin


def can_manage_listing(user: User, item: ListingMixin) -> bool:
    """Members of the owning organization edit, submit and close it."""
    return user.is_authenticated and is_member_of(user, item.organization)


def can_view_listing(user: User, item: ListingMixin) -> bool:
    return item.is_public or can_manage_listing(user, item) or (user.is_authenticated and user.is_admin)


def can_see_listing_contacts(user: User, item: ListingMixin) -> bool:
    """Contact details are for signed-in members of an organization (and admins), never the public."""
    if not user.is_authenticated:
        return False
    return user.is_admin or user.membership is not None
