"""The demo threads: deals counted once in the ledger, and two threads waiting for the demo logins."""

from sqlalchemy import func, select

from app.extensions import db
from app.inquiries.models import Inquiry, InquiryState, Side
from app.stats.models import Enablement, EnablementKind
from seeds.demo import seed_demo
from seeds.inquiries_demo import seed_inquiries
from seeds.ledger_demo import seed_ledger
from seeds.marketplace_demo import seed_marketplace


def test_demo_threads_count_their_deals_once_and_wait_for_the_logins(app, make_batch, make_scenario):
    batch = make_batch("2022年第一批")
    for _ in range(12):
        make_scenario(batch=batch)
    seed_demo()
    seed_ledger(rows=20)
    seed_marketplace()
    threads = seed_inquiries()
    db.session.commit()
    assert threads == db.session.scalar(select(func.count(Inquiry.id))) > 20
    states = set(db.session.scalars(select(Inquiry.state)))
    assert states == set(InquiryState)
    deals = db.session.scalars(select(Inquiry).where(Inquiry.state == InquiryState.DEAL)).all()
    rows = db.session.scalars(
        select(Enablement)
        .join(EnablementKind)
        .where(EnablementKind.code == "deal", Enablement.source_type == "inquiry")
    ).all()
    assert sorted(int(r.source_id) for r in rows) == sorted(d.id for d in deals)
    assert all(r.demo and r.firm_id != r.provider_id for r in rows)
    assert any(d.follow_ups for d in deals)

    waiting = {
        i.enterprise.memberships[0].user.email if i.solution_id else i.provider.memberships[0].user.email: i
        for i in db.session.scalars(select(Inquiry).where(Inquiry.state == InquiryState.ACCEPTED))
    }
    for_enterprise = waiting["enterprise1@demo.gongfu"]
    assert for_enterprise.confirmed_at(Side.PROVIDER) and not for_enterprise.confirmed_at(Side.ENTERPRISE)
    assert waiting["provider1@demo.gongfu"].need_id is not None
    assert seed_inquiries() == 0
