"""Published needs in the search index, faceted by taxonomy code."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.listings.moderation import PUBLIC_STATUSES
from app.needs.models import Need
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.saved import Savable, register_savable

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
            selectinload(Need.subcategories),
        )
        .order_by(Need.id)
    )


def need_document(need: Need) -> Document | None:
    if not need.is_public:
        return None
    return Document(
        id=need.id,
        text={"title": need.title, "description": need.description, "organization": need.organization.name},
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
    text_fields={"title": 3.0, "description": 1.0, "organization": 1.0},
    facet_fields=("industry", "domain", "subcategory", "district"),
    sort_fields={"published": "datetime"},
    sorts={"newest": (SortKey("published", descending=True),)},
    highlight_fields={"title": None, "description": 120},
    default_sort="newest",
    related=(
        Related(Organization, lambda org: select(Need.id).where(Need.organization_id == org.id), fields=("name",)),
    ),
)


def register_need_search() -> None:
    register_document_type(NEED_TYPE)
    register_savable(Savable(NEED, Need, "needs.index", FACETS, _l("需求")))
