"""The version of the public data: a token that changes in the same transaction as any change to
what anonymous pages show, so that what the cache keeps under it is never stale.

- The token is one row in the database, written with the change and committed or rolled back
  with it: every process (web workers, cron jobs, the CLI) and every restart sees the same token,
  and a database restored from a backup brings back the token of the data it holds.
- It is a random value, not a counter: a rolled-back change or a restored backup never brings
  back a token that stood for other data.
- Session hooks replace it whenever a flush writes, or an INSERT, UPDATE or DELETE statement run
  through the session targets, a table of a model that is not `PrivateData` (at each flush, not
  once per transaction: the tests' sessions share one connection and see flushed changes).
  Writes around the session (a raw connection) are not seen; the cache's timeout bounds them.

`cached(name, compute, *key)` keeps a value computed from the database (an aggregate, a list of
ids) in the cache under the current token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from itertools import chain
from typing import TypeVar

from flask import current_app, g, has_app_context, has_request_context
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from app.core.models import local_today
from app.extensions import Base, Model, cache, db

TOKEN_KEY = "data_version.token"
#: Where a kept fragment had the CSRF token of the visitor it was rendered for.
TOKEN_HOLE = "\x1ecsrf_token\x1e"
VERSION_KEY = "data_version"
T = TypeVar("T")
_installed = False


class PrivateData:
    """A model whose rows no anonymous page shows (accounts, messages, mail, the audit log): its
    changes keep the public pages' cache."""


class DataVersion(Model):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


_READ_TOKEN = select(DataVersion.__table__.c.token).where(DataVersion.__table__.c.id == 1)


def new_token() -> str:
    return secrets.token_hex(8)


def current() -> str:
    """The committed token; in a request, the one read first, so that everything the request
    keeps under it was read after it (never older data under a newer token).

    The cache holds a copy, which the process that commits a new token replaces right after its
    commit: reading the copy costs a tenth of a query on every page. The copy lives DATA_VERSION_TTL
    seconds, so that a token the cache never heard of (a writer that died between its commit and
    telling the cache, a restored backup) is read from the database that soon."""
    if has_request_context() and "data_version" in g:
        return g.data_version
    ttl = current_app.config["DATA_VERSION_TTL"]
    token = cache.get(VERSION_KEY) if ttl else None
    if token is None:
        token = db.session.connection().execute(_READ_TOKEN).scalar() or "none"
        # Never over a token committed meanwhile; FileSystemCache's add also refuses over an expired copy.
        if ttl and not cache.add(VERSION_KEY, token, timeout=ttl) and not cache.has(VERSION_KEY):
            cache.set(VERSION_KEY, token, timeout=ttl)
    if has_request_context():
        g.data_version = token
    return token


def cached(name: str, compute: Callable[[], T], *key: object) -> T:
    """`compute()`'s value, kept under the release, the portal's date, the data version, `name` and
    `key` (plain data only: it is pickled)."""
    release, today = current_app.config.get("RELEASE", ""), local_today().isoformat()
    cache_key = f"data:{release}:{today}:{current()}:{name}:{':'.join(map(str, key))}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value)
    return value


def cached_fragment(name: str, render: Callable[[], str], *key: object) -> Markup:
    """A part of a page rendered from our own template (escaped as it was rendered), kept like
    `cached` values: the page around it, with the visitor's name, is rendered anew. A form in the
    part carries the CSRF token of whoever it is shown to: it is kept as a placeholder."""
    return _with_token(cached(name, lambda: _without_token(render()), *key))


def cached_fragments(name: str, render: Callable[[], dict[str, str]], *key: object) -> dict[str, Markup]:
    """Several parts of one page, kept together as `cached_fragment` keeps one."""
    kept = cached(name, lambda: {part: _without_token(html) for part, html in render().items()}, *key)
    return {part: _with_token(html) for part, html in kept.items()}


def _without_token(html: str) -> str:
    # Flask-WTF keeps the request's token in g under the field's name once a form or template asked for it.
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return html.replace(token, TOKEN_HOLE) if token else html


def _with_token(html: str) -> Markup:
    return Markup(html.replace(TOKEN_HOLE, generate_csrf()) if TOKEN_HOLE in html else html)


def install_session_hooks() -> None:
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as FlaskSession

    event.listen(FlaskSession, "after_flush", _after_flush)
    event.listen(FlaskSession, "do_orm_execute", _after_statement)
    event.listen(FlaskSession, "after_commit", _after_commit)
    event.listen(FlaskSession, "after_rollback", _after_rollback)
    _installed = True


def _public(model: type | None) -> bool:
    return model is not DataVersion and not (isinstance(model, type) and issubclass(model, PrivateData))


def _after_flush(session: Session, flush_context) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if _public(type(obj)) and (obj not in session.dirty or session.is_modified(obj)):
            _bump(session)
            return


def _after_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.bind_mapper is not None:  # update(Model): its table is an annotated copy, not the table
        mappers = [state.bind_mapper]
    else:
        table = getattr(state.statement, "table", None)
        mappers = [m for m in Base.registry.mappers if table is not None and m.local_table is table]
    if not mappers or any(_public(m.class_) for m in mappers):
        _bump(state.session)


def _bump(session: Session) -> None:
    """A new token, written in the transaction of the change (on its connection: no flush)."""
    token = session.info[TOKEN_KEY] = new_token()
    connection = session.connection()
    if not connection.execute(update(DataVersion).where(DataVersion.id == 1).values(token=token)).rowcount:
        connection.execute(insert(DataVersion).values(id=1, token=token))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    token = session.info.pop(TOKEN_KEY, None)
    if token is not None and has_app_context() and current_app.config["DATA_VERSION_TTL"]:
        cache.set(VERSION_KEY, token, timeout=current_app.config["DATA_VERSION_TTL"])


def _after_rollback(session: Session) -> None:
    # After a rolled-back SAVEPOINT the last token may be gone from the database: the cache is told it
    # all the same at the commit, a token that no kept page is under.
    if not session.in_nested_transaction():
        session.info.pop(TOKEN_KEY, None)
