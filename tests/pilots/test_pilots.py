"""Pilot projects and demo cases: a call from draft to published, applications, expert review
with conflicts of interest and blind scoring, ranking and selection up to the quota, objections
during the notice, the ledger and the plan's indicators."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Membership, OrgKind, SiteRole
from app.core.models import local_today
from app.extensions import db
from app.mail.models import MailMessage
from app.notifications.models import Notification
from app.pilots import services
from app.pilots.models import (
    CallKind,
    CallStatus,
    EvidenceSource,
    PilotApplication,
    PilotAssignment,
    PilotCall,
    PilotObjection,
)
from app.reviews.models import Score
from app.stats.ledger import record_enablement
from app.stats.models import Enablement
from tests.conftest import PDF


@pytest.fixture
def people(app, make_user, make_org):
    """Three enterprises, two experts (the second works for the first enterprise), an admin."""
    out = {"admin": make_user("admin@example.com", role=SiteRole.ADMIN)}
    for name in ("first", "second", "third"):
        out[name] = make_user(f"{name}@example.com")
        make_org(owner=out[name], name=f"青岛{name}制造", kind=OrgKind.ENTERPRISE)
    out["expert_a"] = make_user("a@example.com", name="专家甲", role=SiteRole.EXPERT)
    out["expert_b"] = make_user("b@example.com", name="专家乙", role=SiteRole.EXPERT)
    db.session.add(Membership(organization=out["first"].organization, user=out["expert_b"]))
    db.session.commit()
    return out


def _as(client, login, user):
    client.post_form("/logout")
    login(user)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _criteria(call):
    return services.review_of(call).criteria


def _scores(call, *rows):
    """rows: (application, expert, values per criterion in order)."""
    for application, expert, values in rows:
        services.score(application, expert, dict(zip((c.id for c in _criteria(call)), values, strict=True)))


def _reviewing(make_pilot_call, make_pilot_application, people, quota=100, names=("first", "second", "third")):
    call = make_pilot_call(people["admin"], status=CallStatus.REVIEWING, quota=quota)
    applications = [make_pilot_application(call, people[name].organization, people[name]) for name in names]
    return call, applications


def test_a_call_from_draft_to_published(client, login, people):
    admin, first = people["admin"], people["first"]
    login(admin)
    modes = [m.id for m in services.new_modes()]
    deadline = (local_today() + timedelta(days=20)).isoformat()
    response = client.post_form(
        "/admin/pilots/new",
        {
            "kind": "pilot",
            "year": "2026",
            "title": "2026 年新模式应用试点示范项目",
            "description": "征集试点示范项目。",
            "deadline": deadline,
            "quota": "",
            "modes": modes[:3],
            "criteria": "创新性 60\n实施成效 40",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    call = db.session.scalars(select(PilotCall)).one()
    assert call.status == CallStatus.DRAFT and call.quota == 100 and len(call.modes) == 3
    assert [(c.name, c.weight) for c in _criteria(call)] == [("创新性", 60), ("实施成效", 40)]
    assert client.get("/pilots/").get_data(as_text=True).count(call.title) == 0  # a draft is not public
    client.post_form(f"/admin/pilots/{call.id}/open")
    db.session.expire_all()
    assert call.status == CallStatus.OPEN and call.title in client.get("/pilots/").get_data(as_text=True)

    deal = record_enablement(
        firm=first.organization,
        kind="deal",
        source_type="manual",
        source_id="d1",
        occurred_on=date(2026, 3, 1),
        provider=people["second"].organization,
    ).row
    record_enablement(
        firm=people["second"].organization,
        kind="deal",
        source_type="manual",
        source_id="d2",
        occurred_on=date(2026, 3, 1),
    )
    db.session.commit()
    _as(client, login, first)
    form = client.get(f"/pilots/{call.id}/apply").get_data(as_text=True)
    assert f'value="ledger:{deal.id}"' in form and form.count('name="evidence"') == 1  # only its own ledger rows
    response = client.post_form(
        f"/pilots/{call.id}/apply",
        {
            "project_name": "注塑车间设备联网",
            "mode_id": str(modes[0]),
            "description": "40 台注塑机联网。",
            "investment": "120.5",
            "expected_results": "停机减少 30%",
            "achieved_results": "",
            "evidence": [f"ledger:{deal.id}"],
            "files": [(io.BytesIO(PDF), "申报书.pdf")],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    application = db.session.scalars(select(PilotApplication)).one()
    assert [(e.source, e.record_id) for e in application.evidence] == [(EvidenceSource.LEDGER, deal.id)]
    assert [a.original_name for a in application.attachments] == ["申报书.pdf"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已提交" in page and "申报书.pdf" in page and "评审得分" not in page
    assert client.get(f"/pilots/applications/{application.id}/files/{application.attachments[0].id}").data == PDF

    _as(client, login, admin)
    client.post_form(f"/admin/pilots/{call.id}/review")
    client.post_form(f"/admin/pilots/applications/{application.id}/assign", {"expert": people["expert_a"].id})
    db.session.expire_all()
    assert call.status == CallStatus.REVIEWING and [a.expert for a in application.assignments] == [people["expert_a"]]
    _as(client, login, people["expert_a"])
    assert "注塑车间设备联网" in client.get("/pilots/reviews").get_data(as_text=True)
    values = {f"c{c.id}": v for c, v in zip(_criteria(call), (8, 6), strict=True)}
    assert client.post_form(f"/pilots/applications/{application.id}/score", values).status_code == 302
    _as(client, login, admin)
    client.post_form(f"/admin/pilots/{call.id}/close")
    manage = client.get(f"/admin/pilots/{call.id}").get_data(as_text=True)
    assert "72.0" in manage and "checked" in manage  # 60×0.8 + 40×0.6, pre-selected
    client.post_form(f"/admin/pilots/{call.id}/selection", {"selected": [str(application.id)]})
    today = local_today().isoformat()
    client.post_form(f"/admin/pilots/{call.id}/notice", {"ends_on": today})
    db.session.expire_all()
    assert call.status == CallStatus.NOTICE and application.selected
    listing = client.get("/pilots/").get_data(as_text=True)
    assert "拟入选名单" in listing and "注塑车间设备联网" in listing
    client.post_form(f"/admin/pilots/{call.id}/publish")
    db.session.expire_all()
    assert call.status == CallStatus.PUBLISHED and call.published_on == local_today()
    project = client.get(f"/pilots/projects/{application.id}").get_data(as_text=True)
    assert (
        "青岛first制造" in project
        and "40 台注塑机联网。" in project
        and "入选名单" in client.get(f"/pilots/{call.id}").get_data(as_text=True)
    )
    _as(client, login, first)
    assert "72.0 分，第 1 名" in client.get(f"/pilots/applications/{application.id}").get_data(as_text=True)


def test_applications_after_the_deadline_or_twice_are_refused(client, login, people, make_pilot_call):
    call = make_pilot_call(people["admin"], deadline=local_today() + timedelta(days=1))
    login(people["first"])
    data = {
        "project_name": "产线数字孪生",
        "mode_id": str(call.modes[0].id),
        "description": "数字孪生。",
        "investment": "50",
        "expected_results": "效率提升",
    }
    assert client.post_form(f"/pilots/{call.id}/apply", data).status_code == 302
    again = client.post_form(f"/pilots/{call.id}/apply", data)
    assert again.status_code == 302 and _count(PilotApplication) == 1  # sent to the application it has
    with pytest.raises(services.PilotError, match="已经申报过"):
        services.apply(
            call,
            people["first"],
            services.ApplicationValues(**{**data, "mode_id": call.modes[0].id, "achieved_results": ""}),
        )
    _as(client, login, people["second"])
    late = local_today() + timedelta(days=2)
    with pytest.raises(services.PilotError, match="申报已截止"):
        services.apply(
            call,
            people["second"],
            services.ApplicationValues(
                project_name="x",
                mode_id=call.modes[0].id,
                description="x",
                investment=1,
                expected_results="x",
                achieved_results="",
            ),
            today=late,
        )
    call.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    response = client.post_form(f"/pilots/{call.id}/apply", data)
    assert response.status_code == 200 and "申报已截止" in response.get_data(as_text=True)
    assert _count(PilotApplication) == 1


def test_an_expert_of_the_applying_firm_is_never_assigned(
    client, login, people, make_pilot_call, make_pilot_application
):
    _call, (first, second, _third) = _reviewing(make_pilot_call, make_pilot_application, people)
    login(people["admin"])
    response = client.post_form(
        f"/admin/pilots/applications/{first.id}/assign", {"expert": people["expert_b"].id}, follow_redirects=True
    )
    assert "需要回避" in response.get_data(as_text=True)
    assert _count(PilotAssignment) == 0
    client.post_form(f"/admin/pilots/applications/{second.id}/assign", {"expert": people["expert_b"].id})
    db.session.expire_all()
    assert [a.expert_id for a in second.assignments] == [people["expert_b"].id]
    with pytest.raises(services.PilotError):
        services.assign(first, people["first"], people["admin"])  # not an expert


def test_experts_score_blind_and_only_what_is_assigned(client, login, people, make_pilot_call, make_pilot_application):
    call, (first, second, third) = _reviewing(make_pilot_call, make_pilot_application, people)
    expert_a, expert_b = people["expert_a"], people["expert_b"]
    for expert in (expert_a, expert_b):
        services.assign(second, expert, people["admin"])
    services.assign(third, expert_a, people["admin"])
    db.session.commit()
    criteria = _criteria(call)
    login(expert_a)
    client.post_form(f"/pilots/applications/{second.id}/score", {f"c{criteria[0].id}": 9, f"c{criteria[1].id}": 7})
    assert 'value="9"' in client.get(f"/pilots/applications/{second.id}").get_data(as_text=True)
    _as(client, login, expert_b)
    page = client.get(f"/pilots/applications/{second.id}").get_data(as_text=True)
    assert 'value="9"' not in page and 'value="7"' not in page and page.count('value=""') == 2
    assert client.get(f"/pilots/applications/{third.id}").status_code == 403  # not assigned to B

    refused = client.post_form(
        f"/pilots/applications/{third.id}/score",
        {f"c{criteria[0].id}": 5, f"c{criteria[1].id}": 5},
        follow_redirects=True,
    )
    assert "没有分配给您评审" in refused.get_data(as_text=True)
    out_of_range = client.post_form(
        f"/pilots/applications/{second.id}/score",
        {f"c{criteria[0].id}": 11, f"c{criteria[1].id}": 5},
        follow_redirects=True,
    )
    assert "0 到 10 分" in out_of_range.get_data(as_text=True)
    missing = client.post_form(
        f"/pilots/applications/{second.id}/score", {f"c{criteria[0].id}": 5}, follow_redirects=True
    )
    assert "0 到 10 分" in missing.get_data(as_text=True)
    assert db.session.scalars(select(Score.judge_id).distinct()).all() == [expert_a.id]
    _as(client, login, people["second"])  # the applicant: no scores before publication
    assert "评审得分" not in client.get(f"/pilots/applications/{second.id}").get_data(as_text=True)
    assert client.get(f"/pilots/applications/{first.id}").status_code == 403  # another firm's


def test_ranking_breaks_ties_and_selection_keeps_to_the_quota(
    client, login, people, make_pilot_call, make_pilot_application
):
    call, (first, second, third) = _reviewing(make_pilot_call, make_pilot_application, people, quota=2)
    expert_a, expert_c = people["expert_a"], people["expert_b"]
    for application in (first, second, third):
        services.assign(application, expert_a, people["admin"])
    services.assign(second, expert_c, people["admin"])
    services.assign(third, expert_c, people["admin"])
    # second: 60×0.8+40×0.5 = 68 and 60×0.6+40×0.8 = 68 → 68, spread 0.
    # third: 60×0.9+40×0.4 = 70 and 60×0.6+40×0.5 = 56 → 63, spread 14.
    # first: 60×0.5+40×0.8 = 62 (one expert).
    _scores(
        call,
        (second, expert_a, (8, 5)),
        (second, expert_c, (6, 8)),
        (third, expert_a, (9, 4)),
        (third, expert_c, (6, 5)),
        (first, expert_a, (5, 8)),
    )
    with pytest.raises(services.PilotError, match="请先结束打分"):
        services.select_applications(call, {second.id}, people["admin"])
    services.close_scoring(call, people["admin"])
    db.session.commit()
    ranked = [(a.id, r.rank, r.total, r.spread, r.judges) for a, r in services.ranking(call)]
    assert ranked == [(second.id, 1, 68.0, 0.0, 2), (third.id, 2, 63.0, 14.0, 2), (first.id, 3, 62.0, 0.0, 1)]
    assert services.preselection(call) == {second.id, third.id}

    login(people["admin"])
    page = client.post_form(
        f"/admin/pilots/{call.id}/selection",
        {"selected": [str(a.id) for a in (first, second, third)]},
        follow_redirects=True,
    )
    assert "不能超过名额（2 个）" in page.get_data(as_text=True)
    db.session.expire_all()
    assert not any(a.selected for a in call.applications)
    client.post_form(f"/admin/pilots/{call.id}/selection", {"selected": [str(first.id), str(second.id)]})
    db.session.expire_all()
    assert {a.id for a in call.applications if a.selected} == {first.id, second.id}
    assert services.preselection(call) == {first.id, second.id}


def test_ties_go_to_the_heavier_criterion_then_to_who_applied_first(people, make_pilot_call, make_pilot_application):
    call, (first, second, third) = _reviewing(make_pilot_call, make_pilot_application, people)
    expert = people["expert_a"]
    for application in (first, second, third):
        services.assign(application, expert, people["admin"])
    # 60 each (36 + 24, 24 + 36, 36 + 24).
    _scores(call, (first, expert, (6, 6)), (second, expert, (4, 9)), (third, expert, (6, 6)))
    services.close_scoring(call, people["admin"])
    # Second has less on the heavier criterion; first applied before third.
    assert [a.id for a, _r in services.ranking(call)] == [first.id, third.id, second.id]


def _in_notice(make_pilot_call, make_pilot_application, people, today=None):
    call, applications = _reviewing(make_pilot_call, make_pilot_application, people, names=("first", "second"))
    for application in applications:
        services.assign(application, people["expert_a"], people["admin"])
    _scores(call, *((application, people["expert_a"], (7, 7)) for application in applications))
    services.close_scoring(call, people["admin"])
    services.select_applications(call, {a.id for a in applications}, people["admin"])
    today = today or local_today()
    services.start_notice(call, today, people["admin"], today=today)
    db.session.commit()
    return call, applications


def test_objections_during_the_notice(client, login, people, make_pilot_call, make_pilot_application):
    call, (first, second) = _in_notice(make_pilot_call, make_pilot_application, people)
    page = client.get(f"/pilots/projects/{first.id}").get_data(as_text=True)
    assert "登录后提出异议" in page
    login(people["third"])
    client.post_form(f"/pilots/projects/{first.id}/objection", {"reason": "项目尚未实施。", "contact": "13800000000"})
    empty = client.post_form(
        f"/pilots/projects/{first.id}/objection", {"reason": "", "contact": ""}, follow_redirects=True
    )
    assert "请写明异议理由" in empty.get_data(as_text=True)
    objection = db.session.scalars(select(PilotObjection)).one()
    assert objection.filed_by == people["third"] and objection.reason == "项目尚未实施。"

    _as(client, login, people["admin"])
    refused = client.post_form(f"/admin/pilots/{call.id}/publish", follow_redirects=True)
    db.session.expire_all()
    assert "还有未答复的异议" in refused.get_data(as_text=True) and call.status == CallStatus.NOTICE
    assert "项目尚未实施。" in client.get(f"/admin/pilots/{call.id}").get_data(as_text=True)
    client.post_form(
        f"/admin/pilots/objections/{objection.id}/answer",
        {f"o{objection.id}-answer": "经核实，项目尚未开工。", f"o{objection.id}-withdraw": "y"},
    )
    db.session.expire_all()
    assert objection.upheld and objection.answered_by == people["admin"] and not first.selected
    assert client.get(f"/pilots/projects/{first.id}").status_code == 404
    client.post_form(f"/admin/pilots/{call.id}/publish")
    db.session.expire_all()
    assert call.status == CallStatus.PUBLISHED and services.listed(call) == [second]
    late = client.post_form(
        f"/pilots/projects/{second.id}/objection", {"reason": "晚了", "contact": "x"}, follow_redirects=True
    )
    assert "只能在公示期内" in late.get_data(as_text=True) and _count(PilotObjection) == 1


def test_publication_counts_each_selected_firm_once_in_the_ledger(people, make_pilot_call, make_pilot_application):
    call, applications = _in_notice(make_pilot_call, make_pilot_application, people, today=date(2024, 6, 1))
    with pytest.raises(services.PilotError, match="公示期到"):
        services.publish(call, people["admin"], today=date(2024, 5, 31))
    assert services.publish(call, people["admin"], today=date(2024, 6, 1)) == 2
    with pytest.raises(services.PilotError):
        services.publish(call, people["admin"], today=date(2024, 6, 2))
    assert services.record_selection(call, people["admin"]) == 0
    db.session.commit()
    rows = db.session.scalars(select(Enablement).where(Enablement.source_type == "pilot_application")).all()
    assert sorted((r.firm_id, r.source_id, r.occurred_on, r.programme, r.kind.code) for r in rows) == sorted(
        (a.organization_id, str(a.id), date(2024, 6, 1), "pilot", "pilot") for a in applications
    )


def test_the_plan_counts_published_selections(client, login, people, make_pilot_call, make_pilot_application):
    call, _applications = _in_notice(make_pilot_call, make_pilot_application, people, today=date(2024, 6, 1))
    services.publish(call, people["admin"], today=date(2024, 6, 1))
    demo = make_pilot_call(people["admin"], kind=CallKind.DEMO_CASE, quota=10, status=CallStatus.PUBLISHED)
    demo.published_on = date(2025, 3, 1)  # after the plan period (2022–2024): not counted
    application = make_pilot_application(demo, people["third"].organization, people["third"])
    application.selected = True
    db.session.commit()
    assert services.selected_count(CallKind.PILOT, date(2022, 1, 1), date(2024, 12, 31)) == 2
    assert services.selected_count(CallKind.DEMO_CASE, date(2022, 1, 1), date(2024, 12, 31)) == 0
    login(people["admin"])
    html = client.get("/stats/").get_data(as_text=True)
    card = html[html.index('data-test="indicator-pilot_projects"') :]
    assert 'data-test="indicator-value">2<' in card[:2500].replace(" ", "")


def test_call_steps_are_refused_out_of_order(people, make_pilot_call):
    call = make_pilot_call(people["admin"], status=CallStatus.DRAFT, deadline=local_today() - timedelta(days=1))
    with pytest.raises(services.PilotError, match="截止日期已过"):
        services.open_call(call, people["admin"])
    for step in (services.start_review, services.close_scoring):
        with pytest.raises(services.PilotError):
            step(call, people["admin"])
    with pytest.raises(services.PilotError):
        services.start_notice(call, local_today(), people["admin"])
    call.status = CallStatus.REVIEWING
    with pytest.raises(services.PilotError, match="请先结束打分"):
        services.start_notice(call, local_today(), people["admin"])
    with pytest.raises(services.PilotError, match="评审开始后"):
        services.update_call(
            call,
            services.CallValues(
                kind=call.kind,
                year=2026,
                title="x",
                description="x",
                deadline=local_today(),
                quota=5,
                modes=call.modes,
                criteria=[("创新性", 100)],
            ),
            people["admin"],
        )


def test_a_demo_case_call_has_its_own_kind_and_quota(client, login, people):
    login(people["admin"])
    client.post_form(
        "/admin/pilots/new",
        {
            "kind": "demo_case",
            "year": "2026",
            "title": "2026 年平台融合赋能示范案例",
            "description": "征集示范案例。",
            "deadline": local_today().isoformat(),
            "modes": [m.id for m in services.new_modes()],
            "criteria": "创新性 50\n成效 50",
        },
    )
    call = db.session.scalars(select(PilotCall)).one()
    assert (call.kind, call.quota) == (CallKind.DEMO_CASE, 10)
    bad = client.post_form(
        "/admin/pilots/new",
        {
            "kind": "pilot",
            "year": "2026",
            "title": "权重不对",
            "description": "x",
            "deadline": local_today().isoformat(),
            "modes": [services.new_modes()[0].id],
            "criteria": "创新性 50\n成效 40",
        },
    )
    assert "合计 100" in bad.get_data(as_text=True) and _count(PilotCall) == 1


def _inbox(user) -> list[tuple[str, str]]:
    return [
        (n.title, n.link)
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def test_experts_and_applicants_are_told_how_it_goes(app, people, make_pilot_call, make_pilot_application):
    call, applications = _reviewing(make_pilot_call, make_pilot_application, people)
    first, second, third = applications
    for application in applications:
        services.assign(application, people["expert_a"], people["admin"])
    assert _inbox(people["expert_a"])[0] == (
        f"请评审申报项目：{first.project_name}",
        f"/pilots/applications/{first.id}",
    )
    _scores(call, *((application, people["expert_a"], (7, 7)) for application in applications))
    services.close_scoring(call, people["admin"])
    services.select_applications(call, {first.id, second.id}, people["admin"])
    services.start_notice(call, local_today(), people["admin"])
    assert [title for title, _link in _inbox(people["first"])] == [f"“{first.project_name}”入选公示名单"]
    assert _inbox(people["third"]) == [(f"“{third.project_name}”未入选", f"/pilots/applications/{third.id}")]
    objection = services.object_to(second, people["third"], "项目尚未实施。", "13800000000")
    services.answer(objection, people["admin"], "经核实，项目尚未开工。", withdraw=True)
    assert _inbox(people["second"])[-1][0] == f"“{second.project_name}”因公示异议被取消入选"
    services.publish(call, people["admin"])
    assert _inbox(people["first"])[-1][0] == f"“{first.project_name}”正式入选"
    assert len(_inbox(people["second"])) == 2
    assert _inbox(people["third"])[-1] == (f"您对“{second.project_name}”提出的异议已有答复", f"/pilots/{call.id}")
    mail = db.session.scalars(
        select(MailMessage).where(MailMessage.recipient == "third@example.com").order_by(MailMessage.id)
    ).first()
    # Told outside a request (as the demo seed and commands do): the link is on the portal's public address.
    assert f"{app.config['PUBLIC_BASE_URL']}/pilots/applications/{third.id}" in mail.body


def test_an_assignment_is_taken_back_only_before_the_expert_scored(
    client, login, people, make_pilot_call, make_pilot_application
):
    call, (first, second) = _reviewing(make_pilot_call, make_pilot_application, people, names=("first", "second"))
    unscored = services.assign(first, people["expert_a"], people["admin"])
    scored = services.assign(second, people["expert_a"], people["admin"])
    _scores(call, (second, people["expert_a"], (7, 7)))
    db.session.commit()
    login(people["admin"])
    refused = client.post_form(f"/admin/pilots/assignments/{scored.id}/remove", follow_redirects=True)
    assert "专家甲 已经打分，不能撤回" in refused.get_data(as_text=True)
    done = client.post_form(f"/admin/pilots/assignments/{unscored.id}/remove", follow_redirects=True)
    assert "已撤回 专家甲 的评审任务" in done.get_data(as_text=True)
    db.session.expire_all()
    assert [a.application_id for a in db.session.scalars(select(PilotAssignment))] == [second.id]
    _as(client, login, people["expert_a"])
    assert client.get(f"/pilots/applications/{first.id}").status_code == 403
