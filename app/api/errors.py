"""JSON errors for the API: one body shape for every refusal, never an HTML page.

    {"error": {"code": "bad_request", "message": "...", "details": {"per_page": "..."}}}

`install(bp)` wires the blueprint:
- `ApiError` raised by a service or view → its status and body;
- any `HTTPException` raised inside an API view (e.g. `abort(404)`) → the same shape;
- anything else raised inside an API view → a logged 500 in the same shape (a bug, never expected);
- a URL under /api/ that matches no route (unknown path, wrong method): Flask raises that
  before any blueprint is known, so the app's HTML 404 page would answer. A `before_app_request`
  hook sees the routing failure first (Flask only raises it after the before-request hooks) and
  answers JSON for /api/ paths; other paths are left to the HTML error pages.
"""

import logging

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger("gongfu.api")

API_ROOT = "/api"

#: HTTP status → the `code` of the error body.
ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    """A refusal with a status, a stable machine-readable code, a message for developers and,
    for bad parameters, a message per parameter."""

    def __init__(self, status: int, message: str, details: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = dict(details or {})
        self.code = code or ERROR_CODES.get(status, "error")


class BadRequest(ApiError):
    def __init__(self, details: dict[str, str], message: str = "invalid query parameters"):
        super().__init__(400, message, details)


class NotFound(ApiError):
    def __init__(self, message: str = "not found"):
        super().__init__(404, message)


def error_response(error: ApiError) -> Response:
    response = jsonify({"error": {"code": error.code, "message": error.message, "details": error.details}})
    response.status_code = error.status
    response.headers["Cache-Control"] = "no-store"
    return response


#: Messages for URLs under /api/ that match no route (werkzeug's are written for HTML pages).
ROUTING_MESSAGES = {
    404: "no such API endpoint: see /api/v1/openapi.json",
    405: "method not allowed: the API is read-only (GET)",
}


def http_error_response(error: HTTPException, message: str | None = None) -> Response:
    status = error.code or 500
    message = message or (error.description or error.name or "error").strip()
    response = error_response(ApiError(status, message, code=ERROR_CODES.get(status, _snake(error.name))))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _snake(name: str | None) -> str:
    return "_".join((name or "error").lower().split())


def is_api_path(path: str) -> bool:
    return path == API_ROOT or path.startswith(API_ROOT + "/")


def install(bp: Blueprint) -> None:
    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error)

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return http_error_response(error)

    @bp.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from app.extensions import db

        log.exception("api: unexpected error on %s %s", request.method, request.full_path)
        db.session.rollback()
        return error_response(ApiError(500, "internal error"))

    @bp.before_app_request
    def unrouted_api_request():
        failure = request.routing_exception
        if not (isinstance(failure, HTTPException) and (failure.code or 0) >= 400 and is_api_path(request.path)):
            return None
        return http_error_response(failure, ROUTING_MESSAGES.get(failure.code))
