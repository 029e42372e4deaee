"""Enablement figures: every number on the dashboard is one SQL aggregate over the ledger,
with the same filters, and reversal rows (delta -1) net out where their originals counted.

Firm-times (赋能企业家次) is the sum of deltas; firms served counts the firms whose rows net to
more than zero. A drill-down lists the rows behind a figure: their deltas sum to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask import g
from sqlalchemy import Select, and_, extract, func, select

from app.accounts.models import Organization
from app.core.bilingual import pick
from app.extensions import db
from app.stats.models import Enablement, EnablementKind
from app.taxonomy.models import District, Industry

TOP_PROVIDERS = 10

_follow_up_sources: list[Callable[[], Mapping[Any, int]]] = []


def register_follow_up_counts(source: Callable[[], Mapping[Any, int]]) -> None:
    """Inquiries hand in the count of their six-month follow-up answers (stats imports no inquiries)."""
    _follow_up_sources[:] = [source]


def follow_up_counts() -> Mapping[Any, int]:
    return _follow_up_sources[0]() if _follow_up_sources else {}


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; taxonomy by code, as in the query string."""

    start: date | None = None
    end: date | None = None
    district: str | None = None
    industry: str | None = None
    kind: str | None = None
    # Drill-down only: a month ("2026-05"), a provider's id, or rows without a district.
    month: str | None = None
    provider: int | None = None

    def conditions(self) -> list:
        conditions = []
        if self.start:
            conditions.append(Enablement.occurred_on >= self.start)
        if self.end:
            conditions.append(Enablement.occurred_on <= self.end)
        if self.district:
            conditions.append(
                Enablement.district_id == select(District.id).where(District.code == self.district).scalar_subquery()
            )
        if self.industry:
            conditions.append(
                Enablement.industry_id == select(Industry.id).where(Industry.code == self.industry).scalar_subquery()
            )
        if self.kind:
            conditions.append(
                Enablement.kind_id
                == select(EnablementKind.id).where(EnablementKind.code == self.kind).scalar_subquery()
            )
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            first = date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            conditions.append(and_(Enablement.occurred_on >= first, Enablement.occurred_on < following))
        if self.provider:
            conditions.append(Enablement.provider_id == self.provider)
        return conditions

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links to the drill-down and exports)."""
        args = {
            "from": self.start,
            "to": self.end,
            "district": self.district,
            "industry": self.industry,
            "kind": self.kind,
            "month": self.month,
            "provider": self.provider,
        }
        return {key: str(value) for key, value in args.items() if value}

    def narrowed(self, **changes) -> Filters:
        return replace(self, **changes)

    @property
    def any(self) -> bool:
        return any(self.query_args().values())


def without_idle_bounds(filters: Filters) -> Filters:
    """The same filters without a date bound that excludes no row (a plan period around the whole
    ledger): the aggregates can then read the indexes in their own order instead of the dates'."""
    if filters.start is None and filters.end is None:
        return filters
    # Two statements: SQLite answers a lone min() or max() from the index, not both at once.
    first = db.session.scalar(select(func.min(Enablement.occurred_on)))
    last = db.session.scalar(select(func.max(Enablement.occurred_on)))
    if first is None or last is None:  # both or neither: no rows
        return filters
    return filters.narrowed(
        start=filters.start if filters.start and filters.start > first else None,
        end=filters.end if filters.end and filters.end < last else None,
    )


def _where(stmt: Select, filters: Filters) -> Select:
    conditions = filters.conditions()
    return stmt.where(*conditions) if conditions else stmt


@dataclass(frozen=True)
class Totals:
    firm_times: int
    firms: int


def firm_times(filters: Filters) -> int:
    return db.session.scalar(_where(select(func.coalesce(func.sum(Enablement.delta), 0)), filters)) or 0


def _per_firm(filters: Filters):
    return (
        _where(select(Enablement.firm_id, func.sum(Enablement.delta).label("net")), filters)
        .group_by(Enablement.firm_id)
        .subquery()
    )


def firms_served(filters: Filters) -> int:
    per_firm = _per_firm(filters)
    return db.session.scalar(select(func.count()).select_from(per_firm).where(per_firm.c.net > 0)) or 0


def totals(filters: Filters) -> Totals:
    """Both headline figures from one pass over the firms; asked twice in a request (the
    dashboard's and the plan's, when the plan spans the whole ledger), computed once."""
    cache = g.setdefault("stats_totals", {})
    if filters not in cache:
        per_firm = _per_firm(filters)
        net, served = db.session.execute(
            select(func.coalesce(func.sum(per_firm.c.net), 0), func.count().filter(per_firm.c.net > 0))
        ).one()
        cache[filters] = Totals(int(net), int(served))
    return cache[filters]


@dataclass(frozen=True)
class Bar:
    """One bar of a breakdown: its label, its net firm-times, and how to drill into it."""

    label: str
    value: int
    drill: dict[str, str] = field(default_factory=dict)


def by_month(filters: Filters) -> list[Bar]:
    """Every month from the first to the last with rows (empty months included). Rows are summed
    per day first: grouping 200,000 rows by an expression would sort them all."""
    days = (
        _where(select(Enablement.occurred_on.label("day"), func.sum(Enablement.delta).label("net")), filters)
        .group_by(Enablement.occurred_on)
        .subquery()
    )
    year, month = extract("year", days.c.day), extract("month", days.c.day)
    rows = db.session.execute(select(year, month, func.sum(days.c.net)).group_by(year, month)).all()
    values = {(int(y), int(m)): int(n) for y, m, n in rows}
    if not values:
        return []
    (y, m), last = min(values), max(values)
    bars = []
    while (y, m) <= last:
        label = f"{y:04d}-{m:02d}"
        bars.append(Bar(label, values.get((y, m), 0), {"month": label}))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return bars


def cumulative(bars: list[Bar]) -> list[int]:
    running, out = 0, []
    for bar in bars:
        running += bar.value
        out.append(running)
    return out


def _by_taxonomy(filters: Filters, column, model, drill_key: str, locale: str, unknown: str) -> list[Bar]:
    """Sums per foreign key first (an index holds both columns), then names the few keys."""
    per_key = (
        _where(select(column.label("key"), func.sum(Enablement.delta).label("net")), filters)
        .group_by(column)
        .subquery()
    )
    stmt = (
        select(model.code, model.name, model.name_en, per_key.c.net)
        .select_from(per_key)
        .outerjoin(model, per_key.c.key == model.id)
        .order_by(model.position.is_(None), model.position)
    )
    return [
        Bar(pick(name, name_en, locale) or unknown, int(value), {drill_key: code} if code else {})
        for code, name, name_en, value in db.session.execute(stmt)
        if value
    ]


def by_district(filters: Filters, locale: str = "zh", unknown: str = "—") -> list[Bar]:
    return _by_taxonomy(filters, Enablement.district_id, District, "district", locale, unknown)


def by_industry(filters: Filters, locale: str = "zh", unknown: str = "—") -> list[Bar]:
    return _by_taxonomy(filters, Enablement.industry_id, Industry, "industry", locale, unknown)


def by_kind(filters: Filters, locale: str = "zh") -> list[Bar]:
    return _by_taxonomy(filters, Enablement.kind_id, EnablementKind, "kind", locale, "—")


def top_providers(filters: Filters, limit: int = TOP_PROVIDERS) -> list[Bar]:
    """Providers by the number of distinct firms they enabled (net of reversals)."""
    pairs = (
        _where(select(Enablement.provider_id, Enablement.firm_id), filters)
        .where(Enablement.provider_id.is_not(None))
        .group_by(Enablement.provider_id, Enablement.firm_id)
        .having(func.sum(Enablement.delta) > 0)
        .subquery()
    )
    firms = func.count().label("firms")
    top = (
        select(pairs.c.provider_id, firms)
        .group_by(pairs.c.provider_id)
        .order_by(firms.desc(), pairs.c.provider_id)
        .limit(limit)
        .subquery()
    )
    stmt = (
        select(Organization.id, Organization.name, top.c.firms)
        .join(top, top.c.provider_id == Organization.id)
        .order_by(top.c.firms.desc(), Organization.id)
    )
    return [Bar(name, int(n), {"provider": str(provider_id)}) for provider_id, name, n in db.session.execute(stmt)]


def ledger_rows(filters: Filters) -> Select:
    """The rows behind a figure, newest first (for the drill-down's pages and export)."""
    return _where(select(Enablement), filters).order_by(Enablement.occurred_on.desc(), Enablement.id.desc())


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    totals: Totals
    months: list[Bar]
    districts: list[Bar]
    industries: list[Bar]
    kinds: list[Bar]
    providers: list[Bar]


def dashboard(filters: Filters, *, with_providers: bool = True, locale: str = "zh", unknown: str = "—") -> Dashboard:
    shown, filters = filters, without_idle_bounds(filters)
    return Dashboard(
        filters=shown,
        totals=totals(filters),
        months=by_month(filters),
        districts=by_district(filters, locale, unknown),
        industries=by_industry(filters, locale, unknown),
        kinds=by_kind(filters, locale),
        providers=top_providers(filters) if with_providers else [],
    )
