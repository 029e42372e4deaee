"""Queries over published scenarios that the public pages need: related scenarios, releases,
the catalogue search and its exports."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.catalog.models import (
    BatchStatus,
    ChangeKind,
    Scenario,
    ScenarioBatch,
    ScenarioRevision,
    ScenarioStatus,
    scenario_domains,
)
from app.core.spreadsheets import names_cell
from app.extensions import db
from app.search import Hit, SearchResult, search
from app.search.pages import SearchExport, SearchQuery, records_of
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

RELATED_LIMIT = 6

_solution_finders: list[Callable[[Scenario], list[Any]]] = []


def register_scenario_solutions(finder: Callable[[Scenario], list[Any]]) -> None:
    """Matching finds the solutions a scenario's page shows (the catalogue imports no matching)."""
    _solution_finders[:] = [finder]


def scenario_solutions(scenario: Scenario) -> list[Any]:
    return _solution_finders[0](scenario) if _solution_finders else []


def published() -> Select:
    return select(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED)


def related_scenarios(scenario: Scenario, limit: int = RELATED_LIMIT) -> list[Scenario]:
    """Published scenarios of the same sub-category, those sharing most technology domains and
    the same industry first."""
    shared_domains = (
        select(func.count())
        .select_from(scenario_domains)
        .where(
            scenario_domains.c.scenario_id == Scenario.id,
            scenario_domains.c.domain_id.in_([d.id for d in scenario.domains]),
        )
        .scalar_subquery()
    )
    stmt = (
        published()
        .where(Scenario.subcategory_id == scenario.subcategory_id, Scenario.id != scenario.id)
        .order_by(shared_domains.desc(), (Scenario.industry_id == scenario.industry_id).desc(), Scenario.code)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def released_batches() -> Select:
    return (
        select(ScenarioBatch)
        .where(ScenarioBatch.status != BatchStatus.DRAFT)
        .order_by(ScenarioBatch.published_at.desc())
    )


@dataclass(frozen=True)
class LatestBatch:
    batch: ScenarioBatch
    entries: int  # the scenarios it published
    added: int  # of which new to the list


def latest_batch() -> LatestBatch | None:
    """The batch published last that still stands (not withdrawn), with its counts, in one statement."""
    entries = func.count(ScenarioRevision.id)
    row = db.session.execute(
        released_batches()
        .add_columns(entries, entries.filter(ScenarioRevision.change == ChangeKind.ADDED))
        .outerjoin(ScenarioRevision, ScenarioRevision.batch_id == ScenarioBatch.id)
        .where(ScenarioBatch.status == BatchStatus.PUBLISHED)
        .group_by(ScenarioBatch.id)
        .limit(1)
    ).first()
    return LatestBatch(*row) if row else None


FACETS = ("industry", "domain", "category", "subcategory", "district", "batch")
SORTS = ("relevance", "newest", "code")


class ScenarioSearch(SearchQuery):
    """The state of a catalogue search, read from and written back to the query string."""

    @classmethod
    def from_args(cls, args) -> "ScenarioSearch":
        return cls.parse(args, FACETS, SORTS)


@dataclass
class ScenarioPage:
    result: SearchResult
    scenarios: list[tuple[Scenario, Hit]]
    labels: dict[str, dict[str, str]]
    active_filters: list[tuple[str, str, str]]  # (facet, value, label)
    subcategory_counts: dict[str, int]  # narrowed to the chosen categories, when there are any


def search_scenarios(query: ScenarioSearch, per_page: int = 20) -> ScenarioPage:
    result = search("scenario", query.q, query.filters, query.sort, query.page, per_page)
    pairs = records_of(Scenario, result, selectinload(Scenario.domains), selectinload(Scenario.industry))
    labels = facet_labels()
    active = [
        (name, value, labels[name].get(value, value)) for name, values in query.filters.items() for value in values
    ]
    subcategory_counts = result.facets.get("subcategory", {})
    if query.filters.get("category"):
        allowed = {
            code for category in query.filters["category"] for code in subcategories_by_category().get(category, [])
        }
        subcategory_counts = {code: n for code, n in subcategory_counts.items() if code in allowed}
    return ScenarioPage(
        result=result, scenarios=pairs, labels=labels, active_filters=active, subcategory_counts=subcategory_counts
    )


def facet_labels() -> dict[str, dict[str, str]]:
    """Display names of facet values (taxonomy codes, batch ids) in the current language."""

    def names(model) -> dict[str, str]:
        return {e.code: e.display_name() for e in db.session.scalars(select(model))}

    return {
        "industry": names(Industry),
        "domain": names(TechDomain),
        "category": names(ScenarioCategory),
        "subcategory": names(ScenarioSubcategory),
        "district": names(District),
        "batch": {str(b.id): b.name for b in db.session.scalars(select(ScenarioBatch))},
    }


def subcategories_by_category() -> dict[str, list[str]]:
    return {c.code: [s.code for s in c.subcategories] for c in db.session.scalars(select(ScenarioCategory))}


EXPORT_HEADER = (
    _l("场景编号"),
    _l("场景名称"),
    _l("所属行业"),
    _l("技术领域"),
    _l("场景大类"),
    _l("场景小类"),
    _l("场景描述"),
    _l("场景提供单位"),
    _l("所在区市"),
    _l("关键词"),
    _l("发布批次"),
)


def export_rows(scenarios: list[Scenario]) -> list[list[str]]:
    return [
        [
            s.code,
            s.title,
            s.industry.display_name(),
            names_cell(d.display_name() for d in s.domains),
            s.category.display_name(),
            s.subcategory.display_name(),
            s.description,
            s.provider_name,
            s.district.display_name() if s.district else "",
            s.keywords,
            s.batch.name if s.batch else "",
        ]
        for s in scenarios
    ]


EXPORT = SearchExport(
    doc_type="scenario",
    model=Scenario,
    parse=ScenarioSearch.from_args,
    filename="scenarios",
    title=_l("场景清单"),
    header=EXPORT_HEADER,
    rows=export_rows,
    list_endpoint="scenarios.index",
    options=(selectinload(Scenario.domains),),
)
