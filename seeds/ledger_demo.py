"""Demo enablement ledger: a year of rows across districts, industries and kinds, so the
statistics dashboard is alive on `make run`.

Deterministic (one random seed). The firms it enables are demo organizations named
"…（演示）" with credit codes in a range of their own; every row is marked `demo` and its source
is `demo:<n>`. The year is the twelve months up to today, or up to the end of the current plan if
that is over, so that the plan's indicators have something to count. Running it again adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import Organization, OrgKind, User
from app.core.models import utcnow
from app.core.validators import uscc_check_character
from app.extensions import db
from app.stats.indicators import current_plan
from app.stats.ledger import record_enablement, reverse
from app.stats.models import Enablement, EnablementKind
from app.taxonomy.models import District, Industry

SEED = 2026
DEMO_SUFFIX = "（演示）"
CODE_PREFIX = "9137029900"  # + 7 digits + check character
FIRMS = 240
PROVIDERS = 8
ROWS = 4000
REVERSED_SHARE = 0.01

NAME_HEADS = [
    "瑞丰",
    "海晟",
    "宏达",
    "鑫源",
    "博远",
    "华泰",
    "恒信",
    "中科",
    "东方",
    "金桥",
    "新阳",
    "蓝海",
    "伟业",
    "正和",
    "德润",
    "卓越",
    "天成",
    "嘉禾",
    "凯瑞",
    "明辉",
]
NAME_TRADES = {
    "EQP": "机械制造",
    "APL": "电器",
    "RAIL": "轨道装备",
    "SHIP": "船舶配套",
    "FOOD": "食品",
    "TEX": "纺织服饰",
    "RAW": "新材料",
    "AUT": "汽车零部件",
}
PROVIDER_NAMES = [
    "青岛云智工业互联网有限公司",
    "青岛数联科技有限公司",
    "青岛精益咨询有限公司",
    "青岛联创物联网有限公司",
    "青岛海川软件有限公司",
    "青岛工赋大数据有限公司",
    "青岛智造服务有限公司",
    "青岛安泰信息技术有限公司",
]
# kind code → (weight, who enables: "provider" or a list of programme names)
KINDS = {
    "deal": (10, "provider"),
    "adoption": (8, "provider"),
    "event": (28, ["工业互联网产融对接会", "“四新领航”产业论坛", "工业互联网创新大赛"]),
    "meeting": (20, "provider"),
    "pilot": (2, ["新模式应用试点示范遴选"]),
    "incubation": (5, ["雏鹰企业孵化计划", "瞪羚企业培育计划"]),
    "diagnosis": (15, "provider"),
    "training": (12, ["数字化转型专题培训班", "工业互联网普及培训"]),
}
# Relative activity per calendar month (fewer around the Spring Festival, more at year end).
MONTH_WEIGHT = {1: 0.8, 2: 0.5, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.1, 7: 0.9, 8: 0.9, 9: 1.1, 10: 0.9, 11: 1.2, 12: 1.4}


def _code(serial: int) -> str:
    first17 = f"{CODE_PREFIX}{serial:07d}"
    return first17 + uscc_check_character(first17)


def _organization(serial: int, name: str, kind: OrgKind, district: District, industry: Industry) -> Organization:
    code = _code(serial)
    org = db.session.scalar(select(Organization).where(Organization.credit_code == code))
    if org is None:
        org = Organization(
            name=name + DEMO_SUFFIX,
            credit_code=code,
            kind=kind,
            district=district,
            industry=industry,
            contact_person="演示联系人",
            contact_phone="0532-80000000",
            description="演示数据：由 seeds/ledger_demo.py 生成，不是真实企业。",
            # most firms of a running portal have been verified; every tenth is still waiting
            verified_at=utcnow() - timedelta(days=serial % 300) if serial % 10 else None,
            verification_note="演示数据" if serial % 10 else "",
        )
        db.session.add(org)
    return org


def _year(today: date) -> tuple[date, date]:
    plan = current_plan(today)
    end = min(today, plan.ends_on) if plan else today
    return end - timedelta(days=364), end


def seed_ledger(today: date | None = None, rows: int = ROWS) -> int:
    """Add the demo rows unless they are there; returns how many were counted."""
    if db.session.scalar(select(Enablement.id).where(Enablement.demo.is_(True)).limit(1)):
        return 0
    rng = random.Random(SEED)
    districts = list(db.session.scalars(select(District).order_by(District.position)))
    industries = list(db.session.scalars(select(Industry).order_by(Industry.position)))
    kinds = {kind.code: kind for kind in db.session.scalars(select(EnablementKind))}
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.gongfu"))

    # Larger districts and the two biggest industries have more firms.
    district_weights = [3 if i < 3 else 1 for i in range(len(districts))]
    industry_weights = [3 if i < 2 else 1 for i in range(len(industries))]
    firms = []
    for serial in range(1, FIRMS + 1):
        industry = rng.choices(industries, industry_weights)[0]
        name = f"青岛{rng.choice(NAME_HEADS)}{NAME_TRADES.get(industry.code, '制造')}有限公司{serial:03d}"
        firms.append(
            _organization(serial, name, OrgKind.ENTERPRISE, rng.choices(districts, district_weights)[0], industry)
        )
    providers = [
        _organization(FIRMS + i + 1, PROVIDER_NAMES[i], OrgKind.PROVIDER, rng.choice(districts), rng.choice(industries))
        for i in range(PROVIDERS)
    ]
    db.session.flush()

    start, end = _year(today or date.today())
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    day_weights = [MONTH_WEIGHT[d.month] * (0.3 if d.weekday() >= 5 else 1.0) for d in days]
    # Active firms are enabled more often: a few firms get many services, most get one or two.
    firm_weights = [rng.paretovariate(1.5) for _ in firms]
    provider_weights = [rng.paretovariate(1.2) for _ in providers]
    codes = [code for code in KINDS if code in kinds]
    counted = 0
    recorded = []
    for n in range(rows):
        code = rng.choices(codes, [KINDS[c][0] for c in codes])[0]
        enabler = KINDS[code][1]
        provider = rng.choices(providers, provider_weights)[0] if enabler == "provider" else None
        result = record_enablement(
            firm=rng.choices(firms, firm_weights)[0],
            kind=kinds[code],
            source_type="demo",
            source_id=n,
            occurred_on=rng.choices(days, day_weights)[0],
            provider=provider,
            programme="" if provider else rng.choice(enabler),
            recorded_by=admin,
            note="演示数据",
            evidence="演示数据，无证明材料",
            demo=True,
        )
        counted += result.created
        recorded.append(result.row)
    for row in rng.sample(recorded, int(len(recorded) * REVERSED_SHARE)):
        reverse(row, by=admin, reason="演示：重复登记，冲销")
        counted -= 1
    return counted
