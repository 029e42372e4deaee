"""The rules of needs beyond the shared moderation lifecycle (`app.listings.moderation`): a published
need expires after the period the office sets unless its owner renews it, and the owner is told a
week before."""

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.models import utcnow
from app.core.settings import NEED_LIFETIME_DAYS, get_int
from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES, ListingStatus, ModerationError
from app.needs.models import Need
from app.notifications.models import Topic
from app.notifications.services import members, notify

REMINDER_DAYS = 7

_recommenders: list[Callable[[User, Need], Markup | None]] = []


def register_solution_recommendations(recommend: Callable[[User, Need], Markup | None]) -> None:
    """Matching recommends solutions on a need's page, to whom it decides (needs import no matching)."""
    _recommenders[:] = [recommend]


def recommended_solutions(user: User, need: Need) -> Markup | None:
    """The list of solutions recommended to `user` for `need`, rendered, or None when the user may
    not see them."""
    return _recommenders[0](user, need) if _recommenders else None


#: A need's page keeps what the need is filed under (loaded when that is rendered): the need is loaded
#: with its organization only, by a statement built once (building it cost as much as running it).
_NEED_WITH_ORGANIZATION = select(Need).where(Need.id == bindparam("need_id")).options(joinedload(Need.organization))


def get(need_id: int) -> Need | None:
    return db.session.scalar(_NEED_WITH_ORGANIZATION, {"need_id": need_id})


def lifetime_days() -> int:
    return get_int(NEED_LIFETIME_DAYS)


def _lifetime() -> timedelta:
    return timedelta(days=lifetime_days())


def on_published(need: Need) -> None:
    need.expires_at = utcnow() + _lifetime()
    need.expiry_reminded_at = None


def renew(need: Need) -> None:
    """Another full period from now; an expired need is public again."""
    if need.status not in (*PUBLIC_STATUSES, ListingStatus.EXPIRED):
        raise ModerationError(_("只有已发布或已过期的需求可以续期。"))
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
    """Tell each member of the organizations whose needs expire within a week, once per period."""
    now = now or utcnow()
    soon = db.session.scalars(
        select(Need).where(
            Need.status.in_(PUBLIC_STATUSES),
            Need.expires_at > now,
            Need.expires_at <= now + timedelta(days=REMINDER_DAYS),
            Need.expiry_reminded_at.is_(None),
        )
    ).all()
    for need in soon:
        notify(
            members(need.organization),
            Topic.EXPIRING,
            _l("您的需求“%(title)s”即将到期", title=need.title),
            "needs.detail",
            detail=_l(
                "需求将于 %(date)s 到期，到期后不再公开；如仍需对接，请打开需求点击“续期”。",
                date=LazyString(format_date, need.expires_at),
            ),
            need_id=need.id,
        )
        need.expiry_reminded_at = now
    db.session.flush()
    return len(soon)
