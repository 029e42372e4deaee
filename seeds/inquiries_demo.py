"""Demo threads between the demo organizations: open inquiries, talks, declines and deals, some
of them old enough to have their six-month follow-up answered.

Two threads involve the demo logins so that they can walk the last steps themselves: enterprise1's
firm talks with a provider who has already confirmed the deal (enterprise1 confirms it), and
provider1's firm has proposed for a need that its enterprise accepted (provider1 can confirm).
Deals are counted in the ledger as demo rows. Deterministic; running it again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app, url_for
from sqlalchemy import select

from app.accounts.models import MemberRole, Membership, Organization, User
from app.core.models import utcnow
from app.extensions import db
from app.inquiries.models import FollowUp, FollowUpAnswer, Inquiry, InquiryMessage, InquiryState, Side
from app.inquiries.services import FOLLOW_UP_AFTER
from app.listings.moderation import ListingMixin, ListingStatus
from app.needs.models import Need
from app.notifications.models import Notification, Topic
from app.solutions.models import Solution
from app.stats.ledger import record_enablement
from seeds.marketplace_demo import DEMO_SUFFIX

SEED = 2027
THREADS = 48
STATES = (
    [InquiryState.OPEN] * 3
    + [InquiryState.ACCEPTED] * 3
    + [InquiryState.DECLINED]
    + [InquiryState.DEAL] * 4
    + [InquiryState.CLOSED]
)

ASKS = [
    "我们有 {n} 台设备，想了解这个方案的部署周期和费用，能否安排一次线上交流？",
    "请问方案是否支持我们现有的 ERP 系统？希望先看一下同行业的案例。",
    "我司计划今年完成车间数字化改造，想了解实施团队的配置和报价区间。",
]
PROPOSALS = [
    "我们在同行业有 {n} 个落地项目，可以先做一周免费诊断，再给出实施方案和报价。",
    "针对贵司需求，我们建议分两期实施：一期设备联网，二期数据分析，预算可控制在范围内。",
]
REPLIES = [
    "感谢关注，已安排工程师下周上门调研，请确认时间。",
    "方案可以对接贵司现有系统，报价单已整理好，稍后发您。",
    "可以，我们先签一期，二期视效果再定。",
    "收到，内部评估后尽快答复。",
]
DECLINES = ["目前项目排期已满，暂不能承接。", "预算与方案差距较大，暂不推进。"]


def _demo(model: type[ListingMixin]):
    return list(
        db.session.scalars(
            select(model)
            .join(Organization, model.organization_id == Organization.id)
            .where(Organization.name.endswith(DEMO_SUFFIX), model.status == ListingStatus.PUBLISHED)
            .order_by(model.id)
        )
    )


def _members(org: Organization) -> list[User]:
    """The organization's members; a demo firm of the ledger has none, so it gets a contact who
    cannot log in (an unusable password, deactivated) to author its messages."""
    if not org.memberships:
        contact = User(
            email=f"contact-{org.id}@demo.gongfu",
            display_name=org.contact_person[:50] or "演示联系人",
            password_hash="!",
            active=False,
        )
        db.session.add(Membership(user=contact, organization=org, role=MemberRole.OWNER))
        db.session.flush()
        db.session.refresh(org, ["memberships"])
    return [m.user for m in org.memberships]


def _later(when: datetime, step: timedelta) -> datetime:
    """`step` after `when`, but never after now: a demo thread has not happened in the future."""
    return min(when + step, utcnow())


def _thread(
    rng: random.Random,
    subject,
    enterprise: Organization,
    provider: Organization,
    state: InquiryState,
    opened_days_ago: int,
) -> Inquiry:
    opened = utcnow() - timedelta(days=opened_days_ago, minutes=rng.randint(0, 600))
    is_solution = isinstance(subject, Solution)
    opener_side = Side.ENTERPRISE if is_solution else Side.PROVIDER
    sides = {Side.ENTERPRISE: _members(enterprise)[0], Side.PROVIDER: _members(provider)[0]}
    inquiry = Inquiry(
        solution=subject if is_solution else None,
        need=None if is_solution else subject,
        enterprise=enterprise,
        provider=provider,
        opened_by=sides[opener_side],
        state=state,
        created_at=opened,
        updated_at=opened,
    )
    first = rng.choice(ASKS if is_solution else PROPOSALS).format(n=rng.randint(3, 60))
    inquiry.messages.append(InquiryMessage(author=sides[opener_side], side=opener_side, body=first, created_at=opened))
    when = opened
    if state != InquiryState.OPEN:
        when = _later(when, timedelta(hours=rng.randint(2, 48)))
        inquiry.decided_at = when
    if state == InquiryState.DECLINED:
        inquiry.decline_reason = rng.choice(DECLINES)
    if state in (InquiryState.ACCEPTED, InquiryState.DEAL, InquiryState.CLOSED):
        for body in rng.sample(REPLIES, 2):
            side = Side.PROVIDER if body in REPLIES[:2] else Side.ENTERPRISE
            when = _later(when, timedelta(hours=rng.randint(1, 72)))
            inquiry.messages.append(InquiryMessage(author=sides[side], side=side, body=body, created_at=when))
    if state == InquiryState.DEAL:
        when = _later(when, timedelta(days=rng.randint(3, 20)))
        inquiry.deal_amount = Decimal(rng.choice([6, 12, 18, 25, 40, 80]))
        inquiry.enterprise_confirmed_at = inquiry.provider_confirmed_at = inquiry.deal_at = when
        inquiry.enterprise_confirmed_by_id, inquiry.provider_confirmed_by_id = (
            sides[Side.ENTERPRISE].id,
            sides[Side.PROVIDER].id,
        )
    if state == InquiryState.CLOSED:
        inquiry.closed_at = _later(when, timedelta(days=rng.randint(1, 10)))
    inquiry.updated_at = inquiry.closed_at or when
    db.session.add(inquiry)
    db.session.flush()
    if state == InquiryState.DEAL:
        record_enablement(
            firm=enterprise,
            kind="deal",
            source_type="inquiry",
            source_id=inquiry.id,
            occurred_on=when.date(),  # the deal's date
            provider=provider,
            demo=True,
        )
        _follow_up(rng, inquiry, sides)
    if inquiry.need is not None and state in (InquiryState.ACCEPTED, InquiryState.DEAL):
        inquiry.need.status = ListingStatus.IN_TALKS if state == InquiryState.ACCEPTED else ListingStatus.FULFILLED
    return inquiry


def _follow_up(rng: random.Random, inquiry: Inquiry, sides: dict[Side, User]) -> None:
    deal_at = inquiry.deal_at
    if deal_at is None or utcnow() - deal_at < FOLLOW_UP_AFTER:
        return
    asked_at = inquiry.follow_up_asked_at = deal_at + FOLLOW_UP_AFTER
    for side, user in sides.items():
        answer = rng.choices(list(FollowUpAnswer), weights=[1, 3, 5, 2])[0]
        inquiry.follow_ups.append(
            FollowUp(side=side, answer=answer, answered_by=user, answered_at=_later(asked_at, timedelta(days=2)))
        )


def _for_login(inquiry: Inquiry, waiting: Side, title: str) -> None:
    """The demo login on the `waiting` side sees the thread as unread in its inbox."""
    with current_app.test_request_context():
        link = url_for("inquiries.detail", inquiry_id=inquiry.id)
    for user in _members(inquiry.org_of(waiting)):
        db.session.add(Notification(user=user, topic=Topic.STATE, title=title, link=link))


def seed_inquiries() -> int:
    """Add the demo threads unless they are there; returns how many."""
    if db.session.scalar(select(Inquiry.id).limit(1)) is not None:
        return 0
    solutions, needs = _demo(Solution), _demo(Need)
    enterprises = [
        o
        for o in db.session.scalars(
            select(Organization).where(Organization.name.endswith(DEMO_SUFFIX)).order_by(Organization.id)
        )
        if o.is_enterprise
    ]
    login_firm = db.session.scalar(select(User).where(User.email == "enterprise1@demo.gongfu"))
    login_provider = db.session.scalar(select(User).where(User.email == "provider1@demo.gongfu"))
    if not (solutions and len(needs) > 1 and enterprises and login_firm and login_provider):
        return 0
    rng = random.Random(SEED)
    kept_for_login = needs.pop()
    count = 0
    for n in range(THREADS):
        state = rng.choice(STATES)
        days_ago = rng.randint(200, 330) if state == InquiryState.DEAL and n % 2 else rng.randint(1, 150)
        if n % 3:
            solution = rng.choice(solutions)
            firm = rng.choice([e for e in enterprises if e.id != solution.organization_id])
            _thread(rng, solution, firm, solution.organization, state, days_ago)
        else:
            need = rng.choice([x for x in needs if x.status == ListingStatus.PUBLISHED] or needs)
            provider = rng.choice([s.organization for s in solutions if s.organization_id != need.organization_id])
            _thread(rng, need, need.organization, provider, state, days_ago)
        count += 1

    solution = next(s for s in solutions if s.plug_and_play)
    talk = _thread(rng, solution, login_firm.organization, solution.organization, InquiryState.ACCEPTED, 5)
    talk.provider_confirmed_at, talk.provider_confirmed_by_id = utcnow(), _members(solution.organization)[0].id
    talk.deal_amount = Decimal(12)
    _for_login(talk, Side.ENTERPRISE, f"“{solution.organization.name}”确认了对接“{solution.title}”的签约，请您确认")
    proposal = _thread(
        rng, kept_for_login, kept_for_login.organization, login_provider.organization, InquiryState.ACCEPTED, 3
    )
    _for_login(proposal, Side.PROVIDER, f"“{kept_for_login.organization.name}”接受了对接“{kept_for_login.title}”")
    db.session.flush()
    return count + 2
