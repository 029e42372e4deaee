"""What the open-data API answers: strict parsing of the list parameters, and the queries behind
the list, detail, taxonomy and indicator endpoints.

Every list is a `Collection`: a search document type (only public records are indexed), the
facets and sorts it accepts, and how its public records are loaded. A record is public by the
same rule as its page: never a draft, a listing under review, a withdrawn or closed one, nor an
article before its publish time.

The public HTML catalogue forgives bad parameters (`ScenarioSearch.from_args` falls back to
defaults); the API refuses them with a 400 that names each bad parameter, so that a typo
(`industy=`) or an unknown code is seen at once instead of silently widening the result.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from app.api.errors import BadRequest
from app.articles import services as articles
from app.articles.models import Article, ArticleCategory
from app.articles.search import ARTICLE
from app.catalog.models import BatchStatus, Scenario, ScenarioBatch
from app.catalog.scenarios import FACETS, SORTS
from app.core.models import HasId, local_today
from app.core.numbers import parse_int
from app.events.models import Event, EventKind
from app.events.search import EVENT
from app.extensions import db
from app.needs.models import Need
from app.needs.search import FACETS as NEED_FACETS
from app.needs.search import LOAD_OPTIONS as NEED_LOAD_OPTIONS
from app.needs.search import NEED
from app.search import search
from app.search.engine import MAX_PER_PAGE
from app.solutions.models import PriceModel, Solution
from app.solutions.search import FACETS as SOLUTION_FACETS
from app.solutions.search import LOAD_OPTIONS as SOLUTION_LOAD_OPTIONS
from app.solutions.search import SOLUTION
from app.stats import indicators
from app.stats.models import Plan
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TaxonomyMixin, TechDomain

SCENARIO = "scenario"
DEFAULT_PER_PAGE = 20
#: A bound that no real listing reaches (3,000 scenarios is the plan's target), so that absurd
#: numbers are refused as such rather than parsed.
MAX_PAGE = 100_000
MAX_QUERY_LENGTH = 100
#: `lang` picks the language of the data's names (read by `app.core.i18n.select_locale`).
LANGUAGES = ("zh", "en")
SINGLE_PARAMETERS = ("q", "sort", "page", "per_page", "lang")
LIST_PARAMETERS = (*SINGLE_PARAMETERS, *FACETS)
LISTING_SORTS = ("relevance", "newest")
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


@dataclass(frozen=True)
class Collection:
    """A list of the API: `name` is its search document type."""

    name: str
    model: type[HasId]
    facets: tuple[str, ...]
    #: the values each facet accepts, in display order
    facet_values: Callable[[], dict[str, list[str]]]
    sorts: tuple[str, ...]
    is_public: Callable[[Any], bool]
    options: tuple = ()
    #: where a client finds what the facet values mean
    values_hint: str = "see /api/v1/openapi.json"

    @property
    def parameters(self) -> tuple[str, ...]:
        return (*SINGLE_PARAMETERS, *self.facets)


def _codes(model: type[TaxonomyMixin]) -> list[str]:
    return list(db.session.scalars(select(model.code).order_by(model.position, model.id)))


def facet_values() -> dict[str, list[str]]:
    """The values each scenario facet accepts, in display order: every taxonomy code (deactivated
    entries included: published scenarios may still carry them) and the ids of released batches."""
    values = {name: _codes(model) for name, model in FACET_MODELS.items()}
    values["batch"] = [str(i) for i in db.session.scalars(released_batches().with_only_columns(ScenarioBatch.id))]
    return values


def listing_facet_values(facets: tuple[str, ...]) -> dict[str, list[str]]:
    """Taxonomy codes for the taxonomy facets of a need or solution; fixed values for the others."""
    fixed = {"plug_and_play": ["yes", "no"], "price_model": [p.value for p in PriceModel]}
    return {name: fixed[name] if name in fixed else _codes(FACET_MODELS[name]) for name in facets}


def released_batches() -> Select:
    """Batches the public has seen (published or withdrawn); drafts stay unknown."""
    return (
        select(ScenarioBatch)
        .where(ScenarioBatch.status != BatchStatus.DRAFT)
        .order_by(ScenarioBatch.year, ScenarioBatch.id)
    )


SCENARIOS = Collection(
    name=SCENARIO,
    model=Scenario,
    facets=FACETS,
    facet_values=facet_values,
    sorts=SORTS,
    is_public=lambda s: s.is_public,
    options=(
        joinedload(Scenario.industry),
        joinedload(Scenario.category),
        joinedload(Scenario.subcategory),
        joinedload(Scenario.district),
        joinedload(Scenario.batch),
        joinedload(Scenario.organization),
        selectinload(Scenario.domains),
    ),
    values_hint="see /api/v1/taxonomy",
)
NEEDS = Collection(
    name=NEED,
    model=Need,
    facets=NEED_FACETS,
    facet_values=lambda: listing_facet_values(NEED_FACETS),
    sorts=LISTING_SORTS,
    is_public=lambda n: n.is_public,
    options=NEED_LOAD_OPTIONS,
    values_hint="see /api/v1/taxonomy",
)
SOLUTIONS = Collection(
    name=SOLUTION,
    model=Solution,
    facets=SOLUTION_FACETS,
    facet_values=lambda: listing_facet_values(SOLUTION_FACETS),
    sorts=LISTING_SORTS,
    is_public=lambda s: s.is_public,
    options=SOLUTION_LOAD_OPTIONS,
    values_hint="see /api/v1/taxonomy and /api/v1/openapi.json",
)
EVENTS = Collection(
    name=EVENT,
    model=Event,
    facets=("kind",),
    facet_values=lambda: {"kind": [k.value for k in EventKind]},
    sorts=LISTING_SORTS,
    is_public=lambda e: e.is_public,
)
ARTICLES = Collection(
    name=ARTICLE,
    model=Article,
    facets=("category",),
    facet_values=lambda: {"category": [c.value for c in ArticleCategory]},
    sorts=LISTING_SORTS,
    is_public=articles.is_public,
    options=(selectinload(Article.attachments),),
)
COLLECTIONS = {c.name: c for c in (SCENARIOS, NEEDS, SOLUTIONS, EVENTS, ARTICLES)}


def _quoted(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[:width] + "…")


def parse_list_query(args: MultiDict, collection: Collection = SCENARIOS) -> ListQuery:
    """The list parameters, or `BadRequest` naming every bad one."""
    errors: dict[str, str] = {}
    for name in args:
        if name not in collection.parameters:
            errors[name] = "unknown parameter; allowed: " + ", ".join(collection.parameters)
    for name in SINGLE_PARAMETERS:
        if len(args.getlist(name)) > 1:
            errors[name] = "must be given at most once"

    _check_language(args, errors)
    q = args.get("q", "")
    if len(q) > MAX_QUERY_LENGTH:
        errors.setdefault("q", f"must be at most {MAX_QUERY_LENGTH} characters")

    sort = args.get("sort", "relevance")
    if sort not in collection.sorts:
        errors.setdefault("sort", "must be one of: " + ", ".join(collection.sorts))

    page = parse_int(args.get("page", "1"), 1, MAX_PAGE)
    if page is None:
        errors.setdefault("page", f"must be an integer from 1 to {MAX_PAGE}")

    per_page = parse_int(args.get("per_page", str(DEFAULT_PER_PAGE)), 1, MAX_PER_PAGE)
    if per_page is None:
        errors.setdefault("per_page", f"must be an integer from 1 to {MAX_PER_PAGE}")

    filters: dict[str, list[str]] = {}
    chosen = {name: args.getlist(name) for name in collection.facets if name in args}
    if chosen:
        known = collection.facet_values()
        for name, values in chosen.items():
            unknown = [v for v in values if v not in known[name]]
            if unknown:
                what = "batch ids" if name == "batch" else "codes" if name in FACET_MODELS else "values"
                errors[name] = (
                    f"unknown {what}: {', '.join(_quoted(v) for v in unknown[:5])}"
                    f"{' …' if len(unknown) > 5 else ''}; {collection.values_hint}"
                )
            else:
                filters[name] = list(dict.fromkeys(values))

    if errors or page is None or per_page is None:  # (a None page or per_page has its error)
        raise BadRequest(errors)
    return ListQuery(q=q.strip(), filters=filters, sort=sort, page=page, per_page=per_page)


def _check_language(args: MultiDict, errors: dict[str, str]) -> None:
    if args.get("lang", LANGUAGES[0]) not in LANGUAGES:
        errors["lang"] = "must be one of: " + ", ".join(LANGUAGES)


def parse_no_parameters(args: MultiDict) -> None:
    """An endpoint without parameters but `lang` refuses any, as the lists refuse unknown ones."""
    errors = dict.fromkeys(
        (name for name in args if name != "lang"), "unknown parameter; this endpoint takes only lang"
    )
    _check_language(args, errors)
    if errors:
        raise BadRequest(errors)


def _with_relations(stmt):
    return stmt.options(*SCENARIOS.options)


@dataclass(frozen=True)
class ListPage:
    items: list
    total: int
    page: int
    per_page: int
    facets: Mapping[str, Mapping[str, int]]


def list_collection(collection: Collection, query: ListQuery) -> ListPage:
    """One page of a collection's public records from the search index, in its order.

    A hit whose record is gone or no longer public (the index lags a commit) is left out.
    The engine counts a chosen facet value only if some indexed document has it: the others are
    added here as 0, so that a client always finds the values it asked for.
    """
    result = search(collection.name, query.q, query.filters, query.sort, query.page, query.per_page)
    model = collection.model
    by_id = {}
    if result.ids:
        stmt: Select = select(model).where(model.id.in_(result.ids)).options(*collection.options)
        by_id = {record.id: record for record in db.session.scalars(stmt).unique()}
    items = [by_id[i] for i in result.ids if i in by_id and collection.is_public(by_id[i])]
    facets = {name: dict(result.facets.get(name, {})) for name in collection.facets}
    for name, values in query.filters.items():  # a chosen value is always counted, if only as 0
        for value in values:
            facets[name].setdefault(value, 0)
    return ListPage(items=items, total=result.total, page=query.page, per_page=query.per_page, facets=facets)


def list_scenarios(query: ListQuery) -> ListPage:
    return list_collection(SCENARIOS, query)


def public_record(collection: Collection, record_id: int):
    stmt: Select = select(collection.model).where(collection.model.id == record_id).options(*collection.options)
    record = db.session.scalars(stmt).unique().first()
    return record if record is not None and collection.is_public(record) else None


def public_scenario(code: str) -> Scenario | None:
    scenario = db.session.scalars(_with_relations(select(Scenario).where(Scenario.code == code))).unique().first()
    return scenario if scenario is not None and scenario.is_public else None


@dataclass(frozen=True)
class PlanFigures:
    """A plan as /stats/public shows it: its indicators' figures, and whether it is the current one."""

    plan: Plan
    current: bool
    statuses: list[indicators.IndicatorStatus]
    elapsed: float
    today: date


def public_plans(today: date | None = None) -> list[PlanFigures]:
    """The current plan, then the plans that have ended, newest first."""
    current = indicators.current_plan(today)
    if current is None:
        return []
    today = today or local_today()
    return [
        PlanFigures(plan, plan is current, indicators.statuses(plan), indicators.elapsed_share(plan, today), today)
        for plan in [current, *indicators.past_plans(today)]
    ]


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
