"""Every decision the organiser takes on an event is in the audit log, written by the service that
takes it: publishing the event, deciding registrations, running the scheduler, moving a meeting,
publishing the schedule, choosing and removing judges, closing judging and publishing results.
Refusals that read as cautions keep their warning."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.events import agenda, competition, services
from app.events.models import Event, EventKind, EventStatus, MeetingRequest, ParticipantRole, RegistrationStatus
from app.extensions import db
from app.reviews import services as reviews


@pytest.fixture
def people(app, make_user, make_org):
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    for name in ("first", "second"):
        out[name] = make_user(f"{name}@example.com")
        make_org(owner=out[name], name=f"青岛{name}科技", kind=OrgKind.BOTH)
    out["expert"] = make_user("expert@example.com", name="专家甲", role=SiteRole.EXPERT)
    return out


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _register(event, user):
    return services.register(event, user, services.Entry(ParticipantRole.DEMAND, "", "", "", [], [], []))


def _spot(meeting) -> dict:
    return {"request": meeting.request_id, "slot": meeting.slot.starts_at.isoformat(), "table": meeting.table.name}


def test_publishing_an_event_is_audited_and_a_second_publication_is_a_caution(app, people, make_event):
    admin = people["admin"]
    event = make_event(admin, status=EventStatus.DRAFT)
    with app.test_request_context():
        services.publish(event, admin)
        with pytest.raises(services.EventError) as refused:
            services.publish(event, admin)
    (entry,) = _entries("event.publish")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "Event", event.id)
    assert (entry.before, entry.after) == ({"status": "draft"}, {"status": "published"})
    assert refused.value.category == "warning"


def test_each_decision_on_a_registration_is_audited(app, people, make_event):
    admin = people["admin"]
    event = make_event(admin, capacity=1, approval_required=True)
    with app.test_request_context():
        first, second = _register(event, people["first"]), _register(event, people["second"])
        assert (first.status, second.status) == (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)
        services.reject(first, admin)
        services.approve(second, admin)
        with pytest.raises(services.EventError) as refused:
            services.approve(first, admin)
    (rejected,) = _entries("registration.reject")
    assert (rejected.actor_id, rejected.target_type, rejected.target_id) == (
        admin.id,
        "Organization",
        first.organization_id,
    )
    assert rejected.before == {"status": "pending"}
    assert rejected.after == {"event": event.id, "status": "rejected", "promoted": [second.id]}
    (approved,) = _entries("registration.approve")
    assert approved.target_id == second.organization_id
    assert (approved.before, approved.after) == ({"status": "pending"}, {"event": event.id, "status": "confirmed"})
    assert refused.value.category == "warning"


def test_scheduler_runs_moves_and_the_published_schedule_are_audited(app, people, make_event):
    admin = people["admin"]
    event = make_event(admin)
    with app.test_request_context():
        _register(event, people["first"])
        second = _register(event, people["second"])
        meeting_request = services.send_request(event, people["first"], second, "")
        services.decide_request(meeting_request, people["second"], accept=True)
        result = agenda.run_scheduler(event, admin)
        placed = _spot(meeting_request.meeting)
        slot = next(s for s in event.slots if s.id != meeting_request.meeting.slot_id)
        agenda.move(meeting_request, slot, event.tables[-1], admin)
        moved_to = _spot(meeting_request.meeting)
        told = agenda.publish(event, admin)
        with pytest.raises(services.EventError) as rerun:
            agenda.run_scheduler(event, admin)
        with pytest.raises(services.EventError) as optimised:
            agenda.optimise(event, admin)
    (run,) = _entries("event.schedule_run")
    assert (run.actor_id, run.target_type, run.target_id) == (admin.id, "Event", event.id)
    assert run.after == {"how": "run", "placed": len(result.placements), "unplaced": len(result.unplaced)}
    (move,) = _entries("meeting.move")
    assert (move.actor_id, move.target_type, move.target_id) == (admin.id, "Event", event.id)
    assert (move.before, move.after) == (placed, moved_to) and placed != moved_to
    (published,) = _entries("event.schedule")
    assert published.after == {"published": True, "told": told}
    assert rerun.value.category == optimised.value.category == "warning"


def test_judges_and_the_steps_of_judging_are_audited(app, people, make_event):
    admin, expert = people["admin"], people["expert"]
    event = make_event(admin, kind=EventKind.COMPETITION, title="工业APP创新大赛")
    after_registration = event.registration_closes_at + timedelta(minutes=1)
    with app.test_request_context():
        reviews.set_criteria(competition.judging(event), [("创新性", 100)])
        with pytest.raises(services.EventError, match="请选择评审专家"):
            competition.appoint_judge(event, None, admin)
        assert competition.appoint_judge(event, expert, admin) is expert
        competition.remove_judge(event, expert, admin)
        competition.appoint_judge(event, expert, admin)
        competition.close_judging(event, admin)
        with pytest.raises(services.EventError) as closed_again:
            competition.close_judging(event, admin)
        competition.publish_results(event, admin, now=after_registration)
        with pytest.raises(services.EventError) as published_again:
            competition.publish_results(event, admin, now=after_registration)
    assert [entry.after for entry in _entries("judging.add_judge")] == [{"judge": expert.id}] * 2
    (removed,) = _entries("judging.remove_judge")
    assert removed.after == {"judge": expert.id, "scores_dropped": 0}
    assert [entry.after for entry in _entries("judging.close")] == [{"status": "closed"}]
    assert [entry.after for entry in _entries("judging.publish")] == [{"status": "published"}]
    assert all(entry.target_id == event.id and entry.actor_id == admin.id for entry in _entries("judging.close"))
    assert closed_again.value.category == published_again.value.category == "warning"


def test_the_routes_write_the_audit_with_the_signed_in_organiser(client, login, people, make_event):
    event = make_event(people["admin"], status=EventStatus.DRAFT)
    login(people["admin"])
    client.post_form(f"/admin/events/{event.id}/publish")
    again = client.post_form(f"/admin/events/{event.id}/publish", follow_redirects=True).get_data(as_text=True)
    assert "只有草稿可以发布" in again and "alert-warning" in again
    client.post_form(f"/admin/events/{event.id}/schedule/run")
    client.post_form(f"/admin/events/{event.id}/schedule/publish")
    rerun = client.post_form(f"/admin/events/{event.id}/schedule/run", follow_redirects=True).get_data(as_text=True)
    assert "日程已发布，只能手动调整" in rerun and "alert-warning" in rerun
    actions = {entry.action for entry in db.session.scalars(select(AuditEntry)) if entry.actor_id == people["admin"].id}
    assert {"event.publish", "event.schedule_run", "event.schedule"} <= actions


def test_an_empty_check_in_code_or_no_chosen_expert_is_refused(client, login, people, make_event):
    admin = people["admin"]
    event = make_event(admin)
    contest = make_event(admin, kind=EventKind.COMPETITION)
    login(admin)
    page = client.post_form(f"/admin/events/{event.id}/check-in", {"code": ""}, follow_redirects=True)
    assert "请输入或扫描签到码" in page.get_data(as_text=True)
    page = client.post_form(f"/admin/events/{contest.id}/judges", {"expert": ""}, follow_redirects=True)
    assert "请选择评审专家" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, contest.id).judges == [] and _entries("judging.add_judge") == []


def test_a_meeting_moved_through_the_schedule_page_is_audited(app, client, login, people, make_event):
    admin = people["admin"]
    event = make_event(admin)
    with app.test_request_context():
        _register(event, people["first"])
        second = _register(event, people["second"])
        meeting_request = services.send_request(event, people["first"], second, "")
        services.decide_request(meeting_request, people["second"], accept=True)
        agenda.run_scheduler(event, admin)
    db.session.commit()
    placed = _spot(meeting_request.meeting)
    slot = next(s for s in event.slots if s.id != meeting_request.meeting.slot_id)
    login(admin)
    page = client.post_form(
        f"/admin/events/{event.id}/schedule/move",
        {"request_id": meeting_request.id, "slot": slot.id, "table": event.tables[0].id},
        follow_redirects=True,
    )
    assert "已调整洽谈的时段和桌号" in page.get_data(as_text=True)
    db.session.expire_all()
    meeting = db.session.get(MeetingRequest, meeting_request.id).meeting
    assert meeting.pinned and meeting.slot_id == slot.id
    (move,) = _entries("meeting.move")
    assert (move.actor_id, move.before, move.after) == (admin.id, placed, _spot(meeting))


def test_the_programme_check_in_and_judging_criteria_are_audited(app, people, make_event):
    admin = people["admin"]
    event = make_event(admin)
    contest = make_event(admin, kind=EventKind.COMPETITION)
    programme = services.Programme(
        days=[date(2030, 6, 18)], day_starts=time(9), day_ends=time(10), breaks=[], tables=3, table_prefix="桌"
    )
    with app.test_request_context():
        services.set_programme(event, programme, admin)
        registration = _register(event, people["first"])
        services.check_in(event, registration.ticket_code, admin, now=event.starts_at)
        competition.set_criteria(contest, [("创新性", 60), ("落地性", 40)], admin)
        competition.set_criteria(contest, [("创新性", 100)], admin)
    (programmed,) = _entries("event.programme")
    assert (programmed.actor_id, programmed.target_id) == (admin.id, event.id)
    assert programmed.after == {"slots": len(event.slots), "tables": 3}
    (checked_in,) = _entries("registration.check_in")
    assert (checked_in.actor_id, checked_in.target_type, checked_in.target_id) == (
        admin.id,
        "Organization",
        registration.organization_id,
    )
    assert checked_in.after == {"event": event.id}
    first, second = _entries("judging.criteria")
    assert (first.target_id, first.before, first.after) == (contest.id, {}, {"创新性": 60, "落地性": 40})
    assert (second.before, second.after) == (first.after, {"创新性": 100})
