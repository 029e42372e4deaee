"""Ranking the published items of one kind (solutions or needs) for what a recommendation looks for.

A `Profile` (the text and the taxonomy entries of a need, of a provider's solutions or of a
scenario) is looked for among a `Target`'s items in bounded steps, whatever the number of items:

1. candidates: the best TEXT_CANDIDATES by text (the search index's `similar`) and the best
   TAXONOMY_CANDIDATES by shared taxonomy (one grouped query over the link tables), of which the
   caller's conditions keep some (published, not one's own: one query);
2. what each of them shares exactly (one query), and its relevance: text and taxonomy, weighted;
3. the provider's record added (two queries), the best `limit` loaded with what the pages show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Float, Integer, func, literal, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.matching.reasons import SEPARATOR, shared_reasons
from app.search import similar

if TYPE_CHECKING:
    from app.listings.moderation import ListingMixin

TEXT_CANDIDATES = 200
TAXONOMY_CANDIDATES = 200
FACETS = ("industry", "subcategory", "domain", "scenario")


@dataclass(frozen=True)
class Weights:
    """Points for the best text match among the candidates, and for each shared taxonomy entry."""

    text: float = 4.0
    industry: float = 2.0
    subcategory: float = 1.5
    domain: float = 1.0
    scenario: float = 3.0
    #: shared entries of one facet beyond this many add nothing
    per_facet: int = 3
    #: a candidate less relevant than this is not recommended
    threshold: float = 1.0

    def of(self, facet: str) -> float:
        return getattr(self, facet)


#: A column of the links between items and taxonomy entries: a link table's, or the item's own.
LinkColumn = ColumnElement[Any] | InstrumentedAttribute[Any]


@dataclass(frozen=True)
class Target:
    """What is recommended: the model, its search type and the text fields compared, and for each
    facet the (item id, entry id) columns that link an item to its taxonomy entries."""

    model: type[ListingMixin]
    doc_type: str
    text_fields: tuple[str, ...]
    links: Mapping[str, tuple[LinkColumn, LinkColumn]]


@dataclass(frozen=True)
class Profile:
    text: str
    #: facet → entry id → entry (Industry, ScenarioSubcategory, TechDomain or Scenario), in display order
    entries: Mapping[str, Mapping[int, object]]

    def ids(self, facet: str) -> list[int]:
        return list(self.entries.get(facet, {}))


@dataclass
class Candidate:
    id: int
    organization_id: int
    #: 0..1: its text score relative to the best candidate's
    text: float = 0.0
    #: facet → ids of the profile's entries it has too
    shared: dict[str, set[int]] = field(default_factory=dict)

    def relevance(self, weights: Weights) -> float:
        return weights.text * self.text + sum(
            weights.of(facet) * min(len(ids), weights.per_facet) for facet, ids in self.shared.items()
        )


@dataclass(frozen=True)
class Recommendation:
    item: ListingMixin  # a Need or a Solution
    score: float
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return SEPARATOR.join(self.reasons)


def recommend(
    target: Target,
    profile: Profile,
    weights: Weights,
    conditions: Iterable[ColumnElement],
    limit: int,
    accept: Callable[[Candidate], bool] | None = None,
    records: Callable[[Iterable[int]], Mapping] | None = None,
    options: Iterable = (),
) -> list[Recommendation]:
    """The best `limit` items for the profile. `conditions` say which items may be recommended;
    `accept` which candidates are relevant enough (by default: relevance at least the threshold);
    `records`, given owners' organization ids, their records (a `score` and `reasons()`), added to
    the relevance."""
    accepted = []
    for candidate in candidates(target, profile, weights, list(conditions)):
        relevance = candidate.relevance(weights)
        if accept(candidate) if accept else relevance >= weights.threshold:
            accepted.append((relevance, candidate))
    by_owner = records({c.organization_id for _, c in accepted}) if records else {}
    ranked = sorted(
        ((relevance + _record_score(by_owner, c), c) for relevance, c in accepted),
        key=lambda pair: (-pair[0], -pair[1].id),
    )[:limit]
    model = target.model
    items = {
        item.id: item
        for item in db.session.scalars(select(model).where(model.id.in_([c.id for _, c in ranked])).options(*options))
    }
    return [
        Recommendation(items[c.id], score, tuple(_reasons(profile, c) + _record_reasons(by_owner, c)))
        for score, c in ranked
        if c.id in items
    ]


def candidates(target: Target, profile: Profile, weights: Weights, conditions: list[ColumnElement]) -> list[Candidate]:
    """The items the conditions allow among the best by text and the best by shared taxonomy,
    with their relative text score and their shared entries."""
    text = (
        {hit.id: hit.score for hit in similar(target.doc_type, profile.text, TEXT_CANDIDATES, target.text_fields)}
        if profile.text.strip()
        else {}
    )
    owners = _owners(target, set(text) | set(_best_by_taxonomy(target, profile, weights)), conditions)
    best = max((text.get(item_id, 0.0) for item_id in owners), default=0.0)
    found = {
        item_id: Candidate(item_id, org_id, text.get(item_id, 0.0) / best if best else 0.0)
        for item_id, org_id in owners.items()
    }
    for item_id, facet, entry_id in _shared_entries(target, profile, found):
        found[item_id].shared.setdefault(facet, set()).add(entry_id)
    return list(found.values())


def _links(target: Target, profile: Profile, columns: Callable, items: list[int] | None = None) -> list:
    """For each facet of the profile, a SELECT of `columns(facet, item, entry)` over the links to
    the profile's entries (of these items only, if given)."""
    parts = []
    for facet, (item, entry) in target.links.items():
        if profile.ids(facet):
            stmt = select(*columns(facet, item, entry)).where(entry.in_(profile.ids(facet)))
            parts.append(stmt if items is None else stmt.where(item.in_(items)))
    return parts


def _best_by_taxonomy(target: Target, profile: Profile, weights: Weights) -> list[int]:
    """The ids of the items that share most with the profile (weighted, not capped per facet),
    from the link tables alone: which of them may be recommended is asked after."""
    parts = _links(
        target,
        profile,
        lambda facet, item, entry: (item.label("item_id"), literal(weights.of(facet), Float).label("points")),
    )
    if not parts:
        return []
    links = union_all(*parts).subquery()
    stmt = (
        select(links.c.item_id)
        .group_by(links.c.item_id)
        .order_by(func.sum(links.c.points).desc(), links.c.item_id.desc())
        .limit(TAXONOMY_CANDIDATES)
    )
    return list(db.session.scalars(stmt))


def _owners(target: Target, ids: set[int], conditions: list[ColumnElement]) -> dict[int, int]:
    """Item id → owner organization id, for those of the ids the conditions allow."""
    if not ids:
        return {}
    model = target.model
    return dict(db.session.execute(select(model.id, model.organization_id).where(model.id.in_(ids), *conditions)).all())


def _shared_entries(target: Target, profile: Profile, ids: Iterable[int]) -> list[tuple[int, str, int]]:
    """(item id, facet, entry id) for each profile entry that one of these items has too."""
    ids = list(ids)
    if not ids:
        return []
    parts = _links(
        target,
        profile,
        lambda facet, item, entry: (
            item.label("item_id"),
            literal(FACETS.index(facet), Integer).label("facet"),
            entry.label("entry_id"),
        ),
        items=ids,
    )
    if not parts:
        return []
    return [
        (item_id, FACETS[facet], entry_id) for item_id, facet, entry_id in db.session.execute(union_all(*parts)).all()
    ]


def _record_score(by_owner: Mapping, candidate: Candidate) -> float:
    record = by_owner.get(candidate.organization_id)
    return record.score if record else 0.0


def _record_reasons(by_owner: Mapping, candidate: Candidate) -> list[str]:
    record = by_owner.get(candidate.organization_id)
    return record.reasons() if record else []


def _reasons(profile: Profile, candidate: Candidate) -> list[str]:
    shared = {
        facet: [entry for entry_id, entry in profile.entries[facet].items() if entry_id in ids]
        for facet, ids in candidate.shared.items()
    }
    return shared_reasons(shared, candidate.text)
