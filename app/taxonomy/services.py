"""Reading the taxonomy's entries."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.taxonomy.models import TaxonomyMixin


def entries(model: type[Any], include_inactive: bool = True, category_id: int | None = None) -> list:
    stmt = select(model).order_by(model.position, model.id)
    if not include_inactive:
        stmt = stmt.where(model.is_active.is_(True))
    if category_id is not None:
        stmt = stmt.where(model.category_id == category_id)
    return list(db.session.scalars(stmt))


def choices(model: type[TaxonomyMixin], current_id: int | None = None) -> list[tuple[int, str]]:
    """Active entries for a select, plus the record's current one even when deactivated."""
    items = [e for e in entries(model) if e.is_active or e.id == current_id]
    return [(e.id, e.display_name() if e.is_active else _("%(name)s（已停用）", name=e.display_name())) for e in items]
