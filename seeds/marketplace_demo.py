"""Demo needs and solutions, published, so the marketplace lists are alive on `make run`.

Deterministic (one random seed) and drawn from the published demo scenario list: a solution
answers a scenario (its industry, domains, sub-category and the scenario itself), offered by one of
the demo providers; a need asks for what a scenario describes, posted by one of the demo
enterprises. Only organizations named "…（演示）" post them, and every text says it is demo data.
Running it again adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Organization, OrgKind, User
from app.catalog.models import Scenario, ScenarioStatus
from app.core.models import utcnow
from app.extensions import db
from app.listings.moderation import ListingStatus
from app.needs.models import Need
from app.needs.services import lifetime_days
from app.solutions.models import DeliveryMode, PriceModel, Solution, SolutionCase

SEED = 2026
DEMO_SUFFIX = "（演示）"
DEMO_NOTE = "（演示数据，不是真实的方案或需求。）"
SOLUTIONS = 130
PLUG_AND_PLAY = 100
NEEDS = 60
LOGIN_ITEMS = 2  # needs of enterprise1's firm and solutions of provider1's

PREREQUISITES = [
    "设备具备以太网或 4G 联网条件",
    "车间有稳定供电与机柜空间",
    "已有 ERP 或 MES 系统并开放接口",
    "关键设备可加装传感器",
    "企业指定一名对接工程师",
]
INCLUDES = [
    "边缘采集网关 1 台",
    "云平台账号一年",
    "上线培训两次",
    "标准数据看板",
    "远程运维服务一年",
    "传感器套件",
    "与现有系统的接口适配",
]


def _orgs(kinds: tuple[OrgKind, ...]) -> list[Organization]:
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind.in_(kinds), Organization.name.endswith(DEMO_SUFFIX))
            .order_by(Organization.id)
        )
    )


def _published_at(rng: random.Random):
    return utcnow() - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1440))


def _cases(rng: random.Random, scenario: Scenario, enterprises: list[Organization]) -> list[SolutionCase]:
    """One or two reference cases at firms of the scenario's industry, in the scenario's words."""
    clients = [e for e in enterprises if e.industry_id == scenario.industry_id] or enterprises
    return [
        SolutionCase(
            position=n,
            client=rng.choice(clients).name,
            year=rng.randint(2021, 2025),
            work=f"实施“{scenario.title}”：{scenario.description.split('。')[0]}。"[:1000],
            outcome=f"{scenario.description.split('。')[-2] if '。' in scenario.description else '按期上线'}。"[:1000],
        )
        for n in range(1, rng.choice([1, 1, 2]) + 1)
    ]


def _solution(
    rng: random.Random,
    scenario: Scenario,
    provider: Organization,
    author: User,
    plug_and_play: bool,
    enterprises: list[Organization],
) -> Solution:
    low = rng.choice([2, 5, 8, 10, 20, 30])
    price_model = (
        rng.choice([PriceModel.ONE_OFF, PriceModel.SUBSCRIPTION, PriceModel.PER_USE])
        if plug_and_play or rng.random() < 0.7
        else PriceModel.NEGOTIABLE
    )
    negotiable = price_model == PriceModel.NEGOTIABLE
    published_at = _published_at(rng)
    return Solution(
        organization=provider,
        created_by=author,
        status=ListingStatus.PUBLISHED,
        title=f"{scenario.title}{'模块' if plug_and_play else '解决方案'}"[:100],
        summary=f"面向{scenario.industry.name}企业，{scenario.subcategory.name}场景的成熟做法。"[:200],
        description=f"{scenario.description}\n{DEMO_NOTE}",
        delivery_mode=rng.choice(list(DeliveryMode)),
        price_model=price_model,
        price_min=None if negotiable else low,
        price_max=None if negotiable else low * rng.choice([2, 3]),
        plug_and_play=plug_and_play,
        prerequisites="；".join(rng.sample(PREREQUISITES, 2)) if plug_and_play else "",
        deployment_days=rng.choice([3, 5, 7, 14, 21, 30]) if plug_and_play else None,
        includes="；".join(rng.sample(INCLUDES, 3)) if plug_and_play else "",
        industries=[scenario.industry],
        domains=list(scenario.domains),
        subcategories=[scenario.subcategory],
        scenarios=[scenario],
        submitted_at=published_at,
        published_at=published_at,
        created_at=published_at,
        updated_at=published_at,
        reviewed_by=author,
        cases=_cases(rng, scenario, enterprises),
    )


def _need(rng: random.Random, scenario: Scenario, enterprise: Organization, author: User) -> Need:
    low = rng.choice([5, 10, 20, 50, 100])
    published_at = _published_at(rng)
    return Need(
        organization=enterprise,
        created_by=author,
        status=ListingStatus.PUBLISHED,
        title=f"寻求{scenario.title}方案"[:100],
        description=f"我司希望实现：{scenario.description}\n{DEMO_NOTE}",
        industry=scenario.industry,
        district=enterprise.district,
        domains=list(scenario.domains),
        subcategories=[scenario.subcategory],
        scenarios=[scenario],
        budget_min=low,
        budget_max=low * 2,
        contact_person="演示联系人",
        contact_phone="0532-80000000",
        show_person=True,
        submitted_at=published_at,
        published_at=published_at,
        created_at=published_at,
        updated_at=published_at,
        expires_at=published_at + timedelta(days=lifetime_days()),
        reviewed_by=author,
    )


def _seed_for_logins(
    rng: random.Random, offered: list[Scenario], asked: list[Scenario], enterprises: list[Organization]
) -> None:
    """enterprise1's firm posts needs like some demo solutions answer, and provider1's firm offers
    solutions for scenarios some demo needs ask about, so both logins get recommendations."""
    buyer = db.session.scalar(select(User).where(User.email == "enterprise1@demo.gongfu"))
    seller = db.session.scalar(select(User).where(User.email == "provider1@demo.gongfu"))
    if buyer is not None and buyer.organization is not None:
        for scenario in offered[:LOGIN_ITEMS]:
            db.session.add(_need(rng, scenario, buyer.organization, buyer))
    if seller is not None and seller.organization is not None:
        for scenario in asked[:LOGIN_ITEMS]:
            db.session.add(_solution(rng, scenario, seller.organization, seller, True, enterprises))


def seed_marketplace() -> tuple[int, int]:
    """Add the demo solutions and needs unless they are there; returns how many of each."""
    if db.session.scalar(
        select(Solution.id)
        .join(Organization, Solution.organization_id == Organization.id)
        .where(Organization.name.endswith(DEMO_SUFFIX))
        .limit(1)
    ):
        return 0, 0
    providers = _orgs((OrgKind.PROVIDER, OrgKind.BOTH))
    enterprises = _orgs((OrgKind.ENTERPRISE, OrgKind.BOTH))
    scenarios = list(
        db.session.scalars(
            select(Scenario)
            .where(Scenario.status == ScenarioStatus.PUBLISHED)
            .options(selectinload(Scenario.domains))
            .order_by(Scenario.code)
        )
    )
    author = db.session.scalar(select(User).where(User.email == "admin@demo.gongfu"))
    if not (providers and enterprises and scenarios and author):
        return 0, 0
    rng = random.Random(SEED)
    offered = rng.sample(scenarios, min(SOLUTIONS, len(scenarios)))
    for n, scenario in enumerate(offered):
        db.session.add(_solution(rng, scenario, rng.choice(providers), author, n < PLUG_AND_PLAY, enterprises))
    asked = rng.sample(scenarios, min(NEEDS, len(scenarios)))
    for scenario in asked:
        same_industry = [e for e in enterprises if e.industry_id == scenario.industry_id]
        db.session.add(_need(rng, scenario, rng.choice(same_industry or enterprises), author))
    _seed_for_logins(rng, offered, asked, enterprises)
    db.session.flush()
    return min(SOLUTIONS, len(scenarios)), min(NEEDS, len(scenarios))
