"""Published needs in the search index, faceted by taxonomy code."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.listings.moderation import PUBLIC_STATUSES
from app.needs.models import Need, need_domains, need_subcategories
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.documents import LABEL_WEIGHT, label_categories, label_text, relabel
from app.search.saved import Savable, register_savable
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

NEED = "need"

#: The list page's facets (also what a saved search keeps).
FACETS = ("industry", "domain", "subcategory", "district")


def indexable_needs() -> Select:
    return (
        select(Need)
        .where(Need.status.in_(PUBLIC_STATUSES))
        .options(
            joinedload(Need.industry),
            joinedload(Need.district),
            joinedload(Need.organization),
            selectinload(Need.domains),
            selectinload(Need.subcategories).joinedload(ScenarioSubcategory.category),
        )
        .order_by(Need.id)
    )


def need_document(need: Need) -> Document | None:
    if not need.is_public:
        return None
    return Document(
        id=need.id,
        text={
            "title": need.title,
            "description": need.description,
            "organization": need.organization.name,
            "labels": label_text(
                [need.industry, *need.domains, *label_categories(need.subcategories), *need.subcategories]
            ),
        },
        facets={
            "industry": [need.industry.code],
            "domain": [d.code for d in need.domains],
            "subcategory": [s.code for s in need.subcategories],
            "district": [need.district.code] if need.district else [],
        },
        sort={"published": need.published_at},
    )


NEED_TYPE = DocumentType(
    name=NEED,
    model=Need,
    to_document=need_document,
    query=indexable_needs,
    text_fields={"title": 3.0, "labels": LABEL_WEIGHT, "description": 1.0, "organization": 1.0},
    facet_fields=("industry", "domain", "subcategory", "district"),
    sort_fields={"published": "datetime"},
    sorts={"newest": (SortKey("published", descending=True),)},
    highlight_fields={"title": None, "description": 120},
    default_sort="newest",
    related=(
        Related(Organization, lambda org: select(Need.id).where(Need.organization_id == org.id), fields=("name",)),
        relabel(Industry, lambda e: select(Need.id).where(Need.industry_id == e.id)),
        relabel(TechDomain, lambda e: select(need_domains.c.need_id).where(need_domains.c.domain_id == e.id)),
        relabel(
            ScenarioSubcategory,
            lambda e: select(need_subcategories.c.need_id).where(need_subcategories.c.subcategory_id == e.id),
        ),
        relabel(
            ScenarioCategory,
            lambda e: (
                select(need_subcategories.c.need_id)
                .join(ScenarioSubcategory, ScenarioSubcategory.id == need_subcategories.c.subcategory_id)
                .where(ScenarioSubcategory.category_id == e.id)
            ),
        ),
    ),
)


def register_need_search() -> None:
    register_document_type(NEED_TYPE)
    register_savable(Savable(NEED, Need, "needs.index", FACETS, _l("需求")))
