"""Moderating what organizations post: needs and solutions wait for an admin, who publishes them
or sends them back with a reason. Every decision is audited, and the owning organization's members
are told of it."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.core.audit import audit
from app.extensions import db
from app.listings import moderation
from app.listings.moderation import ListingMixin, ListingStatus
from app.needs.models import Need
from app.needs.services import on_published as need_published
from app.notifications.models import Topic
from app.notifications.services import members, notify
from app.solutions import services as solutions
from app.solutions.models import Solution, SolutionAttachment


@dataclass(frozen=True)
class ListingKind:
    slug: str
    model: type[ListingMixin]
    label: object
    detail_endpoint: str
    on_published: Callable | None = None

    def tell_owners(self, item: ListingMixin, title: str, detail: str = "") -> None:
        notify(
            members(item.organization),
            Topic.MODERATION,
            title,
            self.detail_endpoint,
            detail,
            **{f"{self.slug[:-1]}_id": item.id},
        )


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
    kind.tell_owners(item, _l("贵单位发布的“%(title)s”已通过审核并公开", title=item.title))


def approve_attachment(attachment: SolutionAttachment, by: User) -> None:
    solutions.approve_attachment(attachment)
    audit(
        by,
        "solutions.attachment_approve",
        attachment.solution,
        {"attachment": attachment.original_name, "status": "pending"},
        {"attachment": attachment.original_name, "status": "approved"},
    )
    KINDS["solutions"].tell_owners(
        attachment.solution,
        _l(
            "解决方案“%(title)s”的附件“%(name)s”已通过审核并公开",
            title=attachment.solution.title,
            name=attachment.original_name,
        ),
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
    KINDS["solutions"].tell_owners(
        solution,
        _l(
            "解决方案“%(title)s”的附件“%(name)s”未通过审核：%(reason)s",
            title=solution.title,
            name=name,
            reason=reason.strip(),
        ),
        _l("该附件已删除；修改后可以重新上传。"),
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
    kind.tell_owners(
        item,
        _l("贵单位发布的“%(title)s”未通过审核：%(reason)s", title=item.title, reason=item.rejection_reason),
        _l("请按退回原因修改后重新提交审核。"),
    )
