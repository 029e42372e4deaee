"""`flask backup create` and `flask backup restore` (app/ops/backup.py): back up, wipe, restore,
compare. On the committing app, since a backup reads what was really committed; on SQLite, and on
PostgreSQL when TEST_DATABASE_URL points at a server (pg_dump and pg_restore must be installed)."""

import shutil
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.needs.models import Need
from app.ops.backup import table_counts
from app.search import current_engine, document_types, search
from app.solutions.models import SolutionAttachment
from tests.database import empty_all_tables

pytestmark = pytest.mark.real_commits
SEARCH_TABLES = {"search_documents", "search_index_state"}


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _snapshot(app) -> dict:
    """What the comparison looks at: every table's row count (but the PostgreSQL search backend's,
    which the restore rebuilds as it rebuilds a Whoosh index), a few tables' content, the files."""
    db.session.remove()
    return {
        "counts": {name: n for name, n in table_counts().items() if name not in SEARCH_TABLES},
        "users": db.session.execute(select(User.id, User.email, User.display_name, User.password_hash)).all(),
        "needs": db.session.execute(select(Need.id, Need.title, Need.description, Need.status)).all(),
        "attachments": db.session.execute(select(SolutionAttachment.id, SolutionAttachment.stored_name)).all(),
        "files": _files(Path(app.config["STORED_FILES_DIR"])),
    }


@pytest.fixture
def portal(app, make_user, make_org, make_need, make_solution, make_attachment):
    """Committed data of several kinds, with uploaded files."""
    owner = make_user(name="备份测试企业主")
    enterprise = make_org(owner=owner, verified=True)
    make_need(enterprise, owner, title="备份前的需求：产线数字孪生")
    provider_owner = make_user()
    provider = make_org(owner=provider_owner, verified=True)
    solution = make_solution(provider, provider_owner)
    make_attachment(solution, provider_owner)
    make_attachment(solution, provider_owner, filename="第二份材料.pdf")
    db.session.commit()
    return app


def test_a_backup_restores_the_database_and_the_files_after_a_wipe(portal, tmp_path):
    app = portal
    before = _snapshot(app)
    assert before["files"] and before["needs"] and before["attachments"]

    archive = tmp_path / "backups" / "gongfu.tar.gz"
    created = _cli(app, "backup", "create", str(archive))
    assert created.exit_code == 0, created.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # password hashes and private files inside

    empty_all_tables()
    shutil.rmtree(app.config["STORED_FILES_DIR"])
    app.extensions["search"].close()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)  # none with PostgreSQL's backend
    assert _snapshot(app)["needs"] == []

    restored = _cli(app, "backup", "restore", "--yes", str(archive))
    assert restored.exit_code == 0, restored.output
    assert _snapshot(app) == before
    engine = current_engine()
    assert all(engine.status(doc_type.name).healthy for doc_type in document_types())  # rebuilt by the restore
    assert search("need", "数字孪生").ids == [before["needs"][0].id]


def test_a_restore_undoes_changes_made_after_the_backup(portal, tmp_path, make_user):
    app = portal
    before = _snapshot(app)
    archive = tmp_path / "gongfu.tar.gz"
    assert _cli(app, "backup", "create", str(archive)).exit_code == 0
    make_user(email="later@example.com")
    (Path(app.config["STORED_FILES_DIR"]) / "later.txt").write_text("written after the backup")

    assert _cli(app, "backup", "restore", "--yes", str(archive)).exit_code == 0
    assert _snapshot(app) == before


def test_restore_refuses_an_archive_that_is_not_a_backup_and_changes_nothing(portal, tmp_path):
    app = portal
    before = _snapshot(app)
    stranger = tmp_path / "other.tar.gz"
    (tmp_path / "notes.txt").write_text("not a backup")
    with tarfile.open(stranger, "w:gz") as archive:
        archive.add(tmp_path / "notes.txt", "notes.txt")

    result = _cli(app, "backup", "restore", "--yes", str(stranger))
    assert result.exit_code == 1
    assert "not a Gongfu Hub backup" in result.output
    assert _snapshot(app) == before


def test_restore_refuses_an_archive_that_writes_outside_its_folder_or_is_no_archive(portal, tmp_path):
    app = portal
    archive = tmp_path / "gongfu.tar.gz"
    assert _cli(app, "backup", "create", str(archive)).exit_code == 0
    before = _snapshot(app)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as good, tarfile.open(evil, "w:gz") as bad:
        for member in good.getmembers():
            bad.addfile(member, good.extractfile(member))
        payload = tmp_path / "payload.txt"
        payload.write_text("outside")
        bad.add(payload, "../../escaped.txt")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive at all")

    for path in (evil, garbage):
        result = _cli(app, "backup", "restore", "--yes", str(path))
        assert result.exit_code == 1, result.output
        assert "not a Gongfu Hub backup" in result.output
    assert not list(tmp_path.parent.rglob("escaped.txt"))
    assert _snapshot(app) == before


def test_create_without_a_path_writes_to_the_backup_folder_and_keeps_the_newest(portal, tmp_path):
    app = portal
    folder = tmp_path / "kept"
    app.config["BACKUP_DIR"] = str(folder)
    folder.mkdir()
    old = [folder / f"gongfu-2020010{day}T000000Z.tar.gz" for day in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"")

    result = _cli(app, "backup", "create", "--keep", "2")
    assert result.exit_code == 0, result.output
    remaining = sorted(folder.iterdir())
    assert len(remaining) == 2
    assert remaining[0] == old[-1]
    assert remaining[1].name.startswith("gongfu-2") and remaining[1] not in old


def test_without_pg_dump_a_postgresql_backup_says_what_to_install(portal, tmp_path, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite needs no program: its backup API is in Python")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _cli(portal, "backup", "create", str(tmp_path / "gongfu.tar.gz"))
    assert result.exit_code == 1
    assert "pg_dump is not installed" in result.output
    assert not list(tmp_path.glob("*.tar.gz"))
