"""The index follows the database: session events collect what a transaction changed, and
after the commit the engine re-reads those objects and writes them.

- `after_flush`: ids of objects of registered models that were added, changed (columns or
  collections, e.g. a scenario's domains) or deleted, and for a changed related object (a batch
  published or withdrawn) the `Related` rule's SELECT of the ids it affects (its scenarios);
  kept in the session's `info` until the transaction ends. No SQL is run in the transaction.
- `after_commit`: those SELECTs run in a session of their own, then the engine syncs the ids,
  reading their committed state in its own session.
- `after_rollback`: what was collected is dropped. Only committed data is ever indexed.
- SAVEPOINTs (`begin_nested`, which the ledger uses) fire both events too, inside the open
  transaction: the hooks ignore them and wait for the real commit or rollback.
- The PostgreSQL backend, whose index lives in the database, is written in `before_commit`
  instead, after a last flush, in the transaction of the change: the SELECTs and the writes
  run on the session's connection, and commit or roll back with the data.

Bulk `update()`/`delete()` statements load no objects: a service that uses them calls
`reindex_later(doc_type, ids)` (or relies on a `Related` rule of an object it changes).
The hooks are installed on Flask-SQLAlchemy's Session class once per process and do nothing
in an application without `init_search`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.search.documents import document_types

log = logging.getLogger("gongfu.search")

PENDING_KEY = "search.pending"
RELATED_KEY = "search.related"
_installed = False


def install_session_hooks() -> None:
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as FlaskSession

    event.listen(FlaskSession, "after_flush", _after_flush)
    event.listen(FlaskSession, "before_commit", _before_commit)
    event.listen(FlaskSession, "after_commit", _after_commit)
    event.listen(FlaskSession, "after_rollback", _after_rollback)
    _installed = True


def reindex_later(doc_type: str, ids: Iterable[int], session: Session | None = None) -> None:
    """Reindex these ids of a document type after the session's next commit (and not at all if
    it rolls back): for changes the hooks cannot see, such as bulk UPDATE statements."""
    if session is None:
        from app.extensions import db

        session = db.session()  # the request's session, the one db.session stands for
    _pending(session).setdefault(doc_type, set()).update(int(i) for i in ids)


def _pending(session: Session) -> dict[str, set[int]]:
    return session.info.setdefault(PENDING_KEY, {})


def _enabled() -> bool:
    return has_app_context() and "search" in current_app.extensions


def _changed(session: Session, obj, fields: tuple[str, ...] | None) -> bool:
    if obj in session.new or obj in session.deleted:
        return True
    if fields is None:
        return session.is_modified(obj)
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def _after_flush(session: Session, flush_context) -> None:
    if not _enabled():
        return
    types = document_types()
    if not types:
        return
    pending = _pending(session)
    related_stmts = session.info.setdefault(RELATED_KEY, {})
    for obj in chain(session.new, session.dirty, session.deleted):
        for doc_type in types:
            if isinstance(obj, doc_type.model) and _changed(session, obj, None):
                pending.setdefault(doc_type.name, set()).add(obj.id)
            for related in doc_type.related:
                # A new related object has no documents yet, except those added with it (seen above).
                if isinstance(obj, related.model) and obj not in session.new and _changed(session, obj, related.fields):
                    related_stmts.setdefault(doc_type.name, []).append(related.ids(obj))


def _before_commit(session: Session) -> None:
    from app.search import search_backend

    if session.in_nested_transaction() or not _enabled() or search_backend(current_app) != "postgres":
        return
    session.flush()  # the last changes, which the commit would flush after this hook
    pending = session.info.pop(PENDING_KEY, None) or {}
    related_stmts = session.info.pop(RELATED_KEY, None) or {}
    if not (pending or related_stmts):
        return
    engine = current_app.extensions["search"].engine()
    connection = session.connection()
    for name, statements in related_stmts.items():
        for stmt in statements:
            pending.setdefault(name, set()).update(connection.scalars(stmt))
    for name, ids in pending.items():
        if ids:
            engine.write(connection, name, ids)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released inside the transaction (e.g. the ledger's): nothing is committed yet
    pending = session.info.pop(PENDING_KEY, None) or {}
    related_stmts = session.info.pop(RELATED_KEY, None) or {}
    if not (pending or related_stmts) or not _enabled():
        return
    try:
        if related_stmts:
            from app.extensions import db

            with Session(db.engine) as reader:
                for name, statements in related_stmts.items():
                    for stmt in statements:
                        pending.setdefault(name, set()).update(reader.scalars(stmt))
        engine = current_app.extensions["search"].engine()
        for name, ids in pending.items():
            if ids:
                engine.sync(name, ids)  # never raises: failures are kept for the next write
    except Exception:
        log.exception("search: could not index the changes of a commit: %s", pending)


def _after_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT rolled back: the outer transaction and its changes go on
    session.info.pop(PENDING_KEY, None)
    session.info.pop(RELATED_KEY, None)
