"""The events service owns the organiser's writes: creating an event audits it there, and reading
any of the organiser's pages writes nothing."""

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import SiteRole
from app.core.audit import AuditEntry
from app.core.models import utcnow
from app.events import competition, services
from app.events.models import Event, EventKind, ParticipantRole
from app.extensions import db
from app.reviews import services as reviews
from app.reviews.models import ReviewRound, Score


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.com", role=SiteRole.ADMIN)


def _values(**changes) -> dict:
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=10)
    values = {
        "title": "2027 青岛工业互联网对接会",
        "kind": EventKind.FORUM,
        "description": "供需对接",
        "venue": "青岛国际会议中心",
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "registration_opens_at": start - timedelta(days=11),
        "registration_closes_at": start,
        "capacity": 40,
        "slot_minutes": 20,
        "request_limit": 10,
        "approval_required": False,
        "requests_need_acceptance": True,
    }
    return values | changes


def test_creating_an_event_through_the_service_audits_it(app: Flask, admin):
    with app.test_request_context():
        event = services.create_event(_values(), admin)
    db.session.commit()
    assert db.session.get(Event, event.id).created_by_id == admin.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create"))
    assert entry is not None
    assert (entry.actor_id, entry.target_id, entry.after) == (admin.id, event.id, {"title": event.title})


def test_the_organisers_form_creates_the_event_through_the_service(client, login, admin):
    login(admin)
    start = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%d")
    form = {
        "kind": EventKind.FORUM.value,
        "title": "表单创建的活动",
        "description": "供需对接",
        "venue": "青岛国际会议中心",
        "starts_at": f"{start}T09:00",
        "ends_at": f"{start}T17:00",
        "registration_opens_at": (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT09:00"),
        "registration_closes_at": f"{start}T08:00",
        "capacity": 40,
        "slot_minutes": 20,
        "request_limit": 10,
        "requests_need_acceptance": "y",
    }
    response = client.post_form("/admin/events/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.scalar(select(Event).where(Event.title == "表单创建的活动"))
    assert event is not None
    audited = db.session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == "event.create")).all()
    assert audited == [event.id]


def test_no_organiser_page_writes_on_a_get(client, login, admin, make_event, writes):
    competition_event = make_event(admin, kind=EventKind.COMPETITION, title="工业APP创新大赛")
    event = make_event(admin, title="对接会")
    login(admin)
    pages = ["/admin/events/", "/admin/events/new"]
    for shown in (event, competition_event):
        pages += [
            f"/admin/events/{shown.id}",
            f"/admin/events/{shown.id}/edit",
            f"/admin/events/{shown.id}/programme",
            f"/admin/events/{shown.id}/schedule",
            f"/admin/events/{shown.id}/report",
            f"/admin/events/{shown.id}/report.xlsx",
        ]
    pages.append(f"/admin/events/{competition_event.id}/judging")
    for page in pages:
        writes.clear()
        response = client.get(page)
        assert response.status_code == 200, page
        assert writes == [], page
    assert db.session.scalar(select(ReviewRound).where(ReviewRound.scope == f"event:{competition_event.id}")) is None


def test_a_competitors_entry_page_writes_nothing_before_judging_is_set_up(
    app: Flask, client, login, admin, make_user, make_org, make_event, writes
):
    competition_event = make_event(admin, kind=EventKind.COMPETITION, title="工业APP创新大赛")
    firm = make_user("firm@example.com")
    make_org(owner=firm, name="青岛参赛科技")
    with app.test_request_context():
        services.register(competition_event, firm, services.Entry(ParticipantRole.SUPPLY, "", "", "", [], [], []))
    db.session.commit()
    login(firm)
    writes.clear()
    response = client.get(f"/events/{competition_event.id}/entry")
    assert response.status_code == 200
    assert writes == []
    assert db.session.scalar(select(ReviewRound).where(ReviewRound.scope == f"event:{competition_event.id}")) is None


@pytest.mark.parametrize("first_mark", ["", "11", "-1", "七", "9" * 30])
def test_a_judges_incomplete_scores_are_refused_by_the_service_and_nothing_is_saved(
    app: Flask, client, login, admin, make_user, make_org, make_event, first_mark
):
    competition_event = make_event(admin, kind=EventKind.COMPETITION, title="工业APP创新大赛")
    firm = make_user("firm@example.com")
    make_org(owner=firm, name="青岛参赛科技")
    judge = make_user("judge@example.com", role=SiteRole.EXPERT)
    with app.test_request_context():
        review = competition.judging(competition_event)
        reviews.set_criteria(review, [("创新性", 60), ("落地性", 40)])
        registration = services.register(
            competition_event, firm, services.Entry(ParticipantRole.SUPPLY, "", "", "", [], [], [])
        )
        entry = competition.submit(registration, "参赛作品", "介绍", [])
        competition.add_judge(competition_event, judge)
    db.session.commit()
    first, second = (f"c{criterion.id}" for criterion in review.criteria)
    login(judge)
    url = f"/events/{competition_event.id}/judging"
    refused = client.post_form(url, {"entry": entry.id, first: first_mark, second: "5"}, follow_redirects=True)
    assert "请为每一项标准打 0 到 10 分。" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Score.id))) == 0
    saved = client.post_form(url, {"entry": entry.id, first: "10", second: "0"}, follow_redirects=True)
    assert "评分已保存。" in saved.get_data(as_text=True)
    assert reviews.own_scores(review, judge) == {entry.id: {review.criteria[0].id: 10, review.criteria[1].id: 0}}
