"""The organiser's event: editing keeps its kind and audits every changed field; check-in opens an
hour before the event and closes at its end, and counts attendance on the event's own date."""

from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask_babel import to_user_timezone
from sqlalchemy import select

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.core.models import utcnow
from app.events import services
from app.events.models import Event, EventKind, Registration
from app.extensions import db
from app.stats.models import Enablement, EnablementKind


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.com", role=SiteRole.ADMIN)


def _edited_event(make_event, admin, **values) -> Event:
    """An event whose times are whole minutes, as the form keeps them."""
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=10)
    times = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "registration_opens_at": start - timedelta(days=11),
        "registration_closes_at": start,
    }
    return make_event(admin, **times, **values)


class _Form(HTMLParser):
    """What a browser sends back for a rendered form left as it is: a select with no option
    selected sends its first option."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, str] = {}
        self.selected: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and (attrs.get("type") != "checkbox" or "checked" in attrs):
            self.data[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "select":
            self._select = name
            self.selected[name] = []
        elif tag == "option" and self._select:
            self.data.setdefault(self._select, attrs["value"])
            if "selected" in attrs:
                self.selected[self._select].append(attrs["value"])
                self.data[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def _edit_form(client, event_id: int) -> _Form:
    return _Form(client.get(f"/admin/events/{event_id}/edit").get_data(as_text=True))


def _edit_data(client, event_id: int) -> dict:
    data = _edit_form(client, event_id).data
    data.pop("csrf_token")
    data["description"] = data["description"].lstrip("\r\n")  # the newline after <textarea> is not content
    return data


@pytest.mark.parametrize("kind", [EventKind.COMPETITION, EventKind.FINANCE])
def test_the_edit_page_shows_the_event_kind(client, login, admin, make_event, kind):
    event = _edited_event(make_event, admin, kind=kind)
    login(admin)
    assert _edit_form(client, event.id).selected["kind"] == [kind.value]


def test_editing_only_the_title_keeps_the_kind(client, login, admin, make_event):
    event = _edited_event(make_event, admin, kind=EventKind.COMPETITION, title="2026 工业软件大赛")
    login(admin)
    data = _edit_data(client, event.id)
    data["title"] = "2026 工业软件创新大赛"
    response = client.post_form(f"/admin/events/{event.id}/edit", data)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get_one(Event, event.id)
    assert (saved.title, saved.kind) == ("2026 工业软件创新大赛", EventKind.COMPETITION)


def test_the_audit_entry_of_an_edit_lists_each_changed_field(client, login, admin, make_event):
    event = _edited_event(make_event, admin, kind=EventKind.FINANCE, venue="青岛国际会议中心")
    login(admin)
    data = _edit_data(client, event.id)
    data.update(kind="forum", venue="青岛国际博览中心", request_limit="12")
    data.pop("requests_need_acceptance", None)
    assert client.post_form(f"/admin/events/{event.id}/edit", data).status_code == 302
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "event.update", AuditEntry.target_id == event.id)
    ).one()
    assert entry.before == {
        "kind": "finance",
        "venue": "青岛国际会议中心",
        "request_limit": 10,
        "requests_need_acceptance": True,
    }
    assert entry.after == {
        "kind": "forum",
        "venue": "青岛国际博览中心",
        "request_limit": 12,
        "requests_need_acceptance": False,
    }


def test_the_audit_entry_of_an_edit_records_a_changed_time(client, login, admin, make_event):
    event = _edited_event(make_event, admin)
    old_start = event.starts_at
    login(admin)
    data = _edit_data(client, event.id)
    local = to_user_timezone(old_start).replace(tzinfo=None) + timedelta(hours=1)
    data["starts_at"] = local.strftime("%Y-%m-%dT%H:%M")
    assert client.post_form(f"/admin/events/{event.id}/edit", data).status_code == 302
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.update")).one()
    assert entry.before == {"starts_at": old_start.isoformat()}
    assert entry.after == {"starts_at": (old_start + timedelta(hours=1)).isoformat()}


# --- check-in ------------------------------------------------------------------------------------


def _attendance() -> list[Enablement]:
    return list(db.session.scalars(select(Enablement).join(EnablementKind).where(EnablementKind.code == "event")))


def _registered(client, login, make_user, make_org, event) -> Registration:
    user = make_user("firm@example.com")
    make_org(owner=user, name="青岛签到科技", kind=OrgKind.ENTERPRISE)
    login(user)
    client.post_form(f"/events/{event.id}/register", {"role": "demand"})
    client.post_form("/logout")
    return db.session.scalars(select(Registration).where(Registration.event_id == event.id)).one()


def _event_at(make_event, admin, start: datetime, hours: int = 8):
    """An event open for registration until an hour from now, whenever it takes place."""
    return make_event(
        admin,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        registration_opens_at=utcnow() - timedelta(days=5),
        registration_closes_at=utcnow() + timedelta(hours=1),
    )


def test_check_in_two_days_before_is_refused(client, login, admin, make_user, make_org, make_event):
    event = _event_at(make_event, admin, utcnow().replace(microsecond=0) + timedelta(days=2))
    registration = _registered(client, login, make_user, make_org, event)
    login(admin)
    page = client.post_form(
        f"/admin/events/{event.id}/check-in", {"code": registration.ticket_code}, follow_redirects=True
    ).get_data(as_text=True)
    assert "活动开始前 1 小时起才能签到" in page
    db.session.expire_all()
    assert db.session.get_one(Registration, registration.id).checked_in_at is None
    assert _attendance() == []


def test_check_in_half_an_hour_before_counts_on_the_event_date(client, login, admin, make_user, make_org, make_event):
    start = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    event = _event_at(make_event, admin, start)
    registration = _registered(client, login, make_user, make_org, event)
    login(admin)
    page = client.post_form(
        f"/admin/events/{event.id}/check-in", {"code": registration.ticket_code}, follow_redirects=True
    ).get_data(as_text=True)
    assert "签到成功" in page
    (row,) = _attendance()
    assert row.occurred_on == (start + timedelta(hours=8)).date()  # Asia/Shanghai keeps UTC+8 all year


def test_attendance_counts_on_the_local_date_of_an_early_morning_event(
    app, client, login, admin, make_user, make_org, make_event
):
    """07:30 in Qingdao on 18 June is 23:30 UTC on 17 June: the ledger says 18 June."""
    event = _event_at(make_event, admin, datetime(2030, 6, 17, 23, 30))
    registration = _registered(client, login, make_user, make_org, event)
    with app.test_request_context():
        services.check_in(event, registration.ticket_code, admin, now=datetime(2030, 6, 17, 23, 0))
    (row,) = _attendance()
    assert row.occurred_on == date(2030, 6, 18)


def test_check_in_after_the_end_is_refused(client, login, admin, make_user, make_org, make_event):
    start = utcnow().replace(microsecond=0) - timedelta(hours=3)
    event = _event_at(make_event, admin, start, hours=2)
    registration = _registered(client, login, make_user, make_org, event)
    login(admin)
    page = client.post_form(
        f"/admin/events/{event.id}/check-in", {"code": registration.ticket_code}, follow_redirects=True
    ).get_data(as_text=True)
    assert "活动已结束，不能再签到" in page
    db.session.expire_all()
    assert db.session.get_one(Registration, registration.id).checked_in_at is None
    assert _attendance() == []
