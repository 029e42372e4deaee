"""Explained recommendations: solutions for a need, needs for a provider, solutions for a scenario.

Each recommendation carries a score and the reasons behind it ("同属装备制造 · 覆盖预测性维护 ·
3个签约案例"), from the text the search index shares, the taxonomy the items share and the
provider's record on the portal (`app.matching.records`).
"""

from app.accounts.models import User
from app.catalog.scenarios import register_scenario_solutions
from app.matching.permissions import can_see_recommended_solutions
from app.matching.services import Recommendation, solutions_for_need, solutions_for_scenario
from app.needs.models import Need
from app.needs.services import register_solution_recommendations


def init_matching() -> None:
    """Recommendations on the scenario and need pages."""
    register_scenario_solutions(solutions_for_scenario)
    register_solution_recommendations(_for_need)


def _for_need(user: User, need: Need) -> list[Recommendation] | None:
    return solutions_for_need(need) if can_see_recommended_solutions(user, need) else None
