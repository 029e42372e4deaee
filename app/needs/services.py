"""The rules of needs beyond the shared moderation lifecycle (`app.core.moderation`)."""
from datetime import timedelta

from flask import current_app

from app.core.models import utcnow
from app.needs.models import Need

DEFAULT_LIFETIME_DAYS = 180


def on_published(need: Need) -> None:
    """A published need expires after the period the office sets, unless renewed."""
    days = current_app.config.get("NEED_LIFETIME_DAYS", DEFAULT_LIFETIME_DAYS)
    need.expires_at = utcnow() + timedelta(days=days)
