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
from app.solutions import services as solutions
from app.solutions.models import Solution, SolutionAttachment


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
#: The tab of files added to published solutions.
ATTACHMENTS = "attachments"


def pending(kind: ListingKind) -> Select:
    """Waiting for review, oldest first."""
    return (
        select(kind.model)
        .where(kind.model.status == ListingStatus.SUBMITTED)
        .order_by(kind.model.submitted_at, kind.model.id)
    )


def _count(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def pending_counts() -> dict[str, int]:
    """What waits in each tab of the queue: needs, solutions, and files added to published solutions."""
    counts = {slug: _count(pending(kind)) for slug, kind in KINDS.items()}
    counts[ATTACHMENTS] = _count(solutions.pending_attachments())
    return counts


def approve(kind: ListingKind, item, by: User) -> None:
    moderation.approve(item, by)
    if kind.on_published:
        kind.on_published(item)
    audit(by, f"{kind.slug}.approve", item, {"status": "submitted"}, {"status": item.status.value})


def approve_attachment(attachment: SolutionAttachment, by: User) -> None:
    solutions.approve_attachment(attachment)
    audit(
        by,
        "solutions.attachment_approve",
        attachment.solution,
        {"attachment": attachment.original_name, "status": "pending"},
        {"attachment": attachment.original_name, "status": "approved"},
    )


def reject_attachment(attachment: SolutionAttachment, by: User, reason: str) -> str:
    """Returns the stored name, whose file the caller removes once this is committed."""
    solution, name = attachment.solution, attachment.original_name
    stored_name = solutions.reject_attachment(attachment)
    audit(
        by,
        "solutions.attachment_reject",
        solution,
        {"attachment": name, "status": "pending"},
        {"attachment": name, "status": "rejected", "reason": reason.strip()},
    )
    return stored_name


def reject(kind: ListingKind, item, by: User, reason: str) -> None:
    moderation.reject(item, by, reason)
    audit(
        by,
        f"{kind.slug}.reject",
        item,
        {"status": "submitted"},
        {"status": item.status.value, "reason": item.rejection_reason},
    )
