"""The rules of needs beyond the shared moderation lifecycle (`app.core.moderation`): a published
need expires after the period the office sets unless its owner renews it, and the owner is told a
week before."""
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.models import utcnow
from app.core.moderation import PUBLIC_STATUSES, ListingStatus, ModerationError
from app.extensions import db
from app.mail.services import send_mail
from app.needs.models import Need

REMINDER_DAYS = 7


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["NEED_LIFETIME_DAYS"])


def on_published(need: Need) -> None:
    need.expires_at = utcnow() + _lifetime()
    need.expiry_reminded_at = None


def renew(need: Need) -> None:
    """Another full period from now; an expired need is public again."""
    if need.status not in (*PUBLIC_STATUSES, ListingStatus.EXPIRED):
        raise ModerationError("only a published or expired need is renewed")
    if need.status == ListingStatus.EXPIRED:
        need.status = ListingStatus.PUBLISHED
    on_published(need)


def expire_due(now: datetime | None = None) -> int:
    """Published needs past their date stop being public; returns how many."""
    now = now or utcnow()
    due = db.session.scalars(select(Need).where(Need.status.in_(PUBLIC_STATUSES), Need.expires_at <= now)).all()
    for need in due:
        need.status = ListingStatus.EXPIRED
    db.session.flush()
    return len(due)


def remind_expiring(now: datetime | None = None) -> int:
    """Mail each member of the organizations whose needs expire within a week, once per period."""
    now = now or utcnow()
    soon = db.session.scalars(select(Need).where(
        Need.status.in_(PUBLIC_STATUSES), Need.expires_at > now,
        Need.expires_at <= now + timedelta(days=REMINDER_DAYS), Need.expiry_reminded_at.is_(None))).all()
    for need in soon:
        for membership in need.organization.memberships:
            send_mail(membership.user.email, _("您的需求“%(title)s”即将到期", title=need.title),
                      "emails/need_expiring.txt", need=need,
                      url=url_for("needs.detail", need_id=need.id, _external=True))
        need.expiry_reminded_at = now
    db.session.flush()
    return len(soon)
