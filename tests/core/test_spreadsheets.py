import csv
import io
import os
import re
import time
import zipfile

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.accounts.models import SiteRole
from app.catalog.importing import parse_scenarios
from app.catalog.models import BatchStatus, Scenario
from app.core import spreadsheets
from app.core.spreadsheets import neutralise
from app.extensions import db
from tests.catalog.test_import import row, xlsx_file

TOO_BIG = "文件解压后过大"
TOO_SLOW = "读取文件用时过长"
FULL_WIDTH_EQUALS, FULL_WIDTH_PLUS, FULL_WIDTH_MINUS, FULL_WIDTH_AT = "\uff1d", "\uff0b", "\uff0d", "\uff20"
# What Excel, LibreOffice or WPS may start a formula with: the ASCII signs, their full-width forms, tab and CR.
TRIGGERS = ("=", "+", "-", "@", FULL_WIDTH_EQUALS, FULL_WIDTH_PLUS, FULL_WIDTH_MINUS, FULL_WIDTH_AT, "\t", "\r")


def padded_bomb() -> tuple[bytes, int]:
    """A workbook whose sheet inflates to tens of MB (with fewer rows than the row limit), padded
    with random bytes so that the archive as a whole inflates by less than 50 times its size.
    Returns the file and its sheet's size."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_file([row()])))
    cell = '<c t="inlineStr"><is><t>0123456789</t></is></c>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + ("<row>" + cell * 20 + "</row>") * 40_000
        + "</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            archive.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else base.read(info))
        archive.writestr("xl/media/padding.bin", os.urandom(len(sheet) // 40), compress_type=zipfile.ZIP_STORED)
    return out.getvalue(), len(sheet)


def inflated_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def many_rows(count: int) -> bytes:
    return xlsx_file([row(code=f"QD-2022-{i:04d}", title=f"场景 {i}") for i in range(1, count + 1)])


def scenario_count() -> int:
    return db.session.scalar(db.select(db.func.count(Scenario.id)))


def upload(client, batch, data: bytes) -> str:
    return client.post_form(
        f"/admin/scenarios/batches/{batch.id}/import",
        {"file": (io.BytesIO(data), "list.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)


def test_a_padded_zip_bomb_is_refused_before_parsing(app):
    data, sheet_size = padded_bomb()
    assert sheet_size > 30 * 1024 * 1024 and inflated_size(data) < 50 * len(data)
    started = time.perf_counter()
    preview = parse_scenarios(data, "bomb.xlsx")
    assert time.perf_counter() - started < 2
    assert not preview.ok and TOO_BIG in preview.problems[0].message


def test_a_member_over_the_size_limit_is_refused(app, monkeypatch):
    data = many_rows(50)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        largest = max(info.file_size for info in archive.infolist())
    monkeypatch.setattr(spreadsheets, "MAX_MEMBER_BYTES", largest - 1)
    assert TOO_BIG in parse_scenarios(data, "list.xlsx").problems[0].message
    monkeypatch.setattr(spreadsheets, "MAX_MEMBER_BYTES", largest)
    assert parse_scenarios(data, "list.xlsx").ok


def test_members_over_the_total_limit_are_refused(app, monkeypatch):
    data = many_rows(50)
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", inflated_size(data) - 1)
    assert TOO_BIG in parse_scenarios(data, "list.xlsx").problems[0].message


def test_a_small_member_may_compress_well(app):
    out = io.BytesIO(xlsx_file([row()]))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/blank.bin", bytes(spreadsheets.RATIO_FREE_BYTES))
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        blank = archive.getinfo("xl/media/blank.bin")
    assert blank.file_size > spreadsheets.MAX_COMPRESSION_RATIO * blank.compress_size
    assert parse_scenarios(out.getvalue(), "list.xlsx").ok


def test_a_small_normal_workbook_still_imports(app):
    preview = parse_scenarios(xlsx_file([row(), row(code="QD-2022-0002", title="质量追溯")]), "list.xlsx")
    assert preview.ok and [r.code for r in preview.rows] == ["QD-2022-0001", "QD-2022-0002"]


def test_a_parse_over_the_time_limit_is_refused(app):
    data = many_rows(2000)
    assert parse_scenarios(data, "list.xlsx").ok
    app.config["SPREADSHEET_PARSE_SECONDS"] = 0
    preview = parse_scenarios(data, "list.xlsx")
    assert not preview.ok and not preview.rows and TOO_SLOW in preview.problems[0].message


def test_a_slow_upload_or_apply_writes_nothing(app, client, make_user, login, make_batch):
    login(make_user(role=SiteRole.ADMIN))
    batch = make_batch("2024年第一批", 2024, BatchStatus.DRAFT)
    data = many_rows(500)
    token = re.search(r'name="token" value="([^"]+)"', upload(client, batch, data)).group(1)
    app.config["SPREADSHEET_PARSE_SECONDS"] = 0
    html = upload(client, batch, data)
    assert TOO_SLOW in html and 'name="token"' not in html
    response = client.post_form(
        f"/admin/scenarios/batches/{batch.id}/import/apply", {"token": token}, follow_redirects=True
    )
    assert "不再通过校验" in response.get_data(as_text=True)
    assert scenario_count() == 0


@given(st.sampled_from(TRIGGERS), st.text())
def test_neutralised_text_never_starts_a_formula(trigger, rest):
    value = trigger + rest
    neutralised = neutralise(value)
    assert not neutralised.startswith(TRIGGERS)
    assert neutralised.endswith(value)


@given(st.characters(categories=("L", "N")), st.text())
def test_text_that_starts_with_a_letter_or_digit_is_unchanged(first, rest):
    value = first + rest
    assert neutralise(value) == value


def test_exports_neutralise_full_width_formula_signs(client, make_batch, make_scenario):
    batch = make_batch()
    title = FULL_WIDTH_EQUALS + 'HYPERLINK("http://evil.example","点击")'
    make_scenario(title=title, keywords=f"{FULL_WIDTH_PLUS}cmd、{FULL_WIDTH_AT}sum", batch=batch)
    rows = list(csv.reader(io.StringIO(client.get("/scenarios/export.csv").data.decode("utf-8-sig"))))
    assert rows[1][1].endswith(title) and not rows[1][1].startswith(TRIGGERS)
    sheet = load_workbook(io.BytesIO(client.get("/scenarios/export.xlsx").data)).active
    assert sheet["B2"].value.endswith(title) and not sheet["B2"].value.startswith(TRIGGERS)
    assert not sheet["J2"].value.startswith(TRIGGERS)
