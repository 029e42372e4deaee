"""The open-data API (`/api/v1`): public, read-only JSON over the published scenario list and
the atlas taxonomy, described by its OpenAPI document. Every answer is JSON, errors included
(see `errors.py`)."""

from flask import Blueprint, Response, jsonify, request

from app.api import errors, serializers, services
from app.api.openapi import openapi_document
from app.core.page_cache import public_page

bp = Blueprint("api", __name__, url_prefix="/api/v1")
errors.install(bp)

CACHE_CONTROL = "public, max-age=60"


def public_json(data: dict) -> Response:
    response = jsonify(data)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.get("/scenarios")
@public_page
def scenarios():
    query = services.parse_list_query(request.args)
    return public_json(serializers.scenario_list(services.list_scenarios(query)))


@bp.get("/scenarios/<code>")
@public_page
def scenario(code: str):
    found = services.public_scenario(code)
    if found is None:
        raise errors.NotFound("no published scenario has this code")
    return public_json(serializers.scenario(found))


@bp.get("/taxonomy")
@public_page
def taxonomy():
    return public_json(serializers.taxonomy(services.taxonomy()))


@bp.get("/openapi.json")
@public_page
def openapi():
    return public_json(openapi_document(services.facet_values()))
