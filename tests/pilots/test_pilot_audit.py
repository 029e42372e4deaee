"""Every decision the office takes on a pilot call is in the audit log, written by the service that
takes it: the call's steps, experts assigned and taken back, the selection and the answers to
objections."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import OrgKind, SiteRole
from app.core.audit import AuditEntry
from app.core.models import local_today
from app.extensions import db
from app.pilots import services
from app.pilots.models import CallStatus, PilotAssignment


@pytest.fixture
def people(app, make_user, make_org):
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    for name in ("first", "second", "third"):
        out[name] = make_user(f"{name}@example.com")
        make_org(owner=out[name], name=f"青岛{name}制造", kind=OrgKind.ENTERPRISE)
    out["expert"] = make_user("a@example.com", name="专家甲", role=SiteRole.EXPERT)
    return out


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _values(call) -> services.CallValues:
    return services.CallValues(
        kind=call.kind,
        year=call.year,
        title="2026 年试点示范项目（修订）",
        description=call.description,
        deadline=local_today() + timedelta(days=10),
        quota=call.quota,
        modes=call.modes,
        criteria=[("创新性", 100)],
    )


def test_the_call_steps_are_audited_by_their_services(people, make_pilot_call, make_pilot_application):
    admin = people["admin"]
    call = make_pilot_call(admin, status=CallStatus.DRAFT)
    assert [e.target_id for e in _entries("pilot_call.create")] == [call.id]
    services.update_call(call, _values(call), admin)
    services.open_call(call, admin)
    application = make_pilot_application(call, people["first"].organization, people["first"])
    services.start_review(call, admin)
    assignment = services.assign(application, people["expert"], admin)
    services.score(application, people["expert"], {c.id: 8 for c in services.review_of(call).criteria})
    services.close_scoring(call, admin)
    services.select_applications(call, {application.id}, admin)
    services.start_notice(call, local_today(), admin)
    objection = services.object_to(application, people["third"], "项目尚未实施。", "13800000000")
    services.answer(objection, admin, "经核实，项目已实施。", withdraw=False)
    services.publish(call, admin)
    db.session.commit()

    for step in ("update", "open", "review", "close", "notice", "publish"):
        (entry,) = _entries(f"pilot_call.{step}")
        assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "PilotCall", call.id)
    assert _entries("pilot_call.update")[0].after["title"] == "2026 年试点示范项目（修订）"
    assert _entries("pilot_call.publish")[0].after["status"] == CallStatus.PUBLISHED.value
    (assigned,) = _entries("pilot_call.assign")
    assert assigned.after == {
        "application": application.id,
        "project": application.project_name,
        "expert": people["expert"].id,
        "assignment": assignment.id,
    }
    (selected,) = _entries("pilot_call.select")
    assert selected.before == {"selected": []} and selected.after == {"selected": [application.id]}
    (answered,) = _entries("pilot_call.answer")
    assert answered.after == {
        "objection": objection.id,
        "application": application.id,
        "answer": "经核实，项目已实施。",
        "withdrawn": False,
    }


def test_assigning_and_taking_back_an_expert_is_audited(client, login, people, make_pilot_call, make_pilot_application):
    call = make_pilot_call(people["admin"], status=CallStatus.REVIEWING)
    application = make_pilot_application(call, people["first"].organization, people["first"])
    login(people["admin"])
    client.post_form(f"/admin/pilots/applications/{application.id}/assign", {"expert": people["expert"].id})
    assignment = db.session.scalars(select(PilotAssignment)).one()
    (assigned,) = _entries("pilot_call.assign")
    assert (assigned.actor_id, assigned.target_id) == (people["admin"].id, call.id)
    response = client.post_form(f"/admin/pilots/assignments/{assignment.id}/remove", follow_redirects=True)
    assert "已撤回 专家甲 的评审任务" in response.get_data(as_text=True)
    (taken_back,) = _entries("pilot_call.unassign")
    assert taken_back.before == {
        "application": application.id,
        "project": application.project_name,
        "expert": people["expert"].id,
    }


def test_assigning_nobody_is_refused_and_changes_nothing(
    client, login, people, make_pilot_call, make_pilot_application
):
    call = make_pilot_call(people["admin"], status=CallStatus.REVIEWING)
    application = make_pilot_application(call, people["first"].organization, people["first"])
    login(people["admin"])
    response = client.post_form(
        f"/admin/pilots/applications/{application.id}/assign", {"expert": ""}, follow_redirects=True
    )
    assert "请选择评审专家。" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PilotAssignment.id))) == 0
    assert _entries("pilot_call.assign") == []
    with pytest.raises(services.PilotError, match="请选择评审专家"):
        services.assign(application, None, people["admin"])


def test_editing_a_call_through_its_page_is_audited_with_the_signed_in_admin(client, login, people, make_pilot_call):
    admin = people["admin"]
    call = make_pilot_call(admin, status=CallStatus.DRAFT)
    login(admin)
    response = client.post_form(
        f"/admin/pilots/{call.id}/edit",
        {
            "kind": "pilot",
            "year": "2026",
            "title": "2026 年试点示范项目（修订）",
            "description": "征集试点示范项目。",
            "deadline": (local_today() + timedelta(days=20)).isoformat(),
            "quota": "5",
            "modes": [m.id for m in services.new_modes()][:2],
            "criteria": "创新性 100",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (entry,) = _entries("pilot_call.update")
    assert (entry.actor_id, entry.target_id, entry.after["title"]) == (admin.id, call.id, "2026 年试点示范项目（修订）")
