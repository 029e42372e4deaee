"""Explained recommendations: solutions for a need, needs for a provider, solutions for a scenario.

Each recommendation carries a score and the reasons behind it ("同属装备制造 · 覆盖预测性维护 ·
3个签约案例"), from the text the search index shares, the taxonomy the items share and the
provider's record on the portal (`app.matching.records`).
"""

from flask import render_template
from markupsafe import Markup

from app.accounts.models import User
from app.catalog.scenarios import register_scenario_solutions
from app.core import data_version
from app.core.i18n import current_language
from app.matching.permissions import can_see_recommended_solutions
from app.matching.services import solutions_for_need, solutions_for_scenario
from app.needs.models import Need
from app.needs.services import register_solution_recommendations


def init_matching() -> None:
    """Recommendations on the scenario and need pages."""
    register_scenario_solutions(solutions_for_scenario)
    register_solution_recommendations(_for_need)


def _for_need(user: User, need: Need) -> Markup | None:
    """The same list for everyone who may see it: rendered once per data version and language."""
    if not can_see_recommended_solutions(user, need):
        return None
    return data_version.cached_fragment(
        "matching.solutions_for_need",
        lambda: render_template("matching/solutions_for_need.html", recommendations=solutions_for_need(need)),
        need.id,
        current_language(),
    )
