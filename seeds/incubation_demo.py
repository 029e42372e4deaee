"""Demo incubation: twenty demo firms with three years of figures, ten in each track spread over
the pipeline's stages (a few certified within the plan period, so the plan's eaglets and gazelles
read more than zero), and three years of figures for enterprise1's organization so that the demo
user can see the evaluation and apply. Deterministic; running it again adds nothing."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import Organization, OrgKind, User
from app.extensions import db
from app.incubation import services
from app.incubation.models import AnnualFigures, Stage
from app.stats.indicators import current_plan
from app.stats.ledger import record_enablement
from seeds.marketplace_demo import DEMO_SUFFIX

SEED = 2029
ENTERPRISE_LOGIN = "enterprise1@demo.gongfu"
#: Where each track's ten demo firms stand, and the path that led there.
PATHS = {
    Stage.APPLIED: [Stage.APPLIED],
    Stage.REVIEW: [Stage.REVIEW],
    Stage.CANDIDATE: [Stage.REVIEW, Stage.CANDIDATE],
    Stage.INCUBATING: [Stage.REVIEW, Stage.CANDIDATE, Stage.INCUBATING],
    Stage.CERTIFIED: [Stage.REVIEW, Stage.CANDIDATE, Stage.INCUBATING, Stage.CERTIFIED],
    Stage.GRADUATED: [Stage.REVIEW, Stage.CANDIDATE, Stage.INCUBATING, Stage.CERTIFIED, Stage.GRADUATED],
    Stage.REJECTED: [Stage.REVIEW, Stage.REJECTED],
}
STAGES = [
    Stage.APPLIED,
    Stage.APPLIED,
    Stage.REVIEW,
    Stage.CANDIDATE,
    Stage.INCUBATING,
    Stage.INCUBATING,
    Stage.CERTIFIED,
    Stage.CERTIFIED,
    Stage.GRADUATED,
    Stage.REJECTED,
]
REASONS = {Stage.REJECTED: "近三年营业收入增长未达到要求（演示）"}


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _figures(org: Organization, by: User, revenues: list[float], rd_share: float, ip: int, rng: random.Random) -> None:
    last = date.today().year - 1
    for offset, revenue in enumerate(revenues):
        employees = rng.randint(20, 200)
        db.session.add(
            AnnualFigures(
                organization=org,
                year=last - len(revenues) + 1 + offset,
                revenue=_money(revenue),
                net_profit=_money(revenue * rng.uniform(-0.05, 0.12)),
                rd_spending=_money(revenue * rd_share),
                employees=employees,
                rd_staff=employees // rng.randint(3, 6),
                invention_patents=ip // 2,
                other_ip=ip - ip // 2 + offset,
                financing=_money(rng.choice([0, 0, 500, 1200])),
                entered_by=by,
            )
        )


def _eaglet(org: Organization, by: User, rng: random.Random) -> None:
    org.founded_year = date.today().year - rng.randint(2, 4)
    start = rng.uniform(80, 300)
    _figures(org, by, [start, start * 1.3, start * 1.7], rng.uniform(0.06, 0.15), rng.randint(1, 6), rng)


def _gazelle(org: Organization, by: User, rng: random.Random) -> None:
    org.founded_year = date.today().year - rng.randint(6, 9)
    start = rng.uniform(450, 1500)
    growth = rng.uniform(1.22, 1.45)
    _figures(org, by, [start, start * growth, start * growth**2], rng.uniform(0.03, 0.08), rng.randint(2, 12), rng)


def _walk(org: Organization, code: str, stage: Stage, admin: User, certified_on: date) -> None:
    track = services.track_by_code(code)
    if track is None:
        raise ValueError(f"no incubation track {code!r}")
    enrolment = services.apply(org, track, admin, "希望获得平台的孵化培育支持。（演示）")
    for step in PATHS[stage]:
        if step == Stage.APPLIED:
            continue
        if step == Stage.CERTIFIED:  # counted first as a demo row; certifying then finds it
            record_enablement(
                firm=org,
                kind="incubation",
                source_type="incubation",
                source_id=enrolment.id,
                occurred_on=certified_on,
                recorded_by=admin,
                programme=code,
                demo=True,
            )
        services.move(enrolment, step, admin, REASONS.get(step, ""), certified_on if step == Stage.CERTIFIED else None)


def seed_incubation() -> int:
    """Add the demo incubation unless it is there; returns how many demo firms were enrolled."""
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.gongfu"))
    firms = list(
        db.session.scalars(
            select(Organization)
            .where(Organization.name.endswith(DEMO_SUFFIX), Organization.kind == OrgKind.ENTERPRISE)
            .order_by(Organization.id)
            .limit(2 * len(STAGES))
        )
    )
    plan = current_plan()
    if admin is None or plan is None or len(firms) < 2 * len(STAGES) or len(services.tracks()) < 2:
        return 0
    if db.session.scalar(select(AnnualFigures.id).where(AnnualFigures.organization_id == firms[0].id)) is not None:
        return 0
    rng = random.Random(SEED)
    certified_on = min(plan.ends_on, date.today()).replace(day=1)
    # the first 2 × len(STAGES) firms only: there may be more
    for index, (org, stage) in enumerate(zip(firms, STAGES * 2, strict=False)):
        eaglet = index < len(STAGES)
        (_eaglet if eaglet else _gazelle)(org, admin, rng)
        db.session.flush()
        _walk(org, "eaglet" if eaglet else "gazelle", stage, admin, certified_on)
    _enterprise_figures(admin, rng)
    db.session.flush()
    return len(firms)


def _enterprise_figures(admin: User, rng: random.Random) -> None:
    user = db.session.scalar(select(User).where(User.email == ENTERPRISE_LOGIN))
    if user is not None and user.organization is not None and not services.figures_of(user.organization):
        _figures(user.organization, user, [420, 530, 690], 0.055, 3, rng)
