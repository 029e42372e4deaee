"""The plan's solution indicators, counted over the solutions public now (a solution is not dated
into the plan period: one withdrawn since stops counting)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.listings.moderation import PUBLIC_STATUSES
from app.solutions.models import Solution, solution_industries
from app.stats.indicators import PlanPeriod, register_computation


def plug_and_play(_period: PlanPeriod) -> int:
    return (
        db.session.scalar(
            select(func.count(Solution.id)).where(
                Solution.status.in_(PUBLIC_STATUSES), Solution.plug_and_play.is_(True)
            )
        )
        or 0
    )


def industries_covered(_period: PlanPeriod) -> int:
    return (
        db.session.scalar(
            select(func.count(func.distinct(solution_industries.c.industry_id)))
            .join(Solution, Solution.id == solution_industries.c.solution_id)
            .where(Solution.status.in_(PUBLIC_STATUSES))
        )
        or 0
    )


def register_indicators() -> None:
    register_computation("plug_and_play", _l("已发布的“即插即用”解决方案"), plug_and_play)
    register_computation("solution_industries", _l("已发布解决方案覆盖的行业"), industries_covered)
