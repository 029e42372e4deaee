"""The OpenAPI 3.1 document of the API, built here as a plain dict.

The facet parameters list their accepted values as enums taken from the database (taxonomy
codes, released batch ids), so the document stays true when admins edit the taxonomy and a
generated client or a schema-driven tester (schemathesis) only sends values the API accepts.
Everything else is static. Keep it in step with `services.py` (limits) and `serializers.py`
(shapes): the tests check that every route of the blueprint and every list parameter is here.
"""

from app.api.services import DEFAULT_PER_PAGE, MAX_PAGE, MAX_QUERY_LENGTH
from app.catalog.scenarios import FACETS, SORTS
from app.search.engine import MAX_PER_PAGE

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
CACHE_HEADER = {"Cache-Control": {"description": "`public, max-age=60`", "schema": STRING}}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


def _facet_parameter(name: str, values: list[str]) -> dict:
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
        "description": FACET_DESCRIPTIONS[name],
        "schema": {"type": "array", "items": item},
    }


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
        "FacetCounts": counts,
        "ScenarioList": _object(
            {
                "items": {"type": "array", "items": _ref("Scenario")},
                "total": {"type": "integer", "minimum": 0, "description": "Scenarios matching, over all pages."},
                "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "facets": _object(
                    {name: _ref("FacetCounts") for name in FACETS},
                    "For each facet, the counts of its values among the scenarios matching `q` and "
                    "the OTHER facets' filters (so a chosen value's alternatives are still counted).",
                ),
            }
        ),
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


def openapi_document(facet_values: dict[str, list[str]]) -> dict:
    """The document; `facet_values` as from `services.facet_values()`."""
    list_parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Full-text query (Chinese segmentation, synonyms such as PdM ↔ 预测性维护).",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        },
        *(_facet_parameter(name, facet_values.get(name, [])) for name in FACETS),
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "relevance (the default; newest when `q` is empty), newest (latest batch first), "
            "code (by scenario code).",
            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
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
    ]
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "工赋汇 open data API",
            "version": API_VERSION,
            "description": "Public, read-only data of the city's industrial-internet scenario list (场景清单) "
            "and its atlas taxonomy. No authentication. Unknown query parameters are refused "
            "with 400, so that a misspelt filter never widens a result unnoticed.",
        },
        "paths": {
            f"{PREFIX}/scenarios": {
                "get": {
                    "operationId": "listScenarios",
                    "summary": "Search published scenarios, with facet counts",
                    "parameters": list_parameters,
                    "responses": {
                        "200": _json(_ref("ScenarioList"), "One page of scenarios.", CACHE_HEADER),
                        "400": _error(
                            "A parameter is unknown, repeated, malformed or out of range; `details` names each one."
                        ),
                    },
                }
            },
            f"{PREFIX}/scenarios/{{code}}": {
                "get": {
                    "operationId": "getScenario",
                    "summary": "One published scenario by its code",
                    "parameters": [{"name": "code", "in": "path", "required": True, "schema": STRING}],
                    "responses": {
                        "200": _json(_ref("Scenario"), "The scenario.", CACHE_HEADER),
                        "404": _error("No published scenario has this code."),
                    },
                }
            },
            f"{PREFIX}/taxonomy": {
                "get": {
                    "operationId": "getTaxonomy",
                    "summary": "Industries, technology domains, categories with sub-categories, districts, batches",
                    "responses": {"200": _json(_ref("Taxonomy"), "The taxonomy.", CACHE_HEADER)},
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
