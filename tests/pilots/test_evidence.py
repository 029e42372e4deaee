"""A pilot application cites the firm's own portal records (yearly figures, incubation, ledger
deals, matchmaking outcomes, competition results); the experts see each with its source."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import OrgKind, SiteRole
from app.core.models import utcnow
from app.events import competition
from app.events import services as events
from app.events.models import (
    EventKind,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    ParticipantRole,
    RequestStatus,
)
from app.extensions import db
from app.incubation import services as incubation
from app.incubation.models import AnnualFigures, Stage
from app.pilots.models import EvidenceSource, PilotApplication, PilotAssignment, PilotEvidence
from app.reviews import services as reviews
from app.stats.ledger import record_enablement

FORM = {
    "project_name": "注塑车间设备联网",
    "description": "40 台注塑机联网。",
    "investment": "120.5",
    "expected_results": "停机减少 30%",
}


def _figures(org, user, year, revenue):
    row = AnnualFigures(
        organization=org,
        year=year,
        revenue=Decimal(revenue),
        net_profit=Decimal("60"),
        rd_spending=Decimal("50"),
        employees=40,
        rd_staff=10,
        invention_patents=3,
        other_ip=2,
        financing=Decimal("0"),
        entered_by=user,
    )
    db.session.add(row)
    return row


def _registered(app, event, user, role=ParticipantRole.DEMAND):
    with app.test_request_context():
        return events.register(event, user, events.Entry(role, "", "", "", [], [], []))


@pytest.fixture
def firms(app, make_user, make_org, make_event):
    """The applicant (with one record of each kind), another firm (with records of its own), an
    expert and an admin."""
    people = {
        "applicant": make_user("applicant@example.com"),
        "other": make_user("other@example.com"),
        "bank": make_user("bank@example.com"),
        "expert": make_user("expert@example.com", role=SiteRole.EXPERT),
        "admin": make_user("admin@example.com", role=SiteRole.ADMIN),
    }
    mine = make_org(owner=people["applicant"], name="青岛甲智能制造", kind=OrgKind.ENTERPRISE)
    other = make_org(owner=people["other"], name="青岛乙机械", kind=OrgKind.ENTERPRISE)
    make_org(owner=people["bank"], name="青岛丙银行", kind=OrgKind.PROVIDER)
    records = {
        "figures": _figures(mine, people["applicant"], 2025, "1200"),
        "other_figures": _figures(other, people["other"], 2025, "900"),
        "enrolment": incubation.apply(mine, incubation.track_by_code("eaglet"), people["applicant"]),
        "deal": record_enablement(
            firm=mine, kind="deal", source_type="manual", source_id="d1", occurred_on=date(2025, 6, 1)
        ).row,
    }
    records["enrolment"].stage = Stage.INCUBATING

    start = utcnow() - timedelta(days=3)
    finance = make_event(
        people["admin"],
        title="2025 秋季产融对接会",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        registration_opens_at=start - timedelta(days=1),
        registration_closes_at=utcnow() + timedelta(hours=1),
    )
    ours = _registered(app, finance, people["applicant"])
    bank = _registered(app, finance, people["bank"], ParticipantRole.INVESTOR)
    request = MeetingRequest(event=finance, requester=ours, recipient=bank, status=RequestStatus.ACCEPTED)
    meeting = Meeting(event_id=finance.id, request=request, slot=finance.slots[0], table=finance.tables[0])
    records["outcome"] = MeetingOutcome(
        meeting=meeting,
        registration=ours,
        kind=OutcomeKind.DEAL,
        financing=Decimal("500"),
        institution="青岛丙银行",
        recorded_by_id=people["applicant"].id,
    )
    db.session.add_all([request, meeting, records["outcome"]])

    contest = make_event(people["admin"], kind=EventKind.COMPETITION, title="工业APP创新大赛")
    with app.test_request_context():
        review = competition.judging(contest)
        reviews.set_criteria(review, [("创新性", 100)])
        records["entry"] = competition.submit(_registered(app, contest, people["applicant"]), "设备预警APP", "介绍", [])
        rival = competition.submit(_registered(app, contest, people["other"]), "质检APP", "介绍", [])
        (criterion,) = review.criteria
        reviews.score(review, people["expert"], records["entry"].id, {criterion.id: 9})
        reviews.score(review, people["expert"], rival.id, {criterion.id: 6})
        reviews.close(review)
        reviews.publish(review)
    db.session.commit()
    return people, records


def _keys(records):
    return {
        "figures": f"figures:{records['figures'].id}",
        "incubation": f"incubation:{records['enrolment'].id}",
        "ledger": f"ledger:{records['deal'].id}",
        "event_outcome": f"event_outcome:{records['outcome'].id}",
        "competition": f"competition:{records['entry'].id}",
    }


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def test_the_form_offers_the_firms_own_records_of_every_kind(client, login, firms, make_pilot_call):
    people, records = firms
    call = make_pilot_call(people["admin"])
    login(people["applicant"])
    form = client.get(f"/pilots/{call.id}/apply").get_data(as_text=True)
    for key in _keys(records).values():
        assert f'value="{key}"' in form
    assert f'value="figures:{records["other_figures"].id}"' not in form
    assert "来源：企业填报的年度数据 2025" in form and "第 1 名（共 2 名）" in form and "青岛丙银行" in form


def test_another_firms_record_is_refused_and_nothing_is_written(client, login, firms, make_pilot_call):
    people, records = firms
    call = make_pilot_call(people["admin"])
    login(people["applicant"])
    for forged in (f"figures:{records['other_figures'].id}", "figures:x", "nowhere:1"):
        response = client.post_form(
            f"/pilots/{call.id}/apply",
            {**FORM, "mode_id": str(call.modes[0].id), "evidence": [_keys(records)["ledger"], forged]},
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert db.session.scalar(select(func.count(PilotApplication.id))) == 0
        assert db.session.scalar(select(func.count(PilotEvidence.id))) == 0


def test_the_experts_see_each_cited_record_with_its_source(client, login, firms, make_pilot_call):
    people, records = firms
    call = make_pilot_call(people["admin"])
    keys = _keys(records)
    login(people["applicant"])
    response = client.post_form(
        f"/pilots/{call.id}/apply",
        {**FORM, "mode_id": str(call.modes[0].id), "evidence": list(keys.values())},
    )
    assert response.status_code == 302
    application = db.session.scalars(select(PilotApplication)).one()
    assert sorted(f"{e.source.value}:{e.record_id}" for e in application.evidence) == sorted(keys.values())
    db.session.add(PilotAssignment(application=application, expert=people["expert"]))
    db.session.commit()

    _as(client, login, people["expert"])
    page = client.get(f"/pilots/applications/{application.id}").get_data(as_text=True)
    evidence = page[page.index('data-test="evidence"') :]
    for origin in (
        "来源：企业填报的年度数据 2025",
        f"来源：平台孵化培育记录 {records['enrolment'].created_at.year}",
        "来源：平台赋能记录 2025",
        f"来源：平台活动洽谈结果 {records['outcome'].meeting.slot.starts_at.year}",
        f"来源：平台大赛结果 {records['entry'].event.starts_at.year}",
    ):
        assert origin in evidence
    assert "营业收入 1,200 万元" in evidence and "孵化中" in evidence and "融资 500 万元" in evidence
    assert "设备预警APP" in evidence and "第 1 名（共 2 名）" in evidence
    # The expert opens the public pages, never the firm's figures or the admins' ledger.
    assert f'href="/events/{records["outcome"].meeting.event_id}"' in evidence
    assert f'href="/events/{records["entry"].event_id}"' in evidence
    assert "/incubation/figures" not in evidence and "/stats/ledger/" not in evidence

    _as(client, login, people["applicant"])
    mine = client.get(f"/pilots/applications/{application.id}").get_data(as_text=True)
    assert 'href="/incubation/figures"' in mine and "/stats/ledger/" not in mine

    _as(client, login, people["admin"])
    admin = client.get(f"/pilots/applications/{application.id}").get_data(as_text=True)
    assert f'href="/stats/ledger/{records["deal"].id}"' in admin
    assert f'href="/admin/incubation/figures/{records["figures"].id}/correct"' in admin


def test_a_cited_record_later_gone_says_so(client, login, firms, make_pilot_call, make_pilot_application):
    people, records = firms
    call = make_pilot_call(people["admin"])
    application = make_pilot_application(call, people["applicant"].organization, people["applicant"])
    application.evidence = [PilotEvidence(source=EvidenceSource.EVENT_OUTCOME, record_id=records["outcome"].id)]
    db.session.delete(records["outcome"])
    db.session.commit()
    login(people["applicant"])
    page = client.get(f"/pilots/applications/{application.id}").get_data(as_text=True)
    assert "该记录已不在平台上" in page
