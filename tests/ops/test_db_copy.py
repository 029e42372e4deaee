"""`flask db-copy`: a one-machine installation's SQLite database, with members, organizations and
listings, copied into the configured database (PostgreSQL when TEST_DATABASE_URL names one) holds
the same rows, and the ids the target hands out next follow the copied ones."""

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.ops.backup import table_counts
from tests.database import _migrate
from tests.factories import Factories

pytestmark = pytest.mark.real_commits


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> tuple[str, dict[str, int]]:
    """A migrated SQLite database with reference data and some members' work; its URL and counts."""
    url = f"sqlite:///{tmp_path_factory.mktemp('installation') / 'gongfu.db'}"
    _migrate(url)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        made = Factories(app)
        for _ in range(3):
            owner = made.user()
            org = made.org(owner=owner, verified=True)
            made.need(org, owner)
        counts = table_counts()
        db.session.remove()
        db.engine.dispose()
    return url, counts


def test_every_row_is_copied_and_new_ids_follow(app, installation, make_user):
    url, counts = installation
    make_user(email="replaced@example.com")  # what the target held is replaced

    result = app.test_cli_runner().invoke(args=["db-copy", url, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert table_counts() == counts
    assert counts["users"] == 3 and counts["needs"] == 3
    assert db.session.scalar(select(User).where(User.email == "replaced@example.com")) is None

    newest = max(db.session.scalars(select(User.id)))
    assert make_user(email="after-copy@example.com").id > newest


def test_a_source_at_another_migration_is_refused(app, installation):
    url, _ = installation
    engine = db.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'elsewhere'")
    engine.dispose()
    before = table_counts()

    result = app.test_cli_runner().invoke(args=["db-copy", url, "--yes"])
    assert result.exit_code == 1 and "elsewhere" in result.output and "flask db upgrade" in result.output
    assert table_counts() == before
