"""The test databases of one pytest process (one xdist worker), and the transactions that keep
each test's changes to itself.

Every process gets two databases of its own, migrated and loaded with the reference data once:

- the *rolled-back* database, which the app of most tests is bound to through one connection held
  open for the whole run: every test (and every module-wide fixture, such as the shared world)
  runs inside a SAVEPOINT on that connection that is rolled back afterwards, and every session the
  app opens joins it with a SAVEPOINT of its own, so that `commit()` in the code under test only
  releases that inner SAVEPOINT;
- the *committing* database, for the few tests that need real commits seen from another
  connection, thread or process (browser tests behind a live server, forked index writers):
  emptied and loaded with the reference data again after each of them.

On SQLite both are files in the worker's temporary folder; with TEST_DATABASE_URL pointing at a
PostgreSQL server, both are databases created on it, named after the URL's database and the worker.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url

from app import create_app
from app.catalog.services import load_taxonomy
from app.extensions import db
from app.incubation.services import load_tracks
from app.stats.indicators import load_kinds, load_plan

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@event.listens_for(Engine, "connect")
def _fast_sqlite(dbapi_connection, connection_record):
    """The test database is thrown away: SQLite need not wait for the disk on each commit."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def _seed(name: str):
    return json.loads((SEEDS / name).read_text(encoding="utf-8"))


def load_reference_data() -> None:
    """The taxonomy, enablement kinds, the plan and the incubation tracks, as `make run` loads them."""
    load_taxonomy(_seed("taxonomy.json"))
    load_kinds(_seed("enablement_kinds.json")["kinds"])
    load_plan(_seed("plan_targets.json"))
    load_tracks(_seed("programs.json"))
    db.session.commit()


def empty_all_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "")


class PostgresServer:
    """Creates and drops this process's databases on the server of TEST_DATABASE_URL."""

    def __init__(self, server_url: str):
        self.url = make_url(server_url)
        self.admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def name(self, suffix: str = "") -> str:
        return "_".join(part for part in (self.url.database, worker_name(), suffix) if part)

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        self.admin.dispose()


def prepare_databases(folder: Path) -> dict[str, str]:
    """Make this process's two databases, migrated and with the reference data; their URLs."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if server_url.startswith("postgresql"):
        server = PostgresServer(server_url)
        try:
            rolled_back = server.create(server.name())
            _migrate(rolled_back)
            committing = server.create(server.name("committing"), template=server.name())
        finally:
            server.close()
    else:
        rolled_back = f"sqlite:///{folder / 'test.db'}"
        _migrate(rolled_back)
        shutil.copyfile(folder / "test.db", folder / "committing.db")
        committing = f"sqlite:///{folder / 'committing.db'}"
    return {"rolled_back": rolled_back, "committing": committing}


def _migrate(url: str) -> None:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.remove()
        db.engine.dispose()


def bind_to_connection(app: Flask, connection: Connection) -> None:
    """Make every session of `app` run on `connection`, each inside a SAVEPOINT of its own (a
    session bound to an engine, the committing app's, is not affected by the join mode)."""
    # Flask-SQLAlchemy has no public way to swap an app's engine; db.engine is now the connection.
    db._app_engines[app][None] = connection
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")


class Savepoints:
    """A stack of SAVEPOINTs on the rolled-back database's one connection, under a transaction
    that is never committed."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite only opens a transaction before a write; a SAVEPOINT outside one would
            # start (and its RELEASE commit) a transaction of its own.
            connection.exec_driver_sql("BEGIN")

    @contextmanager
    def level(self) -> Iterator[None]:
        """Everything written inside is rolled back at the end."""
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            if savepoint.is_active:
                savepoint.rollback()

    def close(self) -> None:
        self.transaction.rollback()
        self.connection.close()
