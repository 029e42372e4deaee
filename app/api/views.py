"""The open-data API (`/api/v1`): public, read-only JSON over the published scenario list, the
atlas taxonomy, public needs, solutions, events and articles, and the plan's indicators, described by its
OpenAPI document. Every answer is JSON, errors included (see `errors.py`)."""

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
    response.vary.add("Accept-Language")  # names are in the language asked for
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


def _list(collection: services.Collection, item) -> Response:
    query = services.parse_list_query(request.args, collection)
    return public_json(serializers.list_page(services.list_collection(collection, query), item))


def _one(collection: services.Collection, record_id: int, item) -> Response:
    found = services.public_record(collection, record_id)
    if found is None:
        raise errors.NotFound(f"no public {collection.name} has this id")
    return public_json(item(found))


@bp.get("/needs")
@public_page
def needs():
    return _list(services.NEEDS, serializers.need)


@bp.get("/needs/<int:need_id>")
@public_page
def need(need_id: int):
    return _one(services.NEEDS, need_id, serializers.need)


@bp.get("/solutions")
@public_page
def solutions():
    return _list(services.SOLUTIONS, serializers.solution)


@bp.get("/solutions/<int:solution_id>")
@public_page
def solution(solution_id: int):
    return _one(services.SOLUTIONS, solution_id, serializers.solution)


@bp.get("/events")
@public_page
def events():
    return _list(services.EVENTS, serializers.event)


@bp.get("/events/<int:event_id>")
@public_page
def event(event_id: int):
    return _one(services.EVENTS, event_id, serializers.event)


@bp.get("/articles")
@public_page
def articles():
    return _list(services.ARTICLES, serializers.article)


@bp.get("/articles/<int:article_id>")
@public_page
def article(article_id: int):
    return _one(services.ARTICLES, article_id, serializers.article)


@bp.get("/indicators")
@public_page
def plan_indicators():
    services.parse_no_parameters(request.args)
    return public_json(serializers.plans(services.public_plans()))


@bp.get("/taxonomy")
@public_page
def taxonomy():
    services.parse_no_parameters(request.args)
    return public_json(serializers.taxonomy(services.taxonomy()))


@bp.get("/openapi.json")
@public_page
def openapi():
    return public_json(openapi_document({name: c.facet_values() for name, c in services.COLLECTIONS.items()}))
