"""The statistics pages through HTTP: recording, reversing and importing enablements, the
drill-down, exports, indicators, and what the public and non-admins may see."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.core.audit import AuditEntry
from app.extensions import db
from app.stats import services
from app.stats.models import Enablement, Indicator, ReportedValue
from tests.conftest import valid_credit_code
from tests.stats.conftest import FIGURES, rows


@pytest.fixture
def admin(make_user, login):
    from app.accounts.models import SiteRole

    user = make_user("stats-admin@example.com", role=SiteRole.ADMIN)
    login(user)
    return user


def page(response) -> str:
    return response.get_data(as_text=True)


def record_form(client, organization, **changes):
    form = page(client.get("/stats/ledger/new"))
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    data = {
        "token": token,
        "firm": organization.credit_code,
        "kind": "diagnosis",
        "occurred_on": "2026-05-18",
        "provider": "",
        "programme": "",
        "evidence": "诊断报告 QD-2026-018",
        "note": "",
    }
    data.update(changes)
    return client.post_form("/stats/ledger/new", data), data


def test_an_admin_records_a_consulting_enablement_once(client, admin, make_org):
    firm = make_org(name="青岛海纳模具有限公司")
    response, data = record_form(client, firm)
    assert response.status_code == 302
    row = db.session.scalars(db.select(Enablement)).one()
    assert (row.firm_id, row.kind.code, row.occurred_on, row.source_type, row.recorded_by_id) == (
        firm.id,
        "diagnosis",
        date(2026, 5, 18),
        "manual",
        admin.id,
    )
    assert row.evidence == "诊断报告 QD-2026-018"
    again = client.post_form("/stats/ledger/new", data)  # the same form submitted twice
    assert again.status_code == 302 and len(rows()) == 1
    assert "没有重复登记" in page(client.get(again.headers["Location"]))
    assert (
        db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.target_type == "Enablement"))
        == "enablement.record"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"firm": "不存在的公司"}, "未找到单位"),
        ({"firm": valid_credit_code(9999)}, "未在平台注册"),
        ({"kind": "deal"}, "只能手工登记诊断咨询或培训"),
        ({"occurred_on": (date.today() + timedelta(days=1)).isoformat()}, "今天之间"),
        ({"occurred_on": "18/05/2026"}, "请填写日期"),
        ({"evidence": ""}, "请说明证明材料"),
        ({"provider": "SELF"}, "不能是被赋能的企业本身"),
    ],
)
def test_a_bad_manual_enablement_is_refused_with_a_message(client, admin, make_org, changes, message):
    firm = make_org()
    if changes.get("provider") == "SELF":
        changes = {"provider": firm.credit_code}
    response, _ = record_form(client, firm, **changes)
    assert response.status_code == 200
    assert message in page(response)
    assert rows() == []


def test_an_admin_reverses_a_row_with_a_reason(client, admin, ledger):
    row = db.session.scalar(db.select(Enablement).where(Enablement.source_id == "deal-1"))
    assert client.post_form(f"/stats/ledger/{row.id}/reverse", {"reason": ""}).status_code == 302
    assert services.firm_times(services.Filters()) == FIGURES["firm_times"]
    response = client.post_form(f"/stats/ledger/{row.id}/reverse", {"reason": "合同作废"})
    assert response.status_code == 302
    assert services.firm_times(services.Filters()) == FIGURES["firm_times"] - 1
    assert "已冲销" in page(client.get(f"/stats/ledger/{row.id}"))
    again = client.post_form(f"/stats/ledger/{row.id}/reverse", {"reason": "再来一次"})
    assert "不能冲销" in page(client.get(again.headers["Location"]))
    assert services.firm_times(services.Filters()) == FIGURES["firm_times"] - 1


def test_the_dashboard_shows_the_figures_and_links_them_to_their_rows(client, admin, ledger):
    body = page(client.get("/stats/"))
    assert re.search(r'data-test="firm-times">5<', body) and re.search(r'data-test="firms">3<', body)
    filtered = page(client.get("/stats/?kind=event&district=LS"))
    assert re.search(r'data-test="firm-times">2<', filtered)
    assert 'href="/stats/ledger?district=LS&amp;kind=event"' in filtered
    drill = page(client.get("/stats/ledger?district=LS&kind=event"))
    assert "合计 2 家次" in drill and drill.count("企业A") + drill.count("企业C") == 2


def test_a_bad_filter_is_dropped_with_a_message(client, admin, ledger):
    body = page(client.get("/stats/?from=2026-03-01&to=2026-01-01&district=XX"))
    assert "截止日期不能早于起始日期" in body
    assert re.search(r'data-test="firm-times">1<', body)  # from 2026-03-01 holds; the bad parts are ignored


def test_the_drill_down_by_month_and_provider(client, admin, ledger):
    _firms, providers, _ = ledger
    assert "合计 2 家次" in page(client.get("/stats/ledger?month=2026-02"))
    body = page(client.get(f"/stats/ledger?provider={providers['P'].id}"))
    assert "服务商P" in body and "合计 1 家次" in body and "涉及 1 家企业" in body


def test_the_ledger_export_is_neutralised_and_complete(client, admin, make_org):
    firm = make_org(name='=HYPERLINK("http://evil")')
    record_form(client, firm, note="+SUM(A1)")
    data = client.get("/stats/ledger.csv").data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    header, row = table[0], table[1]
    assert len(table) == 2 and header[:3] == ["编号", "日期", "企业"]
    assert row[header.index("企业")] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("备注")] == "'+SUM(A1)"
    assert row[header.index("计数")] == "1" and row[header.index("统一社会信用代码")] == firm.credit_code


def test_the_report_workbook_holds_every_breakdown(client, admin, ledger):
    book = load_workbook(io.BytesIO(client.get("/stats/report.xlsx").data))
    assert book.sheetnames == ["汇总", "指标完成情况", "按月", "按区市", "按行业", "按赋能类型", "服务商排名"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["赋能企业家次"] == FIGURES["firm_times"] and summary["赋能服务企业数"] == FIGURES["firms"]
    months = list(book["按月"].iter_rows(values_only=True))
    assert months == [("月份", "赋能企业家次", "累计"), ("2026-01", 2, 2), ("2026-02", 2, 4), ("2026-03", 1, 5)]
    districts = dict(book["按区市"].iter_rows(min_row=2, values_only=True))
    assert districts == {"崂山区": 4, "即墨区": 1}
    assert list(book["服务商排名"].iter_rows(min_row=2, values_only=True)) == FIGURES["providers"]
    indicators = {row[0]: row for row in book["指标完成情况"].iter_rows(min_row=2, values_only=True)}
    assert indicators["平台赋能企业家次"][1:3] == (50000, "家次")
    assert indicators["5G基站"][6] == "尚未填报"


def test_the_report_command_writes_the_same_workbook(app, ledger, tmp_path):
    path = tmp_path / "report.xlsx"
    result = app.test_cli_runner().invoke(
        args=["stats", "report", "--from", "2026-02-01", "--to", "2026-03-31", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "3 firm-times" in result.output
    summary = {row[0]: row[1] for row in load_workbook(path)["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["赋能企业家次"] == 3 and summary["起始日期"] == "2026-02-01"
    bad = app.test_cli_runner().invoke(
        args=["stats", "report", "--from", "2026-03-01", "--to", "2026-02-01", str(tmp_path / "x.xlsx")]
    )
    assert bad.exit_code != 0 and not (tmp_path / "x.xlsx").exists()


def test_the_public_page_names_no_firm(client, ledger):
    body = page(client.get("/stats/public"))
    assert re.search(r'data-test="firm-times">5<', body)
    for name in ("企业A", "企业B", "服务商P", "服务商Q"):
        assert name not in body
    assert "/stats/ledger" not in body


def test_members_see_no_firm_level_rows(client, login, make_user, ledger):
    login(make_user())
    for url in ("/stats/", "/stats/ledger", "/stats/ledger.csv", "/stats/report.xlsx"):
        response = client.get(url)
        assert response.status_code == 403 and "企业A" not in page(response)


def test_an_admin_edits_a_target_and_it_is_audited(client, admin):
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == "enablements"))
    response = client.post_form(
        f"/stats/indicators/{indicator.id}", {"name": indicator.name, "unit": "家次", "target": "60000", "note": ""}
    )
    assert response.status_code == 302
    db.session.refresh(indicator)
    assert indicator.target == 60000
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "indicator.update"))
    assert entry.before["target"] == "50000.00" and entry.after["target"] == "60000.00"
    bad = client.post_form(f"/stats/indicators/{indicator.id}", {"name": "", "unit": "家次", "target": "-5"})
    assert bad.status_code == 200 and "请填写指标名称" in page(bad) and "目标值须大于 0" in page(bad)


def test_reported_figures_keep_their_history(client, admin):
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == "base_stations_5g"))
    url = f"/stats/indicators/{indicator.id}/report"
    assert client.post_form(url, {"value": "12000", "as_of": "2023-12-31", "source": "市通信管理局"}).status_code == 302
    assert (
        client.post_form(
            url, {"value": "21500", "as_of": "2024-06-30", "source": "市通信管理局 2024 半年报"}
        ).status_code
        == 302
    )
    bad = client.post_form(url, {"value": "-1", "as_of": "2024-06-30", "source": ""})
    assert bad.status_code == 400 and "完成值不能为负" in page(bad)
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportedValue)) == 2
    body = page(client.get(f"/stats/indicators/{indicator.id}"))
    assert re.search(r'data-test="current-value">21,500<', body)
    assert body.index("2024-06-30") < body.index("2023-12-31")
    computed = db.session.scalar(db.select(Indicator).where(Indicator.code == "enablements"))
    assert (
        client.post_form(
            f"/stats/indicators/{computed.id}/report", {"value": "1", "as_of": "2024-06-30", "source": "x"}
        ).status_code
        == 404
    )


def test_an_admin_adds_indicators(client, admin):
    response = client.post_form(
        "/stats/indicators",
        {"name": "工业互联网平台", "code": "platforms", "kind": "reported", "target": "15", "unit": "个", "note": ""},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Indicator).where(Indicator.code == "platforms")).name == "工业互联网平台"
    taken = client.post_form(
        "/stats/indicators", {"name": "重复", "code": "platforms", "kind": "reported", "target": "1", "unit": "个"}
    )
    assert "已经存在" in page(taken)
    unknown = client.post_form(
        "/stats/indicators", {"name": "算不出来", "code": "magic", "kind": "computed", "target": "1", "unit": "个"}
    )
    assert "平台能自动统计的指标代码" in page(unknown)
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(Indicator).where(Indicator.code.in_(["magic"]))) == 0
    )


def test_the_office_adds_a_kind_it_can_record_by_hand(client, admin, make_org):
    response = client.post_form(
        "/admin/taxonomy/enablement-kinds/new",
        {"code": "expo", "name": "展会推介", "name_en": "Trade fair", "manual": "y"},
    )
    assert response.status_code == 302
    assert "展会推介" in page(client.get("/admin/taxonomy/enablement-kinds"))
    response, _ = record_form(client, make_org(), kind="expo")
    assert response.status_code == 302
    assert rows()[0].kind.name == "展会推介"
    assert "展会推介" in page(client.get("/stats/"))


def test_the_plan_indicators_link_to_their_ledger_rows(client, admin, ledger):
    from app.stats.models import Plan

    plan = db.session.scalar(db.select(Plan))
    plan.starts_on, plan.ends_on = date(2026, 1, 1), date(2026, 2, 28)
    db.session.commit()
    body = page(client.get("/stats/"))
    link = re.search(r'href="(/stats/ledger\?from=2026-01-01&amp;to=2026-02-28)">4<', body)
    assert link
    assert "合计 4 家次" in page(client.get(link.group(1).replace("&amp;", "&")))
    assert "/stats/ledger" not in page(client.get("/stats/public"))
