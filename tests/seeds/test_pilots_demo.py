"""The demo pilot calls: a past call's selection published and counted once, this year's call open."""

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.pilots import services
from app.pilots.models import CallStatus, PilotCall
from app.stats.models import Enablement
from seeds.demo import seed_demo
from seeds.ledger_demo import seed_ledger
from seeds.pilots_demo import SELECTED, seed_pilots


def test_demo_pilot_calls(app, client):
    seed_demo()
    seed_ledger(rows=20)
    today = date(2026, 11, 29)
    assert seed_pilots(today) == 2
    db.session.commit()
    closed, current = db.session.scalars(select(PilotCall).order_by(PilotCall.year)).all()
    assert (closed.year, closed.status, closed.published_on) == (2024, CallStatus.PUBLISHED, date(2024, 11, 25))
    assert len(services.listed(closed)) == SELECTED < len(closed.applications)
    assert all(r.judges == 2 for _a, r in services.ranking(closed))
    rows = db.session.scalar(select(func.count(Enablement.id)).where(Enablement.source_type == "pilot_application"))
    assert rows == SELECTED
    assert services.selected_count(closed.kind, date(2022, 1, 1), date(2024, 12, 31)) == SELECTED
    assert current.year == 2026 and services.accepting(current, today)
    page = client.get("/pilots/").get_data(as_text=True)
    assert closed.title in page and current.title in page and services.listed(closed)[0].project_name in page
    assert seed_pilots(today) == 0
