"""What the open-data API answers: strict parsing of the list parameters, and the queries behind
the list, detail and taxonomy endpoints.

The public HTML catalogue forgives bad parameters (`ScenarioSearch.from_args` falls back to
defaults); the API refuses them with a 400 that names each bad parameter, so that a typo
(`industy=`) or an unknown code is seen at once instead of silently widening the result.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from app.api.errors import BadRequest
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch
from app.catalog.scenarios import FACETS, SORTS
from app.core.numbers import parse_int
from app.extensions import db
from app.search import search
from app.search.engine import MAX_PER_PAGE
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TaxonomyMixin, TechDomain

SCENARIO = "scenario"
DEFAULT_PER_PAGE = 20
#: A bound that no real listing reaches (3,000 scenarios is the plan's target), so that absurd
#: numbers are refused as such rather than parsed.
MAX_PAGE = 100_000
MAX_QUERY_LENGTH = 100
SINGLE_PARAMETERS = ("q", "sort", "page", "per_page")
LIST_PARAMETERS = (*SINGLE_PARAMETERS, *FACETS)
#: Taxonomy model of each facet whose values are codes (`batch` takes batch ids).
FACET_MODELS: dict[str, type[TaxonomyMixin]] = {
    "industry": Industry,
    "domain": TechDomain,
    "category": ScenarioCategory,
    "subcategory": ScenarioSubcategory,
    "district": District,
}


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def facet_values() -> dict[str, list[str]]:
    """The values each facet accepts, in display order: every taxonomy code (deactivated entries
    included: published scenarios may still carry them) and the ids of released batches."""
    values = {
        name: list(db.session.scalars(select(model.code).order_by(model.position, model.id)))
        for name, model in FACET_MODELS.items()
    }
    values["batch"] = [str(i) for i in db.session.scalars(released_batches().with_only_columns(ScenarioBatch.id))]
    return values


def released_batches() -> Select:
    """Batches the public has seen (published or withdrawn); drafts stay unknown."""
    return (
        select(ScenarioBatch)
        .where(ScenarioBatch.status != BatchStatus.DRAFT)
        .order_by(ScenarioBatch.year, ScenarioBatch.id)
    )


def _quoted(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[:width] + "…")


def parse_list_query(args: MultiDict) -> ListQuery:
    """The list parameters, or `BadRequest` naming every bad one."""
    errors: dict[str, str] = {}
    for name in args:
        if name not in LIST_PARAMETERS:
            errors[name] = "unknown parameter; allowed: " + ", ".join(LIST_PARAMETERS)
    for name in SINGLE_PARAMETERS:
        if len(args.getlist(name)) > 1:
            errors[name] = "must be given at most once"

    q = args.get("q", "")
    if len(q) > MAX_QUERY_LENGTH:
        errors.setdefault("q", f"must be at most {MAX_QUERY_LENGTH} characters")

    sort = args.get("sort", "relevance")
    if sort not in SORTS:
        errors.setdefault("sort", "must be one of: " + ", ".join(SORTS))

    page = parse_int(args.get("page", "1"), 1, MAX_PAGE)
    if page is None:
        errors.setdefault("page", f"must be an integer from 1 to {MAX_PAGE}")

    per_page = parse_int(args.get("per_page", str(DEFAULT_PER_PAGE)), 1, MAX_PER_PAGE)
    if per_page is None:
        errors.setdefault("per_page", f"must be an integer from 1 to {MAX_PER_PAGE}")

    filters: dict[str, list[str]] = {}
    chosen = {name: args.getlist(name) for name in FACETS if name in args}
    if chosen:
        known = facet_values()
        for name, values in chosen.items():
            unknown = [v for v in values if v not in known[name]]
            if unknown:
                what = "batch ids" if name == "batch" else "codes"
                errors[name] = (
                    f"unknown {what}: {', '.join(_quoted(v) for v in unknown[:5])}"
                    f"{' …' if len(unknown) > 5 else ''}; see /api/v1/taxonomy"
                )
            else:
                filters[name] = list(dict.fromkeys(values))

    if errors or page is None or per_page is None:  # (a None page or per_page has its error)
        raise BadRequest(errors)
    return ListQuery(q=q.strip(), filters=filters, sort=sort, page=page, per_page=per_page)


def _with_relations(stmt):
    return stmt.options(
        joinedload(Scenario.industry),
        joinedload(Scenario.category),
        joinedload(Scenario.subcategory),
        joinedload(Scenario.district),
        joinedload(Scenario.batch),
        joinedload(Scenario.organization),
        selectinload(Scenario.domains),
    )


@dataclass(frozen=True)
class ScenarioList:
    scenarios: list[Scenario]
    total: int
    page: int
    per_page: int
    facets: Mapping[str, Mapping[str, int]]


def list_scenarios(query: ListQuery) -> ScenarioList:
    """One page of published scenarios from the search index, in its order.

    A hit whose scenario is gone or no longer public (the index lags a commit) is left out.
    The engine counts a chosen facet value only if some indexed document has it: the others are
    added here as 0, so that a client always finds the values it asked for.
    """
    result = search(SCENARIO, query.q, query.filters, query.sort, query.page, query.per_page)
    by_id = {}
    if result.ids:
        by_id = {
            s.id: s
            for s in db.session.scalars(_with_relations(select(Scenario).where(Scenario.id.in_(result.ids)))).unique()
        }
    scenarios = [by_id[i] for i in result.ids if i in by_id and by_id[i].is_public]
    facets = {name: dict(result.facets.get(name, {})) for name in FACETS}
    for name, values in query.filters.items():  # a chosen value is always counted, if only as 0
        for value in values:
            facets[name].setdefault(value, 0)
    return ScenarioList(
        scenarios=scenarios, total=result.total, page=query.page, per_page=query.per_page, facets=facets
    )


def public_scenario(code: str) -> Scenario | None:
    scenario = db.session.scalars(_with_relations(select(Scenario).where(Scenario.code == code))).unique().first()
    return scenario if scenario is not None and scenario.is_public else None


@dataclass(frozen=True)
class Taxonomy:
    industries: list[Industry]
    tech_domains: list[TechDomain]
    categories: list[ScenarioCategory]
    subcategories: dict[int, list[ScenarioSubcategory]]  # category id → its sub-categories
    districts: list[District]
    batches: list[ScenarioBatch]


def _ordered(model) -> list:
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))


def taxonomy() -> Taxonomy:
    subcategories: dict[int, list[ScenarioSubcategory]] = {}
    for sub in _ordered(ScenarioSubcategory):
        subcategories.setdefault(sub.category_id, []).append(sub)
    return Taxonomy(
        industries=_ordered(Industry),
        tech_domains=_ordered(TechDomain),
        categories=_ordered(ScenarioCategory),
        subcategories=subcategories,
        districts=_ordered(District),
        batches=list(db.session.scalars(released_batches())),
    )
