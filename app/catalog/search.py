"""The scenario list in the search index: only published scenarios, faceted by taxonomy code."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.catalog.models import Scenario, ScenarioBatch, ScenarioStatus, scenario_domains
from app.search import Document, DocumentType, Related, SortKey, register_document_type
from app.search.documents import LABEL_WEIGHT, label_text, relabel
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

SCENARIO = "scenario"


def indexable_scenarios() -> Select:
    """Every scenario that belongs in the index, loaded with what its document needs."""
    return (
        select(Scenario)
        .where(Scenario.status == ScenarioStatus.PUBLISHED)
        .options(
            joinedload(Scenario.industry),
            joinedload(Scenario.category),
            joinedload(Scenario.subcategory),
            joinedload(Scenario.district),
            joinedload(Scenario.batch),
            joinedload(Scenario.organization),
            selectinload(Scenario.domains),
        )
        .order_by(Scenario.id)
    )


def scenario_document(scenario: Scenario) -> Document | None:
    if scenario.status != ScenarioStatus.PUBLISHED:
        return None
    return Document(
        id=scenario.id,
        text={
            "title": scenario.title,
            "keywords": " ".join(scenario.keyword_list),
            "description": scenario.description,
            "code": scenario.code,
            "organization": scenario.provider_name,
            "labels": label_text([scenario.industry, *scenario.domains, scenario.category, scenario.subcategory]),
        },
        facets={
            "industry": [scenario.industry.code],
            "domain": [domain.code for domain in scenario.domains],
            "category": [scenario.category.code],
            "subcategory": [scenario.subcategory.code],
            "district": [scenario.district.code] if scenario.district else [],
            "batch": [str(scenario.batch_id)] if scenario.batch_id else [],
        },
        sort={
            "published": scenario.batch.published_at if scenario.batch else None,
            "code": scenario.code,
        },
    )


SCENARIO_TYPE = DocumentType(
    name=SCENARIO,
    model=Scenario,
    to_document=scenario_document,
    query=indexable_scenarios,
    text_fields={
        "title": 3.0,
        "keywords": 2.0,
        "labels": LABEL_WEIGHT,
        "description": 1.0,
        "code": 1.0,
        "organization": 1.0,
    },
    facet_fields=("industry", "domain", "category", "subcategory", "district", "batch"),
    sort_fields={"published": "datetime", "code": "str"},
    sorts={
        "newest": (SortKey("published", descending=True), SortKey("code")),
        "code": (SortKey("code"),),
    },
    highlight_fields={"title": None, "description": 120},
    default_sort="newest",
    related=(
        # Publishing or withdrawing a batch changes its scenarios' status and publication date.
        Related(
            ScenarioBatch,
            lambda batch: select(Scenario.id).where(Scenario.batch_id == batch.id),
            fields=("status", "published_at", "withdrawn_at"),
        ),
        # A scenario shows its provider's current name.
        Related(
            Organization, lambda org: select(Scenario.id).where(Scenario.organization_id == org.id), fields=("name",)
        ),
        # A scenario's labels are the names of its taxonomy entries.
        relabel(Industry, lambda e: select(Scenario.id).where(Scenario.industry_id == e.id)),
        relabel(ScenarioCategory, lambda e: select(Scenario.id).where(Scenario.category_id == e.id)),
        relabel(ScenarioSubcategory, lambda e: select(Scenario.id).where(Scenario.subcategory_id == e.id)),
        relabel(
            TechDomain, lambda e: select(scenario_domains.c.scenario_id).where(scenario_domains.c.domain_id == e.id)
        ),
    ),
)


def register_catalog_search() -> None:
    register_document_type(SCENARIO_TYPE)
