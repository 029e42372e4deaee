"""Plain JSON-ready dicts of the public records: the shapes that `openapi.py` documents.

Only what the records' public pages show: never a listing's contacts, its reviewer or why it
was rejected, nor an event's registrations.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import url_for

from app.api.services import ListPage, PlanFigures, Taxonomy
from app.articles.models import Article
from app.catalog.models import Scenario, ScenarioBatch
from app.core.bilingual import localized
from app.events.models import Event
from app.needs.models import Need
from app.solutions.models import Solution


def ref(entry) -> dict:
    return {"code": entry.code, "name": entry.display_name()}


def batch_ref(batch: ScenarioBatch) -> dict:
    return {"id": batch.id, "name": batch.name, "year": batch.year}


def scenario(s: Scenario) -> dict:
    return {
        "code": s.code,
        "title": s.title,
        "description": s.description,
        "industry": ref(s.industry),
        "domains": [{"code": d.code, "name": d.display_name(), "new_mode": d.new_mode} for d in s.domains],
        "category": ref(s.category),
        "subcategory": ref(s.subcategory),
        "district": ref(s.district) if s.district else None,
        "organization": s.provider_name or None,
        "keywords": s.keyword_list,
        "batch": batch_ref(s.batch) if s.batch else None,
        "url": url_for("scenarios.detail", code=s.code, _external=True),
    }


def moment(value: datetime | None) -> str | None:
    """A stored (naive UTC) time in ISO 8601 with its offset."""
    return value.replace(tzinfo=UTC).isoformat() if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def need(n: Need) -> dict:
    return {
        "id": n.id,
        "title": n.title,
        "description": n.description,
        "organization": n.organization.name,
        "industry": ref(n.industry),
        "domains": [ref(d) for d in n.domains],
        "subcategories": [ref(s) for s in n.subcategories],
        "district": ref(n.district) if n.district else None,
        "budget_min": amount(n.budget_min),
        "budget_max": amount(n.budget_max),
        "budget_negotiable": n.budget_negotiable,
        "starts_on": day(n.starts_on),
        "deadline_on": day(n.deadline_on),
        "status": n.status.value,
        "published_at": moment(n.published_at),
        "url": url_for("needs.detail", need_id=n.id, _external=True),
    }


def solution(s: Solution) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "summary": s.summary,
        "description": s.description,
        "organization": s.organization.name,
        "industries": [ref(i) for i in s.industries],
        "domains": [ref(d) for d in s.domains],
        "subcategories": [ref(c) for c in s.subcategories],
        "delivery_mode": s.delivery_mode.value,
        "price_model": s.price_model.value,
        "price_min": amount(s.price_min),
        "price_max": amount(s.price_max),
        "plug_and_play": s.plug_and_play,
        "prerequisites": s.prerequisites,
        "deployment_days": s.deployment_days,
        "includes": s.includes,
        "status": s.status.value,
        "published_at": moment(s.published_at),
        "url": url_for("solutions.detail", solution_id=s.id, _external=True),
    }


def event(e: Event) -> dict:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "title": e.title,
        "description": e.description,
        "venue": e.venue,
        "starts_at": moment(e.starts_at),
        "ends_at": moment(e.ends_at),
        "registration_opens_at": moment(e.registration_opens_at),
        "registration_closes_at": moment(e.registration_closes_at),
        "capacity": e.capacity,
        "status": e.status.value,
        "url": url_for("events.detail", event_id=e.id, _external=True),
    }


def article(a: Article) -> dict:
    return {
        "id": a.id,
        "category": a.category.value,
        "title": a.title,
        "summary": a.summary,
        "body": a.body,
        "published_at": moment(a.publish_at),
        "pinned": a.pinned,
        "attachments": [
            {
                "name": f.original_name,
                "url": url_for("articles.attachment", article_id=a.id, file_id=f.id, _external=True),
            }
            for f in a.attachments
        ],
        "url": url_for("articles.detail", article_id=a.id, _external=True),
    }


def list_page(page: ListPage, item) -> dict:
    return {
        "items": [item(record) for record in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "facets": {name: dict(counts) for name, counts in page.facets.items()},
    }


def plan(figures: PlanFigures) -> dict:
    p = figures.plan
    return {
        "name": p.display_name(),
        "starts_on": day(p.starts_on),
        "ends_on": day(p.ends_on),
        "current": figures.current,
        "elapsed": round(figures.elapsed, 4),
        "indicators": [
            {
                "code": status.indicator.code,
                "name": status.indicator.display_name(),
                "unit": localized(status.indicator, "unit"),
                "target": amount(status.indicator.target),
                "value": amount(status.value) if status.available else None,
                "progress": round(status.progress, 4) if status.available else None,
                "verdict": status.verdict(p, figures.today).value if status.available else None,
                "as_of": day(status.report.as_of) if status.report else None,
                "source": status.report.source if status.report else None,
            }
            for status in figures.statuses
        ],
    }


def plans(all_figures: list[PlanFigures]) -> dict:
    return {"plans": [plan(figures) for figures in all_figures]}


def scenario_list(page: ListPage) -> dict:
    return list_page(page, scenario)


def taxonomy_entry(entry, **extra) -> dict:
    return {
        "code": entry.code,
        "name": entry.display_name(),
        "name_en": entry.name_en,
        "active": entry.is_active,
        **extra,
    }


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
