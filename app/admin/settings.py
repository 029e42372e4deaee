"""Settings the office changes in the admin area; each falls back to the configuration."""

from flask import current_app

from app.accounts.models import User
from app.admin.models import PortalSetting
from app.admin.services import audit
from app.core.models import utcnow
from app.extensions import db

NEED_LIFETIME_DAYS = "NEED_LIFETIME_DAYS"


def get_int(key: str) -> int:
    """The admin's value of `key`, or the configuration's."""
    row = db.session.get(PortalSetting, key)
    return int(row.value) if row is not None else int(current_app.config[key])


def set_int(key: str, value: int, by: User) -> None:
    before = get_int(key)
    row = db.session.get(PortalSetting, key) or PortalSetting(key=key)
    row.value, row.updated_at, row.updated_by_id = str(value), utcnow(), by.id
    db.session.add(row)
    audit(by, "settings.update", None, {key: before}, {key: value})
    db.session.flush()
