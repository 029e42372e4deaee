"""The demo data looks like a running portal: nothing has happened yet that lies in the future,
and most organizations are verified."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Date, DateTime, func, select

from app.accounts.models import Organization
from app.core.models import utcnow
from app.extensions import db

#: Columns that plan ahead (an event's programme, a deadline, an expiry): the future is their point.
SCHEDULED = {
    "needs.expires_at",
    "needs.deadline_on",
    "needs.starts_on",
    "events.starts_at",
    "events.ends_at",
    "events.registration_opens_at",
    "events.registration_closes_at",
    "event_slots.starts_at",
    "event_slots.ends_at",
    "pilot_calls.deadline",
    "pilot_calls.notice_ends_on",
    "incubation_milestones.due_on",
    "plans.starts_on",
    "plans.ends_on",
}


@pytest.fixture(scope="module")
def demo(rolled_back):
    """`flask seed demo`, once for the module's tests (which only read, in its app context)."""
    with rolled_back.level() as app:
        result = app.test_cli_runner().invoke(args=["seed", "demo", "--ledger-rows", "50"])
        assert result.exit_code == 0, result.output
        yield


def test_nothing_that_happened_lies_in_the_future(demo):
    now = utcnow() + timedelta(minutes=1)
    future = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if name in SCHEDULED or not isinstance(column.type, Date | DateTime):
                continue
            bound: date | datetime = now if isinstance(column.type, DateTime) else now.date()
            count = db.session.scalar(select(func.count()).select_from(table).where(column > bound))
            if count:
                future[name] = count
    assert future == {}


def test_most_demo_organizations_are_verified(demo):
    total, verified = db.session.execute(
        select(func.count(Organization.id), func.count(Organization.verified_at))
    ).one()
    assert total > 200 and verified >= 0.8 * total
    # enterprise2's firm stays unverified, to show what an unverified organization looks like
    assert (
        db.session.scalar(select(Organization).where(Organization.name == "青岛蓝湾食品股份有限公司")).verified_at
        is None
    )
