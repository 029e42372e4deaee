"""Who may publish solutions and see their files (what needs share with them is in `app.listings.permissions`)."""

from app.accounts.models import User
from app.listings.permissions import can_manage_listing, can_view_listing
from app.solutions.models import SolutionAttachment


def can_post_solution(user: User) -> bool:
    """Members of a provider (服务商, or a firm that is both)."""
    return user.is_authenticated and user.organization is not None and user.organization.is_provider


def can_see_attachment(user: User, attachment: SolutionAttachment) -> bool:
    """A pending file is for its organization and the admins only (the solution itself may be public)."""
    solution = attachment.solution
    if not can_view_listing(user, solution):
        return False
    return not attachment.pending or can_manage_listing(user, solution) or (user.is_authenticated and user.is_admin)
