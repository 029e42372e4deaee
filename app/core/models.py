"""Column helpers shared by the domains' models.

Timestamps are naive UTC everywhere (SQLite keeps no zone); templates format them in the
portal's time zone through Flask-Babel.
"""

import enum
from datetime import UTC, date, datetime
from typing import ClassVar, Protocol, TypeVar

from flask_babel import to_user_timezone
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column


class HasId(Protocol):
    """A model with an integer primary key `id`, for helpers that work on several models."""

    id: ClassVar[Mapped[int]]  # ClassVar: what type checkers need to see the mapped descriptor


#: A model class's instances, in such helpers (`def load(model: type[M], ...) -> list[M]`).
M = TypeVar("M", bound=HasId)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today in the portal's time zone (a deadline's last day ends at local midnight)."""
    return to_user_timezone(utcnow()).date()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredFileMixin:
    """A file kept by `app.core.files` under its generated `stored_name`."""

    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    # Long enough for an XLSX type, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (65).
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the members' values as short strings."""
    return Enum(
        enum_cls, name=name, native_enum=False, length=20, values_callable=lambda members: [m.value for m in members]
    )
