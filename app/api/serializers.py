"""Plain JSON-ready dicts of the catalogue's objects: the shapes that `openapi.py` documents."""

from flask import url_for

from app.api.services import ScenarioList, Taxonomy
from app.catalog.models import Scenario, ScenarioBatch


def ref(entry) -> dict:
    return {"code": entry.code, "name": entry.name}


def batch_ref(batch: ScenarioBatch) -> dict:
    return {"id": batch.id, "name": batch.name, "year": batch.year}


def scenario(s: Scenario) -> dict:
    return {
        "code": s.code,
        "title": s.title,
        "description": s.description,
        "industry": ref(s.industry),
        "domains": [{"code": d.code, "name": d.name, "new_mode": d.new_mode} for d in s.domains],
        "category": ref(s.category),
        "subcategory": ref(s.subcategory),
        "district": ref(s.district) if s.district else None,
        "organization": s.provider_name or None,
        "keywords": s.keyword_list,
        "batch": batch_ref(s.batch) if s.batch else None,
        "url": url_for("scenarios.detail", code=s.code, _external=True),
    }


def scenario_list(page: ScenarioList) -> dict:
    return {
        "items": [scenario(s) for s in page.scenarios],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "facets": {name: dict(counts) for name, counts in page.facets.items()},
    }


def taxonomy_entry(entry, **extra) -> dict:
    return {"code": entry.code, "name": entry.name, "name_en": entry.name_en, "active": entry.is_active, **extra}


def taxonomy(t: Taxonomy) -> dict:
    return {
        "industries": [taxonomy_entry(e) for e in t.industries],
        "tech_domains": [taxonomy_entry(e, new_mode=e.new_mode) for e in t.tech_domains],
        "categories": [
            taxonomy_entry(c, subcategories=[taxonomy_entry(s) for s in t.subcategories.get(c.id, [])])
            for c in t.categories
        ],
        "districts": [taxonomy_entry(e) for e in t.districts],
        "batches": [dict(batch_ref(b), status=b.status.value) for b in t.batches],
    }
