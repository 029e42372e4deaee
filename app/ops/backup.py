"""Backups: the database and the uploaded files in one .tar.gz archive, and their restore.

The archive holds `manifest.json` (when, which database, the migration, each table's row count),
the database (`database.sqlite3`, a copy made with SQLite's online backup API, or `database.pgdump`,
PostgreSQL's custom format made by `pg_dump`) and `files/`, the STORED_FILES_DIR. The search index
is left out: a restore rebuilds it from the database.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from app.extensions import db
from app.search import current_engine, document_types

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    dialect: str
    revision: str | None
    tables: dict[str, int]
    files: int

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.dialect]


def default_archive_name() -> str:
    return f"gongfu-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def _dialect() -> str:
    dialect = db.engine.dialect.name
    if dialect not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {dialect}")
    return dialect


def table_counts() -> dict[str, int]:
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        db.session.rollback()
        return None


def _files_dir() -> Path:
    return Path(current_app.config["STORED_FILES_DIR"])


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _postgres_command(program: str) -> tuple[str, str, dict[str, str]]:
    """The program's path, a libpq URL of the database without its password, and an environment
    that carries the password (so that it is not on a command line other users can read)."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed: install the PostgreSQL client tools of the server's major version "
            "(Debian: apt-get install postgresql-client)"
        )
    url: URL = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return path, libpq, env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(dialect: str, target: Path) -> None:
    if dialect == "sqlite":
        _sqlite_path()
        with db.engine.connect() as connection, closing(sqlite3.connect(target)) as copy:
            live = connection.connection.driver_connection
            assert isinstance(live, sqlite3.Connection)
            live.backup(copy)
    else:
        pg_dump, libpq, env = _postgres_command("pg_dump")
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", libpq], env)


def _load_database(dialect: str, source: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        with closing(sqlite3.connect(source)) as copy, closing(sqlite3.connect(_sqlite_path())) as live:
            copy.backup(live)
    else:
        pg_restore, libpq, env = _postgres_command("pg_restore")
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={libpq}",
                str(source),
            ],
            env,
        )


@contextmanager
def _private_file(path: Path) -> Iterator[Path]:
    """A file only its owner can read (it holds password hashes and private files), written
    beside `path` and moved there once complete."""
    partial = path.with_name(f".{path.name}.part")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def create_backup(path: Path) -> Manifest:
    """Write the archive at `path`."""
    dialect = _dialect()
    files = _files_dir()
    stored = [p for p in files.rglob("*") if p.is_file()] if files.is_dir() else []
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        dialect=dialect,
        revision=_revision(),
        tables=table_counts(),
        files=len(stored),
    )
    db.session.rollback()  # the counts' transaction is not kept open while the dump runs
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        dump = Path(scratch) / manifest.database_file
        _dump_database(dialect, dump)
        listing = Path(scratch) / MANIFEST
        listing.write_text(json.dumps(manifest.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")
        with _private_file(path) as partial, tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(listing, MANIFEST)
            archive.add(dump, manifest.database_file)
            for stored_file in stored:
                archive.add(stored_file, f"{FILES}/{stored_file.relative_to(files).as_posix()}")
    return manifest


def _open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"not a Gongfu Hub backup: {error}") from error


def _read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST)
        data = json.loads(member.read().decode("utf-8")) if member else None
        manifest = Manifest(**data) if isinstance(data, dict) else None
    except (KeyError, TypeError, ValueError):
        manifest = None
    if manifest is None or manifest.dialect not in DATABASE_FILES:
        raise BackupError("not a Gongfu Hub backup: its manifest.json is missing or unreadable")
    return manifest


def _replace_files(source: Path) -> None:
    """Put the archive's files in place of the current ones, each folder swapped by a rename."""
    files = _files_dir()
    files.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".restoring-", dir=files.parent))
    outgoing = files.with_name(f".{files.name}.replaced")
    try:
        if source.is_dir():
            shutil.copytree(source, incoming, dirs_exist_ok=True)
        shutil.rmtree(outgoing, ignore_errors=True)
        if files.exists():
            files.rename(outgoing)
        incoming.rename(files)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
        shutil.rmtree(outgoing, ignore_errors=True)


def restore_backup(path: Path) -> Manifest:
    """Replace the database and the files with the archive's, then rebuild the search index.
    Stop the web processes and the jobs first: they would write to what is being replaced."""
    dialect = _dialect()
    with _open_archive(path) as archive, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(archive)
        if manifest.dialect != dialect:
            raise BackupError(f"the backup is of a {manifest.dialect} database; this portal uses {dialect}")
        try:
            # The "data" filter refuses members that would land outside the folder, links and devices.
            archive.extractall(scratch, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(f"not a Gongfu Hub backup: {error}") from error
        dump = Path(scratch) / manifest.database_file
        if not dump.is_file():
            raise BackupError(f"the backup has no {manifest.database_file}")
        _load_database(dialect, dump)
        _replace_files(Path(scratch) / FILES)
    counts = table_counts()
    differing = sorted(name for name, count in manifest.tables.items() if name in counts and counts[name] != count)
    if differing:
        raise BackupError(f"restored, but these tables' row counts differ from the backup's: {', '.join(differing)}")
    engine = current_engine()
    for doc_type in document_types():
        engine.rebuild(doc_type.name)
    return manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives that `default_archive_name` named in `folder`."""
    archives = sorted(folder.glob("gongfu-*.tar.gz"))
    doomed = archives[:-keep] if keep > 0 else archives
    for archive in doomed:
        archive.unlink()
    return doomed
