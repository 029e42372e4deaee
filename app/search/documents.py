"""Document types: how a domain tells the search engine what to index.

A domain describes its searchable model once, at application start::

    register_document_type(DocumentType(
        name="scenario", model=Scenario, to_document=scenario_document, query=indexable_scenarios,
        text_fields={"title": 3.0, "description": 1.0}, facet_fields=("industry",), ...))

`query()` must select exactly the objects that belong in the index (rebuilds read it, the
start-up check counts it), and `to_document()` turns one of them into a `Document`, or None
when it must not be found (it is then removed). The engine never sees a model otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy import Select

if TYPE_CHECKING:
    from app.core.models import HasId

SortKind = Literal["str", "int", "datetime"]
RESERVED_NAMES = frozenset({"id", "relevance"})
#: The weight of the `labels` text field: below a title (3) and keywords (2), above a description (1).
LABEL_WEIGHT = 1.5


class Labelled(Protocol):
    """A taxonomy entry as a label: its Chinese and English names."""

    name: str
    name_en: str


def label_text(entries: Iterable[Labelled | None]) -> str:
    """The names of what a document is filed under (industry, domains, category, sub-category),
    in both languages, as the text of its `labels` field: a search for a sub-category's name
    finds what is filed under it, whatever its own text calls it. Names are separated by a
    break (、) so that no word is matched across two of them."""
    return "、".join(name for entry in entries if entry is not None for name in (entry.name, entry.name_en) if name)


def label_categories(subcategories: Iterable[Any]) -> list[Any]:
    """The categories of these sub-categories, each once, in order."""
    return list(dict.fromkeys(subcategory.category for subcategory in subcategories))


@dataclass(frozen=True)
class Document:
    """What the index holds for one object.

    `text`: field → text to search (and to highlight, for highlight fields);
    `facets`: field → codes (several allowed, none allowed); `sort`: sort field → value.
    """

    id: int
    text: Mapping[str, str]
    facets: Mapping[str, Iterable[str]] = field(default_factory=dict)
    sort: Mapping[str, str | int | datetime | None] = field(default_factory=dict)


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class Related:
    """Objects of another model whose change changes documents: when one is changed (in one of
    `fields`, if given) or deleted, the ids selected by `ids(obj)` are reindexed. `ids` only
    builds the SELECT (from loaded attributes such as `obj.id`); it runs after the commit."""

    model: type
    ids: Callable[[Any], Select]
    fields: tuple[str, ...] | None = None


def relabel(model: type, ids: Callable[[Any], Select]) -> Related:
    """Reindex the documents filed under a taxonomy entry (`ids(entry)`) when its names change."""
    return Related(model, ids, fields=("name", "name_en"))


@dataclass(frozen=True)
class DocumentType:
    name: str
    model: type[HasId]
    to_document: Callable[[Any], Document | None]
    query: Callable[[], Select]
    text_fields: Mapping[str, float]
    facet_fields: tuple[str, ...] = ()
    sort_fields: Mapping[str, SortKind] = field(default_factory=dict)
    sorts: Mapping[str, tuple[SortKey, ...]] = field(default_factory=dict)
    #: text field → snippet width in characters, or None for the whole text (e.g. a title)
    highlight_fields: Mapping[str, int | None] = field(default_factory=dict)
    #: the sort used when relevance means nothing (an empty query)
    default_sort: str | None = None
    related: tuple[Related, ...] = ()
    #: bump when `to_document` changes what it produces: the index is rebuilt
    version: int = 1

    def __post_init__(self) -> None:
        names = [*self.text_fields, *self.facet_fields]
        if len(set(names)) != len(names) or RESERVED_NAMES & set(names):
            raise ValueError(f"{self.name}: text and facet field names must be distinct and not {RESERVED_NAMES}")
        for name, keys in self.sorts.items():
            if name in RESERVED_NAMES or any(k.field not in self.sort_fields for k in keys):
                raise ValueError(f"{self.name}: sort {name!r} must use declared sort fields")
        if self.default_sort is not None and self.default_sort not in self.sorts:
            raise ValueError(f"{self.name}: unknown default sort {self.default_sort!r}")
        if not set(self.highlight_fields) <= set(self.text_fields):
            raise ValueError(f"{self.name}: highlight fields must be text fields")

    def signature(self) -> str:
        """What the index layout depends on: a change means a rebuild."""
        layout = {
            "version": self.version,
            "text": sorted(self.text_fields),
            "facets": sorted(self.facet_fields),
            "sort": sorted(self.sort_fields.items()),
            "stored": sorted(self.highlight_fields),
        }
        return hashlib.sha256(json.dumps(layout, sort_keys=True).encode()).hexdigest()


_registry: dict[str, DocumentType] = {}


def register_document_type(doc_type: DocumentType) -> DocumentType:
    """Register (or replace, by name) a document type. Call at application start."""
    _registry[doc_type.name] = doc_type
    return doc_type


def document_type(name: str) -> DocumentType:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no search document type {name!r}; registered: {sorted(_registry)}") from None


def document_types() -> list[DocumentType]:
    return list(_registry.values())
