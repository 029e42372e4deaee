"""Figures shown on the home page and dashboards."""

from sqlalchemy import func, select

from app.accounts.models import Organization, OrgKind
from app.catalog.models import Scenario, ScenarioStatus
from app.extensions import db


def portal_counts() -> dict[str, int]:
    def count(stmt):
        return db.session.scalar(stmt) or 0

    return {
        "enterprises": count(
            select(func.count(Organization.id)).where(Organization.kind.in_([OrgKind.ENTERPRISE, OrgKind.BOTH]))
        ),
        "providers": count(
            select(func.count(Organization.id)).where(Organization.kind.in_([OrgKind.PROVIDER, OrgKind.BOTH]))
        ),
        "scenarios": count(select(func.count(Scenario.id)).where(Scenario.status == ScenarioStatus.PUBLISHED)),
    }
