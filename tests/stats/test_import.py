"""Importing manual enablements: a preview with every problem by row and column, then all rows
or none; the same file imported twice counts nothing twice."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from app.extensions import db
from app.stats import services
from app.stats.importing import apply_enablements, parse_enablements
from tests.stats.conftest import rows

HEADER = ["企业", "赋能类型", "日期", "证明材料", "服务商", "项目或活动", "备注"]


def csv_file(lines: list[list[str]], header=HEADER, encoding="utf-8-sig") -> bytes:
    return "\n".join(",".join(cells) for cells in [header, *lines]).encode(encoding)


@pytest.fixture
def orgs(app, make_org):
    from app.accounts.models import OrgKind

    return make_org(name="青岛海纳模具有限公司"), make_org(name="青岛智联科技有限公司", kind=OrgKind.PROVIDER)


def test_a_valid_file_is_applied_whole(app, orgs, make_user):
    firm, provider = orgs
    data = csv_file(
        [
            [firm.name, "诊断咨询", "2026-05-18", "诊断报告 01", provider.credit_code, "", ""],
            [firm.credit_code, "training", "2026/6/3", "签到表", "", "数字化转型专题培训班", "第一期"],
        ]
    )
    parsed = parse_enablements(data, "ledger.csv", today=date(2026, 11, 29))
    assert parsed.ok and [r.row for r in parsed.new_rows] == [2, 3]
    assert apply_enablements(parsed, make_user()) == 2
    db.session.commit()
    assert services.totals(services.Filters()) == services.Totals(2, 1)
    training = rows()[1]
    assert (training.kind.code, training.occurred_on, training.programme, training.note) == (
        "training",
        date(2026, 6, 3),
        "数字化转型专题培训班",
        "第一期",
    )
    again = parse_enablements(data, "ledger.csv", today=date(2026, 11, 29))
    assert again.ok and again.new_rows == []
    assert apply_enablements(again, make_user()) == 0
    assert len(rows()) == 2


def test_xlsx_with_english_headers_and_date_cells(app, orgs, make_user):
    firm, _ = orgs
    book = Workbook()
    sheet = book.active
    sheet.append(["firm", "kind", "date", "evidence"])
    sheet.append([firm.name, "diagnosis", date(2026, 4, 1), "报告"])
    out = io.BytesIO()
    book.save(out)
    parsed = parse_enablements(out.getvalue(), "ledger.xlsx", today=date(2026, 11, 29))
    assert parsed.ok and parsed.rows[0].occurred_on == date(2026, 4, 1)


def test_gb18030_csv(app, orgs):
    firm, _ = orgs
    parsed = parse_enablements(
        csv_file([[firm.name, "培训", "2026-05-18", "签到表", "", "", ""]], encoding="gb18030"),
        "ledger.csv",
        today=date(2026, 11, 29),
    )
    assert parsed.ok


def problems(data: bytes, filename: str = "ledger.csv") -> list[tuple[int, str, str]]:
    parsed = parse_enablements(data, filename, today=date(2026, 11, 29))
    assert not parsed.ok
    return [(p.row, p.column, p.message) for p in parsed.problems]


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(app, orgs, make_org, make_user):
    firm, _provider = orgs
    make_org(name="同名公司")
    make_org(name="同名公司")
    data = csv_file(
        [
            [firm.name, "诊断咨询", "2026-05-18", "报告", "", "", ""],  # fine
            ["不存在的公司", "诊断咨询", "2026-05-18", "报告", "", "", ""],
            [firm.name, "签约", "2026-05-18", "报告", "", "", ""],  # not a manual kind
            [firm.name, "培训", "2026-13-01", "报告", "", "", ""],
            [firm.name, "培训", "2027-01-01", "报告", "", "", ""],
            [firm.name, "培训", "2026-05-18", "", "", "", ""],
            [firm.name, "培训", "2026-05-18", "报告", firm.name, "", ""],
            ["同名公司", "培训", "2026-05-18", "报告", "", "", ""],
            ["", "", "", "", "", "", "备注而已"],
        ]
    )
    found = problems(data)
    by_row = {}
    for row, column, message in found:
        by_row.setdefault(row, []).append((column, message))
    assert 2 not in by_row
    assert by_row[3] == [("企业", "未找到单位“不存在的公司”：请填写已在平台注册的单位名称或统一社会信用代码。")]
    assert by_row[4][0][0] == "赋能类型" and "不是可手工登记的赋能类型" in by_row[4][0][1]
    assert by_row[5] == [("日期", "日期“2026-13-01”无法识别，请写成 2026-05-18。")]
    assert by_row[6] == [("日期", "日期须在 2000-01-01 与今天之间。")]
    assert by_row[7] == [("证明材料", "“证明材料”不能为空。")]
    assert by_row[8] == [("服务商", "服务商不能是被赋能的企业本身。")]
    assert "有多家单位名为" in by_row[9][0][1]
    assert {column for column, _ in by_row[10]} == {"企业", "赋能类型", "日期", "证明材料"}
    with pytest.raises(ValueError):
        apply_enablements(parse_enablements(data, "ledger.csv", today=date(2026, 11, 29)), make_user())
    assert rows() == []


def test_file_level_problems(app, orgs):
    assert problems(csv_file([], header=["企业", "日期"])) == [
        (1, "赋能类型", "缺少必填列“赋能类型”（或英文列名 kind）。"),
        (1, "证明材料", "缺少必填列“证明材料”（或英文列名 evidence）。"),
    ]
    assert problems(csv_file([])) == [(0, "", "文件中没有数据行。")]
    assert problems(b"\xff\xfe\x00garbage", "ledger.xlsx")[0][0] == 0


def test_the_admin_page_previews_then_applies(client, login, make_user, orgs):
    from app.accounts.models import SiteRole

    firm, _ = orgs
    login(make_user("a@example.com", role=SiteRole.ADMIN))
    data = csv_file([[firm.name, "诊断咨询", "2026-05-18", "报告", "", "", ""]])
    preview = client.post_form(
        "/stats/import", {"file": (io.BytesIO(data), "ledger.csv")}, content_type="multipart/form-data"
    )
    body = preview.get_data(as_text=True)
    assert 'data-test="count-new">1<' in body and rows() == []
    token = body.split('name="token" value="')[1].split('"')[0]
    applied = client.post_form("/stats/import/apply", {"token": token})
    assert applied.status_code == 302 and len(rows()) == 1
    assert client.post_form("/stats/import/apply", {"token": token}).status_code == 302  # used up
    assert len(rows()) == 1
    bad = client.post_form(
        "/stats/import", {"file": (io.BytesIO(b"x"), "ledger.pdf")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 400 and "只支持 .xlsx 或 .csv 文件" in bad.get_data(as_text=True)
