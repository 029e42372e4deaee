"""Reading uploaded spreadsheets safely, and writing exports that spreadsheet programs cannot
mistake for formulas. Every import and export of the portal goes through here."""

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask import Response, current_app, has_app_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is a zip, checked member by member before it is opened (zipfile never inflates a member
# past the size its directory declares): refuse a member that would inflate to more than
# MAX_MEMBER_BYTES, or by more than MAX_COMPRESSION_RATIO once it is over RATIO_FREE_BYTES,
# and members that together would inflate to more than MAX_UNCOMPRESSED_BYTES.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024
# Reading a workbook stops after this many seconds (the app's SPREADSHEET_PARSE_SECONDS, if set).
PARSE_SECONDS = 20.0
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, each padded to the header's length


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str) -> Table:
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_l("文件超过 20 MB，请拆分后再导入。"))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise SpreadsheetError(_l("只支持 .xlsx 或 .csv 文件。"))
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise SpreadsheetError(_l("文件是空的。"))
    header, body = rows[0], rows[1:]
    if len(body) > MAX_ROWS:
        raise SpreadsheetError(_l("文件超过 50,000 行，请拆分后再导入。"))
    width = len(header)
    return Table(header=header, rows=[(row + [""] * width)[: max(width, len(row))] for row in body])


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise SpreadsheetError(_l("CSV 格式有误：%(error)s", error=str(exc))) from exc
    raise SpreadsheetError(_l("无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV，或 .xlsx 文件。"))


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_l("文件不是有效的 .xlsx 文件。")) from exc
    with archive:
        members = archive.infolist()
    if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES or any(_too_big(info) for info in members):
        raise SpreadsheetError(_l("文件解压后过大，已拒绝导入。"))


def _too_big(member: zipfile.ZipInfo) -> bool:
    size = member.file_size
    over_ratio = size > RATIO_FREE_BYTES and size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
    return size > MAX_MEMBER_BYTES or over_ratio


def _parse_seconds() -> float:
    if has_app_context():
        return current_app.config.get("SPREADSHEET_PARSE_SECONDS", PARSE_SECONDS)
    return PARSE_SECONDS


def _read_xlsx(data: bytes) -> list[list[str]]:
    _check_zip(data)
    deadline = time.monotonic() + _parse_seconds()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(_l("文件不是有效的 .xlsx 文件。")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if time.monotonic() > deadline:
                raise SpreadsheetError(_l("读取文件用时过长，已停止导入；请拆分后再导入。"))
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                raise SpreadsheetError(_l("文件超过 50,000 行，请拆分后再导入。"))
        return rows
    finally:
        workbook.close()


def neutralise(value):
    """A cell value that no spreadsheet program will evaluate as a formula: text starting with
    = + - @ tab or CR, or a full-width or other compatibility form of those signs (U+FF1D, U+FE66 …,
    which NFKC turns into the ASCII ones), gets a leading apostrophe; numbers and dates stay as they are."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    return "'" + value if unicodedata.normalize("NFKC", value[:1]).startswith(FORMULA_PREFIXES) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One worksheet per entry: title → (header, rows)."""
    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in header])
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def names_cell(names: Iterable[str]) -> str:
    """Several names in one cell, as the viewer's language lists them."""
    return gettext("、").join(names)


#: The formats of every download of a table: extension → media type.
EXPORT_MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MIMETYPE}


def export_response(kind: str, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A table as a formula-safe CSV or one-sheet XLSX download (`kind` from EXPORT_MIMETYPES),
    named `<filename>.<kind>`; `title` names the worksheet. Its header and names may be in the
    visitor's language, which a cookie chooses: a cache keeps one copy per cookie."""
    body = csv_bytes(header, rows) if kind == "csv" else xlsx_bytes({title: (header, rows)})
    response = Response(
        body,
        mimetype=EXPORT_MIMETYPES[kind],
        headers={"Content-Disposition": f"attachment; filename={filename}.{kind}"},
    )
    response.vary.add("Cookie")
    return response
