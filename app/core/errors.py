"""Error pages in the visitor's language, and the security log of refusals."""

import logging

from flask import Flask, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError

security_log = logging.getLogger("gongfu.security")


def _user_id() -> str:
    return str(current_user.get_id() and current_user.id) if current_user.is_authenticated else "anonymous"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        security_log.warning("csrf refused: user=%s path=%s reason=%s", _user_id(), request.path, error.description)
        return render_template("errors/400.html", csrf=True), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host outside TRUSTED_HOSTS is refused before routing, so our pages cannot build links: werkzeug's plain 400.
        security_log.warning("host refused: host=%r path=%s", request.headers.get("Host"), request.path)
        return error.get_response()

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("errors/400.html", csrf=False), 400

    @app.errorhandler(403)
    def forbidden(error):
        security_log.warning("forbidden: user=%s method=%s path=%s", _user_id(), request.method, request.path)
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(409)
    def conflict(error):
        return render_template("errors/409.html"), 409

    @app.errorhandler(410)
    def gone(error):
        return render_template("errors/404.html"), 410

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many_requests(error):
        security_log.warning("rate limited: path=%s", request.path)
        limited = isinstance(error, RateLimitExceeded) and error.limit.error_message
        return render_template("errors/429.html", message=error.description if limited else None), 429

    @app.errorhandler(500)
    def server_error(error):
        from app.extensions import db

        db.session.rollback()
        return render_template("errors/500.html"), 500
