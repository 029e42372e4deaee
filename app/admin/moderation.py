"""Moderating what organizations post: needs and solutions wait for an admin, who publishes them
or sends them back with a reason. Every decision is audited."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.admin.services import audit
from app.core import moderation
from app.core.moderation import ListingMixin, ListingStatus
from app.extensions import db
from app.needs.models import Need
from app.needs.services import on_published as need_published
from app.solutions.models import Solution


@dataclass(frozen=True)
class ListingKind:
    slug: str
    model: type[ListingMixin]
    label: object
    detail_endpoint: str
    on_published: Callable | None = None


KINDS = {
    kind.slug: kind
    for kind in (
        ListingKind("needs", Need, _l("需求"), "needs.detail", need_published),
        ListingKind("solutions", Solution, _l("解决方案"), "solutions.detail"),
    )
}


def pending(kind: ListingKind) -> Select:
    """Waiting for review, oldest first."""
    return (
        select(kind.model)
        .where(kind.model.status == ListingStatus.SUBMITTED)
        .order_by(kind.model.submitted_at, kind.model.id)
    )


def pending_counts() -> dict[str, int]:
    return {
        slug: db.session.scalar(select(func.count()).select_from(pending(kind).order_by(None).subquery())) or 0
        for slug, kind in KINDS.items()
    }


def approve(kind: ListingKind, item, by: User) -> None:
    moderation.approve(item, by)
    if kind.on_published:
        kind.on_published(item)
    audit(by, f"{kind.slug}.approve", item, {"status": "submitted"}, {"status": item.status.value})


def reject(kind: ListingKind, item, by: User, reason: str) -> None:
    moderation.reject(item, by, reason)
    audit(
        by,
        f"{kind.slug}.reject",
        item,
        {"status": "submitted"},
        {"status": item.status.value, "reason": item.rejection_reason},
    )
