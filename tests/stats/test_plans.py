"""Plans over time: admins add the next plan, copied from the previous one and then edited, all
audited; the current plan is shown, and a plan whose period has ended shows its final results
(the seeded plan runs 2022–2024)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.accounts.models import SiteRole
from app.core.audit import AuditEntry
from app.core.models import local_today
from app.extensions import db
from app.stats import indicators
from app.stats.indicators import PlanError, Verdict
from app.stats.models import Indicator, Plan, ReportedValue

SUCCESSOR = "工业互联网三年行动计划（2025—2027年）"


def seeded_plan() -> Plan:
    return db.session.scalar(db.select(Plan).order_by(Plan.starts_on))


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def successor(admin, start=date(2025, 1, 1), end=date(2027, 12, 31)) -> Plan:
    plan = indicators.create_successor(seeded_plan(), name=SUCCESSOR, starts_on=start, ends_on=end, by=admin)
    db.session.commit()
    return plan


def test_an_admin_adds_a_successor_plan_copied_from_the_previous_one(client, login, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    previous = seeded_plan()
    indicators.report_value(previous.indicators[-1], Decimal(5), date(2024, 6, 30), "统计局", admin)
    db.session.commit()
    login(admin)

    page = client.get("/stats/plans").get_data(as_text=True)
    assert 'data-test="successor-form"' in page and previous.name in page
    response = client.post_form("/stats/plans", {"name": SUCCESSOR, "starts_on": "2025-01-01", "ends_on": "2027-12-31"})

    plan = db.session.scalar(db.select(Plan).where(Plan.name == SUCCESSOR))
    assert response.status_code == 302 and response.location.endswith(f"/stats/plans/{plan.id}")
    assert (plan.starts_on, plan.ends_on) == (date(2025, 1, 1), date(2027, 12, 31))
    copied = [(i.code, i.name, i.unit, i.target, i.kind, i.note, i.position) for i in plan.indicators]
    assert copied == [(i.code, i.name, i.unit, i.target, i.kind, i.note, i.position) for i in previous.indicators]
    assert {i.id for i in plan.indicators}.isdisjoint(i.id for i in previous.indicators)
    assert not db.session.scalar(db.select(ReportedValue).join(Indicator).where(Indicator.plan_id == plan.id)), (
        "the previous plan's reported figures stay with it"
    )
    [entry] = entries("plan.create")
    assert (entry.actor_id, entry.target_id) == (admin.id, plan.id)
    assert entry.after["copied_from"] == previous.name
    assert entry.after["indicators"] == [i.code for i in previous.indicators]
    assert SUCCESSOR in client.get(f"/stats/plans/{plan.id}").get_data(as_text=True)


def test_the_successor_is_edited_apart_from_the_previous_plan(client, login, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    plan = successor(admin)
    login(admin)
    copy = next(i for i in plan.indicators if i.code == "enablements")
    original = next(i for i in seeded_plan().indicators if i.code == "enablements")
    old_target = original.target

    client.post_form(
        f"/stats/indicators/{copy.id}",
        {"name": copy.name, "unit": copy.unit, "target": str(old_target * 2), "note": ""},
    )
    client.post_form(
        f"/stats/plans/{plan.id}",
        {"name": "工业互联网赋能企业数", "code": "firms_2027", "kind": "reported", "target": "800", "unit": "家"},
    )
    client.post_form(
        f"/stats/plans/{plan.id}/edit",
        {"plan-name": SUCCESSOR, "plan-starts_on": "2025-01-01", "plan-ends_on": "2027-06-30"},
    )

    db.session.expire_all()
    assert copy.target == old_target * 2 and original.target == old_target
    assert "firms_2027" in [i.code for i in plan.indicators]
    assert "firms_2027" not in [i.code for i in seeded_plan().indicators]
    assert plan.ends_on == date(2027, 6, 30)
    [update] = entries("plan.update")
    assert update.after == {"ends_on": "2027-06-30"} and update.before == {"ends_on": "2027-12-31"}
    assert [e.target_id for e in entries("indicator.update")] == [copy.id]
    assert [e.after["code"] for e in entries("indicator.create")] == ["firms_2027"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-07-01", "2027-12-31", "计划期与“{name}”（{start} 至 {end}）重叠。"),
        ("2027-01-01", "2025-01-01", "计划的结束日期须晚于开始日期。"),
    ],
)
def test_a_successor_that_does_not_follow_is_refused(client, login, make_user, start, end, message):
    admin = make_user(role=SiteRole.ADMIN)
    login(admin)
    previous = seeded_plan()
    before = db.session.scalar(db.select(db.func.count()).select_from(Plan))

    page = client.post_form("/stats/plans", {"name": SUCCESSOR, "starts_on": start, "ends_on": end})

    expected = message.format(name=previous.name, start=previous.starts_on, end=previous.ends_on)
    assert expected in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == before
    assert entries("plan.create") == []


def test_a_successor_must_start_after_the_previous_plan(app, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    with force_locale("zh"), pytest.raises(PlanError, match="新计划须在"):
        indicators.create_successor(
            seeded_plan(), name=SUCCESSOR, starts_on=date(2021, 1, 1), ends_on=date(2021, 12, 31), by=admin
        )
    with force_locale("zh"), pytest.raises(PlanError, match="已有同名的计划。"):
        indicators.create_successor(
            seeded_plan(), name=seeded_plan().name, starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31), by=admin
        )


@pytest.mark.parametrize("role", [SiteRole.MEMBER, SiteRole.EXPERT])
def test_only_admins_add_or_edit_plans(client, login, make_user, role):
    login(make_user(role=role))
    plan = seeded_plan()
    name = plan.name
    created = client.post_form("/stats/plans", {"name": SUCCESSOR, "starts_on": "2025-01-01", "ends_on": "2027-12-31"})
    edited = client.post_form(
        f"/stats/plans/{plan.id}/edit",
        {"plan-name": "改名", "plan-starts_on": "2022-01-01", "plan-ends_on": "2024-12-31"},
    )
    assert (created.status_code, edited.status_code) == (403, 403)
    assert client.get("/stats/plans").status_code == 403
    db.session.expire_all()
    assert db.session.scalar(db.select(Plan).where(Plan.name == SUCCESSOR)) is None and plan.name == name


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.post_form("/stats/plans", {"name": SUCCESSOR, "starts_on": "2025-01-01", "ends_on": "2027-12-31"})
    assert response.status_code == 302 and "/login" in response.location
    assert db.session.scalar(db.select(Plan).where(Plan.name == SUCCESSOR)) is None


def test_past_plans_read_achieved_or_missed_with_their_final_figures(app, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    previous = seeded_plan()
    stations = next(i for i in previous.indicators if i.code == "base_stations_5g")
    output = next(i for i in previous.indicators if i.code == "new_output")
    indicators.report_value(stations, stations.target, date(2024, 12, 31), "工信局", admin)
    indicators.report_value(output, output.target / 2, date(2024, 12, 31), "统计局", admin)
    plan = successor(admin)

    during, after = date(2024, 6, 1), date(2026, 6, 1)
    assert indicators.current_plan(during) is previous and indicators.past_plans(during) == []
    assert indicators.current_plan(after) is plan and indicators.past_plans(after) == [previous]
    final = {status.indicator.code: status for status in indicators.statuses(previous)}
    assert final["base_stations_5g"].value == stations.target
    assert final["new_output"].value == output.target / 2
    assert final["base_stations_5g"].verdict(previous, after) == Verdict.ACHIEVED
    assert final["new_output"].verdict(previous, after) == Verdict.MISSED
    assert final["new_output"].verdict(previous, during) == Verdict.BEHIND  # behind only while it runs


def test_a_successor_ahead_of_its_period_is_not_current(app, make_user):
    plan = successor(make_user(role=SiteRole.ADMIN), start=date(2025, 1, 1), end=date(2027, 12, 31))
    assert indicators.current_plan(date(2024, 12, 31)) is seeded_plan()
    assert indicators.current_plan(date(2028, 1, 1)) is plan
    assert indicators.past_plans(date(2028, 1, 1)) == [seeded_plan()]


@pytest.mark.parametrize("path", ["/stats/public", "/stats/"])
def test_the_pages_show_the_current_plan_and_the_past_results(app, client, login, make_user, path):
    admin = make_user(role=SiteRole.ADMIN)
    previous = seeded_plan()
    stations = next(i for i in previous.indicators if i.code == "base_stations_5g")
    output = next(i for i in previous.indicators if i.code == "new_output")
    indicators.report_value(stations, stations.target + 1, date(2024, 12, 31), "工信局", admin)
    indicators.report_value(output, output.target - 1, date(2024, 12, 31), "统计局", admin)
    # A period that holds today, whatever day the suite runs.
    plan = successor(admin, end=local_today() + timedelta(days=365))
    if path == "/stats/":
        login(admin)

    page = client.get(path).get_data(as_text=True)

    title = page[page.index('id="plan-title"') :]
    assert title[title.index(">") + 1 :].startswith(plan.name)
    past = page[page.index(f'data-test="past-plan-{previous.id}"') :]
    past = past[: past.index("</table>")]
    assert previous.name in past and "落后于进度" not in past and "进度正常" not in past
    number = app.jinja_env.filters["number"]

    def row(code: str) -> str:
        start = past.index(f'data-test="past-indicator-{code}"')
        return past[start : past.index("</tr>", start)]

    assert "已达成" in row("base_stations_5g") and f"{number(stations.target + 1)} {stations.unit}" in row(
        "base_stations_5g"
    )
    assert "未达成" in row("new_output") and f"{number(output.target - 1)} {output.unit}" in row("new_output")
