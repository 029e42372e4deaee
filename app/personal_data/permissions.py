"""Who may download or delete which account's data."""

from app.accounts.models import User


def can_download_own_data(user: User) -> bool:
    return user.is_authenticated


def can_request_account_deletion(user: User) -> bool:
    """Members and experts; an admin account is closed by another admin (deactivation), not here."""
    return user.is_authenticated and not user.is_admin
