"""Who may post needs (the shared moderation predicates are in `app.listings.moderation`)."""

from app.accounts.models import User


def can_post_need(user: User) -> bool:
    """Members of an enterprise (需求企业, or a firm that is both)."""
    return user.is_authenticated and user.organization is not None and user.organization.is_enterprise
