"""GET /api/v1/openapi.json: a document naming every route and parameter of the API."""

import json
import re

from app.api.services import LIST_PARAMETERS
from app.api.views import bp
from app.extensions import db
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain
from tests.api.schema import refs, resolve


def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    return json.loads(response.data)


def api_rules(app) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(f"{bp.name}.")]


def openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)


def test_document_is_openapi_3_1(client):
    doc = document(client)
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["title"] and doc["info"]["version"]


def test_every_route_of_the_blueprint_is_documented(app, client):
    doc = document(client)
    rules = api_rules(app)
    assert len(rules) == 13
    for rule in rules:
        path = openapi_path(rule)
        assert path in doc["paths"], path
        assert set(doc["paths"][path]) == {"get"}
        assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}
    assert set(doc["paths"]) == {openapi_path(rule) for rule in rules}
    assert len({op["get"]["operationId"] for op in doc["paths"].values()}) == len(rules)


def test_every_list_parameter_is_documented_with_its_limits(client, catalogue):
    doc = document(client)
    parameters = {p["name"]: p for p in doc["paths"]["/api/v1/scenarios"]["get"]["parameters"]}
    assert set(parameters) == set(LIST_PARAMETERS)
    assert parameters["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["q"]["schema"]["maxLength"] == 100
    assert parameters["sort"]["schema"]["enum"] == ["relevance", "newest", "code"]
    models = {
        "industry": Industry,
        "domain": TechDomain,
        "category": ScenarioCategory,
        "subcategory": ScenarioSubcategory,
        "district": District,
    }
    for name, model in models.items():
        assert parameters[name]["schema"]["type"] == "array" and parameters[name]["explode"] is True
        assert set(parameters[name]["schema"]["items"]["enum"]) == set(db.session.scalars(db.select(model.code)))
    batches = catalogue["batches"]
    assert parameters["batch"]["schema"]["items"]["enum"] == [batches["first"], batches["second"]]
    detail = doc["paths"]["/api/v1/scenarios/{code}"]["get"]["parameters"]
    assert detail[0] == {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    assert [p["name"] for p in detail[1:]] == ["lang"]
    assert detail[1]["schema"]["enum"] == ["zh", "en"]


def test_errors_and_refs_are_documented(client):
    doc = document(client)
    assert set(doc["paths"]["/api/v1/scenarios"]["get"]["responses"]) == {"200", "400"}
    assert set(doc["paths"]["/api/v1/scenarios/{code}"]["get"]["responses"]) == {"200", "404"}
    error = doc["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "details"]
    assert refs(doc) and all(resolve(doc, ref) for ref in refs(doc))
