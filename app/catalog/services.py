"""Loading and editing the taxonomy."""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.audit import audit
from app.core.bilingual import fill_english
from app.extensions import db
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TaxonomyMixin, TechDomain
from app.taxonomy.services import entries


@dataclass(frozen=True)
class TaxonomyKind:
    slug: str
    model: type[TaxonomyMixin]
    label: str


KINDS = {
    kind.slug: kind
    for kind in (
        TaxonomyKind("industries", Industry, _l("行业")),
        TaxonomyKind("domains", TechDomain, _l("技术领域")),
        TaxonomyKind("categories", ScenarioCategory, _l("场景大类")),
        TaxonomyKind("subcategories", ScenarioSubcategory, _l("场景小类")),
        TaxonomyKind("districts", District, _l("区市")),
    )
}

EDITABLE_FIELDS = ("name", "name_en", "new_mode", "category_id", "aliases", "manual")


def register_kind(kind: TaxonomyKind) -> None:
    """Another domain's coded list, edited on the same admin pages (codes fixed, names editable,
    entries deactivated rather than deleted)."""
    KINDS[kind.slug] = kind


def code_taken(model: type[TaxonomyMixin], code: str) -> bool:
    return db.session.scalar(select(model.id).where(model.code == code.strip())) is not None


def _siblings(entry) -> list:
    category_id = getattr(entry, "category_id", None)
    return entries(type(entry), category_id=category_id)


def _snapshot(entry) -> dict:
    return {f: getattr(entry, f) for f in ("code", "is_active", "position", *EDITABLE_FIELDS) if hasattr(entry, f)}


def add_entry(model: type[Any], code: str, values: dict, by: User):
    entry = model(code=code.strip())
    for field, value in values.items():
        if field in EDITABLE_FIELDS and hasattr(entry, field):
            setattr(entry, field, value)
    scope = select(func.max(model.position))
    if model is ScenarioSubcategory:
        scope = scope.where(model.category_id == entry.category_id)
    entry.position = (db.session.scalar(scope) or 0) + 1
    db.session.add(entry)
    db.session.flush()
    audit(by, "taxonomy.add", entry, None, _snapshot(entry))
    return entry


def update_entry(entry, values: dict, by: User):
    """Rename and re-describe an entry (returned); its code never changes."""
    before = _snapshot(entry)
    for field, value in values.items():
        if field in EDITABLE_FIELDS and hasattr(entry, field):
            setattr(entry, field, value)
    after = _snapshot(entry)
    if after != before:
        audit(by, "taxonomy.update", entry, before, after)
    return entry


def set_entry_active(entry, active: bool, by: User) -> None:
    before = _snapshot(entry)
    entry.is_active = active
    audit(by, "taxonomy.activate" if active else "taxonomy.deactivate", entry, before, _snapshot(entry))


def move_entry(entry, offset: int, by: User) -> None:
    """Move an entry up (-1) or down (+1) among its siblings, renumbering them 1..n."""
    siblings = _siblings(entry)
    index = siblings.index(entry)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    before = _snapshot(entry)
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    audit(by, "taxonomy.move", entry, before, _snapshot(entry))


def load_taxonomy(data: dict, update_existing: bool = True) -> dict[str, int]:
    """Insert or update every entry by code; entries missing from the data are left alone.

    With `update_existing=False` only missing entries are inserted and English names still empty
    filled in, so that admins' renames survive a routine re-seed. Returns how many entries were
    added or changed per kind.
    """
    with db.session.no_autoflush:
        changed = {
            "industries": _upsert(Industry, data.get("industries", []), update_existing),
            "domains": _upsert(
                TechDomain,
                data.get("tech_domains", []),
                update_existing,
                extra=lambda e, item: setattr(e, "new_mode", bool(item.get("new_mode"))),
            ),
            "categories": _upsert(ScenarioCategory, data.get("categories", []), update_existing),
        }
        categories = {c.code: c for c in db.session.scalars(select(ScenarioCategory))}
        categories.update({c.code: c for c in db.session.new if isinstance(c, ScenarioCategory)})
        subcategories = [
            dict(sub, category=categories[item["code"]])
            for item in data.get("categories", [])
            for sub in item.get("subcategories", [])
        ]
        changed["subcategories"] = _upsert(
            ScenarioSubcategory,
            subcategories,
            update_existing,
            extra=lambda e, item: setattr(e, "category", item["category"]),
        )
        changed["districts"] = _upsert(
            District,
            data.get("districts", []),
            update_existing,
            extra=lambda e, item: setattr(e, "aliases", item.get("aliases", "")),
        )
    db.session.flush()
    return changed


def _upsert(model: type[Any], items: list[dict], update_existing: bool, extra=None) -> int:
    existing = {e.code: e for e in db.session.scalars(select(model))}
    changed = 0
    positions: dict = {}
    for item in items:
        scope = item.get("category")
        positions[id(scope)] = positions.get(id(scope), 0) + 1
        entry = existing.get(item["code"])
        if entry is None:
            entry = model(code=item["code"], position=positions[id(scope)])
            db.session.add(entry)
        elif not update_existing:
            changed += fill_english(entry, name_en=item.get("en", ""))
            continue
        before = _snapshot(entry) if entry.id else None
        entry.name = item["name"]
        entry.name_en = item.get("en", "")
        if extra:
            extra(entry, item)
        if before is None or _snapshot(entry) != before:
            changed += 1
    return changed
