"""Eaglet (雏鹰) and gazelle (瞪羚) incubation: yearly figures, tracks and their criteria, the pipeline."""

from flask_babel import lazy_gettext as _l

from app.incubation.services import certified_count
from app.stats.indicators import PlanPeriod, register_computation


def _certified(indicator_code: str):
    def count(period: PlanPeriod) -> int:
        return certified_count(indicator_code, period.plan.starts_on, period.plan.ends_on)

    return count


def init_incubation() -> None:
    """The plan's `eaglets` and `gazelles` count the firms certified in the track naming them,
    certified within the plan period and still certified (or graduated)."""
    for code, label in (("eaglets", _l("认定的雏鹰企业")), ("gazelles", _l("认定的瞪羚企业"))):
        register_computation(code, label, _certified(code))
