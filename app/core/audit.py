"""The audit log: who changed what, before and after. Every domain writes to it through `audit`."""

import enum
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.data_version import PrivateData
from app.core.models import TimestampMixin
from app.extensions import Model, db

security_log = logging.getLogger("gongfu.security")


class Actor(Protocol):
    """The member who acts (a `User`; core names no domain's model)."""

    @property
    def id(self) -> int: ...


class AuditEntry(PrivateData, TimestampMixin, Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip_address: Mapped[str] = mapped_column(String(45), default="")

    actor: Mapped[Any] = relationship("User")


def audit(actor: Actor, action: str, target: Any, before: dict | None = None, after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id,
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        target_label=str(
            getattr(target, "name", None) or getattr(target, "title", None) or getattr(target, "email", None) or ""
        )[:200],
        before=before,
        after=after,
        ip_address=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(entry)
    security_log.info(
        "admin action: actor=%s action=%s target=%s:%s", actor.id, action, entry.target_type, entry.target_id
    )
    return entry


def apply_changes(target: Any, values: dict[str, Any]) -> tuple[dict, dict]:
    """Set the values on the target; returns the fields that changed, before and after, as the
    audit log keeps them."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(target, name)
        if old != value:
            before[name], after[name] = _loggable(old), _loggable(value)
            setattr(target, name, value)
    return before, after


def _loggable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
