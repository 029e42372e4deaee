"""The OpenAPI 3.1 document of the API, built here as a plain dict.

The facet parameters list their accepted values as enums taken from the database (taxonomy
codes, released batch ids), so the document stays true when admins edit the taxonomy and a
generated client or a schema-driven tester (schemathesis) only sends values the API accepts.
Everything else is static. Keep it in step with `services.py` (limits) and `serializers.py`
(shapes): the tests check that every route of the blueprint and every list parameter is here.
"""

from app.api.services import COLLECTIONS, DEFAULT_PER_PAGE, LANGUAGES, MAX_PAGE, MAX_QUERY_LENGTH, Collection
from app.articles.models import ArticleCategory
from app.events.models import EventKind
from app.search.engine import MAX_PER_PAGE
from app.solutions.models import DeliveryMode, PriceModel
from app.stats.indicators import Verdict

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
PREFIX = "/api/v1"

FACET_DESCRIPTIONS = {
    "industry": "Industry codes (行业), e.g. EQP. Repeat the parameter for several: OR within the facet.",
    "domain": "Technology-domain codes (技术领域), e.g. IM. Repeatable, OR within the facet.",
    "category": "Scenario-category codes (场景大类), e.g. C04. Repeatable, OR within the facet.",
    "subcategory": "Scenario-subcategory codes (场景小类), e.g. C04-2. Repeatable, OR within the facet.",
    "district": "District codes (区市), e.g. LS. Repeatable, OR within the facet.",
    "batch": "Ids of released batches (发布批次). Repeatable, OR within the facet.",
    "plug_and_play": "yes: plug-and-play modules (即插即用) only; no: the others. Repeatable, OR within the facet.",
    "price_model": "Price models. Repeatable, OR within the facet.",
    "kind": "Event kinds: forum (产业论坛), competition (行业大赛), finance (产融对接会). Repeatable.",
}
#: collection → facet → its description, where a facet name means another thing than in FACET_DESCRIPTIONS
COLLECTION_FACET_DESCRIPTIONS = {
    "article": {"category": "Article categories: policy (政策文件), notice (通知公告), news (工作动态). Repeatable."},
}
SORT_DESCRIPTIONS = {
    "scenario": "relevance (the default; newest when `q` is empty), newest (latest batch first), "
    "code (by scenario code).",
    "need": "relevance (the default; newest when `q` is empty), newest (latest published first).",
    "solution": "relevance (the default; newest when `q` is empty), newest (latest published first).",
    "event": "relevance (the default; latest start first when `q` is empty), newest (latest start first).",
    "article": "relevance (the default; newest when `q` is empty), newest (latest published first).",
}
#: collection → (path segment, schema name of an item, what its items are)
COLLECTION_PATHS = {
    "scenario": ("scenarios", "Scenario", "published scenarios"),
    "need": ("needs", "Need", "public needs (published or in talks)"),
    "solution": ("solutions", "Solution", "public solutions (published or in talks)"),
    "event": ("events", "Event", "public events (published or cancelled)"),
    "article": ("articles", "Article", "published articles (policy, notices, news)"),
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
NUMBER_OR_NULL = {"type": ["number", "null"]}
CACHE_HEADER = {"Cache-Control": {"description": "`public, max-age=60`", "schema": STRING}}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


def _facet_parameter(name: str, values: list[str], description: str | None = None) -> dict:
    if name == "batch":
        item = {"type": "integer", "minimum": 1}
        if values:
            item["enum"] = [int(v) for v in values]
    else:
        item = {"type": "string"}
        if values:
            item["enum"] = list(values)
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": description or FACET_DESCRIPTIONS[name],
        "schema": {"type": "array", "items": item},
    }


def _list_schema(name: str, item: str, what: str) -> dict:
    return _object(
        {
            "items": {"type": "array", "items": _ref(item)},
            "total": {"type": "integer", "minimum": 0, "description": f"The {what} matching, over all pages."},
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "facets": _object(
                {facet: _ref("FacetCounts") for facet in COLLECTIONS[name].facets},
                f"For each facet, the counts of its values among the {what} matching `q` and "
                "the OTHER facets' filters (so a chosen value's alternatives are still counted).",
            ),
        }
    )


def _schemas() -> dict:
    ref = _object({"code": STRING, "name": STRING})
    entry = {"code": STRING, "name": STRING, "name_en": STRING, "active": {"type": "boolean"}}
    counts = {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0},
        "description": "Value (code, or batch id as a string) → number of matching scenarios.",
    }
    return {
        "Ref": ref,
        "DomainRef": _object({"code": STRING, "name": STRING, "new_mode": {"type": "boolean"}}),
        "BatchRef": _object({"id": {"type": "integer"}, "name": STRING, "year": {"type": "integer"}}),
        "Scenario": _object(
            {
                "code": {"type": "string", "description": "Stable scenario code, e.g. QD-2022-0001."},
                "title": STRING,
                "description": STRING,
                "industry": _ref("Ref"),
                "domains": {"type": "array", "items": _ref("DomainRef")},
                "category": _ref("Ref"),
                "subcategory": _ref("Ref"),
                "district": _nullable(_ref("Ref")),
                "organization": {"type": ["string", "null"], "description": "The providing organization's name."},
                "keywords": {"type": "array", "items": STRING},
                "batch": _nullable(_ref("BatchRef")),
                "url": {"type": "string", "format": "uri", "description": "The scenario's public page."},
            },
            "A published scenario of the city's scenario list (场景清单).",
        ),
        "Need": _object(
            {
                "id": {"type": "integer"},
                "title": STRING,
                "description": STRING,
                "organization": {"type": "string", "description": "The enterprise that posted it."},
                "industry": _ref("Ref"),
                "domains": {"type": "array", "items": _ref("Ref")},
                "subcategories": {"type": "array", "items": _ref("Ref")},
                "district": _nullable(_ref("Ref")),
                "budget_min": NUMBER_OR_NULL,
                "budget_max": NUMBER_OR_NULL,
                "budget_negotiable": {"type": "boolean"},
                "starts_on": DATE_OR_NULL,
                "deadline_on": DATE_OR_NULL,
                "status": {"type": "string", "enum": ["published", "in_talks"]},
                "published_at": TIME_OR_NULL,
                "url": {"type": "string", "format": "uri", "description": "The need's public page."},
            },
            "An enterprise's public need (企业需求); budgets in 万元. Contacts are never published here.",
        ),
        "Solution": _object(
            {
                "id": {"type": "integer"},
                "title": STRING,
                "summary": STRING,
                "description": STRING,
                "organization": {"type": "string", "description": "The provider."},
                "industries": {"type": "array", "items": _ref("Ref")},
                "domains": {"type": "array", "items": _ref("Ref")},
                "subcategories": {"type": "array", "items": _ref("Ref")},
                "delivery_mode": {"type": "string", "enum": [m.value for m in DeliveryMode]},
                "price_model": {"type": "string", "enum": [m.value for m in PriceModel]},
                "price_min": NUMBER_OR_NULL,
                "price_max": NUMBER_OR_NULL,
                "plug_and_play": {"type": "boolean"},
                "prerequisites": STRING,
                "deployment_days": {"type": ["integer", "null"]},
                "includes": STRING,
                "status": {"type": "string", "enum": ["published", "in_talks"]},
                "published_at": TIME_OR_NULL,
                "url": {"type": "string", "format": "uri", "description": "The solution's public page."},
            },
            "A provider's public solution (解决方案); prices in 万元.",
        ),
        "Event": _object(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "enum": [k.value for k in EventKind]},
                "title": STRING,
                "description": STRING,
                "venue": STRING,
                "starts_at": TIME,
                "ends_at": TIME,
                "registration_opens_at": TIME,
                "registration_closes_at": TIME,
                "capacity": {"type": "integer"},
                "status": {"type": "string", "enum": ["published", "cancelled"]},
                "url": {"type": "string", "format": "uri", "description": "The event's public page."},
            },
            "A public matchmaking event (对接活动).",
        ),
        "Article": _object(
            {
                "id": {"type": "integer"},
                "category": {"type": "string", "enum": [c.value for c in ArticleCategory]},
                "title": STRING,
                "summary": STRING,
                "body": {"type": "string", "description": "Markdown."},
                "published_at": TIME,
                "pinned": {"type": "boolean"},
                "attachments": {
                    "type": "array",
                    "items": _object({"name": STRING, "url": {"type": "string", "format": "uri"}}),
                },
                "url": {"type": "string", "format": "uri", "description": "The article's public page."},
            },
            "A published policy document (政策文件), notice (通知公告) or news item (工作动态).",
        ),
        "IndicatorFigure": _object(
            {
                "code": STRING,
                "name": STRING,
                "unit": STRING,
                "target": {"type": "number"},
                "value": {
                    "type": ["number", "null"],
                    "description": "Counted by the portal or last reported; null when there is no figure yet.",
                },
                "progress": {"type": ["number", "null"], "description": "value / target."},
                "verdict": {
                    "type": ["string", "null"],
                    "enum": [v.value for v in Verdict] + [None],
                    "description": "done, on_track or behind during the plan; achieved or missed once it has ended.",
                },
                "as_of": DATE_OR_NULL,
                "source": {"type": ["string", "null"], "description": "Where a reported figure comes from."},
            }
        ),
        "Plan": _object(
            {
                "name": STRING,
                "starts_on": {"type": "string", "format": "date"},
                "ends_on": {"type": "string", "format": "date"},
                "current": {"type": "boolean"},
                "elapsed": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "Share of the period elapsed.",
                },
                "indicators": {"type": "array", "items": _ref("IndicatorFigure")},
            }
        ),
        "Plans": _object(
            {"plans": {"type": "array", "items": _ref("Plan")}},
            "The current plan first, then the plans that have ended, newest first.",
        ),
        "FacetCounts": counts,
        **{f"{schema}List": _list_schema(c, schema, what) for c, (_, schema, what) in COLLECTION_PATHS.items()},
        "TaxonomyEntry": _object(entry),
        "TechDomain": _object(
            {**entry, "new_mode": {"type": "boolean", "description": "One of the six new modes (六化)."}}
        ),
        "Category": _object({**entry, "subcategories": {"type": "array", "items": _ref("TaxonomyEntry")}}),
        "Batch": _object(
            {
                "id": {"type": "integer"},
                "name": STRING,
                "year": {"type": "integer"},
                "status": {"type": "string", "enum": ["published", "withdrawn"]},
            }
        ),
        "Taxonomy": _object(
            {
                "industries": {"type": "array", "items": _ref("TaxonomyEntry")},
                "tech_domains": {"type": "array", "items": _ref("TechDomain")},
                "categories": {"type": "array", "items": _ref("Category")},
                "districts": {"type": "array", "items": _ref("TaxonomyEntry")},
                "batches": {"type": "array", "items": _ref("Batch")},
            },
            "The atlas taxonomy in display order (deactivated entries included, `active: false`) and the "
            "released batches: the values the list's facet parameters accept.",
        ),
        "Error": _object(
            {
                "error": _object(
                    {
                        "code": {
                            "type": "string",
                            "description": "Stable and machine-readable: bad_request, not_found, "
                            "method_not_allowed, too_many_requests, internal_error.",
                        },
                        "message": STRING,
                        "details": {
                            "type": "object",
                            "additionalProperties": STRING,
                            "description": "For bad_request: parameter name → what is wrong with it.",
                        },
                    }
                )
            }
        ),
    }


LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the names of taxonomy entries and indicators (`name`, `unit`); without it, "
    "the request's `Accept-Language`, else Chinese. An entry without an English name keeps its Chinese one.",
    "schema": {"type": "string", "enum": list(LANGUAGES), "default": LANGUAGES[0]},
}


def _list_parameters(collection: Collection, facet_values: dict[str, list[str]]) -> list[dict]:
    return [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Full-text query (Chinese segmentation, synonyms such as PdM ↔ 预测性维护).",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        },
        *(
            _facet_parameter(
                name, facet_values.get(name, []), COLLECTION_FACET_DESCRIPTIONS.get(collection.name, {}).get(name)
            )
            for name in collection.facets
        ),
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": SORT_DESCRIPTIONS[collection.name],
            "schema": {"type": "string", "enum": list(collection.sorts), "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number; a page past the end answers no items and the real total.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
        },
        LANG_PARAMETER,
    ]


BAD_PARAMETERS = "A parameter is unknown, repeated, malformed or out of range; `details` names each one."


def _collection_paths(name: str, facet_values: dict[str, list[str]]) -> dict:
    """The list and the by-id detail of a collection other than the scenarios (found by code)."""
    segment, schema, what = COLLECTION_PATHS[name]
    title = segment.capitalize()
    return {
        f"{PREFIX}/{segment}": {
            "get": {
                "operationId": f"list{title}",
                "summary": f"Search {what}, with facet counts",
                "parameters": _list_parameters(COLLECTIONS[name], facet_values),
                "responses": {
                    "200": _json(_ref(f"{schema}List"), f"One page of {segment}.", CACHE_HEADER),
                    "400": _error(BAD_PARAMETERS),
                },
            }
        },
        f"{PREFIX}/{segment}/{{{name}_id}}": {
            "get": {
                "operationId": f"get{schema}",
                "summary": f"One of the {what} by its id",
                "parameters": [
                    {"name": f"{name}_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
                    LANG_PARAMETER,
                ],
                "responses": {
                    "200": _json(_ref(schema), f"The {name}.", CACHE_HEADER),
                    "404": _error(f"No public {name} has this id."),
                },
            }
        },
    }


def openapi_document(facet_values: dict[str, dict[str, list[str]]]) -> dict:
    """The document; `facet_values`: collection name → its `facet_values()`."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "工赋汇 open data API",
            "version": API_VERSION,
            "description": "Public, read-only data of the city's industrial-internet scenario list (场景清单) "
            "and its atlas taxonomy, the public needs, solutions, events and articles, and the plan's indicators. "
            "No authentication. Unknown query parameters are refused "
            "with 400, so that a misspelt filter never widens a result unnoticed. "
            "Bulk downloads (CSV, XLSX) of each collection are listed at /data. "
            "Names of taxonomy entries and indicators are in Chinese, or in English with `lang=en` or "
            "`Accept-Language: en`.",
        },
        "paths": {
            f"{PREFIX}/scenarios": {
                "get": {
                    "operationId": "listScenarios",
                    "summary": "Search published scenarios, with facet counts",
                    "parameters": _list_parameters(COLLECTIONS["scenario"], facet_values["scenario"]),
                    "responses": {
                        "200": _json(_ref("ScenarioList"), "One page of scenarios.", CACHE_HEADER),
                        "400": _error(BAD_PARAMETERS),
                    },
                }
            },
            f"{PREFIX}/scenarios/{{code}}": {
                "get": {
                    "operationId": "getScenario",
                    "summary": "One published scenario by its code",
                    "parameters": [{"name": "code", "in": "path", "required": True, "schema": STRING}, LANG_PARAMETER],
                    "responses": {
                        "200": _json(_ref("Scenario"), "The scenario.", CACHE_HEADER),
                        "404": _error("No published scenario has this code."),
                    },
                }
            },
            **_collection_paths("need", facet_values["need"]),
            **_collection_paths("solution", facet_values["solution"]),
            **_collection_paths("event", facet_values["event"]),
            **_collection_paths("article", facet_values["article"]),
            f"{PREFIX}/indicators": {
                "get": {
                    "operationId": "getPlanIndicators",
                    "summary": "The plan's indicators with their figures, as on /stats/public",
                    "parameters": [LANG_PARAMETER],
                    "responses": {
                        "200": _json(_ref("Plans"), "The current plan and the past ones.", CACHE_HEADER),
                        "400": _error("The endpoint takes only `lang`; `details` names each other one given."),
                    },
                }
            },
            f"{PREFIX}/taxonomy": {
                "get": {
                    "operationId": "getTaxonomy",
                    "summary": "Industries, technology domains, categories with sub-categories, districts, batches",
                    "parameters": [LANG_PARAMETER],
                    "responses": {
                        "200": _json(_ref("Taxonomy"), "The taxonomy.", CACHE_HEADER),
                        "400": _error("The endpoint takes only `lang`; `details` names each other one given."),
                    },
                }
            },
            f"{PREFIX}/openapi.json": {
                "get": {
                    "operationId": "getOpenApiDocument",
                    "summary": "This document",
                    "responses": {"200": _json({"type": "object"}, "The OpenAPI document.", CACHE_HEADER)},
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
