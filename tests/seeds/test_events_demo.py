"""The demo events: one open for registration, one past with check-ins counted once."""

from sqlalchemy import func, select

from app.events.agenda import meetings_of
from app.events.models import Event, MeetingOutcome, OutcomeKind, Registration
from app.events.outcomes import report
from app.events.services import registration_open
from app.extensions import db
from app.stats.models import Enablement, EnablementKind
from seeds.demo import seed_demo
from seeds.events_demo import PAST, UPCOMING, seed_events
from seeds.ledger_demo import seed_ledger


def test_demo_events(app):
    seed_demo()
    seed_ledger(rows=20)
    assert seed_events() == 2
    db.session.commit()
    upcoming = db.session.scalars(select(Event).where(Event.title == UPCOMING)).one()
    past = db.session.scalars(select(Event).where(Event.title == PAST)).one()
    assert registration_open(upcoming) and not registration_open(past)
    assert len(upcoming.slots) == 19 and len(upcoming.tables) == 20  # 09:00–17:00 less 12:00–13:30, 20 minutes
    checked_in = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == past.id, Registration.checked_in_at.is_not(None)
        )
    )
    rows = db.session.scalar(
        select(func.count(Enablement.id))
        .join(EnablementKind)
        .where(EnablementKind.code == "event", Enablement.source_type == "event", Enablement.source_id == str(past.id))
    )
    assert 0 < checked_in == rows
    assert past.schedule_published_at is not None and meetings_of(past)
    assert report(past).held > 0 and report(upcoming).requests == 25
    deals = db.session.scalar(
        select(func.count(Enablement.id))
        .join(EnablementKind)
        .where(EnablementKind.code == "deal", Enablement.source_type == "event-meeting")
    )
    assert deals == len(
        {o.meeting_id for o in db.session.scalars(select(MeetingOutcome)) if o.kind == OutcomeKind.DEAL}
    )
    assert seed_events() == 0
