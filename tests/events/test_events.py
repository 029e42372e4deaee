"""Events through the HTTP client: the organiser's event and programme, registration with a
waiting list and approval, the ticket, check-in at the door, the .ics, meeting requests, the
schedule and agendas, outcomes and the report."""

import io
import re
from datetime import datetime, timedelta

import icalendar
import openpyxl
import pytest
from sqlalchemy import func, select

from app.accounts.models import OrgKind, SiteRole
from app.core.models import utcnow
from app.events import agenda
from app.events.models import (
    CompetitionEntry,
    EntryFile,
    Event,
    EventKind,
    EventStatus,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from app.extensions import db
from app.mail.models import MailMessage
from app.notifications.models import Notification
from app.reviews.models import ReviewRound
from app.stats.models import Enablement, EnablementKind
from app.taxonomy.models import TechDomain
from tests.conftest import taxonomy_entry


@pytest.fixture
def people(app, make_user, make_org):
    firms = {}
    for name in ("first", "second", "third"):
        user = make_user(f"{name}@example.com")
        make_org(owner=user, name=f"青岛{name}科技", kind=OrgKind.BOTH)
        firms[name] = user
    firms["admin"] = make_user("admin@example.com", role=SiteRole.ADMIN)
    return firms


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def _register(client, event, role="demand", **data):
    return client.post_form(f"/events/{event.id}/register", {"role": role, **data})


def _status(registration_id):
    db.session.expire_all()
    return db.session.get(Registration, registration_id).status


def test_the_organiser_creates_schedules_and_publishes_an_event(client, login, people):
    login(people["admin"])
    response = client.post_form(
        "/admin/events/new",
        {
            "kind": "finance",
            "title": "2026 产融对接会",
            "description": "银行与企业一对一洽谈。",
            "venue": "青岛国际会议中心",
            "starts_at": "2026-12-18T09:00",
            "ends_at": "2026-12-18T17:00",
            "registration_opens_at": "2026-11-01T09:00",
            "registration_closes_at": "2026-12-17T18:00",
            "capacity": "100",
            "slot_minutes": "20",
            "request_limit": "10",
            "requests_need_acceptance": "y",
        },
    )
    event = db.session.scalars(select(Event)).one()
    assert response.headers["Location"].endswith(f"/admin/events/{event.id}/programme")
    assert event.starts_at == datetime(2026, 12, 18, 1, 0)  # 09:00 in Qingdao is 01:00 UTC
    assert event.status == EventStatus.DRAFT
    assert client.get(f"/events/{event.id}").status_code == 200  # the admin previews the draft

    bad = client.post_form(
        f"/admin/events/{event.id}/programme",
        {"days": "2026-12-18", "day_starts": "09:00", "day_ends": "12:00", "breaks": "10:00-09:40", "tables": "20"},
    )
    assert bad.status_code == 200 and "结束应晚于开始" in bad.get_data(as_text=True)
    client.post_form(
        f"/admin/events/{event.id}/programme",
        {
            "days": "2026-12-18",
            "day_starts": "09:00",
            "day_ends": "12:00",
            "breaks": "10:00-10:20",
            "tables": "20",
            "table_prefix": "A",
        },
    )
    db.session.refresh(event)
    assert [s.starts_at.strftime("%H:%M") for s in event.slots] == [
        "01:00",
        "01:20",
        "01:40",
        "02:20",
        "02:40",
        "03:00",
        "03:20",
        "03:40",
    ]
    assert [t.name for t in event.tables][:2] == ["A1", "A2"] and len(event.tables) == 20

    client.post_form("/logout")
    assert client.get(f"/events/{event.id}").status_code == 404
    login(people["admin"])
    client.post_form(f"/admin/events/{event.id}/publish")
    client.post_form("/logout")
    assert "2026 产融对接会" in client.get("/events/").get_data(as_text=True)


def test_event_form_refuses_times_out_of_order(client, login, people):
    login(people["admin"])
    page = client.post_form(
        "/admin/events/new",
        {
            "kind": "forum",
            "title": "论坛",
            "description": "介绍",
            "venue": "会场",
            "starts_at": "2026-12-18T09:00",
            "ends_at": "2026-12-18T08:00",
            "registration_opens_at": "2026-12-10T09:00",
            "registration_closes_at": "2026-12-01T09:00",
            "capacity": "10",
            "slot_minutes": "20",
        },
    ).get_data(as_text=True)
    assert "结束时间应晚于开始时间" in page and "报名截止应晚于报名开始" in page
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_capacity_waiting_list_and_cancellation(client, login, people, make_event):
    event = make_event(people["admin"], capacity=1)
    login(people["first"])
    slot = event.slots[1].id
    _register(client, event, profile="注塑企业", slots=[str(slot)])
    first = db.session.scalars(select(Registration)).one()
    assert first.status == RegistrationStatus.CONFIRMED and [s.id for s in first.available_slots] == [slot]
    assert client.get(f"/events/{event.id}/register").headers["Location"].endswith(f"/events/tickets/{first.id}")

    _as(client, login, people["second"])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "候补报名" in page
    _register(client, event, role="supply")
    second = db.session.scalars(select(Registration).where(Registration.id != first.id)).one()
    assert second.status == RegistrationStatus.WAITLISTED
    assert "候补名单" in client.get(f"/events/tickets/{second.id}").get_data(as_text=True)
    assert client.get(f"/events/tickets/{first.id}").status_code == 403

    _as(client, login, people["first"])
    client.post_form(f"/events/tickets/{first.id}/cancel")
    assert _status(first.id) == RegistrationStatus.CANCELLED and _status(second.id) == RegistrationStatus.CONFIRMED
    told = db.session.scalars(select(Notification).where(Notification.user_id == people["second"].id)).one()
    assert "候补成功" in told.title


def test_registration_outside_its_window_is_refused(client, login, people, make_event):
    now = utcnow()
    closed = make_event(
        people["admin"], registration_opens_at=now - timedelta(days=5), registration_closes_at=now - timedelta(days=1)
    )
    login(people["first"])
    page = _register(client, closed, profile="x")
    assert page.status_code == 200 and "不在报名时间内" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_approval_and_rejection_move_the_waiting_list(client, login, people, make_event):
    event = make_event(people["admin"], capacity=1, approval_required=True)
    login(people["first"])
    _register(client, event)
    _as(client, login, people["second"])
    _register(client, event)
    first, second = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert (first.status, second.status) == (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)
    _as(client, login, people["admin"])
    client.post_form(f"/admin/events/registrations/{first.id}/reject")
    assert _status(first.id) == RegistrationStatus.REJECTED and _status(second.id) == RegistrationStatus.PENDING
    client.post_form(f"/admin/events/registrations/{second.id}/approve")
    assert _status(second.id) == RegistrationStatus.CONFIRMED
    again = client.post_form(f"/admin/events/registrations/{second.id}/approve", follow_redirects=True)
    assert "只有待审核或候补中的报名可以通过" in again.get_data(as_text=True)


def _attendance_rows():
    return db.session.scalar(
        select(func.count(Enablement.id)).join(EnablementKind).where(EnablementKind.code == "event")
    )


def test_check_in_counts_a_firm_once(client, login, people, make_event):
    start = utcnow().replace(microsecond=0) + timedelta(minutes=30)  # check-in opens an hour before
    event = make_event(people["admin"], starts_at=start, ends_at=start + timedelta(hours=8))
    other = make_event(people["admin"], title="另一场活动")
    login(people["first"])
    _register(client, event)
    _as(client, login, people["second"])
    _register(client, other)
    mine, theirs = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    ticket = client.get(f"/events/tickets/{theirs.id}").get_data(as_text=True)
    assert theirs.ticket_code in ticket and 'src="data:image/svg+xml' in ticket

    _as(client, login, people["admin"])
    wrong = client.post_form(f"/admin/events/{event.id}/check-in", {"code": theirs.ticket_code}, follow_redirects=True)
    assert "不属于本活动" in wrong.get_data(as_text=True)
    done = client.post_form(
        f"/admin/events/{event.id}/check-in", {"code": mine.ticket_code.lower()}, follow_redirects=True
    )
    assert "签到成功" in done.get_data(as_text=True)
    twice = client.post_form(f"/admin/events/{event.id}/check-in", {"code": mine.ticket_code}, follow_redirects=True)
    assert "已于" in twice.get_data(as_text=True)
    row = db.session.scalars(select(Enablement).join(EnablementKind).where(EnablementKind.code == "event")).one()
    assert (row.firm_id, row.source_type, row.source_id) == (mine.organization_id, "event", str(event.id))
    assert _attendance_rows() == 1

    _as(client, login, people["first"])
    refused = client.post_form(f"/events/tickets/{mine.id}/cancel", follow_redirects=True)
    assert "已签到的报名不能取消" in refused.get_data(as_text=True)


def test_the_event_ics_is_valid(client, people, make_event):
    event = make_event(people["admin"], description="第一行，含逗号；分号\n第二行" + "很长的说明" * 30)
    response = client.get(f"/events/{event.id}.ics")
    assert response.mimetype == "text/calendar"
    raw = response.data
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(raw)
    (vevent,) = parsed.walk("VEVENT")
    assert vevent["SUMMARY"] == event.title and vevent["LOCATION"] == event.venue
    assert vevent["DESCRIPTION"] == event.description
    assert vevent.decoded("DTSTART").replace(tzinfo=None) == event.starts_at


def _registered(client, login, people, event, *names):
    out = {}
    for name in names:
        _as(client, login, people[name])
        _register(client, event, role="supply" if name == "second" else "demand", profile=f"{name} 的简介")
        out[name] = db.session.scalars(
            select(Registration)
            .join(Registration.organization)
            .where(Registration.event_id == event.id, Registration.registered_by_id == people[name].id)
        ).one()
    return out


def test_meeting_requests(client, login, people, make_event):
    event = make_event(people["admin"], request_limit=1)
    reg = _registered(client, login, people, event, "first", "second", "third")
    page = client.get(f"/events/{event.id}/participants?role=supply").get_data(as_text=True)
    assert "青岛second科技" in page and "青岛first科技" not in page

    own = client.post_form(f"/events/{event.id}/participants/{reg['third'].id}/request", {}, follow_redirects=True)
    assert "不能向自己发出邀约" in own.get_data(as_text=True)
    client.post_form(f"/events/{event.id}/participants/{reg['first'].id}/request", {"message": "聊聊融资"})
    over = client.post_form(f"/events/{event.id}/participants/{reg['second'].id}/request", {}, follow_redirects=True)
    assert "最多发出 1 个洽谈邀约" in over.get_data(as_text=True)
    request = db.session.scalars(select(MeetingRequest)).one()
    assert request.status == RequestStatus.PENDING and request.message == "聊聊融资"

    _as(client, login, people["second"])
    assert client.post_form(f"/events/requests/{request.id}/accept").status_code == 403
    _as(client, login, people["first"])
    twice = client.post_form(f"/events/{event.id}/participants/{reg['third'].id}/request", {}, follow_redirects=True)
    assert "已有洽谈邀约" in twice.get_data(as_text=True)
    client.post_form(f"/events/requests/{request.id}/accept")
    again = client.post_form(f"/events/requests/{request.id}/accept", follow_redirects=True)
    assert "已经处理过了" in again.get_data(as_text=True)
    db.session.refresh(request)
    assert request.status == RequestStatus.ACCEPTED
    assert "已接受" in client.get(f"/events/{event.id}/meetings").get_data(as_text=True)
    client.post_form(f"/events/requests/{request.id}/cancel")
    db.session.refresh(request)
    assert request.status == RequestStatus.CANCELLED
    assert db.session.scalar(select(func.count(MeetingRequest.id))) == 1


def test_the_catalogue_filters_by_the_domains_and_titles_of_what_participants_brought(
    client, login, people, make_event, make_need, make_solution
):
    event = make_event(people["admin"])
    need = make_need(people["first"].organization, people["first"], title="仓储物流数字孪生需求", domains=("DM",))
    solution = make_solution(people["second"].organization, people["second"], title="园区5G专网方案", domains=("5G",))
    _as(client, login, people["first"])
    _register(client, event, needs=[need.id])
    _as(client, login, people["second"])
    _register(client, event, role="supply", solutions=[solution.id])
    _registered(client, login, people, event, "third")

    def shown(query):
        page = client.get(f"/events/{event.id}/participants?{query}").get_data(as_text=True)
        return {name for name in ("first", "second") if f"青岛{name}科技" in page}

    assert shown("") == {"first", "second"}
    assert shown(f"domain={taxonomy_entry(TechDomain, 'DM').id}") == {"first"}
    assert shown(f"domain={taxonomy_entry(TechDomain, '5G').id}") == {"second"}
    assert shown(f"domain={taxonomy_entry(TechDomain, 'IM').id}") == set()
    assert shown("q=5G专网") == {"second"} and shown("q=数字孪生") == {"first"}


def test_requests_without_acceptance_are_accepted_at_once(client, login, people, make_event):
    event = make_event(people["admin"], requests_need_acceptance=False)
    reg = _registered(client, login, people, event, "first", "second")
    client.post_form(f"/events/{event.id}/participants/{reg['first'].id}/request", {})
    assert db.session.scalars(select(MeetingRequest)).one().status == RequestStatus.ACCEPTED


def test_outsiders_do_not_see_the_catalogue(client, login, people, make_event):
    event = make_event(people["admin"])
    reg = _registered(client, login, people, event, "first")
    _as(client, login, people["second"])
    assert client.get(f"/events/{event.id}/participants").status_code == 403
    assert client.post_form(f"/events/{event.id}/participants/{reg['first'].id}/request", {}).status_code == 403


def _accepted(client, login, people, event, pairs, reg):
    for asker, asked in pairs:
        _as(client, login, people[asker])
        client.post_form(f"/events/{event.id}/participants/{reg[asked].id}/request", {})
    for request in db.session.scalars(select(MeetingRequest)).all():
        _as(client, login, people[next(n for n, r in reg.items() if r.id == request.recipient_id)])
        client.post_form(f"/events/requests/{request.id}/accept")


def test_schedule_agenda_and_ics(client, login, people, make_event):
    event = make_event(people["admin"])
    reg = _registered(client, login, people, event, "first", "second", "third")
    _accepted(client, login, people, event, [("first", "second"), ("third", "second"), ("first", "third")], reg)
    assert (
        db.session.scalar(select(func.count(MeetingRequest.id)).where(MeetingRequest.status == RequestStatus.ACCEPTED))
        == 3
    )
    assert "日程尚未发布" in client.get(f"/events/{event.id}/agenda").get_data(as_text=True)
    assert client.get(f"/events/{event.id}/agenda.ics").status_code == 404

    _as(client, login, people["admin"])
    client.post_form(f"/admin/events/{event.id}/schedule/run")
    meetings = db.session.scalars(select(Meeting)).all()
    assert len(meetings) == 3
    for name in ("first", "second", "third"):  # nobody in two meetings at once
        slots = [m.slot_id for m in meetings if reg[name].id in (m.request.requester_id, m.request.recipient_id)]
        assert len(slots) == len(set(slots))

    busy = next(m for m in meetings if reg["second"].id in (m.request.requester_id, m.request.recipient_id))
    other = next(
        m for m in meetings if m is not busy and reg["second"].id in (m.request.requester_id, m.request.recipient_id)
    )
    clash = client.post_form(
        f"/admin/events/{event.id}/schedule/move",
        {
            "request_id": busy.request_id,
            "slot": other.slot_id,
            "table": event.tables[1].id if other.table_id == event.tables[0].id else event.tables[0].id,
        },
        follow_redirects=True,
    )
    assert "已有洽谈" in clash.get_data(as_text=True)
    db.session.refresh(busy)
    assert busy.pinned is False

    client.post_form(f"/admin/events/{event.id}/schedule/publish")
    rerun = client.post_form(f"/admin/events/{event.id}/schedule/run", follow_redirects=True)
    assert "日程已发布，只能手动调整" in rerun.get_data(as_text=True)

    _as(client, login, people["second"])
    page = client.get(f"/events/{event.id}/agenda").get_data(as_text=True)
    assert "青岛first科技" in page and "青岛third科技" in page
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}/agenda.ics").data)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 2 and len({str(v["UID"]) for v in vevents}) == 2
    assert all("洽谈" in str(v["SUMMARY"]) for v in vevents)
    told = db.session.scalars(
        select(Notification).where(
            Notification.user_id == people["second"].id, Notification.title.contains("洽谈日程已发布")
        )
    ).all()
    assert len(told) == 1
    mail = db.session.scalars(
        select(MailMessage).where(
            MailMessage.recipient == "second@example.com", MailMessage.subject.contains("洽谈日程已发布")
        )
    ).one()
    assert "青岛first科技" in mail.body and "洽谈桌" in mail.body


def _rows(code):
    return db.session.scalars(
        select(Enablement)
        .join(EnablementKind)
        .where(EnablementKind.code == code, Enablement.source_type == "event-meeting")
    ).all()


def test_outcomes_count_meetings_and_deals_once_and_fill_the_report(client, login, people, make_event):
    start = utcnow() - timedelta(hours=2)
    event = make_event(
        people["admin"],
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        registration_closes_at=start + timedelta(hours=8),
    )
    reg = _registered(client, login, people, event, "first", "second")  # first: demand, second: supply
    _accepted(client, login, people, event, [("first", "second")], reg)
    _as(client, login, people["admin"])
    client.post_form(f"/admin/events/{event.id}/schedule/run")
    client.post_form(f"/admin/events/{event.id}/schedule/publish")
    meeting = db.session.scalars(select(Meeting)).one()

    _as(client, login, people["third"])
    assert client.post_form(f"/events/meetings/{meeting.id}/outcome", {"kind": "deal"}).status_code == 403
    _as(client, login, people["second"])
    bad = client.post_form(
        f"/events/meetings/{meeting.id}/outcome", {"kind": "follow_up", "amount": "5"}, follow_redirects=True
    )
    assert "只有签约才填写金额" in bad.get_data(as_text=True)
    client.post_form(
        f"/events/meetings/{meeting.id}/outcome",
        {"kind": "deal", "amount": "30", "financing": "200", "institution": "青岛second科技"},
    )
    twice = client.post_form(f"/events/meetings/{meeting.id}/outcome", {"kind": "deal"}, follow_redirects=True)
    assert "已经记录过" in twice.get_data(as_text=True)
    _as(client, login, people["first"])
    client.post_form(f"/events/meetings/{meeting.id}/outcome", {"kind": "deal", "amount": "30"})
    assert "达成签约" in client.get(f"/events/{event.id}/agenda").get_data(as_text=True)

    assert sorted(r.firm_id for r in _rows("meeting")) == sorted(
        [reg["first"].organization_id, reg["second"].organization_id]
    )
    (deal,) = _rows("deal")
    assert (deal.firm_id, deal.provider_id) == (reg["first"].organization_id, reg["second"].organization_id)

    _as(client, login, people["admin"])
    page = client.get(f"/admin/events/{event.id}/report").get_data(as_text=True)
    assert "30" in page and "200" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/admin/events/{event.id}/report.xlsx").data))
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert summary["已举行的洽谈"] == 1 and summary["达成签约"] == 2 and float(summary["签约金额（万元）"]) == 30


PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_a_competition_from_entries_to_published_results(client, login, people, make_user, make_event):
    event = make_event(people["admin"], kind=EventKind.COMPETITION, title="工业APP创新大赛")
    reg = _registered(client, login, people, event, "first", "second")
    for name in ("first", "second"):
        _as(client, login, people[name])
        if name == "first":
            refused = client.post_form(
                f"/events/{event.id}/entry",
                {
                    "title": "设备预警APP",
                    "description": "振动预警",
                    "files": [(io.BytesIO(PDF), "方案.pdf"), (io.BytesIO(PROGRAM), "演示.pdf")],
                },
                content_type="multipart/form-data",
            )
            assert "不是 PDF、PNG、JPEG 文件" in refused.get_data(as_text=True)
            assert db.session.scalar(select(func.count(CompetitionEntry.id))) == 0
            assert db.session.scalar(select(func.count(EntryFile.id))) == 0
        client.post_form(
            f"/events/{event.id}/entry",
            {
                "title": f"{name} 的作品",
                "description": "介绍",
                "files": [(io.BytesIO(PDF), "方案.pdf"), (io.BytesIO(PDF), "测试报告.pdf")],
            },
            content_type="multipart/form-data",
        )
    first, second = db.session.scalars(select(CompetitionEntry).order_by(CompetitionEntry.id)).all()
    assert first.registration_id == reg["first"].id
    assert [f.original_name for f in first.files] == ["方案.pdf", "测试报告.pdf"]
    assert client.get(f"/events/entries/files/{first.files[0].id}").status_code == 403  # another entrant
    assert client.post_form(f"/events/entries/files/{first.files[0].id}/remove").status_code == 403
    page = client.post_form(
        f"/events/{event.id}/entry",
        {"title": "second 的作品", "description": "介绍", "files": [(io.BytesIO(PDF), f"{n}.pdf") for n in range(4)]},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "最多 5 个附件" in page
    db.session.expire_all()
    assert len(second.files) == 2
    removed = second.files[1].id
    client.post_form(f"/events/entries/files/{removed}/remove")
    db.session.expire_all()
    assert [f.original_name for f in second.files] == ["方案.pdf"]
    assert client.get(f"/events/entries/files/{removed}").status_code == 404

    _as(client, login, people["admin"])
    bad = client.post_form(f"/admin/events/{event.id}/judging", {"criteria": "创新性 60\n落地性 30"})
    assert "合计 100" in bad.get_data(as_text=True)
    client.post_form(f"/admin/events/{event.id}/judging", {"criteria": "创新性 60\n落地性 40"})

    judges = [make_user(f"judge{n}@example.com", role=SiteRole.EXPERT) for n in (1, 2)]
    for judge in judges:
        client.post_form(f"/admin/events/{event.id}/judges", {"expert": judge.id})
    review = db.session.scalars(select(ReviewRound)).one()
    innovation, delivery = (c.id for c in review.criteria)
    for judge, marks in zip(
        judges, ({first.id: (6, 6), second.id: (9, 7)}, {first.id: (7, 7), second.id: (8, 8)}), strict=True
    ):
        _as(client, login, judge)
        assert client.get(f"/events/entries/files/{first.files[0].id}").data == PDF
        for entry_id, (a, b) in marks.items():
            client.post_form(f"/events/{event.id}/judging", {"entry": entry_id, f"c{innovation}": a, f"c{delivery}": b})
    page = client.get(f"/events/{event.id}/judging").get_data(as_text=True)
    assert 'value="8"' in page and 'value="9"' not in page  # the second judge sees only their own scores
    _as(client, login, people["first"])
    assert client.get(f"/events/{event.id}/judging").status_code == 403

    _as(client, login, people["admin"])
    client.post_form(f"/admin/events/{event.id}/judging/close")
    ranking = client.get(f"/admin/events/{event.id}/judging").get_data(as_text=True)
    assert ranking.index("second 的作品") < ranking.index("first 的作品")
    client.post_form("/logout")
    assert 'data-test="results"' not in client.get(f"/events/{event.id}").get_data(as_text=True)
    event.registration_closes_at = utcnow() - timedelta(minutes=1)  # results wait for registration to close
    db.session.commit()
    login(people["admin"])
    client.post_form(f"/admin/events/{event.id}/judging/publish")
    client.post_form("/logout")
    results = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'data-test="results"' in results and "81.0 分" in results


def test_optimising_needs_or_tools(client, login, people, make_event):
    event = make_event(people["admin"])
    login(people["admin"])
    page = client.post_form(f"/admin/events/{event.id}/schedule/optimise", follow_redirects=True)
    text = page.get_data(as_text=True)
    if agenda.CAN_OPTIMISE:
        assert "已排入 0 场洽谈" in text
    else:
        assert "未安装 OR-Tools" in text and "优化排程（约 30 秒）" not in text


def _calendar_day(html: str, day: str) -> str:
    cell = re.search(rf'data-test="day-{day}">(.*?)</td>', html, re.S)
    assert cell is not None, day
    return cell.group(1)


def test_the_calendar_shows_each_event_on_its_local_days(client, people, make_event):
    # 2026-12-30 22:00 UTC is 2026-12-31 06:00 in the portal's time zone (Asia/Shanghai).
    event = make_event(
        people["admin"], title="跨年产融对接会", starts_at=datetime(2026, 12, 30, 22), ends_at=datetime(2027, 1, 1, 10)
    )
    make_event(
        people["admin"],
        title="未发布的草稿活动",
        status=EventStatus.DRAFT,
        starts_at=datetime(2026, 12, 31, 2),
        ends_at=datetime(2026, 12, 31, 8),
    )
    html = client.get("/events/calendar?month=2026-12").get_data(as_text=True)
    assert event.title not in _calendar_day(html, "2026-12-30")
    assert event.title in _calendar_day(html, "2026-12-31") and event.title in _calendar_day(html, "2027-01-01")
    assert "未发布的草稿活动" not in html
    assert "?month=2027-01" in html and "?month=2026-11" in html
    october = client.get("/events/calendar?month=2026-10").get_data(as_text=True)
    assert "下一场" in october and "?month=2026-12" in october and event.title in october
    january = client.get("/events/calendar?month=2027-01").get_data(as_text=True)
    assert event.title in _calendar_day(january, "2027-01-01")
    assert event.title not in _calendar_day(january, "2027-01-02")


def test_a_calendar_month_that_is_not_one_shows_this_month(client):
    response = client.get("/events/calendar?month=2026-13")
    assert response.status_code == 200
    this_month = (utcnow() + timedelta(hours=8)).strftime("%Y-%m")  # Asia/Shanghai has no summer time
    assert f'data-test="day-{this_month}-01"' in response.get_data(as_text=True)
