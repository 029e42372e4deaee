"""`flask db-copy SOURCE_URL`: every row of another database (the SQLite file of a one-machine
installation) into the configured one (the PostgreSQL server the portal moves to).

The target is first migrated by `flask db upgrade` and must be at the source's migration: both
then have the same tables. The copy replaces whatever the target holds, in one transaction,
table by table in the order their foreign keys need, then moves PostgreSQL's id sequences past
the copied ids and checks that each table holds as many rows as the source's. The search index
and the uploaded files are not in it: `flask search rebuild` and a copy of STORED_FILES_DIR
follow (README, More than one machine).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, Table, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from app.extensions import db

BATCH = 2000


class CopyError(Exception):
    """A copy that cannot be made; the target was not changed."""


@dataclass(frozen=True)
class Copied:
    revision: str
    tables: dict[str, int]


def _revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        connection.rollback()
        return None


def _rows(source: Connection, table: Table) -> Iterator[list[dict]]:
    result = source.execute(select(table).order_by(*table.primary_key.columns)).mappings()
    while batch := result.fetchmany(BATCH):
        yield [dict(row) for row in batch]


def _empty(target: Connection, tables: list[Table]) -> None:
    if target.dialect.name == "postgresql":
        target.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            target.execute(table.delete())


def _move_sequences(target: Connection, tables: list[Table]) -> None:
    """Ids the target hands out next come after the copied ones (SQLite needs nothing: it takes the
    largest id + 1)."""
    if target.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                target.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"coalesce(max({column.name}), 1), max({column.name}) IS NOT NULL) FROM {table.name}"
                    )
                )


def _count(connection: Connection, table: Table) -> int:
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def copy_database(source_url: str) -> Copied:
    """Replace every row of the configured database with the source's; the per-table counts."""
    try:
        source_engine = create_engine(make_url(source_url))
    except ArgumentError as error:
        raise CopyError(f"not a database URL: {source_url!r}") from error
    target_engine = db.engine
    if source_engine.url.render_as_string(hide_password=False) == target_engine.url.render_as_string(
        hide_password=False
    ):
        raise CopyError("the source is the configured database itself")
    tables = list(db.metadata.sorted_tables)
    db.session.remove()
    try:
        with source_engine.connect() as source, target_engine.connect() as target:
            source_revision, target_revision = _revision(source), _revision(target)
            if source_revision is None:
                raise CopyError("the source has no migration: is it a Gongfu Hub database?")
            if source_revision != target_revision:
                raise CopyError(
                    f"the source is at migration {source_revision}, the target at {target_revision}: "
                    "run `flask db upgrade` on both first"
                )
            target.rollback()  # the revision's read; the copy is one transaction of its own
            with target.begin():
                _empty(target, tables)
                for table in tables:
                    for batch in _rows(source, table):
                        target.execute(insert(table), batch)
                _move_sequences(target, tables)
                copied = {table.name: _count(target, table) for table in tables}
                expected = {table.name: _count(source, table) for table in tables}
                if copied != expected:
                    wrong = ", ".join(f"{n}: {copied[n]} of {expected[n]}" for n in copied if copied[n] != expected[n])
                    raise CopyError(f"row counts differ after the copy ({wrong}); nothing was kept")
    finally:
        source_engine.dispose()
    return Copied(revision=source_revision, tables=copied)
