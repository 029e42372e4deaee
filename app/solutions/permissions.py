"""Who may publish solutions (the shared moderation predicates are in `app.listings.moderation`)."""

from app.accounts.models import User


def can_post_solution(user: User) -> bool:
    """Members of a provider (服务商, or a firm that is both)."""
    return user.is_authenticated and user.organization is not None and user.organization.is_provider
