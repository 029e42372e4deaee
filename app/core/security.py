"""Response headers and the security log."""

import logging

from flask import Flask, Response, request
from flask_login import current_user

security_log = logging.getLogger("gongfu.security")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class NoNewlinesFilter(logging.Filter):
    """Escape CR and LF in log arguments so user input cannot forge log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_escape(arg) for arg in args)
        record.msg = _escape(record.msg)
        return True


def _escape(value):
    if isinstance(value, str):
        return value.replace("\r", "\\r").replace("\n", "\\n")
    return value


def is_cross_site() -> bool:
    """The browser says that another site sent this request: Sec-Fetch-Site, else Origin (which
    browsers send with every POST). A request with neither came from no browser page."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def init_security(app: Flask) -> None:
    security_log.addFilter(NoNewlinesFilter())
    security_log.setLevel(logging.INFO)
    # With LOG_FORMAT=json the root logger's JSON handler writes these lines (app/ops/request_log.py).
    if not security_log.handlers and not app.testing and app.config.get("LOG_FORMAT") != "json":
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s security: %(message)s"))
        security_log.addHandler(handler)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SECURITY_HSTS"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user.is_authenticated and request.endpoint != "static" and not response.cache_control.no_store:
            # What a signed-in visitor sees (pages, exports, files) may be theirs alone: no browser
            # or proxy keeps it. Anonymous visitors see public pages, which caches may keep.
            headers["Cache-Control"] = "private, no-store"
        return response
