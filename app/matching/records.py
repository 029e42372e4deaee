"""A provider's record on the portal, as recommendations weigh it.

Whether the platform verified the organization, how many deals it completed on the portal (the
enablement ledger's "deal" rows of which it is the provider, reversals netted out), and how many
firms said at the six-month follow-up that the deal was delivered or renewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import Organization
from app.extensions import db
from app.inquiries.services import good_follow_ups
from app.stats.models import Enablement, EnablementKind

DEAL = "deal"
VERIFIED_POINTS = 0.5
DEAL_POINTS = 0.25
GOOD_FOLLOW_UP_POINTS = 0.25
#: Deals beyond this many add nothing: a record tips the balance between relevant solutions,
#: it does not carry an irrelevant one.
COUNTED_DEALS = 4


@dataclass(frozen=True)
class ProviderRecord:
    verified: bool = False
    deals: int = 0
    good_follow_ups: int = 0

    @property
    def score(self) -> float:
        return (
            (VERIFIED_POINTS if self.verified else 0.0)
            + DEAL_POINTS * min(self.deals, COUNTED_DEALS)
            + GOOD_FOLLOW_UP_POINTS * min(self.good_follow_ups, COUNTED_DEALS)
        )

    def reasons(self) -> list[str]:
        reasons = []
        if self.deals > 0:
            reasons.append(ngettext("%(num)d个签约案例", "%(num)d个签约案例", self.deals))
        if self.good_follow_ups > 0:
            reasons.append(
                ngettext("%(num)d家企业回访称已交付或续约", "%(num)d家企业回访称已交付或续约", self.good_follow_ups)
            )
        if self.verified:
            reasons.append(_("已认证服务商"))
        return reasons


def provider_records(org_ids: Iterable[int]) -> dict[int, ProviderRecord]:
    """The record of each of these organizations (three queries, whatever their number)."""
    ids = set(org_ids)
    if not ids:
        return {}
    verified = set(
        db.session.scalars(
            select(Organization.id).where(Organization.id.in_(ids), Organization.verified_at.is_not(None))
        )
    )
    deals = dict(
        db.session.execute(
            select(Enablement.provider_id, func.sum(Enablement.delta))
            .join(EnablementKind, EnablementKind.id == Enablement.kind_id)
            .where(EnablementKind.code == DEAL, Enablement.provider_id.in_(ids))
            .group_by(Enablement.provider_id)
        ).all()
    )
    good = good_follow_ups(ids)
    return {
        org_id: ProviderRecord(
            verified=org_id in verified, deals=max(0, int(deals.get(org_id) or 0)), good_follow_ups=good.get(org_id, 0)
        )
        for org_id in ids
    }


def record_of(org: Organization) -> ProviderRecord:
    return provider_records([org.id])[org.id]
