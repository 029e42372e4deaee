"""Pilot selection in the browser: the admin assigns two experts, each scores the application
without seeing the other's scores, the admin closes scoring, selects it, runs the notice and
publishes; the project appears on the public list and the public statistics count it. A firm
attaches its own portal records to an application, which its expert reads with their sources."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import OrgKind, SiteRole
from app.core.models import local_today
from app.extensions import db
from app.incubation import services as incubation
from app.incubation.models import AnnualFigures
from app.pilots.models import CallStatus, PilotApplication, PilotAssignment
from tests.browser.test_marketplace import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_two_experts_score_and_the_project_is_published(
    app, live_server, page, make_user, make_org, make_pilot_call, make_pilot_application
):
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    make_user("a@example.com", name="专家甲", role=SiteRole.EXPERT)
    make_user("b@example.com", name="专家乙", role=SiteRole.EXPERT)
    owner = make_user("firm@example.com")
    org = make_org(owner=owner, name="青岛海纳精密模具有限公司", kind=OrgKind.ENTERPRISE)
    call = make_pilot_call(admin, status=CallStatus.REVIEWING, title="2026 年新模式应用试点示范项目")
    make_pilot_application(call, org, owner, project_name="注塑车间设备联网与预测性维护")
    base = live_server
    main = page.locator("main")

    page.goto(base + "/stats/public")
    before = int(page.get_by_test_id("firm-times").inner_text().replace(",", ""))

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/pilots/")
    main.get_by_role("link", name="2026 年新模式应用试点示范项目").click()
    for name in ("专家甲", "专家乙"):
        main.get_by_label("评审专家").select_option(label=f"{name}（{'a' if name == '专家甲' else 'b'}@example.com）")
        main.get_by_role("button", name="分配").click()
        expect(page.locator(".alert-success")).to_contain_text(f"已请 {name} 评审")
    sign_out(page)

    for email, marks in (("a@example.com", ("8", "6")), ("b@example.com", ("6", "4"))):
        sign_in(page, base, email)
        page.goto(base + "/dashboard")
        page.get_by_test_id("pilot-reviews-link").click()
        main.get_by_role("link", name="注塑车间设备联网与预测性维护").click()
        expect(main.get_by_label("创新性（60%）")).to_have_value("")  # the other expert's score is not shown
        main.get_by_label("创新性（60%）").fill(marks[0])
        main.get_by_label("实施成效（40%）").fill(marks[1])
        main.get_by_role("button", name="保存评分").click()
        expect(page.locator(".alert-success")).to_contain_text("评分已保存")
        expect(main.get_by_label("创新性（60%）")).to_have_value(marks[0])
        sign_out(page)

    sign_in(page, base, "admin@example.com")
    page.goto(base + "/admin/pilots/")
    main.get_by_role("link", name="2026 年新模式应用试点示范项目").click()
    page.once("dialog", lambda dialog: dialog.accept())
    main.get_by_role("button", name="结束打分").click()
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("注塑车间设备联网与预测性维护")
    # Expert A: 60% × 8/10 + 40% × 6/10 = 72; expert B: 60% × 6/10 + 40% × 4/10 = 52.
    expect(ranking.locator("tbody tr").first).to_contain_text("62.0")  # the average
    expect(ranking.locator("tbody tr").first).to_contain_text("20.0")  # the spread
    expect(ranking.get_by_role("checkbox")).to_be_checked()  # pre-selected within the quota
    main.get_by_role("button", name="保存入选名单").click()
    expect(page.locator(".alert-success")).to_contain_text("已确定 1 个入选项目")
    page.get_by_label("公示截止日期").fill(local_today().isoformat())
    main.get_by_role("button", name="开始公示").click()
    expect(page.locator(".alert-success")).to_contain_text("公示已开始")
    page.goto(base + "/pilots/")
    expect(main).to_contain_text("拟入选名单")
    page.goto(base + "/admin/pilots/")
    main.get_by_role("link", name="2026 年新模式应用试点示范项目").click()
    page.once("dialog", lambda dialog: dialog.accept())
    main.get_by_role("button", name="公布结果").click()
    expect(page.locator(".alert-success")).to_contain_text("1 家企业计入赋能统计")
    sign_out(page)

    page.goto(base + "/pilots/")
    projects = page.get_by_test_id("projects")
    expect(projects).to_contain_text("注塑车间设备联网与预测性维护")
    expect(projects).to_contain_text("青岛海纳精密模具有限公司")
    projects.get_by_role("link", name="注塑车间设备联网与预测性维护").click()
    expect(page.get_by_test_id("firm")).to_have_text("青岛海纳精密模具有限公司")
    page.goto(base + "/stats/public")
    expect(page.get_by_test_id("firm-times")).to_have_text(f"{before + 1:,}")


def test_an_applicant_attaches_portal_records_and_the_expert_sees_their_sources(
    app, live_server, page, make_user, make_org, make_pilot_call
):
    admin = make_user("admin@example.com", role=SiteRole.ADMIN)
    expert = make_user("expert@example.com", name="专家甲", role=SiteRole.EXPERT)
    owner = make_user("firm@example.com")
    org = make_org(owner=owner, name="青岛海纳精密模具有限公司", kind=OrgKind.ENTERPRISE)
    numbers = {"revenue": "1200", "net_profit": "80", "rd_spending": "95", "financing": "0"}
    counts = {"employees": 56, "rd_staff": 12, "invention_patents": 4, "other_ip": 6}
    db.session.add(
        AnnualFigures(
            organization=org,
            year=2025,
            entered_by=owner,
            **{k: Decimal(v) for k, v in numbers.items()},
            **counts,
        )
    )
    incubation.apply(org, incubation.track_by_code("eaglet"), owner)
    db.session.commit()
    call = make_pilot_call(admin, title="2026 年新模式应用试点示范项目")
    base = live_server
    main = page.locator("main")

    sign_in(page, base, "firm@example.com")
    page.goto(f"{base}/pilots/{call.id}")
    main.get_by_role("link", name="立即申报").click()
    main.get_by_label("项目名称").fill("注塑车间设备联网与预测性维护")
    main.get_by_label("项目简介").fill("为 40 台注塑机加装传感器，上线预警模型。")
    main.get_by_label("项目投资（万元）").fill("120")
    main.get_by_label("预期成效").fill("非计划停机减少 30%。")
    choices = page.get_by_test_id("evidence-choices")
    expect(choices).to_contain_text("来源：企业填报的年度数据 2025")
    expect(choices).to_contain_text("来源：平台孵化培育记录")
    choices.get_by_label("营业收入 1,200 万元", exact=False).check()
    main.get_by_role("button", name="提交申报").click()
    expect(page.locator(".alert-success")).to_contain_text("申报已提交")
    evidence = page.get_by_test_id("evidence")
    expect(evidence.locator("li")).to_have_count(1)
    expect(evidence).to_contain_text("2025 年：营业收入 1,200 万元")
    expect(evidence).to_contain_text("来源：企业填报的年度数据 2025")
    evidence.get_by_role("link", name="查看来源").click()
    expect(page).to_have_url(base + "/incubation/figures")
    sign_out(page)

    application = db.session.scalars(select(PilotApplication)).one()
    db.session.add(PilotAssignment(application=application, expert=expert))
    db.session.commit()
    sign_in(page, base, "expert@example.com")
    page.goto(f"{base}/pilots/applications/{application.id}")
    evidence = page.get_by_test_id("evidence")
    expect(evidence).to_contain_text("来源：企业填报的年度数据 2025")
    expect(evidence.get_by_role("link")).to_have_count(0)  # the firm's figures page is not the expert's
