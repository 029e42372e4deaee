"""The ledger counts what the domains' signals say happened (app/core/signals.py): once per record
however often a signal is sent, inside the sender's transaction; and each domain's step sends its
signal, so no domain writes to the ledger itself."""

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.accounts.models import OrgKind, SiteRole
from app.core import signals
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.core.steps import run_step
from app.events import services as events
from app.events.models import Meeting, ParticipantRole
from app.extensions import db
from app.incubation import services as incubation
from app.incubation.models import Stage
from app.inquiries import services as inquiries
from app.pilots import services as pilots
from app.pilots.models import CallStatus
from app.reviews.models import RoundStatus
from app.stats.models import Enablement
from tests.stats.conftest import rows

APP_DIR = Path(__file__).resolve().parents[2] / "app"


@contextmanager
def captured(signal) -> Iterator[list[tuple[object, dict]]]:
    """What `signal` is sent while the block runs: (sender, keyword arguments) in order."""
    sent: list[tuple[object, dict]] = []

    def receiver(sender, **kwargs):
        sent.append((sender, kwargs))

    with signal.connected_to(receiver):
        yield sent


def counted(source_type: str, source_id: int) -> list[tuple]:
    """The ledger rows of one source, as (kind, firm, provider, day, programme, recorded by)."""
    db.session.expire_all()
    found = db.session.scalars(
        select(Enablement)
        .where(Enablement.source_type == source_type, Enablement.source_id == str(source_id))
        .order_by(Enablement.id)
    )
    return [(r.kind.code, r.firm_id, r.provider_id, r.occurred_on, r.programme, r.recorded_by_id) for r in found]


# --- the ledger's subscription -------------------------------------------------------------------


def test_a_signal_counts_its_firm_once_however_often_it_is_sent(app, make_org, make_user, make_event):
    firm, admin = make_org(), make_user(role=SiteRole.ADMIN)
    event = make_event(admin)
    check_in = {"firm": firm, "on": date(2026, 5, 18), "programme": event.title, "by": admin}

    signals.attendee_checked_in.send(event, **check_in)
    db.session.commit()
    signals.attendee_checked_in.send(event, **check_in)
    db.session.commit()

    assert counted("event", event.id) == [("event", firm.id, None, date(2026, 5, 18), event.title, admin.id)]
    assert len(rows()) == 1


def test_a_long_programme_name_is_cut_to_the_ledger_column(app, make_org, make_user, make_event):
    firm, admin = make_org(), make_user(role=SiteRole.ADMIN)
    event = make_event(admin)
    long_name = "产融对接" * 40

    signals.attendee_checked_in.send(event, firm=firm, on=date(2026, 5, 18), programme=long_name, by=admin)
    db.session.commit()

    ((*_, programme, _by),) = counted("event", event.id)
    assert programme == long_name[:100]


def test_a_step_rolled_back_leaves_nothing_in_the_ledger(app, make_org, make_user, make_event):
    firm, admin = make_org(), make_user(role=SiteRole.ADMIN)
    event = make_event(admin)

    def refused_after_the_signal():
        signals.attendee_checked_in.send(event, firm=firm, on=date(2026, 5, 18), programme=event.title, by=admin)
        assert len(rows()) == 1  # counted inside the step's transaction...
        raise DomainError("后面的检查拒绝了这一步。")

    with app.test_request_context():
        assert run_step(refused_after_the_signal) is None

    assert rows() == []  # ...and undone with it


# --- each domain's step sends its signal --------------------------------------------------------


def _firm(make_user, make_org, name, kind=OrgKind.ENTERPRISE):
    user = make_user(f"{name}@example.com")
    make_org(owner=user, name=f"青岛{name}科技", kind=kind)
    return user


def test_checking_in_sends_attendee_checked_in_and_counts_the_firm_once(app, make_user, make_org, make_event):
    admin, member = make_user(role=SiteRole.ADMIN), _firm(make_user, make_org, "first")
    start = utcnow().replace(microsecond=0) + timedelta(minutes=30)  # check-in opens an hour before
    event = make_event(admin, starts_at=start, ends_at=start + timedelta(hours=8))
    with app.test_request_context():
        registration = events.register(event, member, events.Entry(ParticipantRole.DEMAND, "", "", "", [], [], []))
        db.session.commit()

        with captured(signals.attendee_checked_in) as sent:
            events.check_in(event, registration.ticket_code, admin)
            db.session.commit()

    assert [(sender, kwargs["firm"], kwargs["by"]) for sender, kwargs in sent] == [(event, member.organization, admin)]
    expected = [("event", member.organization.id, None, sent[0][1]["on"], event.title, admin.id)]
    assert counted("event", event.id) == expected
    for sender, kwargs in sent:  # a replay counts nothing more
        signals.attendee_checked_in.send(sender, **kwargs)
    assert counted("event", event.id) == expected


def _meeting(app, make_user, make_org, make_event):
    """A meeting between a demand firm (who asked) and a supply firm, in a slot that has begun."""
    admin = make_user(role=SiteRole.ADMIN)
    demand, supply = _firm(make_user, make_org, "demand"), _firm(make_user, make_org, "supply", OrgKind.BOTH)
    start = utcnow() - timedelta(hours=2)
    event = make_event(
        admin, starts_at=start, ends_at=start + timedelta(hours=8), registration_closes_at=start + timedelta(hours=8)
    )
    with app.test_request_context():
        asker = events.register(event, demand, events.Entry(ParticipantRole.DEMAND, "", "", "", [], [], []))
        asked = events.register(event, supply, events.Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
        request = events.send_request(event, demand, asked, "想聊聊设备联网。")
        events.decide_request(request, supply, accept=True)
    meeting = Meeting(event_id=event.id, request=request, slot=event.slots[0], table=event.tables[0])
    db.session.add(meeting)
    db.session.commit()
    assert asker.organization == demand.organization
    return meeting, demand, supply


def test_recording_outcomes_sends_meeting_held_and_a_deal_and_counts_each_once(
    app, client, login, make_user, make_org, make_event
):
    meeting, demand, supply = _meeting(app, make_user, make_org, make_event)

    with captured(signals.meeting_held) as held, captured(signals.meeting_deal_recorded) as deals:
        for user in (supply, demand):
            client.post_form("/logout")
            login(user)
            client.post_form(f"/events/meetings/{meeting.id}/outcome", {"kind": "deal", "amount": "30"})

    db.session.expire_all()
    assert [sender.id for sender, _kwargs in held] == [meeting.id, meeting.id]  # once per side's account
    assert [sender.id for sender, _kwargs in deals] == [meeting.id, meeting.id]
    day, title = meeting.slot.starts_at.date(), meeting.request.event.title
    asker, asked = demand.organization, supply.organization
    expected = sorted(
        [
            ("meeting", asker.id, asked.id, day, title, supply.id),  # each side once, enabled by the other
            ("meeting", asked.id, asker.id, day, title, supply.id),
            ("deal", asker.id, asked.id, day, title, supply.id),  # the side that came as demand is enabled
        ]
    )
    assert sorted(counted("event-meeting", meeting.id)) == expected

    signals.meeting_held.send(meeting, firms=(asker, asked), on=day, programme=title, by=demand)  # a replay
    signals.meeting_deal_recorded.send(meeting, firm=asker, provider=asked, on=day, programme=title, by=demand)
    assert sorted(counted("event-meeting", meeting.id)) == expected


def test_confirming_a_deal_sends_deal_confirmed_and_counts_the_enterprise_once(app, make_user, make_org, make_solution):
    provider, enterprise = _firm(make_user, make_org, "provider", OrgKind.BOTH), _firm(make_user, make_org, "buyer")
    solution = make_solution(provider.organization, provider)
    with app.test_request_context():
        inquiry = inquiries.inquire(solution, enterprise, "想了解部署周期和费用。")
        inquiries.accept(inquiry, provider)
        with captured(signals.deal_confirmed) as sent:
            assert inquiries.confirm_deal(inquiry, enterprise) is False
            assert sent == []  # one side is not a deal
            assert inquiries.confirm_deal(inquiry, provider) is True
        db.session.commit()

    assert [(sender, kwargs["firm"], kwargs["provider"]) for sender, kwargs in sent] == [
        (inquiry, enterprise.organization, provider.organization)
    ]
    expected = [("deal", enterprise.organization.id, provider.organization.id, inquiry.deal_at.date(), "", provider.id)]
    assert counted("inquiry", inquiry.id) == expected
    signals.deal_confirmed.send(inquiry, **sent[0][1])
    assert counted("inquiry", inquiry.id) == expected


def test_publishing_a_pilot_list_sends_it_and_counts_each_selected_firm_once(
    app, make_user, make_org, make_pilot_call, make_pilot_application
):
    admin = make_user(role=SiteRole.ADMIN)
    call = make_pilot_call(admin, status=CallStatus.NOTICE)
    applications = []
    for name in ("first", "second", "third"):
        member = _firm(make_user, make_org, name)
        applications.append(make_pilot_application(call, member.organization, member))
    applications[0].selected = applications[1].selected = True
    call.notice_ends_on = date(2026, 6, 1)
    pilots.review_of(call).status = RoundStatus.CLOSED
    db.session.commit()

    with app.test_request_context(), captured(signals.pilot_list_published) as sent:
        assert pilots.publish(call, admin, today=date(2026, 6, 1)) == 2
        db.session.commit()
        assert pilots.record_selection(call, admin) == 0  # a replay counts nobody twice

    assert [(sender, kwargs["selected"]) for sender, kwargs in sent] == [(call, applications[:2])] * 2
    for application in applications:
        expected = [("pilot", application.organization_id, None, date(2026, 6, 1), "pilot", admin.id)]
        assert counted("pilot_application", application.id) == (expected if application.selected else [])


def test_certifying_sends_firm_certified_and_counts_the_firm_once(app, make_user, make_org):
    admin, member = make_user(role=SiteRole.ADMIN), _firm(make_user, make_org, "eaglet")
    enrolment = incubation.enrol(member.organization, incubation.track_by_code("eaglet"), admin)
    incubation.move(enrolment, Stage.INCUBATING, admin)
    db.session.commit()

    with app.test_request_context(), captured(signals.firm_certified) as sent:
        incubation.move(enrolment, Stage.CERTIFIED, admin, reason="专家组评审认为其核心技术突破", on=date(2026, 3, 2))
        db.session.commit()

    assert [(sender, kwargs["firm"], kwargs["on"]) for sender, kwargs in sent] == [
        (enrolment, member.organization, date(2026, 3, 2))
    ]
    expected = [("incubation", member.organization.id, None, date(2026, 3, 2), "eaglet", admin.id)]
    assert counted("incubation", enrolment.id) == expected
    signals.firm_certified.send(enrolment, **sent[0][1])
    assert counted("incubation", enrolment.id) == expected


def test_no_domain_writes_to_the_ledger_itself():
    """Only app/stats imports the ledger's writing module; the domains send signals."""
    writers = []
    for path in APP_DIR.rglob("*.py"):
        if path.relative_to(APP_DIR).parts[0] == "stats":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [f"{node.module}.{alias.name}" for alias in node.names]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            if any(name == "app.stats.ledger" or name.startswith("app.stats.ledger.") for name in names):
                writers.append(str(path.relative_to(APP_DIR)))
    assert writers == []
