"""Settings the office changes in the admin area; each falls back to the configuration."""

from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core import data_version
from app.core.audit import Actor, audit
from app.core.models import utcnow
from app.extensions import Model, db

NEED_LIFETIME_DAYS = "NEED_LIFETIME_DAYS"
#: The footer's lines, each hidden while empty: the operator (主办单位), how to reach it, the ICP
#: filing number (ICP备案号), the public-security filing number (公安备案号) and the site
#: identifier code (网站标识码) that government sites carry.
SITE_OPERATOR = "SITE_OPERATOR"
SITE_CONTACT = "SITE_CONTACT"
ICP_FILING = "ICP_FILING"
PUBLIC_SECURITY_FILING = "PUBLIC_SECURITY_FILING"
SITE_IDENTIFIER = "SITE_IDENTIFIER"
FOOTER_KEYS = (SITE_OPERATOR, SITE_CONTACT, ICP_FILING, PUBLIC_SECURITY_FILING, SITE_IDENTIFIER)


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


def get_text(key: str) -> str:
    """The admin's value of `key`, or the configuration's (empty when it has none)."""
    row = db.session.get(PortalSetting, key)
    return row.value if row is not None else str(current_app.config.get(key, ""))


def set_texts(values: dict[str, str], by: Actor) -> None:
    before, after = {}, {}
    for key, value in values.items():
        old = get_text(key)
        if old == value:
            continue
        row = db.session.get(PortalSetting, key) or PortalSetting(key=key)
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), by.id
        db.session.add(row)
        before[key], after[key] = old, value
    if after:
        audit(by, "settings.update", None, before, after)
    db.session.flush()


def footer() -> dict[str, str]:
    """The footer's values, read once per data version (every page shows them)."""
    return data_version.cached("settings.footer", lambda: {key: get_text(key) for key in FOOTER_KEYS})
