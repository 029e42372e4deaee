"""The plan's indicators: targets, what the portal counts itself, what admins report.

A computed indicator names a computation in `COMPUTATIONS`: one query over the portal's own
records, counted over the plan period. The domain that holds the records registers its query with
`register_computation` (solutions, pilots, incubation); a code nobody registered reads 0 and says
so. A reported indicator shows the latest figure an admin entered, with its source and date;
earlier figures stay as its history.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.catalog.models import Scenario, ScenarioStatus
from app.core.audit import apply_changes, audit
from app.core.bilingual import fill_english
from app.core.domain_error import DomainError
from app.core.models import local_today
from app.extensions import db
from app.stats import services
from app.stats.models import EnablementKind, Indicator, IndicatorKind, Plan, ReportedValue


class PlanPeriod:
    """The plan being counted, and the ledger's totals over its period, computed at most once."""

    def __init__(self, plan: Plan):
        self.plan = plan

    @cached_property
    def totals(self) -> services.Totals:
        return services.totals(services.without_idle_bounds(_period(self.plan)))


@dataclass(frozen=True)
class Computation:
    label: object  # a lazy string
    count: Callable[[PlanPeriod], int]
    from_ledger: bool = False  # counted from the ledger rows of the plan period (a drill-down shows them)


def _period(plan: Plan) -> services.Filters:
    return services.Filters(start=plan.starts_on, end=plan.ends_on)


def _scenarios_published(period: PlanPeriod) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Scenario).where(Scenario.status == ScenarioStatus.PUBLISHED))
        or 0
    )


COMPUTATIONS: dict[str, Computation] = {
    "enablements": Computation(
        _l("账本中的赋能企业家次（扣除冲销）"), lambda period: period.totals.firm_times, from_ledger=True
    ),
    "firms_served": Computation(
        _l("账本中至少获得一次赋能的企业数"), lambda period: period.totals.firms, from_ledger=True
    ),
    "scenarios_published": Computation(_l("已发布的场景清单条目"), _scenarios_published),
}


def register_computation(code: str, label, count: Callable[[PlanPeriod], int]) -> None:
    COMPUTATIONS[code] = Computation(label, count)


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    value: Decimal
    available: bool  # False: computed from records the portal does not hold yet, or never reported
    report: ReportedValue | None = None

    @property
    def ledger_filters(self) -> services.Filters | None:
        """The ledger rows behind the value, if it is counted from the ledger."""
        computation = COMPUTATIONS.get(self.indicator.code)
        if self.indicator.kind == IndicatorKind.COMPUTED and computation and computation.from_ledger:
            return _period(self.indicator.plan)
        return None

    @property
    def progress(self) -> float:
        target = self.indicator.target
        return float(self.value / target) if target else 0.0

    def verdict(self, plan: Plan, today: date | None = None) -> Verdict:
        """Done, on track (at least the share of the period elapsed) or behind; once the period
        has ended, achieved or missed."""
        today = today or local_today()
        if today > plan.ends_on:
            return Verdict.ACHIEVED if self.progress >= 1 else Verdict.MISSED
        if self.progress >= 1:
            return Verdict.DONE
        return Verdict.ON_TRACK if self.progress >= elapsed_share(plan, today) else Verdict.BEHIND


class Verdict(enum.Enum):
    DONE = "done"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return str(_VERDICT_LABELS[self])

    @property
    def colour(self) -> str:
        """The badge's colour, which only repeats what the label says."""
        return _VERDICT_COLOURS[self]


_VERDICT_LABELS = {
    Verdict.DONE: _l("已完成"),
    Verdict.ON_TRACK: _l("进度正常"),
    Verdict.BEHIND: _l("落后于进度"),
    Verdict.ACHIEVED: _l("已达成"),
    Verdict.MISSED: _l("未达成"),
}
_VERDICT_COLOURS = {
    Verdict.DONE: "success",
    Verdict.ON_TRACK: "primary",
    Verdict.BEHIND: "warning",
    Verdict.ACHIEVED: "success",
    Verdict.MISSED: "secondary",
}


def current_plan(today: date | None = None) -> Plan | None:
    """The plan whose period holds today, else the one that started last, else the next to start
    (a successor added ahead of its period is not current before it starts)."""
    today = today or local_today()
    return (
        db.session.scalar(
            select(Plan).where(Plan.starts_on <= today, Plan.ends_on >= today).order_by(Plan.starts_on.desc())
        )
        or db.session.scalar(select(Plan).where(Plan.starts_on <= today).order_by(Plan.starts_on.desc()))
        or db.session.scalar(select(Plan).order_by(Plan.starts_on))
    )


def past_plans(today: date | None = None) -> list[Plan]:
    """The plans whose period has ended, newest first, less the current one."""
    today = today or local_today()
    current = current_plan(today)
    stmt = select(Plan).where(Plan.ends_on < today).order_by(Plan.starts_on.desc())
    return [plan for plan in db.session.scalars(stmt) if plan is not current]


def plans() -> list[Plan]:
    return list(db.session.scalars(select(Plan).order_by(Plan.starts_on.desc())))


def elapsed_share(plan: Plan, today: date | None = None) -> float:
    today = today or local_today()
    days = (plan.ends_on - plan.starts_on).days + 1
    return min(1.0, max(0.0, ((today - plan.starts_on).days + 1) / days))


def latest_report(indicator: Indicator) -> ReportedValue | None:
    return db.session.scalar(
        select(ReportedValue)
        .where(ReportedValue.indicator_id == indicator.id)
        .order_by(ReportedValue.as_of.desc(), ReportedValue.id.desc())
    )


def status(indicator: Indicator, period: PlanPeriod | None = None) -> IndicatorStatus:
    if indicator.kind == IndicatorKind.REPORTED:
        report = latest_report(indicator)
        return IndicatorStatus(indicator, report.value if report else Decimal(0), report is not None, report)
    computation = COMPUTATIONS.get(indicator.code)
    if computation is None:
        return IndicatorStatus(indicator, Decimal(0), False)
    return IndicatorStatus(indicator, Decimal(computation.count(period or PlanPeriod(indicator.plan))), True)


def statuses(plan: Plan, limit: int | None = None) -> list[IndicatorStatus]:
    """The plan's indicators with their figures, all of them or the first `limit` (its headline)."""
    period = PlanPeriod(plan)
    return [status(indicator, period) for indicator in plan.indicators[:limit]]


def report_value(indicator: Indicator, value: Decimal, as_of: date, source: str, by: User) -> ReportedValue:
    if indicator.kind != IndicatorKind.REPORTED:
        raise ValueError("only reported indicators take figures by hand")
    report = ReportedValue(indicator=indicator, value=value, as_of=as_of, source=source.strip(), recorded_by=by)
    db.session.add(report)
    db.session.flush()
    audit(
        by,
        "indicator.report",
        indicator,
        None,
        {"value": str(report.value), "as_of": report.as_of.isoformat(), "source": report.source},
    )
    return report


class IndicatorError(DomainError):
    """The indicator cannot be saved; the message is for the user."""


CENTS = Decimal("0.01")


def create_indicator(
    plan: Plan,
    *,
    code: str,
    name: str,
    unit: str,
    target: Decimal,
    kind: IndicatorKind,
    note: str,
    by: User,
    name_en: str = "",
    unit_en: str = "",
) -> Indicator:
    """A new indicator at the end of the plan, audited; a code the plan already has is refused."""
    taken = db.session.scalar(
        select(func.count()).select_from(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code)
    )
    if taken:
        raise IndicatorError(_("这个指标代码已经存在。"))
    indicator = Indicator(
        plan=plan,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        unit=unit.strip(),
        unit_en=unit_en.strip(),
        target=target.quantize(CENTS),
        kind=kind,
        note=note.strip(),
        position=max((i.position for i in plan.indicators), default=0) + 1,
    )
    db.session.add(indicator)
    db.session.flush()
    audit(
        by, "indicator.create", indicator, None, {"code": code, "name": indicator.name, "target": str(indicator.target)}
    )
    return indicator


def update_indicator(
    indicator: Indicator,
    *,
    name: str,
    unit: str,
    target: Decimal,
    note: str,
    by: User,
    name_en: str = "",
    unit_en: str = "",
) -> None:
    """Save the indicator's wording and target; the fields that changed are audited."""
    before, after = apply_changes(
        indicator,
        {
            "name": name.strip(),
            "name_en": name_en.strip(),
            "unit": unit.strip(),
            "unit_en": unit_en.strip(),
            "target": target.quantize(CENTS),
            "note": note.strip(),
        },
    )
    if after:
        audit(by, "indicator.update", indicator, before, after)


class PlanError(DomainError):
    """The plan cannot be saved; the message is for the user."""


def _check_plan(name: str, starts_on: date, ends_on: date, plan: Plan | None = None) -> None:
    """A plan needs a name no other plan has, and a period that overlaps no other plan's."""
    others = [other for other in plans() if other is not plan]
    if not name:
        raise PlanError(_("请填写计划名称。"))
    if ends_on <= starts_on:
        raise PlanError(_("计划的结束日期须晚于开始日期。"))
    if any(other.name == name for other in others):
        raise PlanError(_("已有同名的计划。"))
    overlapping = next((o for o in others if o.starts_on <= ends_on and starts_on <= o.ends_on), None)
    if overlapping:
        raise PlanError(
            _(
                "计划期与“%(name)s”（%(start)s 至 %(end)s）重叠。",
                name=overlapping.display_name(),
                start=overlapping.starts_on.isoformat(),
                end=overlapping.ends_on.isoformat(),
            )
        )


def create_successor(previous: Plan, *, name: str, starts_on: date, ends_on: date, by: User, name_en: str = "") -> Plan:
    """The next plan, after the previous one, with a copy of its indicators and targets (not its
    reported figures) for the admins to edit; audited."""
    name = name.strip()
    _check_plan(name, starts_on, ends_on)
    if starts_on <= previous.ends_on:
        raise PlanError(_("新计划须在“%(name)s”结束之后开始。", name=previous.display_name()))
    plan = Plan(name=name, name_en=name_en.strip(), starts_on=starts_on, ends_on=ends_on)
    db.session.add(plan)
    for indicator in previous.indicators:
        plan.indicators.append(
            Indicator(
                code=indicator.code,
                name=indicator.name,
                name_en=indicator.name_en,
                unit=indicator.unit,
                unit_en=indicator.unit_en,
                target=indicator.target,
                kind=indicator.kind,
                note=indicator.note,
                position=indicator.position,
            )
        )
    db.session.flush()
    audit(
        by,
        "plan.create",
        plan,
        None,
        {
            "name": plan.name,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "copied_from": previous.name,
            "indicators": [indicator.code for indicator in plan.indicators],
        },
    )
    return plan


def update_plan(plan: Plan, *, name: str, starts_on: date, ends_on: date, by: User, name_en: str = "") -> None:
    """Save the plan's names and period; the fields that changed are audited."""
    name = name.strip()
    _check_plan(name, starts_on, ends_on, plan)
    before, after = apply_changes(
        plan, {"name": name, "name_en": name_en.strip(), "starts_on": starts_on, "ends_on": ends_on}
    )
    if after:
        audit(by, "plan.update", plan, before, after)


# --- seeding ---------------------------------------------------------------------------------


def load_kinds(items: list[dict], keep_names: bool = False) -> int:
    """Insert or update enablement kinds by code; returns how many were added. With `keep_names`
    an existing kind keeps its names, but for an English name still empty."""
    existing = {kind.code: kind for kind in db.session.scalars(select(EnablementKind))}
    added = 0
    for position, item in enumerate(items, start=1):
        kind = existing.get(item["code"])
        if kind is None:
            kind = EnablementKind(code=item["code"])
            db.session.add(kind)
            added += 1
        elif keep_names:
            fill_english(kind, name_en=item.get("en", ""))
            continue
        kind.name, kind.name_en = item["name"], item.get("en", "")
        kind.manual, kind.position = bool(item.get("manual")), position
    db.session.flush()
    return added


def load_plan(data: dict, keep_targets: bool = False) -> Plan:
    """The plan and its indicators by code; with `keep_targets` an existing indicator is left as
    admins edited it and only missing ones are added, and English names still empty are filled in."""
    about = data["plan"]
    plan = db.session.scalar(select(Plan).where(Plan.name == about["name"]))
    if plan is None:
        plan = Plan(
            name=about["name"], starts_on=date.fromisoformat(about["start"]), ends_on=date.fromisoformat(about["end"])
        )
        db.session.add(plan)
    fill_english(plan, name_en=about.get("en", ""))
    existing = {indicator.code: indicator for indicator in plan.indicators}
    for position, item in enumerate(data["indicators"], start=1):
        indicator = existing.get(item["code"])
        if indicator is None:
            indicator = Indicator(plan=plan, code=item["code"])
            db.session.add(indicator)
        elif keep_targets:
            fill_english(indicator, name_en=item.get("en", ""), unit_en=item.get("unit_en", ""))
            continue
        indicator.name, indicator.unit, indicator.note = item["name"], item["unit"], item.get("note", "")
        indicator.name_en, indicator.unit_en = item.get("en", ""), item.get("unit_en", "")
        indicator.target, indicator.kind = Decimal(str(item["target"])), IndicatorKind(item["kind"])
        indicator.position = position
    db.session.flush()
    return plan
