"""Published solutions in the search index, faceted by taxonomy code, plug-and-play and price model,
and the list's export."""

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.core.i18n import current_language
from app.core.spreadsheets import names_cell
from app.listings.moderation import PUBLIC_STATUSES
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.documents import LABEL_WEIGHT, label_categories, label_text, relabel
from app.search.pages import SearchExport, SearchQuery
from app.search.saved import Savable, register_savable
from app.solutions.forms import DELIVERY_LABELS, PRICE_LABELS
from app.solutions.models import Solution, solution_domains, solution_industries, solution_subcategories
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

SOLUTION = "solution"

#: The list page's facets (also what a saved search keeps) and sorts.
FACETS = ("industry", "domain", "subcategory", "plug_and_play", "price_model")
SORTS = ("relevance", "newest")


def indexable_solutions() -> Select:
    return (
        select(Solution)
        .where(Solution.status.in_(PUBLIC_STATUSES))
        .options(
            joinedload(Solution.organization),
            selectinload(Solution.industries),
            selectinload(Solution.domains),
            selectinload(Solution.subcategories).joinedload(ScenarioSubcategory.category),
        )
        .order_by(Solution.id)
    )


def solution_document(solution: Solution) -> Document | None:
    if not solution.is_public:
        return None
    return Document(
        id=solution.id,
        text={
            "title": solution.title,
            "summary": solution.summary,
            "description": solution.description,
            "includes": solution.includes,
            "organization": solution.organization.name,
            "labels": label_text(
                [
                    *solution.industries,
                    *solution.domains,
                    *label_categories(solution.subcategories),
                    *solution.subcategories,
                ]
            ),
        },
        facets={
            "industry": [i.code for i in solution.industries],
            "domain": [d.code for d in solution.domains],
            "subcategory": [s.code for s in solution.subcategories],
            "plug_and_play": ["yes" if solution.plug_and_play else "no"],
            "price_model": [solution.price_model.value],
        },
        sort={"published": solution.published_at},
    )


SOLUTION_TYPE = DocumentType(
    name=SOLUTION,
    model=Solution,
    to_document=solution_document,
    query=indexable_solutions,
    text_fields={
        "title": 3.0,
        "summary": 2.0,
        "labels": LABEL_WEIGHT,
        "description": 1.0,
        "includes": 1.0,
        "organization": 1.0,
    },
    facet_fields=("industry", "domain", "subcategory", "plug_and_play", "price_model"),
    sort_fields={"published": "datetime"},
    sorts={"newest": (SortKey("published", descending=True),)},
    highlight_fields={"title": None, "summary": 120},
    default_sort="newest",
    related=(
        Related(
            Organization, lambda org: select(Solution.id).where(Solution.organization_id == org.id), fields=("name",)
        ),
        relabel(
            Industry,
            lambda e: select(solution_industries.c.solution_id).where(solution_industries.c.industry_id == e.id),
        ),
        relabel(
            TechDomain, lambda e: select(solution_domains.c.solution_id).where(solution_domains.c.domain_id == e.id)
        ),
        relabel(
            ScenarioSubcategory,
            lambda e: select(solution_subcategories.c.solution_id).where(
                solution_subcategories.c.subcategory_id == e.id
            ),
        ),
        relabel(
            ScenarioCategory,
            lambda e: (
                select(solution_subcategories.c.solution_id)
                .join(ScenarioSubcategory, ScenarioSubcategory.id == solution_subcategories.c.subcategory_id)
                .where(ScenarioSubcategory.category_id == e.id)
            ),
        ),
    ),
)


def register_solution_search() -> None:
    register_document_type(SOLUTION_TYPE)
    register_savable(Savable(SOLUTION, Solution, "solutions.index", FACETS, _l("解决方案")))


def parse_query(args) -> SearchQuery:
    return SearchQuery.parse(args, FACETS, SORTS)


EXPORT_HEADER = (
    _l("编号"),
    _l("方案名称"),
    _l("服务商"),
    _l("方案类型"),
    _l("一句话简介"),
    _l("适用行业"),
    _l("技术领域"),
    _l("场景小类"),
    _l("交付方式"),
    _l("计价方式"),
    _l("价格下限（万元）"),
    _l("价格上限（万元）"),
    _l("部署周期（天）"),
    _l("发布时间"),
    _l("方案描述"),
    _l("链接"),
)


def export_rows(solutions: list[Solution]) -> list[list]:
    language = current_language()
    return [
        [
            solution.id,
            solution.title,
            solution.organization.name,
            _("即插即用") if solution.plug_and_play else _("其他方案"),
            solution.summary,
            names_cell(i.display_name(language) for i in solution.industries),
            names_cell(d.display_name(language) for d in solution.domains),
            names_cell(s.display_name(language) for s in solution.subcategories),
            str(DELIVERY_LABELS[solution.delivery_mode]),
            str(PRICE_LABELS[solution.price_model]),
            solution.price_min,
            solution.price_max,
            solution.deployment_days if solution.plug_and_play else None,
            format_datetime(solution.published_at, "yyyy-MM-dd HH:mm") if solution.published_at else "",
            solution.description,
            url_for("solutions.detail", solution_id=solution.id, _external=True),
        ]
        for solution in solutions
        if solution.is_public
    ]


#: What a row of an export or of the open-data API shows of a solution, loaded with it.
LOAD_OPTIONS = (
    joinedload(Solution.organization),
    selectinload(Solution.industries),
    selectinload(Solution.domains),
    selectinload(Solution.subcategories),
)

EXPORT = SearchExport(
    doc_type=SOLUTION,
    model=Solution,
    parse=parse_query,
    filename="solutions",
    title=_l("解决方案"),
    header=EXPORT_HEADER,
    rows=export_rows,
    list_endpoint="solutions.index",
    options=LOAD_OPTIONS,
)
