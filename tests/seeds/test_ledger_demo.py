"""The demo ledger: a labelled, deterministic year across districts, industries and kinds."""

from datetime import date, timedelta

from app.accounts.models import Organization
from app.extensions import db
from app.stats import services
from app.stats.models import Enablement
from seeds.ledger_demo import DEMO_SUFFIX, seed_ledger


def test_the_demo_ledger_covers_a_year_and_is_labelled(app):
    today = date(2026, 11, 29)
    counted = seed_ledger(today=today, rows=600)
    db.session.commit()
    rows = db.session.scalars(db.select(Enablement)).all()
    assert counted == services.firm_times(services.Filters()) > 500
    assert all(row.demo and row.source_type == "demo" for row in rows)
    assert all(org.name.endswith(DEMO_SUFFIX) for org in db.session.scalars(db.select(Organization)))
    # The plan (2022-2024) is over: the year is its last one, so its indicators count the rows.
    assert min(r.occurred_on for r in rows) >= date(2024, 12, 31) - timedelta(days=364)
    assert max(r.occurred_on for r in rows) <= date(2024, 12, 31)
    board = services.dashboard(services.Filters())
    assert len(board.months) == 12
    assert len(board.kinds) == 8 and len(board.districts) >= 8 and len(board.industries) == 8
    assert any(row.delta == -1 for row in rows)
    assert seed_ledger(today=today, rows=600) == 0  # idempotent
    assert db.session.scalar(db.select(db.func.count()).select_from(Enablement)) == len(rows)
