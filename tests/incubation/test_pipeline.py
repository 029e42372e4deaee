"""The enrolment pipeline: allowed and forbidden steps, reasons, one live enrolment per firm and
track, certification counted once in the ledger and in the plan's indicators, and the admin pages."""

import re
from datetime import date

import pytest

from app.extensions import db
from app.incubation import services
from app.incubation.models import Enrolment, Stage, Transition
from app.mail.models import MailMessage
from app.notifications.models import Notification
from app.stats.models import Enablement

S = Stage
ALLOWED = {
    (S.APPLIED, S.REVIEW),
    (S.APPLIED, S.REJECTED),
    (S.REVIEW, S.CANDIDATE),
    (S.REVIEW, S.REJECTED),
    (S.CANDIDATE, S.INCUBATING),
    (S.CANDIDATE, S.REJECTED),
    (S.CANDIDATE, S.EXITED),
    (S.INCUBATING, S.CERTIFIED),
    (S.INCUBATING, S.EXITED),
    (S.CERTIFIED, S.GRADUATED),
    (S.CERTIFIED, S.EXITED),
}


#: The firm of these tests reports no figures, so it fails the criteria: certifying it takes a reason.
EXCEPTION = "专家评审破格认定"


def text(response) -> str:
    return response.get_data(as_text=True)


def at_stage(firm, stage: Stage, code: str = "gazelle") -> Enrolment:
    org, member = firm
    enrolment = services.apply(org, services.track_by_code(code), member)
    enrolment.stage = stage
    db.session.commit()
    return enrolment


def ledger_rows(enrolment: Enrolment) -> int:
    return db.session.scalar(
        db.select(db.func.count(Enablement.id)).where(
            Enablement.source_type == "incubation", Enablement.source_id == str(enrolment.id)
        )
    )


@pytest.mark.parametrize("start", list(Stage), ids=lambda s: s.value)
def test_only_the_allowed_steps_are_taken(app, firm, admin, start):
    """From `start` to every stage, each time with a new enrolment (removed after, so the firm
    has no live one when the next is made)."""
    for to in Stage:
        enrolment = at_stage(firm, start)
        if (start, to) in ALLOWED:
            services.move(
                enrolment,
                to,
                admin,
                reason={S.REJECTED: "材料不全", S.EXITED: "材料不全", S.CERTIFIED: EXCEPTION}.get(to, ""),
                on=date(2024, 6, 1),
            )
            db.session.commit()
            assert enrolment.stage == to and enrolment.transitions[-1].from_stage == start, to
        else:
            with pytest.raises(services.IncubationError, match="不能从"):
                services.move(enrolment, to, admin, reason="理由")
            db.session.rollback()
            assert db.session.get(Enrolment, enrolment.id).stage == start, to
            assert len(db.session.get(Enrolment, enrolment.id).transitions) == 1, to
        db.session.delete(enrolment)
        db.session.commit()


@pytest.mark.parametrize("to", [S.REJECTED, S.EXITED])
def test_rejecting_or_exiting_needs_a_reason(app, firm, admin, to):
    enrolment = at_stage(firm, S.CANDIDATE)
    with pytest.raises(services.IncubationError, match="请填写原因"):
        services.move(enrolment, to, admin, reason="  ")


def test_one_live_enrolment_per_firm_and_track(app, firm, admin):
    org, member = firm
    gazelle = services.track_by_code("gazelle")
    first = services.apply(org, gazelle, member)
    with pytest.raises(services.IncubationError, match="已在瞪羚企业培育流程中"):
        services.apply(org, gazelle, member)
    with pytest.raises(services.IncubationError):
        services.enrol(org, gazelle, admin)
    services.apply(org, services.track_by_code("eaglet"), member)  # another track is fine
    services.move(first, S.REJECTED, admin, reason="营业收入未达标")
    again = services.apply(org, gazelle, member)
    db.session.commit()
    assert again.id != first.id and again.stage == S.APPLIED


def test_certifying_counts_once_in_the_ledger(app, firm, admin):
    enrolment = at_stage(firm, S.INCUBATING)
    services.move(enrolment, S.CERTIFIED, admin, EXCEPTION, on=date(2024, 6, 1))
    db.session.commit()
    row = db.session.scalars(db.select(Enablement).where(Enablement.source_type == "incubation")).one()
    assert (row.firm_id, row.kind.code, row.source_id, row.occurred_on, row.programme, row.recorded_by_id) == (
        firm[0].id,
        "incubation",
        str(enrolment.id),
        date(2024, 6, 1),
        "gazelle",
        admin.id,
    )
    services.move(enrolment, S.GRADUATED, admin)
    db.session.commit()
    assert ledger_rows(enrolment) == 1 and enrolment.certified_on == date(2024, 6, 1)


def test_a_future_certification_date_is_refused(app, firm, admin):
    enrolment = at_stage(firm, S.INCUBATING)
    with pytest.raises(services.IncubationError, match="认定日期不能晚于今天"):
        services.move(enrolment, S.CERTIFIED, admin, on=date(date.today().year + 1, 1, 1))
    db.session.rollback()
    assert ledger_rows(enrolment) == 0


def test_the_plans_indicators_count_firms_certified_in_the_plan_period(app, client, login, firm, admin, make_org):
    """The plan runs 2022–2024 (seeds/plan_targets.json): a certification of 2024 counts, one of
    this year does not, and neither does one the firm has exited since."""
    counted = at_stage(firm, S.INCUBATING, "eaglet")
    services.move(counted, S.CERTIFIED, admin, EXCEPTION, on=date(2024, 3, 1))
    late = at_stage((make_org(name="晚认定企业"), admin), S.INCUBATING, "eaglet")
    services.move(late, S.CERTIFIED, admin, EXCEPTION)
    exited = at_stage((make_org(name="已退出企业"), admin), S.INCUBATING, "eaglet")
    services.move(exited, S.CERTIFIED, admin, EXCEPTION, on=date(2024, 3, 1))
    services.move(exited, S.EXITED, admin, reason="迁出本市")
    db.session.commit()
    login(admin)
    page = text(client.get("/stats/"))
    card = re.search(r'data-test="indicator-eaglets".*?data-test="indicator-value"[^>]*>([^<]+)<', page, re.S)
    assert card and card.group(1).strip() == "1"
    gazelles = re.search(r'data-test="indicator-gazelles".*?data-test="indicator-value"[^>]*>([^<]+)<', page, re.S)
    assert gazelles and gazelles.group(1).strip() == "0"


def test_a_member_applies_and_sees_the_evaluation(client, login, firm):
    org, member = firm
    login(member)
    page = text(client.get("/incubation/gazelle/apply"))
    assert "尚未填报年度数据" in page and "成立于 2018 年" in page
    assert client.post_form("/incubation/gazelle/apply", {"statement": "工业软件企业。"}).status_code == 302
    enrolment = db.session.scalars(db.select(Enrolment)).one()
    assert (enrolment.organization_id, enrolment.stage, enrolment.statement) == (org.id, S.APPLIED, "工业软件企业。")
    assert enrolment.transitions[0].to_stage == S.APPLIED and enrolment.transitions[0].by_id == member.id
    assert client.get("/incubation/gazelle/apply").status_code == 302
    assert 'data-test="stage">已申请' in text(client.get("/incubation/figures"))


def test_an_admin_moves_an_enrolment_through_the_pages(client, login, firm, admin):
    enrolment = at_stage(firm, S.APPLIED)
    login(admin)
    url = f"/admin/incubation/enrolments/{enrolment.id}"
    response = client.post_form(url + "/move", {"to": "certified"}, follow_redirects=True)
    assert "当前阶段不能改为这个阶段" in text(response)
    response = client.post_form(url + "/move", {"to": "rejected", "reason": ""}, follow_redirects=True)
    assert "请填写原因" in text(response)
    assert db.session.get(Enrolment, enrolment.id).stage == S.APPLIED
    response = client.post_form(url + "/move", {"to": "review"}, follow_redirects=True)
    assert "已改为“审核中”" in text(response)
    history = db.session.scalars(
        db.select(Transition).where(Transition.enrolment_id == enrolment.id).order_by(Transition.id)
    ).all()
    assert [(t.from_stage, t.to_stage, t.by_id) for t in history] == [
        (None, S.APPLIED, firm[1].id),
        (S.APPLIED, S.REVIEW, admin.id),
    ]
    board = text(client.get("/admin/incubation/gazelle"))
    assert re.search(r'data-test="column-review".*?青岛瞪羚科技有限公司', board, re.S)


def test_milestones_and_notes(client, login, firm, admin):
    enrolment = at_stage(firm, S.INCUBATING)
    login(admin)
    url = f"/admin/incubation/enrolments/{enrolment.id}"
    client.post_form(url + "/milestones", {"title": "完成首轮融资", "due_on": "2027-03-31"})
    client.post_form(url + "/notes", {"body": "导师建议建立研发费用专账。"})
    db.session.expire_all()
    [milestone] = db.session.get(Enrolment, enrolment.id).milestones
    client.post_form(f"/admin/incubation/milestones/{milestone.id}/done")
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).milestones[0].done_at is not None
    page = text(client.get(url))
    assert "完成首轮融资" in page and "导师建议建立研发费用专账。" in page


def test_an_admin_enrols_a_firm_as_a_candidate(client, login, firm, admin):
    org, _ = firm
    login(admin)
    page = text(client.get(f"/admin/incubation/gazelle/enrol?org={org.id}"))
    assert org.credit_code in page and 'data-test="chosen-firm"' in page
    assert client.post_form("/admin/incubation/gazelle/enrol", {"firm": "没有这家企业"}).status_code == 200
    assert client.post_form("/admin/incubation/gazelle/enrol", {"firm": org.credit_code}).status_code == 302
    enrolment = db.session.scalars(db.select(Enrolment)).one()
    assert enrolment.stage == S.CANDIDATE


def test_an_admin_edits_a_tracks_thresholds(client, login, admin):
    login(admin)
    form = {"c0_years": "10", "c1_wan_yuan": "800", "c2_percent": "15.5", "c2_years": "3"}
    assert client.post_form("/admin/incubation/gazelle/criteria", {**form, "c1_wan_yuan": "-5"}).status_code == 200
    assert services.track_by_code("gazelle").criteria[1]["wan_yuan"] == 500
    assert client.post_form("/admin/incubation/gazelle/criteria", form).status_code == 302
    db.session.expire_all()
    assert services.track_by_code("gazelle").criteria == [
        {"type": "founded_within_years", "years": 10},
        {"type": "revenue_min", "wan_yuan": 800},
        {"type": "revenue_cagr_min", "percent": 15.5, "years": 3},
    ]
    assert "最近一年营业收入不低于 800 万元" in text(client.get("/incubation"))


def test_the_public_page_lists_tracks_targets_and_certified_firms(client, firm, admin):
    enrolment = at_stage(firm, S.INCUBATING)
    services.move(enrolment, S.CERTIFIED, admin, EXCEPTION, on=date(2024, 5, 1))
    db.session.commit()
    page = text(client.get("/incubation"))
    assert "雏鹰企业" in page and "成立不超过 5 年" in page and "/ 20" in page and "/ 50" in page
    assert "青岛瞪羚科技有限公司" in page
    assert "青岛瞪羚科技有限公司" in text(client.get("/incubation/gazelle"))


def test_the_firm_is_told_of_each_step(app, firm, admin):
    _org, member = firm
    enrolment = at_stage(firm, S.APPLIED)
    services.move(enrolment, S.REVIEW, admin)
    services.move(enrolment, S.REJECTED, admin, reason="近三年营业收入增长不足。")
    db.session.commit()
    told = db.session.scalars(
        db.select(Notification).where(Notification.user_id == member.id).order_by(Notification.id)
    ).all()
    assert [(n.title, n.link) for n in told] == [
        ("贵单位的瞪羚企业孵化申请进入“审核中”", "/incubation/figures"),
        ("贵单位的瞪羚企业孵化申请进入“未通过”", "/incubation/figures"),
    ]
    mail = db.session.scalars(
        db.select(MailMessage).where(MailMessage.recipient == member.email).order_by(MailMessage.id.desc())
    ).first()
    assert "近三年营业收入增长不足。" in mail.body


def test_the_tracks_speak_english_to_english_visitors(client):
    client.set_cookie("lang", "en")
    page = text(client.get("/incubation/gazelle"))
    assert "Gazelle firms" in page and "growing fast" in page and "瞪羚企业" not in page
    client.set_cookie("lang", "zh")
    assert "瞪羚企业" in text(client.get("/incubation/gazelle"))
