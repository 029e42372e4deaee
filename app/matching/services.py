"""Recommendations with their reasons: solutions for a need, needs for a provider, solutions for a
scenario. Only published items are recommended, never an organization's own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Organization
from app.catalog.models import Scenario
from app.core import data_version
from app.core.i18n import current_language
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.matching.ranking import Candidate, Profile, Recommendation, Target, Weights, recommend
from app.matching.records import provider_records
from app.needs.models import Need, need_domains, need_scenarios, need_subcategories
from app.needs.search import NEED
from app.solutions.models import (
    Solution,
    solution_domains,
    solution_industries,
    solution_scenarios,
    solution_subcategories,
)
from app.solutions.search import SOLUTION

LIMIT = 10
#: A provider's needs are found from its most recently published solutions, at most this many, and
#: from the taxonomy entries most of them share (at most this many of each facet but scenarios).
PROFILE_SOLUTIONS = 50
PROFILE_ENTRIES = 5

SOLUTIONS = Target(
    Solution,
    SOLUTION,
    ("title", "summary", "description"),
    {
        "industry": (solution_industries.c.solution_id, solution_industries.c.industry_id),
        "subcategory": (solution_subcategories.c.solution_id, solution_subcategories.c.subcategory_id),
        "domain": (solution_domains.c.solution_id, solution_domains.c.domain_id),
        "scenario": (solution_scenarios.c.solution_id, solution_scenarios.c.scenario_id),
    },
)
NEEDS = Target(
    Need,
    NEED,
    ("title", "description"),
    {
        "industry": (Need.id, Need.industry_id),
        "subcategory": (need_subcategories.c.need_id, need_subcategories.c.subcategory_id),
        "domain": (need_domains.c.need_id, need_domains.c.domain_id),
        "scenario": (need_scenarios.c.need_id, need_scenarios.c.scenario_id),
    },
)
SOLUTION_OPTIONS = (joinedload(Solution.organization), selectinload(Solution.industries))
NEED_OPTIONS = (joinedload(Need.organization), joinedload(Need.industry))

FOR_NEED = Weights()
FOR_PROVIDER = Weights()
#: On a scenario's page the solutions linked to it come first, then those of its sub-category, then
#: those of its industry and a domain: each tier outweighs all that the next can add up.
FOR_SCENARIO = Weights(text=2.0, subcategory=10.0, scenario=30.0)


def solutions_for_need(need: Need, limit: int = LIMIT) -> list[Recommendation]:
    """Other organizations' published solutions for a need; the provider's record counts too.
    Ranked once per data version (and language of the reasons): the need's page shows them."""
    ranked = data_version.cached(
        "matching.solutions_for_need",
        lambda: [(r.item.id, r.score, tuple(map(str, r.reasons))) for r in _rank_solutions_for_need(need, limit)],
        need.id,
        limit,
        current_language(),
    )
    found = db.session.scalars(
        select(Solution).where(Solution.id.in_([i for i, _, _ in ranked])).options(*SOLUTION_OPTIONS)
    )
    solutions = {solution.id: solution for solution in found}
    return [Recommendation(solutions[i], score, reasons) for i, score, reasons in ranked if i in solutions]


def _rank_solutions_for_need(need: Need, limit: int) -> list[Recommendation]:
    profile = Profile(
        f"{need.title}\n{need.description}",
        {
            "industry": _by_id([need.industry]),
            "subcategory": _by_id(need.subcategories),
            "domain": _by_id(need.domains),
            "scenario": _by_id(need.scenarios),
        },
    )
    return recommend(
        SOLUTIONS,
        profile,
        FOR_NEED,
        _published_solutions(excluding=need.organization_id),
        limit,
        records=provider_records,
        options=SOLUTION_OPTIONS,
    )


def needs_for_provider(org: Organization, limit: int = LIMIT) -> list[Recommendation]:
    """Other organizations' open needs for what a provider's published solutions cover (nothing
    before it publishes one)."""
    solutions = db.session.scalars(
        select(Solution)
        .where(Solution.organization_id == org.id, Solution.status == ListingStatus.PUBLISHED)
        .options(
            selectinload(Solution.industries),
            selectinload(Solution.subcategories),
            selectinload(Solution.domains),
            selectinload(Solution.scenarios),
        )
        .order_by(Solution.published_at.desc(), Solution.id.desc())
        .limit(PROFILE_SOLUTIONS)
    ).all()
    if not solutions:
        return []
    profile = Profile(
        "\n".join(f"{s.title} {s.summary}" for s in solutions),
        {
            "industry": _most_common(s.industries for s in solutions),
            "subcategory": _most_common(s.subcategories for s in solutions),
            "domain": _most_common(s.domains for s in solutions),
            "scenario": _by_id(sorted({e for s in solutions for e in s.scenarios}, key=lambda e: e.code)),
        },
    )
    conditions = (Need.status == ListingStatus.PUBLISHED, Need.organization_id != org.id)
    return recommend(NEEDS, profile, FOR_PROVIDER, conditions, limit, options=NEED_OPTIONS)


def solutions_for_scenario(scenario: Scenario, limit: int = LIMIT) -> list[Recommendation]:
    """Published solutions that address a scenario: linked to it, of its sub-category, or of its
    industry and one of its technology domains."""
    profile = Profile(
        f"{scenario.title}\n{scenario.description}",
        {
            "industry": _by_id([scenario.industry]),
            "subcategory": _by_id([scenario.subcategory]),
            "domain": _by_id(scenario.domains),
            "scenario": {scenario.id: scenario},
        },
    )
    return recommend(
        SOLUTIONS,
        profile,
        FOR_SCENARIO,
        (Solution.status == ListingStatus.PUBLISHED,),
        limit,
        accept=_addresses_scenario,
        records=provider_records,
        options=SOLUTION_OPTIONS,
    )


def _addresses_scenario(candidate: Candidate) -> bool:
    shared = candidate.shared
    return bool(
        shared.get("scenario") or shared.get("subcategory") or (shared.get("industry") and shared.get("domain"))
    )


def _published_solutions(excluding: int) -> tuple:
    return Solution.status == ListingStatus.PUBLISHED, Solution.organization_id != excluding


def _by_id(entries: Iterable) -> dict[int, object]:
    return {entry.id: entry for entry in entries}


def _most_common(lists: Iterable[Iterable], limit: int = PROFILE_ENTRIES) -> dict[int, object]:
    """The taxonomy entries most of several items have, at most `limit`, in display order."""
    counts = Counter(entry for entries in lists for entry in entries)
    chosen = sorted(counts, key=lambda e: (-counts[e], e.position, e.id))[:limit]
    return _by_id(sorted(chosen, key=lambda e: (e.position, e.id)))
