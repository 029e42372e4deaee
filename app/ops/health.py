"""The readiness checks: can this process serve pages now? Each check answers OK, FAILED or (for
an optional part) NOT_CONFIGURED; a failure's cause is logged, never shown to the caller."""

import logging
import uuid
from collections.abc import Callable
from functools import cache

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from app.extensions import db
from app.search import current_engine, document_types

OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not configured"

log = logging.getLogger(__name__)


def check_database() -> str:
    db.session.execute(text("SELECT 1"))
    return OK


@cache
def _migration_heads(directory: str) -> frozenset[str]:
    return frozenset(ScriptDirectory(directory).get_heads())


def check_migrations() -> str:
    """The database is at the migration the code expects (`flask db upgrade` was run)."""
    applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    expected = _migration_heads(current_app.extensions["migrate"].directory)
    if applied != expected:
        log.warning("database at migration %s, the code expects %s", sorted(applied), sorted(expected))
        return FAILED
    return OK


def check_search_index() -> str:
    """Every document type's index is there and current (a missing or stale one is rebuilt on
    first use, which takes a worker minutes on the full scenario list)."""
    engine = current_engine()
    return OK if all(engine.is_built(doc_type.name) for doc_type in document_types()) else FAILED


def check_cache() -> str:
    """Each Flask-Caching cache of the app stores and returns a value (NullCache is no cache)."""
    backends = [
        backend for backend in current_app.extensions.get("cache", {}).values() if type(backend).__name__ != "NullCache"
    ]
    if not backends:
        return NOT_CONFIGURED
    for backend in backends:
        key = f"readyz-{uuid.uuid4().hex}"
        backend.set(key, key, timeout=10)
        stored = backend.get(key)
        backend.delete(key)
        if stored != key:
            return FAILED
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "search_index": check_search_index,
    "cache": check_cache,
}


def readiness() -> dict[str, str]:
    """Each check's answer by name; an exception is a failure."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            log.warning("readiness check %s failed: %s", name, error)
            results[name] = FAILED
    return results
