"""Industry-finance meetings: an outcome records the financing institution and a positive amount
in 万元, and the organiser's report (page and workbook) sums the financing by institution."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.core.models import utcnow
from app.events import services
from app.events.models import EventKind, Meeting, MeetingOutcome, MeetingRequest, ParticipantRole, RequestStatus
from app.extensions import db

ROLES = {
    "first": ParticipantRole.DEMAND,
    "second": ParticipantRole.DEMAND,
    "bank": ParticipantRole.INVESTOR,
    "fund": ParticipantRole.INVESTOR,
}


def _event(app, people, make_event, kind=EventKind.FINANCE):
    """An event that began two hours ago, its schedule published, with three meetings:
    first–bank, second–bank and first–fund."""
    start = utcnow() - timedelta(hours=2)
    event = make_event(
        people["admin"],
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        registration_opens_at=start - timedelta(days=1),
        registration_closes_at=utcnow() + timedelta(hours=1),
    )
    with app.test_request_context():
        reg = {
            name: services.register(event, people[name], services.Entry(role, "", "", "", [], [], []))
            for name, role in ROLES.items()
        }
    meetings = {}
    for n, (firm, investor) in enumerate((("first", "bank"), ("second", "bank"), ("first", "fund"))):
        request = MeetingRequest(
            event=event, requester=reg[firm], recipient=reg[investor], status=RequestStatus.ACCEPTED
        )
        meetings[(firm, investor)] = Meeting(
            event_id=event.id, request=request, slot=event.slots[n // 2 + n % 2], table=event.tables[n % 2]
        )
        db.session.add_all([request, meetings[(firm, investor)]])
    event.schedule_published_at = utcnow()
    db.session.commit()
    return event, meetings


@pytest.fixture
def people(make_user, make_org):
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    names = {"first": "青岛甲科技", "second": "青岛乙科技", "bank": "青岛丙银行", "fund": "青岛丁创投"}
    for key, name in names.items():
        out[key] = make_user(f"{key}@example.com")
        make_org(owner=out[key], name=name, kind=OrgKind.ENTERPRISE if key in ROLES else OrgKind.PROVIDER)
    return out


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def _record(client, meeting, **data):
    return client.post_form(f"/events/meetings/{meeting.id}/outcome", data, follow_redirects=True).get_data(
        as_text=True
    )


def _outcomes() -> int:
    return db.session.scalar(select(func.count(MeetingOutcome.id))) or 0


def test_the_agenda_offers_the_investor_as_institution(app, client, login, people, make_event):
    event, _meetings = _event(app, people, make_event)
    login(people["first"])
    agenda = client.get(f"/events/{event.id}/agenda").get_data(as_text=True)
    assert 'name="institution"' in agenda and 'value="青岛丙银行"' in agenda and 'value="青岛丁创投"' in agenda


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"financing": "0", "institution": "青岛丙银行"}, "融资金额应大于 0 万元"),
        ({"financing": "-5", "institution": "青岛丙银行"}, "金额应在 0 到 9999999 万元之间"),
        ({"financing": "300", "institution": "  "}, "请填写提供融资的银行或投资机构"),
        ({"financing": "300", "institution": "行" * 101}, "融资机构不超过 100 个字"),
    ],
)
def test_a_financing_outcome_needs_a_positive_amount_and_its_institution(
    app, client, login, people, make_event, data, message
):
    _, meetings = _event(app, people, make_event)
    login(people["first"])
    page = _record(client, meetings[("first", "bank")], kind="intention", **data)
    assert message in page and _outcomes() == 0


def test_an_institution_without_financing_goes_unrecorded(app, client, login, people, make_event):
    _, meetings = _event(app, people, make_event)
    login(people["first"])
    _record(client, meetings[("first", "bank")], kind="follow_up", institution="青岛丙银行")
    outcome = db.session.scalars(select(MeetingOutcome)).one()
    assert (outcome.financing, outcome.institution) == (None, "")


def test_only_a_finance_meeting_records_financing(app, client, login, people, make_event):
    _, meetings = _event(app, people, make_event, kind=EventKind.FORUM)
    login(people["first"])
    page = _record(client, meetings[("first", "bank")], kind="intention", financing="300", institution="青岛丙银行")
    assert "只有产融对接会记录融资" in page and _outcomes() == 0


def test_the_report_sums_financing_by_institution(app, client, login, people, make_event):
    event, meetings = _event(app, people, make_event)
    _as(client, login, people["first"])
    _record(client, meetings[("first", "bank")], kind="intention", financing="300", institution="青岛丙银行")
    _record(client, meetings[("first", "fund")], kind="deal", financing="120.5", institution='=HYPERLINK("x")')
    _as(client, login, people["bank"])  # the bank's larger figure counts, once for the meeting
    _record(client, meetings[("first", "bank")], kind="deal", financing="500", institution="青岛丙银行")
    _as(client, login, people["second"])
    page = _record(client, meetings[("second", "bank")], kind="follow_up", financing="200", institution="青岛丙银行")
    assert 'data-test="institution">青岛丙银行' in page
    assert _outcomes() == 4

    _as(client, login, people["fund"])
    assert client.get(f"/admin/events/{event.id}/report").status_code == 403

    _as(client, login, people["admin"])
    report = client.get(f"/admin/events/{event.id}/report").get_data(as_text=True)
    table = report[report.index('data-test="financing-by-institution"') :]
    rows = re.findall(
        r'<th scope="row" class="fw-normal">(.*?)</th><td class="text-end">(.*?)</td><td class="text-end">(.*?)</td>',
        table,
    )
    assert rows == [("青岛丙银行", "2", "700"), ("=HYPERLINK(&#34;x&#34;)", "1", "120.5")]
    assert ">820.5<" in table.split("<tfoot>")[1]

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/admin/events/{event.id}/report.xlsx").data))
    sheet = workbook["融资机构"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["融资机构", "洽谈场次", "融资金额（万元）"],
        ["青岛丙银行", 2, 700],
        ['\'=HYPERLINK("x")', 1, 120.5],
    ]


def test_the_organiser_records_a_sides_financing_outcome_audited(app, client, login, people, make_event):
    event, meetings = _event(app, people, make_event)
    meeting = meetings[("second", "bank")]
    side = meeting.request.recipient
    url = f"/admin/events/meetings/{meeting.id}/outcome"
    data = {f"m{meeting.id}-side": str(side.id), f"m{meeting.id}-kind": "deal", f"m{meeting.id}-financing": "800"}

    login(people["bank"])  # a side of the meeting, not the organiser
    assert client.get(f"/admin/events/{event.id}/outcomes").status_code == 403
    assert client.post_form(url, {**data, f"m{meeting.id}-institution": "青岛丙银行"}).status_code == 403
    assert _outcomes() == 0

    _as(client, login, people["admin"])
    page = client.get(f"/admin/events/{event.id}/outcomes").get_data(as_text=True)
    assert page.count('id="meeting-') == 3 and f'name="m{meeting.id}-institution"' in page
    assert 'value="青岛丙银行"' in page  # the investor side is offered
    missing = client.post_form(url, {**data, f"m{meeting.id}-institution": ""}, follow_redirects=True)
    assert "请填写提供融资的银行或投资机构" in missing.get_data(as_text=True) and _outcomes() == 0
    stranger = meetings[("first", "fund")].request.recipient
    wrong = client.post_form(url, {**data, f"m{meeting.id}-side": str(stranger.id)}, follow_redirects=True)
    assert wrong.status_code == 200 and _outcomes() == 0

    done = client.post_form(url, {**data, f"m{meeting.id}-institution": "青岛丙银行"}, follow_redirects=True)
    assert "洽谈结果已记录" in done.get_data(as_text=True)
    outcome = db.session.scalars(select(MeetingOutcome)).one()
    assert (outcome.registration_id, outcome.financing, outcome.institution) == (side.id, 800, "青岛丙银行")
    assert outcome.recorded_by_id == people["admin"].id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.outcome")).one()
    assert entry.actor_id == people["admin"].id and entry.after["institution"] == "青岛丙银行"
    assert entry.after["financing"] == "800" and entry.after["meeting"] == meeting.id

    again = client.post_form(url, {**data, f"m{meeting.id}-institution": "青岛丙银行"}, follow_redirects=True)
    assert _outcomes() == 1 and f'name="m{meeting.id}-side"' in again.get_data(as_text=True)  # the other side is left
    report = client.get(f"/admin/events/{event.id}/report").get_data(as_text=True)
    assert re.search(r'青岛丙银行</th><td class="text-end">1</td><td class="text-end">800</td>', report)
