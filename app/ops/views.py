"""The probes a process supervisor or load balancer asks: `/healthz` (the process answers; touches
nothing) and `/readyz` (it can serve pages: database, search index, cache)."""

from flask import Blueprint, Response, jsonify

from app.ops.health import FAILED, readiness

bp = Blueprint("ops", __name__)


def _uncached(response: Response) -> Response:
    """A cache may keep a probe's answer but must ask again before each use."""
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/healthz")
def healthz():
    return _uncached(jsonify(status="ok"))


@bp.route("/readyz")
def readyz():
    checks = readiness()
    failed = [name for name, state in checks.items() if state == FAILED]
    response = jsonify(status="unavailable" if failed else "ready", checks=checks, failed=failed)
    response.status_code = 503 if failed else 200
    return _uncached(response)
