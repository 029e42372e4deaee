"""The public events calendar: a month as weeks of days, each day with the events that run on it,
in the portal's time zone (an event over several days shows on each of them)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import to_user_timezone, to_utc
from sqlalchemy import select

from app.events.models import Event, EventStatus
from app.extensions import db


@dataclass(frozen=True)
class Day:
    date: date
    in_month: bool
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Day]]
    next_event: Event | None  # the first public event after this month (a pointer for an empty one)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=31)).replace(day=1)

    @property
    def busy_days(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.in_month and day.events]


def parse_month(text: str, today: date) -> date:
    """The first day of the month written as YYYY-MM; today's month for anything else."""
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return first if 1900 <= first.year <= 2999 else today.replace(day=1)


def month_of(first: date) -> Month:
    dates = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    start = to_utc(datetime.combine(dates[0][0], time.min))
    end = to_utc(datetime.combine(dates[-1][-1] + timedelta(days=1), time.min))
    by_day: dict[date, list[Event]] = {}
    for event in db.session.scalars(
        select(Event)
        .where(Event.status != EventStatus.DRAFT, Event.starts_at < end, Event.ends_at >= start)
        .order_by(Event.starts_at, Event.id)
    ):
        day, last = to_user_timezone(event.starts_at).date(), to_user_timezone(event.ends_at).date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    after = to_utc(datetime.combine((first + timedelta(days=31)).replace(day=1), time.min))
    next_event = db.session.scalars(
        select(Event)
        .where(Event.status != EventStatus.DRAFT, Event.starts_at >= after)
        .order_by(Event.starts_at, Event.id)
        .limit(1)
    ).first()
    return Month(
        first, [[Day(d, d.month == first.month, tuple(by_day.get(d, ()))) for d in week] for week in dates], next_event
    )
