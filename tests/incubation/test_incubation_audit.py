"""The office's incubation decisions are audited by their services (milestones set and ticked off,
mentor notes), a refused enrolment or move reads as a caution, and a member's refused figures or
second application are shown as before."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.core.models import local_today
from app.extensions import db
from app.incubation import services
from app.incubation.models import AnnualFigures, Enrolment, Stage
from tests.incubation.conftest import figures_form


def text(response) -> str:
    return response.get_data(as_text=True)


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _enrolment(firm, stage: Stage = Stage.INCUBATING) -> Enrolment:
    org, member = firm
    enrolment = services.apply(org, services.track_by_code("gazelle"), member)
    enrolment.stage = stage
    db.session.commit()
    return enrolment


def test_milestones_and_notes_are_audited_by_their_services(app, firm, admin):
    enrolment = _enrolment(firm)
    milestone = services.add_milestone(enrolment, "完成首轮融资", date(2027, 3, 31), admin)
    services.set_milestone_done(milestone, True, admin)
    services.set_milestone_done(milestone, False, admin)
    note = services.add_note(enrolment, "导师建议建立研发费用专账。", admin)
    db.session.commit()

    (added,) = _entries("incubation.milestone")
    assert (added.actor_id, added.target_id) == (admin.id, enrolment.organization_id)
    assert added.after == {
        "enrolment": enrolment.id,
        "milestone": milestone.id,
        "title": "完成首轮融资",
        "due_on": "2027-03-31",
    }
    done, undone = _entries("incubation.milestone_done"), _entries("incubation.milestone_undone")
    assert [e.after for e in done + undone] == [
        {"enrolment": enrolment.id, "milestone": milestone.id, "done": True},
        {"enrolment": enrolment.id, "milestone": milestone.id, "done": False},
    ]
    (noted,) = _entries("incubation.note")
    assert noted.after == {"enrolment": enrolment.id, "note": note.id}


def test_milestones_and_notes_added_through_the_pages_are_audited(client, login, firm, admin):
    enrolment = _enrolment(firm)
    login(admin)
    url = f"/admin/incubation/enrolments/{enrolment.id}"
    client.post_form(url + "/milestones", {"title": "完成首轮融资", "due_on": "2027-03-31"})
    milestone_id = _entries("incubation.milestone")[0].after["milestone"]
    client.post_form(f"/admin/incubation/milestones/{milestone_id}/done")
    response = client.post_form(url + "/notes", {"body": "导师建议建立研发费用专账。"}, follow_redirects=True)
    assert "辅导记录已保存。" in text(response)
    assert [len(_entries(a)) for a in ("incubation.milestone", "incubation.milestone_done", "incubation.note")] == [
        1,
        1,
        1,
    ]


def test_a_refused_enrolment_or_move_is_a_caution(client, login, firm, admin):
    org, _member = firm
    enrolment = _enrolment(firm, Stage.CANDIDATE)
    with pytest.raises(services.IncubationError) as refused:
        services.enrol(org, enrolment.track, admin)
    assert refused.value.category == "warning"
    with pytest.raises(services.IncubationError) as moved:
        services.move(enrolment, Stage.REJECTED, admin, reason="")
    assert moved.value.category == "warning"
    db.session.rollback()

    login(admin)
    again = text(client.post_form("/admin/incubation/gazelle/enrol", {"firm": org.credit_code}, follow_redirects=True))
    assert "已在瞪羚企业培育流程中" in again and "alert-warning" in again
    url = f"/admin/incubation/enrolments/{enrolment.id}/move"
    response = text(client.post_form(url, {"to": "rejected", "reason": ""}, follow_redirects=True))
    assert "请填写原因" in response and "alert-warning" in response
    assert db.session.get(Enrolment, enrolment.id).stage == Stage.CANDIDATE
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_a_member_applies_once_and_is_told_where_the_firm_stands(client, login, firm):
    _org, member = firm
    login(member)
    applied = text(
        client.post_form("/incubation/gazelle/apply", {"statement": "营收连续增长。"}, follow_redirects=True)
    )
    assert "已提交瞪羚企业申请" in applied and "alert-success" in applied
    for response in (
        client.get("/incubation/gazelle/apply", follow_redirects=True),
        client.post_form("/incubation/gazelle/apply", {"statement": "再次申请"}, follow_redirects=True),
    ):
        page = text(response)
        assert "贵单位已在瞪羚企业培育流程中，当前阶段：已申请。" in page and "alert-info" in page
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_refused_figures_are_shown_on_their_fields_and_nothing_is_saved(client, login, firm):
    _org, member = firm
    login(member)
    future = local_today().year + 1
    response = text(client.post_form("/incubation/figures", figures_form(future)))
    assert f"不能填报未来年份（{future} 年）的数据。" in response and "alert-dismissible" not in response
    assert db.session.scalar(select(func.count(AnnualFigures.id))) == 0
    client.post_form("/incubation/figures", figures_form(2024), follow_redirects=True)
    moved = text(client.post_form("/incubation/figures/2024", figures_form(2023)))
    assert "年度不能修改" in moved and "alert-dismissible" not in moved
    assert db.session.scalars(select(AnnualFigures.year)).all() == [2024]
