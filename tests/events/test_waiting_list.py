"""The waiting list: places that open (a raised capacity, a cancellation, a rejection) go to the
firms waiting, first come first served, and each is told; a newcomer never takes a place ahead of
them; the organiser may approve a waitlisted firm, which confirms it even when the event is full."""

from datetime import timedelta

import pytest
from flask_babel import to_user_timezone
from sqlalchemy import func, select

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.core.models import utcnow
from app.events import services
from app.events.models import Event, Registration, RegistrationStatus
from app.extensions import db
from app.mail.models import MailMessage
from app.notifications.models import Notification

CONFIRMED, PENDING, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED
FIRMS = ("first", "second", "third", "fourth", "fifth")


@pytest.fixture
def people(app, make_user, make_org):
    firms = {}
    for name in FIRMS:
        user = make_user(f"{name}@example.com")
        make_org(owner=user, name=f"青岛{name}科技", kind=OrgKind.BOTH)
        firms[name] = user
    firms["admin"] = make_user("admin@example.com", role=SiteRole.ADMIN)
    return firms


@pytest.fixture
def new_event(make_event, people):
    """An open event whose times are whole minutes, as the edit form keeps them."""

    def make(capacity: int, **values) -> Event:
        start = utcnow().replace(second=0, microsecond=0) + timedelta(days=10)
        return make_event(
            people["admin"],
            capacity=capacity,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            registration_opens_at=start - timedelta(days=11),
            registration_closes_at=start,
            **values,
        )

    return make


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def _register(client, login, people, event, *names) -> list[int]:
    """Each firm registers in turn; returns their registrations' ids in that order."""
    ids = []
    for name in names:
        _as(client, login, people[name])
        assert client.post_form(f"/events/{event.id}/register", {"role": "demand"}).status_code == 302
        ids.append(
            db.session.scalar(
                select(Registration.id).where(
                    Registration.event_id == event.id,
                    Registration.organization_id == people[name].organization.id,
                )
            )
        )
    return ids


def _statuses(*ids) -> list[RegistrationStatus]:
    db.session.expire_all()
    return [db.session.get_one(Registration, id_).status for id_ in ids]


def _edit(client, login, people, event, **changes):
    """The organiser saves the event's edit form with these changes."""
    _as(client, login, people["admin"])
    data = {
        "kind": event.kind.value,
        "title": event.title,
        "description": event.description,
        "venue": event.venue,
        "capacity": str(event.capacity),
        "slot_minutes": str(event.slot_minutes),
        "request_limit": str(event.request_limit),
        "requests_need_acceptance": "y",
        **{
            name: to_user_timezone(getattr(event, name)).strftime("%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        },
    }
    if event.approval_required:
        data["approval_required"] = "y"
    data.update(changes)
    response = client.post_form(f"/admin/events/{event.id}/edit", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _told(user) -> tuple[list[str], list[str]]:
    """The inbox titles and mail subjects a user received about the waiting list."""
    inbox = db.session.scalars(
        select(Notification.title).where(Notification.user_id == user.id, Notification.title.contains("候补成功"))
    ).all()
    mails = db.session.scalars(
        select(MailMessage.subject).where(MailMessage.recipient == user.email, MailMessage.subject.contains("候补成功"))
    ).all()
    return list(inbox), list(mails)


def _taken(event) -> int:
    db.session.expire_all()
    return services.places_taken(db.session.get_one(Event, event.id))


def test_raising_the_capacity_promotes_the_waiting_list_in_order_and_tells_them(client, login, people, new_event):
    event = new_event(capacity=1)
    first, second, third, fourth = _register(client, login, people, event, "first", "second", "third", "fourth")
    assert _statuses(first, second, third, fourth) == [CONFIRMED, WAITLISTED, WAITLISTED, WAITLISTED]

    _edit(client, login, people, event, capacity="2")
    assert _statuses(second, third, fourth) == [CONFIRMED, WAITLISTED, WAITLISTED]
    inbox, mails = _told(people["second"])
    assert len(inbox) == 1 and event.title in inbox[0] and len(mails) == 1
    assert _told(people["third"]) == ([], [])

    _edit(client, login, people, event, capacity="3")
    assert _statuses(third, fourth) == [CONFIRMED, WAITLISTED]
    assert len(_told(people["third"])[0]) == 1 and _told(people["fourth"]) == ([], [])
    assert _taken(event) == 3

    updates = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "event.update").order_by(AuditEntry.id)
    ).all()
    assert [entry.after.get("promoted") for entry in updates] == [[second], [third]]


def test_a_cancellation_promotes_only_the_next_in_line(client, login, people, new_event):
    event = new_event(capacity=2)
    first, second, third, fourth = _register(client, login, people, event, "first", "second", "third", "fourth")
    _as(client, login, people["second"])
    client.post_form(f"/events/tickets/{second}/cancel")
    assert _statuses(first, second, third, fourth) == [
        CONFIRMED,
        RegistrationStatus.CANCELLED,
        CONFIRMED,
        WAITLISTED,
    ]
    assert len(_told(people["third"])[0]) == 1 and _told(people["fourth"]) == ([], [])
    assert _taken(event) == 2


def test_a_promotion_to_an_event_with_approval_waits_for_the_organiser(client, login, people, new_event):
    event = new_event(capacity=1, approval_required=True)
    first, second = _register(client, login, people, event, "first", "second")
    _edit(client, login, people, event, capacity="2")
    assert _statuses(first, second) == [PENDING, PENDING]
    inbox, _mails = _told(people["second"])
    assert len(inbox) == 1 and "等待主办方审核" in inbox[0]


def test_a_newcomer_after_a_raise_or_a_cancellation_joins_the_queue(client, login, people, new_event):
    event = new_event(capacity=1)
    first, second, third = _register(client, login, people, event, "first", "second", "third")
    _edit(client, login, people, event, capacity="2")
    (fourth,) = _register(client, login, people, event, "fourth")
    assert _statuses(first, second, third, fourth) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]

    _as(client, login, people["first"])
    client.post_form(f"/events/tickets/{first}/cancel")
    (fifth,) = _register(client, login, people, event, "fifth")
    assert _statuses(third, fourth, fifth) == [CONFIRMED, WAITLISTED, WAITLISTED]
    assert _taken(event) == 2


def test_places_go_to_the_queue_even_when_one_appears_free(client, login, people, new_event):
    """A place left free while firms wait (capacity changed outside the edit form): the newcomer
    still queues, and the firm waiting longest gets the place."""
    event = new_event(capacity=1)
    first, second = _register(client, login, people, event, "first", "second")
    db.session.get_one(Event, event.id).capacity = 2
    db.session.commit()
    _as(client, login, people["third"])
    assert "候补报名" in client.get(f"/events/{event.id}").get_data(as_text=True)
    (third,) = _register(client, login, people, event, "third")
    assert _statuses(first, second, third) == [CONFIRMED, CONFIRMED, WAITLISTED]
    assert len(_told(people["second"])[0]) == 1


def test_an_admin_approves_a_waitlisted_registration_even_when_full(client, login, people, new_event):
    event = new_event(capacity=1)
    first, second, third = _register(client, login, people, event, "first", "second", "third")

    _as(client, login, people["third"])
    refused = client.post_form(f"/admin/events/registrations/{third}/approve")
    assert refused.status_code == 403 and _statuses(third) == [WAITLISTED]

    _as(client, login, people["admin"])
    page = client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    approve = f'action="/admin/events/registrations/{third}/approve"'
    assert approve in page
    assert "data-confirm=" in page.split(approve, 1)[1].split(">", 1)[0]  # the form asks first
    assert client.post(f"/admin/events/registrations/{third}/approve").status_code == 400  # no CSRF token
    assert _statuses(third) == [WAITLISTED]

    client.post_form(f"/admin/events/registrations/{third}/approve")
    assert _statuses(first, second, third) == [CONFIRMED, WAITLISTED, CONFIRMED]
    assert _taken(event) == 2  # the organiser's approval goes over the capacity
    assert len(_told(people["third"])[0]) == 1 and len(_told(people["third"])[1]) == 1
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.approve")).one()
    assert (entry.before, entry.after) == ({"status": "waitlisted"}, {"event": event.id, "status": "confirmed"})

    _as(client, login, people["first"])
    client.post_form(f"/events/tickets/{first}/cancel")
    assert _statuses(second) == [WAITLISTED]  # the place freed was one too many: nothing opened
    assert _taken(event) == 1


def test_nothing_is_promoted_twice_and_counts_stay_within_capacity(client, login, people, new_event):
    event = new_event(capacity=1)
    first, second, third = _register(client, login, people, event, "first", "second", "third")
    _edit(client, login, people, event, capacity="2")
    _edit(client, login, people, event, capacity="2", title="2026 产融对接会（第二场）")
    assert services.fill_places(db.session.get_one(Event, event.id)) == []
    assert _statuses(second, third) == [CONFIRMED, WAITLISTED]
    assert len(_told(people["second"])[0]) == 1 and _taken(event) == 2

    _as(client, login, people["third"])
    client.post_form(f"/events/tickets/{third}/cancel")  # a waiting firm leaving frees no place
    _as(client, login, people["first"])
    client.post_form(f"/events/tickets/{first}/cancel")
    assert _statuses(first, second, third) == [RegistrationStatus.CANCELLED, CONFIRMED, RegistrationStatus.CANCELLED]
    assert len(_told(people["second"])[0]) == 1 and _told(people["third"]) == ([], [])
    assert _taken(event) == 1
    total = db.session.scalar(select(func.count(Notification.id)).where(Notification.title.contains("候补成功")))
    assert total == 1


def test_nothing_moves_up_once_the_event_has_ended(client, login, people, new_event):
    event = new_event(capacity=1)
    first, second = _register(client, login, people, event, "first", "second")
    ended = db.session.get_one(Event, event.id)
    ended.starts_at, ended.ends_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    ended.registration_opens_at, ended.registration_closes_at = (
        utcnow() - timedelta(days=5),
        utcnow() - timedelta(days=3),
    )
    db.session.commit()
    _as(client, login, people["first"])
    client.post_form(f"/events/tickets/{first}/cancel")
    assert _statuses(second) == [WAITLISTED] and _told(people["second"]) == ([], [])
