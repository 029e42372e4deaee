"""What needs and solutions share: who owns them, and the moderation lifecycle.

draft → submitted → published, or rejected with a reason the owner sees (and may fix and submit
again); an owner closes an item at any time. Editing a published item sends it back for review
only when its substance changes (the fields each model lists in `SUBSTANCE`, or what a domain
declares substance through `substance_changed`), not for a typo in a field that is not substance.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar, TypeVar

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, declared_attr, joinedload, mapped_column, relationship

from app.accounts.models import Organization, User
from app.core.domain_error import DomainError
from app.core.models import enum_column, utcnow
from app.extensions import db


class ListingStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    IN_TALKS = "in_talks"  # needs only
    FULFILLED = "fulfilled"  # needs only
    EXPIRED = "expired"  # needs only
    CLOSED = "closed"


STATUS_LABELS = {
    ListingStatus.DRAFT: _l("草稿"),
    ListingStatus.SUBMITTED: _l("待审核"),
    ListingStatus.PUBLISHED: _l("已发布"),
    ListingStatus.REJECTED: _l("已退回"),
    ListingStatus.IN_TALKS: _l("对接中"),
    ListingStatus.FULFILLED: _l("已完成"),
    ListingStatus.EXPIRED: _l("已过期"),
    ListingStatus.CLOSED: _l("已关闭"),
}

#: Visible to the public, in search and in the lists.
PUBLIC_STATUSES = (ListingStatus.PUBLISHED, ListingStatus.IN_TALKS)
#: The owner may still edit it.
EDITABLE_STATUSES = (
    ListingStatus.DRAFT,
    ListingStatus.REJECTED,
    ListingStatus.SUBMITTED,
    ListingStatus.PUBLISHED,
    ListingStatus.IN_TALKS,
)


class ModerationError(DomainError):
    """A lifecycle step that is not allowed from the item's status; the message is for the user."""


class ListingMixin:
    """Columns of an item an organization posts and admins moderate."""

    #: The fields whose change sends a published item back for review (each model lists its own).
    SUBSTANCE: ClassVar[tuple[str, ...]]
    #: What the owner reads, in each model's words, when submitting what is neither a draft nor
    #: rejected, closing what is closed already, or editing what is no longer editable.
    SUBMIT_REFUSED: ClassVar[LazyString]
    CLOSE_REFUSED: ClassVar[LazyString]
    EDIT_REFUSED: ClassVar[LazyString]

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[ListingStatus] = mapped_column(
        enum_column(ListingStatus, "listing_status"), default=ListingStatus.DRAFT, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    @declared_attr
    def organization_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organizations.id"), index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    @classmethod
    def organization(cls) -> Mapped[Organization]:
        return relationship(foreign_keys=[cls.organization_id])

    @declared_attr
    @classmethod
    def created_by(cls) -> Mapped[User]:
        return relationship(foreign_keys=[cls.created_by_id])

    @declared_attr
    @classmethod
    def reviewed_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.reviewed_by_id])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def create_listing(model: type, org: Organization, by: User, values: dict, submit_now: bool = False):
    """A new draft (or, with `submit_now`, an item waiting for review); flushed, not committed."""
    item = model(organization=org, created_by=by, status=ListingStatus.DRAFT, **values)
    db.session.add(item)
    if submit_now:
        submit(item)
    db.session.flush()
    return item


def update_listing(item: ListingMixin, values: dict, submit_now: bool = False) -> bool:
    """Apply an owner's edit; True when a published item went back for review."""
    back_to_review = apply_edit(item, values, item.SUBSTANCE)
    if submit_now and item.status in (ListingStatus.DRAFT, ListingStatus.REJECTED):
        submit(item)
    db.session.flush()
    return back_to_review


def owned_by(model: type[ListingMixin], org: Organization) -> Select:
    return select(model).where(model.organization_id == org.id).order_by(model.updated_at.desc(), model.id.desc())


def public(model: type[ListingMixin]) -> Select:
    return select(model).where(model.status.in_(PUBLIC_STATUSES))


def newest_public(model: type[_Listing], limit: int) -> list[_Listing]:
    """The last published items that are public now, with their organization."""
    stmt = (
        public(model)
        .options(joinedload(model.organization))
        .order_by(model.published_at.desc(), model.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def submit(item: ListingMixin) -> None:
    if item.status not in (ListingStatus.DRAFT, ListingStatus.REJECTED):
        raise ModerationError(str(item.SUBMIT_REFUSED))
    item.status = ListingStatus.SUBMITTED
    item.submitted_at = utcnow()
    item.rejection_reason = ""


def _under_review(item: ListingMixin) -> None:
    if item.status != ListingStatus.SUBMITTED:
        raise ModerationError(_("“%(title)s”不在待审核状态。", title=item.title), category="warning")


def approve(item: ListingMixin, by: User) -> None:
    _under_review(item)
    item.status = ListingStatus.PUBLISHED
    item.published_at = utcnow()
    item.reviewed_by = by


def reject(item: ListingMixin, by: User, reason: str) -> None:
    _under_review(item)
    if not reason.strip():
        raise ModerationError(_("请填写退回原因，发布者会看到它。"))
    item.status = ListingStatus.REJECTED
    item.rejection_reason = reason.strip()
    item.reviewed_by = by


def close(item: ListingMixin) -> None:
    if item.status in (ListingStatus.CLOSED, ListingStatus.FULFILLED):
        raise ModerationError(str(item.CLOSE_REFUSED))
    item.status = ListingStatus.CLOSED
    item.closed_at = utcnow()


_Listing = TypeVar("_Listing", bound=ListingMixin)


def editable(item: _Listing) -> _Listing:
    """The item, while its owner may still edit it (or what it owns: a solution's cases and files)."""
    if not item.is_editable:
        raise ModerationError(str(item.EDIT_REFUSED), category="warning")
    return item


def apply_edit(item: ListingMixin, values: dict, substance: tuple[str, ...]) -> bool:
    """Set the edited values; a published item whose substance changed goes back for review.
    Returns True when it did."""
    editable(item)
    changed = {name for name, value in values.items() if getattr(item, name) != value}
    for name in changed:
        setattr(item, name, values[name])
    if changed & set(substance):
        return substance_changed(item)
    if changed:
        item.updated_at = utcnow()
    return False


def substance_changed(item: ListingMixin) -> bool:
    """The owner changed what the office vets (a substance field, or something the item owns such
    as a solution's reference cases): a public item goes back for review. True when it did."""
    editable(item)
    item.updated_at = utcnow()
    if item.status not in PUBLIC_STATUSES:
        return False
    item.status = ListingStatus.SUBMITTED
    item.submitted_at = utcnow()
    return True
