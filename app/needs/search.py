"""Published needs in the search index, faceted by taxonomy code, and the list's export."""

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
from app.needs.models import Need, need_domains, need_subcategories
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.documents import LABEL_WEIGHT, label_categories, label_text, relabel
from app.search.pages import SearchExport, SearchQuery
from app.search.saved import Savable, register_savable
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

NEED = "need"

#: The list page's facets (also what a saved search keeps) and sorts.
FACETS = ("industry", "domain", "subcategory", "district")
SORTS = ("relevance", "newest")


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


def parse_query(args) -> SearchQuery:
    return SearchQuery.parse(args, FACETS, SORTS)


EXPORT_HEADER = (
    _l("编号"),
    _l("需求名称"),
    _l("发布单位"),
    _l("所属行业"),
    _l("技术领域"),
    _l("场景小类"),
    _l("所在区市"),
    _l("预算下限（万元）"),
    _l("预算上限（万元）"),
    _l("预算面议"),
    _l("期望开始"),
    _l("截止日期"),
    _l("发布时间"),
    _l("需求描述"),
    _l("链接"),
)


def export_rows(needs: list[Need]) -> list[list]:
    language = current_language()
    return [
        [
            need.id,
            need.title,
            need.organization.name,
            need.industry.display_name(language),
            names_cell(d.display_name(language) for d in need.domains),
            names_cell(s.display_name(language) for s in need.subcategories),
            need.district.display_name(language) if need.district else "",
            need.budget_min,
            need.budget_max,
            _("是") if need.budget_negotiable else _("否"),
            need.starts_on.isoformat() if need.starts_on else "",
            need.deadline_on.isoformat() if need.deadline_on else "",
            format_datetime(need.published_at, "yyyy-MM-dd HH:mm") if need.published_at else "",
            need.description,
            url_for("needs.detail", need_id=need.id, _external=True),
        ]
        for need in needs
        if need.is_public
    ]


#: What a row of an export or of the open-data API shows of a need, loaded with it.
LOAD_OPTIONS = (
    joinedload(Need.industry),
    joinedload(Need.district),
    joinedload(Need.organization),
    selectinload(Need.domains),
    selectinload(Need.subcategories),
)

EXPORT = SearchExport(
    doc_type=NEED,
    model=Need,
    parse=parse_query,
    filename="needs",
    title=_l("企业需求"),
    header=EXPORT_HEADER,
    rows=export_rows,
    list_endpoint="needs.index",
    options=LOAD_OPTIONS,
)
