"""Settings the office changes in the admin area; each falls back to the configuration."""

from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import Actor, audit
from app.core.models import utcnow
from app.extensions import Model, db

NEED_LIFETIME_DAYS = "NEED_LIFETIME_DAYS"


class PortalSetting(Model):
    """A value the office changes from the admin area (the default comes from the configuration)."""

    __tablename__ = "portal_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


def get_int(key: str) -> int:
    """The admin's value of `key`, or the configuration's."""
    row = db.session.get(PortalSetting, key)
    return int(row.value) if row is not None else int(current_app.config[key])


def set_int(key: str, value: int, by: Actor) -> None:
    before = get_int(key)
    row = db.session.get(PortalSetting, key) or PortalSetting(key=key)
    row.value, row.updated_at, row.updated_by_id = str(value), utcnow(), by.id
    db.session.add(row)
    audit(by, "settings.update", None, {key: before}, {key: value})
    db.session.flush()
