"""Demo pilot projects: last year's pilot call, its applications scored by the two demo experts,
selected, through the notice and published (each selected firm counted in the ledger as a demo
row), and this year's call open for applications, which enterprise1@demo.gongfu can answer.

Last year is the year before today, or the plan's last year if the plan is over, so that the
plan's pilot_projects indicator counts the selection (as the demo ledger does). Deterministic;
running it again adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import Organization, OrgKind, User
from app.core.models import local_today
from app.extensions import db
from app.pilots import services
from app.pilots.models import CallKind, CallStatus, PilotApplication, PilotCall
from app.stats.indicators import current_plan
from seeds.marketplace_demo import DEMO_SUFFIX

SEED = 2029
APPLICANTS = 12
SELECTED = 8
CRITERIA = [("创新性", 30), ("示范带动性", 30), ("实施成效", 25), ("推广价值", 15)]
PROJECTS = [
    "设备联网与预测性维护",
    "产线数字孪生",
    "质量大数据追溯",
    "能耗在线监测与优化",
    "供应链协同平台",
    "个性化定制柔性产线",
    "远程运维服务平台",
    "智能仓储与物流调度",
    "工业视觉质检",
    "数字化车间管理系统",
]


def _title(year: int) -> str:
    return f"{year} 年工业互联网新模式应用试点示范项目（演示）"


def _last_year(today: date) -> int:
    plan = current_plan(today)
    return min(today.year - 1, plan.ends_on.year) if plan else today.year - 1


def _call(year: int, deadline: date, admin: User) -> PilotCall:
    return services.create_call(
        services.CallValues(
            kind=CallKind.PILOT,
            year=year,
            title=_title(year),
            quota=services.QUOTAS[CallKind.PILOT],
            deadline=deadline,
            description=(
                f"面向全市制造企业征集 {year} 年工业互联网新模式应用试点示范项目。\n（演示数据，不是真实的申报通知。）"
            ),
            modes=services.new_modes(),
            criteria=CRITERIA,
        ),
        admin,
    )


def seed_pilots(today: date | None = None) -> int:
    """Add the two demo calls unless they are there; returns how many."""
    today = today or local_today()
    last_year = _last_year(today)
    if (
        db.session.scalar(
            select(PilotCall.id).where(PilotCall.title.in_((_title(last_year), _title(today.year)))).limit(1)
        )
        is not None
    ):
        return 0
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.gongfu"))
    experts = list(
        db.session.scalars(
            select(User).where(User.email.in_(("expert@demo.gongfu", "expert2@demo.gongfu"))).order_by(User.email)
        )
    )
    firms = list(
        db.session.scalars(
            select(Organization)
            .where(Organization.name.endswith(DEMO_SUFFIX), Organization.kind == OrgKind.ENTERPRISE)
            .order_by(Organization.id)
            .limit(APPLICANTS)
        )
    )
    if admin is None or len(experts) < 2 or len(firms) < APPLICANTS:
        return 0
    _closed_call(random.Random(SEED), last_year, admin, experts, firms)
    current = _call(today.year, today + timedelta(days=60), admin)
    services.open_call(current, admin, today=today)
    db.session.flush()
    return 2


def _closed_call(rng: random.Random, year: int, admin: User, experts: list[User], firms: list[Organization]) -> None:
    call = _call(year, date(year, 6, 30), admin)
    call.status = CallStatus.OPEN
    modes = call.modes
    for n, firm in enumerate(firms):
        owner = firm.owner or admin
        application = PilotApplication(
            call=call,
            organization=firm,
            submitted_by=owner,
            mode=modes[n % len(modes)],
            project_name=f"{firm.name.removesuffix(DEMO_SUFFIX)}{PROJECTS[n % len(PROJECTS)]}",
            description="以工业互联网平台打通设计、生产和服务环节，形成可复制推广的新模式。（演示数据）",
            investment=Decimal(rng.choice([80, 150, 300, 500, 1200])),
            expected_results="生产效率提升 20%，不良率下降 15%。",
            achieved_results="一期已上线，关键设备联网率 90%。",
        )
        db.session.add(application)
    db.session.flush()
    services.start_review(call, admin)
    for application in call.applications:
        for expert in experts:
            services.assign(application, expert, admin)
            services.score(application, expert, {c.id: rng.randint(5, 10) for c in services.review_of(call).criteria})
    services.close_scoring(call, admin)
    services.select_applications(call, {a.id for a, _r in services.ranking(call)[:SELECTED]}, admin)
    services.start_notice(call, date(year, 11, 20), admin, today=date(year, 11, 10))
    services.publish(call, admin, today=date(year, 11, 25), demo=True)
