import csv
import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from app.catalog import batches
from app.catalog.importing import apply_import, parse_scenarios
from app.catalog.models import BatchStatus, ChangeKind, Scenario, ScenarioBatch, ScenarioRevision, ScenarioStatus
from app.core import spreadsheets
from app.extensions import db

HEADER_ZH = [
    "场景编号",
    "场景名称",
    "所属行业",
    "技术领域",
    "场景大类",
    "场景小类",
    "场景描述",
    "场景提供单位",
    "所在区市",
    "关键词",
]
HEADER_EN = [
    "code",
    "title",
    "industry",
    "domain",
    "category",
    "subcategory",
    "description",
    "organization",
    "district",
    "keywords",
]


def row(
    code="QD-2022-0001",
    title="注塑车间设备预测性维护",
    industry="EQP",
    domain="IM、DM",
    category="C04",
    subcategory="C04-2",
    description="采集振动数据预警故障。",
    organization="青岛海纳模具",
    district="黄岛",
    keywords="预测性维护；振动监测",
):
    return [code, title, industry, domain, category, subcategory, description, organization, district, keywords]


def csv_file(rows, header=HEADER_ZH, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows, header=HEADER_ZH) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def problems(preview) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in preview.problems]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_saves(app, encoding):
    preview = parse_scenarios(csv_file([row()], encoding=encoding), "list.csv")
    assert preview.ok, problems(preview)
    [parsed] = preview.rows
    assert parsed.snapshot["title"] == "注塑车间设备预测性维护"
    assert parsed.snapshot["domains"] == ["IM", "DM"]
    assert parsed.snapshot["district"] == "XHA"  # 黄岛 is an alias of 西海岸新区
    assert parsed.snapshot["keywords"] == "预测性维护、振动监测"
    assert parsed.change == ChangeKind.ADDED


def test_xlsx_with_english_headers_and_names_instead_of_codes(app):
    data = xlsx_file(
        [
            row(
                industry="装备制造",
                domain="智能化制造/数字化管理",
                category="设备管理",
                subcategory="预测性维护",
                district="西海岸新区",
            )
        ],
        header=HEADER_EN,
    )
    preview = parse_scenarios(data, "list.xlsx")
    assert preview.ok, problems(preview)
    snapshot = preview.rows[0].snapshot
    assert (snapshot["industry"], snapshot["category"], snapshot["subcategory"]) == ("EQP", "C04", "C04-2")


def test_xlsx_formulas_are_read_as_values_not_as_text(app):
    data = xlsx_file([row(keywords='=HYPERLINK("http://evil.example")')])
    preview = parse_scenarios(data, "list.xlsx")
    assert preview.ok
    assert "HYPERLINK" not in preview.rows[0].snapshot["keywords"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([row(industry="航天")], (2, "所属行业", "未知的行业“航天”。")),
        ([row(domain="IM、量子")], (2, "技术领域", "未知的技术领域“量子”。")),
        ([row(subcategory="C01-1")], (2, "场景小类", "场景小类“协同研发设计”不属于场景大类“设备管理”。")),
        ([row(), row(title="另一个")], (3, "场景编号", "场景编号“QD-2022-0001”与第 2 行重复。")),
        ([row(title="")], (2, "场景名称", "“场景名称”不能为空。")),
        ([row(title="长" * 101)], (2, "场景名称", "场景名称不超过 100 个字符。")),
        ([row(district="火星区")], (2, "所在区市", "未知的区市“火星区”。")),
        (
            [row(organization="91350100M000100Y43")],
            (2, "场景提供单位", "统一社会信用代码“91350100M000100Y43”未在平台注册；请填写单位名称。"),
        ),
    ],
)
def test_every_row_problem_is_reported_by_row_and_column(app, rows, expected):
    preview = parse_scenarios(csv_file(rows), "list.csv")
    assert not preview.ok
    assert expected in problems(preview)


def test_a_missing_required_column_is_reported(app):
    header = [h for h in HEADER_ZH if h != "场景小类"]
    data = csv_file([[c for c, h in zip(row(), HEADER_ZH, strict=True) if h != "场景小类"]], header=header)
    preview = parse_scenarios(data, "list.csv")
    assert problems(preview) == [(1, "场景小类", "缺少必填列“场景小类”（或英文列名 subcategory）。")]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\xff\xfe\x00\x81garbage\xff", "list.csv", "无法识别文件编码"),
        (b"not a zip", "list.xlsx", "文件不是有效的 .xlsx 文件"),
        (b"a,b", "list.txt", "只支持 .xlsx 或 .csv 文件"),
        (b"", "list.csv", "文件是空的"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(app, data, filename, message):
    preview = parse_scenarios(data, filename)
    assert not preview.ok and message in preview.problems[0].message


def test_a_file_over_20_mb_is_refused(app, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UPLOAD_BYTES", 1000)
    preview = parse_scenarios(csv_file([row(code=f"QD-{i}") for i in range(50)]), "list.csv")
    assert "文件超过 20 MB" in preview.problems[0].message


def test_a_file_over_50000_rows_is_refused(app):
    rows = "\n".join(f"QD-{i},t,EQP,IM,C04,C04-2,d,,," for i in range(50_001))
    data = (",".join(HEADER_ZH) + "\n" + rows).encode()
    preview = parse_scenarios(data, "big.csv")
    assert "文件超过 50,000 行" in preview.problems[0].message


def test_a_zip_bomb_is_refused_quickly(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 300_000
    started = time.perf_counter()
    preview = parse_scenarios(data, "bomb.xlsx")
    assert time.perf_counter() - started < 2
    assert "文件解压后过大" in preview.problems[0].message


def test_applying_writes_draft_scenarios_and_revisions(app):
    preview = parse_scenarios(csv_file([row(), row(code="QD-2022-0002", title="质量追溯")]), "list.csv")
    batch = batches.create_batch("2022年第一批", 2022)
    counts = apply_import(preview, batch)
    db.session.commit()
    assert counts == {"added": 2, "changed": 0, "unchanged": 0}
    assert {s.status for s in db.session.scalars(db.select(Scenario))} == {ScenarioStatus.DRAFT}
    assert count(ScenarioRevision) == 2


def test_reimporting_a_code_updates_never_duplicates(app):
    first = batches.create_batch("2022年第一批", 2022)
    apply_import(parse_scenarios(csv_file([row()]), "a.csv"), first)
    batches.publish_batch(first)
    db.session.commit()
    second = batches.create_batch("2023年第一批", 2023)
    preview = parse_scenarios(
        csv_file([row(title="注塑车间设备预测性维护（升级版）"), row(code="QD-2023-0001")]), "b.csv"
    )
    assert [r.change for r in preview.rows] == [ChangeKind.CHANGED, ChangeKind.ADDED]
    assert preview.rows[0].changed_fields == ["title"]
    apply_import(preview, second)
    db.session.commit()
    assert count(Scenario) == 2
    scenario = db.session.scalar(db.select(Scenario).where(Scenario.code == "QD-2022-0001"))
    assert scenario.title == "注塑车间设备预测性维护"  # public content changes only when the batch is published
    batches.publish_batch(second)
    db.session.commit()
    assert scenario.title == "注塑车间设备预测性维护（升级版）" and scenario.batch_id == second.id


def test_reimporting_into_the_same_draft_updates_its_revision(app):
    batch = batches.create_batch("2022年第一批", 2022)
    apply_import(parse_scenarios(csv_file([row()]), "a.csv"), batch)
    apply_import(parse_scenarios(csv_file([row(title="改过的名称")]), "a.csv"), batch)
    db.session.commit()
    assert count(ScenarioRevision) == 1 and count(Scenario) == 1
    assert db.session.scalar(db.select(Scenario)).title == "改过的名称"


def test_publish_then_withdraw(app):
    batch = batches.create_batch("2022年第一批", 2022)
    apply_import(parse_scenarios(csv_file([row(), row(code="QD-2022-0002")]), "a.csv"), batch)
    assert batches.publish_batch(batch) == 2
    db.session.commit()
    assert batch.status == BatchStatus.PUBLISHED
    assert {s.status for s in db.session.scalars(db.select(Scenario))} == {ScenarioStatus.PUBLISHED}
    with pytest.raises(batches.BatchStateError):
        batches.publish_batch(batch)
    assert batches.withdraw_batch(batch) == 2
    db.session.commit()
    assert {s.status for s in db.session.scalars(db.select(Scenario))} == {ScenarioStatus.WITHDRAWN}
    assert len(db.session.scalars(batches.withdrawn_with(batch)).all()) == 2


def test_history_lists_released_batches_only(app):
    first = batches.create_batch("2022年第一批", 2022)
    apply_import(parse_scenarios(csv_file([row()]), "a.csv"), first)
    batches.publish_batch(first)
    second = batches.create_batch("2023年第一批", 2023)
    apply_import(parse_scenarios(csv_file([row(title="新名称")]), "b.csv"), second)
    db.session.commit()
    scenario = db.session.scalar(db.select(Scenario))
    assert [r.batch.name for r in batches.scenario_history(scenario)] == ["2022年第一批"]
    batches.publish_batch(second)
    db.session.commit()
    assert [(r.batch.name, r.change) for r in batches.scenario_history(scenario)] == [
        ("2022年第一批", ChangeKind.ADDED),
        ("2023年第一批", ChangeKind.CHANGED),
    ]


def test_cli_imports_and_publishes_with_a_progress_bar(app, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_file([row(), row(code="QD-2022-0002")]))
    result = app.test_cli_runner().invoke(
        args=["scenarios", "import", str(path), "--batch", "2022年第一批", "--publish"]
    )
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    batch = db.session.scalar(db.select(ScenarioBatch))
    assert (batch.name, batch.year, batch.status) == ("2022年第一批", 2022, BatchStatus.PUBLISHED)


def test_cli_writes_nothing_when_the_last_row_is_bad(app, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_file([row(), row(code="QD-2022-0002"), row(code="QD-2022-0003", industry="不存在")]))
    result = app.test_cli_runner().invoke(args=["scenarios", "import", str(path), "--batch", "2022年第一批"])
    assert result.exit_code != 0
    assert "row 4, 所属行业: 未知的行业“不存在”。" in result.output
    assert (count(Scenario), count(ScenarioBatch), count(ScenarioRevision)) == (0, 0, 0)


def test_cli_refuses_to_import_into_a_published_batch(app, tmp_path, make_batch):
    make_batch("2022年第一批")
    path = tmp_path / "list.csv"
    path.write_bytes(csv_file([row()]))
    result = app.test_cli_runner().invoke(args=["scenarios", "import", str(path), "--batch", "2022年第一批"])
    assert result.exit_code != 0 and count(Scenario) == 0
