"""Published solutions in the search index, faceted by taxonomy code, plug-and-play and price model."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.listings.moderation import PUBLIC_STATUSES
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.documents import LABEL_WEIGHT, label_categories, label_text, relabel
from app.search.saved import Savable, register_savable
from app.solutions.models import Solution, solution_domains, solution_industries, solution_subcategories
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

SOLUTION = "solution"

#: The list page's facets (also what a saved search keeps).
FACETS = ("industry", "domain", "subcategory", "plug_and_play", "price_model")


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
