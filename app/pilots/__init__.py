"""Yearly selection of pilot projects (试点示范项目) and platform-enablement demo cases (示范案例)."""

from functools import partial

from flask_babel import lazy_gettext as _l

from app.pilots.models import CallKind
from app.pilots.services import selected_count
from app.stats.indicators import PlanPeriod, register_computation


def init_pilots() -> None:
    """The plan's pilot_projects and demo_cases indicators count the selected projects of the calls
    published within the plan period."""
    for code, label, kind in (
        ("pilot_projects", _l("入选的试点示范项目"), CallKind.PILOT),
        ("demo_cases", _l("入选的示范案例"), CallKind.DEMO_CASE),
    ):
        register_computation(code, label, partial(_selected_in_plan, kind))


def _selected_in_plan(kind: CallKind, period: PlanPeriod) -> int:
    return selected_count(kind, period.plan.starts_on, period.plan.ends_on)
