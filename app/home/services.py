"""What the home page shows, each part from its domain's public queries; figures for dashboards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import Organization, OrgKind
from app.articles.services import Headlines, pinned_and_latest
from app.catalog import scenarios
from app.catalog.models import Scenario, ScenarioStatus
from app.events.models import Event
from app.events.services import next_events
from app.extensions import db
from app.listings.moderation import newest_public
from app.needs.models import Need
from app.solutions.models import Solution
from app.stats import indicators
from app.stats.models import Plan

LISTINGS = 4
EVENTS = 3
ARTICLES = 4
HEADLINE_INDICATORS = 3


def portal_counts() -> dict[str, int]:
    """The three figures, in one statement."""

    def count(model, *where):
        return select(func.count(model.id)).where(*where).scalar_subquery()

    enterprises, providers, published = db.session.execute(
        select(
            count(Organization, Organization.kind.in_([OrgKind.ENTERPRISE, OrgKind.BOTH])),
            count(Organization, Organization.kind.in_([OrgKind.PROVIDER, OrgKind.BOTH])),
            count(Scenario, Scenario.status == ScenarioStatus.PUBLISHED),
        )
    ).one()
    return {"enterprises": enterprises, "providers": providers, "scenarios": published}


@dataclass(frozen=True)
class PlanHeadline:
    plan: Plan
    elapsed: float
    statuses: list[indicators.IndicatorStatus]


@dataclass(frozen=True)
class HomePage:
    counts: dict[str, int]
    batch: scenarios.LatestBatch | None
    needs: list[Need]
    solutions: list[Solution]
    events: list[Event]
    articles: Headlines
    plan: PlanHeadline | None


def plan_headline() -> PlanHeadline | None:
    plan = indicators.current_plan()
    if plan is None:
        return None
    return PlanHeadline(plan, indicators.elapsed_share(plan), indicators.statuses(plan, HEADLINE_INDICATORS))


def home_page() -> HomePage:
    """Only what anyone may see: the public records of each domain."""
    return HomePage(
        counts=portal_counts(),
        batch=scenarios.latest_batch(),
        needs=newest_public(Need, LISTINGS),
        solutions=newest_public(Solution, LISTINGS),
        events=next_events(EVENTS),
        articles=pinned_and_latest(ARTICLES),
        plan=plan_headline(),
    )
