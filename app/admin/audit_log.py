"""How the audit log reads: each entry's before and after as labelled fields with the old and the
new value, in the viewer's language; statuses, roles and stages by their labels, and the codes of
incubation tracks, enablement kinds and scenario categories by their names."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.forms import SITE_ROLE_LABELS
from app.admin.labels import FIELD_LABELS
from app.articles.forms import CATEGORY_LABELS as ARTICLE_CATEGORY_LABELS
from app.articles.forms import STATUS_LABELS as ARTICLE_STATUS_LABELS
from app.core.audit import AuditEntry
from app.core.i18n import current_language
from app.events.forms import REGISTRATION_STATUS_LABELS
from app.extensions import db
from app.incubation.models import Track
from app.incubation.services import STAGE_LABELS
from app.legal.models import KIND_LABELS as LEGAL_KIND_LABELS
from app.listings.moderation import STATUS_LABELS as LISTING_STATUS_LABELS
from app.pilots.forms import STATUS_LABELS as PILOT_STATUS_LABELS
from app.stats.models import EnablementKind
from app.taxonomy.models import ScenarioCategory

_MISSING = object()
#: A moment as the audit log keeps it (`datetime.isoformat()`, in UTC); a date alone stays as it is.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None  # None: the entry keeps no value before (a creation) …
    new: str | None  # … or after (a removal)
    as_written: bool  # the values are data as members or admins wrote them, not labels


def _by_value(labels: Mapping) -> dict[str, Any]:
    """An enum-keyed label table keyed by the values the audit log keeps."""
    return {getattr(key, "value", key): label for key, label in labels.items()}


#: The labels of a field's values, by record type (or action prefix, for registrations).
_STATUS_LABELS = {
    "Need": _by_value(LISTING_STATUS_LABELS),
    "Solution": _by_value(LISTING_STATUS_LABELS),
    "PilotCall": _by_value(PILOT_STATUS_LABELS),
    "Article": _by_value(ARTICLE_STATUS_LABELS),
    "registration": _by_value(REGISTRATION_STATUS_LABELS),
}
_CATEGORY_LABELS = {"Article": _by_value(ARTICLE_CATEGORY_LABELS)}
_KIND_LABELS = {"LegalDocument": _by_value(LEGAL_KIND_LABELS)}


class Names:
    """The names of the codes entries keep, looked up once for a page of entries, when needed."""

    def __init__(self) -> None:
        self.language = current_language()

    def _names(self, model, key: Callable[[Any], str]) -> dict[str, str]:
        return {key(record): record.display_name(self.language) for record in db.session.scalars(select(model))}

    @cached_property
    def tracks(self) -> dict[str, str]:
        return self._names(Track, lambda track: track.code)

    @cached_property
    def enablement_kinds(self) -> dict[str, str]:
        return self._names(EnablementKind, lambda kind: kind.code)

    @cached_property
    def categories(self) -> dict[str, str]:
        return self._names(ScenarioCategory, lambda category: str(category.id))


def _value_labels(entry: AuditEntry, field: str, names: Names) -> Mapping[str, Any]:
    scope = entry.action.split(".")[0] if entry.action.startswith("registration.") else entry.target_type
    if field == "status":
        return _STATUS_LABELS.get(scope, {})
    if field == "site_role":
        return _by_value(SITE_ROLE_LABELS)
    if field == "stage":
        return _by_value(STAGE_LABELS)
    if field == "track":
        return names.tracks
    if field == "category_id":
        return names.categories
    if field == "category":
        return _CATEGORY_LABELS.get(scope, {})
    if field == "kind":
        return names.enablement_kinds if scope == "Enablement" else _KIND_LABELS.get(scope, {})
    return {}


def _text(value: Any, labels: Mapping[str, Any]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_text(item, labels) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{FIELD_LABELS.get(key, key)}：{_text(item, {})}" for key, item in value.items())
    if isinstance(value, str) and _MOMENT.match(value):
        return format_datetime(datetime.fromisoformat(value), "yyyy-MM-dd HH:mm")
    return str(labels.get(str(value), value))


def field_changes(entry: AuditEntry, names: Names) -> list[FieldChange]:
    """The entry's fields in the order it keeps them, each with its old and new value as text."""
    before, after = entry.before or {}, entry.after or {}
    found = []
    for field in dict.fromkeys([*before, *after]):
        labels = _value_labels(entry, field, names)
        old, new = before.get(field, _MISSING), after.get(field, _MISSING)
        labelled = bool(labels) or all(isinstance(v, bool) or v in (None, _MISSING) for v in (old, new))
        found.append(
            FieldChange(
                field=str(FIELD_LABELS.get(field, field)),
                old=None if old is _MISSING else _text(old, labels),
                new=None if new is _MISSING else _text(new, labels),
                as_written=not labelled,
            )
        )
    return found
