"""Every request's id, and with `LOG_FORMAT=json` one JSON log line per request.

The id is the `X-Request-ID` header when it is a sane token (nginx sends its `$request_id`), else a
new one; it is echoed in the response's `X-Request-ID` and added to every log line written while
the request runs, so that a request's lines can be found together.
"""

import logging
import re
import time
import uuid

from flask import Flask, Response, has_request_context, request
from flask.logging import default_handler
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_KEY = "gongfu.request_id"
STARTED_KEY = "gongfu.request_started"
#: What an id taken from a header may be: letters, digits and `-_.:`, at most 64 of them (a UUID,
#: nginx's 32 hex digits). Anything else, such as a newline or a long string, is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_log = logging.getLogger("gongfu.request")


def current_request_id() -> str:
    """The id of the request being served, taken from its header or made on first use (kept in
    the request's WSGI environ, which, unlike `g`, no two requests ever share)."""
    environ = request.environ
    if REQUEST_ID_KEY not in environ:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        environ[REQUEST_ID_KEY] = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return environ[REQUEST_ID_KEY]


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record written while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = current_request_id()
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time, level, logger, message, and the record's extra fields."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        json_ensure_ascii=False,
    )


def configure_json_logging() -> None:
    """Send every logger's records to standard error as JSON lines, at INFO and above. A root
    handler that already writes JSON (gunicorn's, from deploy/gunicorn.conf.py) is used as it is."""
    root = logging.getLogger()
    handlers = [handler for handler in root.handlers if isinstance(handler.formatter, JsonFormatter)]
    if not handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(json_formatter())
        root.addHandler(stream)
        handlers.append(stream)
    for handler in handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
    root.setLevel(logging.INFO)


def _logged_path() -> str:
    """The request's path, with a token in it (password reset, invitation) left out."""
    path = request.path
    token = (request.view_args or {}).get("token")
    return path.replace(str(token), "[token]") if token else path


def init_request_log(app: Flask) -> None:
    json_lines = app.config["LOG_FORMAT"] == "json"
    if json_lines:
        configure_json_logging()
        app.logger.removeHandler(default_handler)
        request_log.setLevel(logging.INFO)

    @app.before_request
    def start_timer() -> None:
        request.environ[STARTED_KEY] = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        if json_lines:
            started = request.environ.get(STARTED_KEY)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": _logged_path(),
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    "bytes": response.content_length,
                    "remote_addr": request.remote_addr,
                    "user_id": current_user.get_id() if current_user.is_authenticated else None,
                },
            )
        return response
