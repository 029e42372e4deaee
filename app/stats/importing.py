"""Importing manual enablements (diagnosis, consulting, training) from a spreadsheet.

The same conventions as the scenario list: CSV or XLSX, Chinese or English headers, a preview
with every problem by row and column, then all rows or none. Each row's source is the file's
digest and the row number, so importing the same file twice counts nothing twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.accounts.models import Organization, User
from app.core.audit import audit
from app.core.imports import Column, RowProblem, column_positions, problem_adder, row_values
from app.core.spreadsheets import SpreadsheetError, read_table
from app.core.validators import credit_code_problem, normalize_credit_code
from app.extensions import db
from app.stats.ledger import record_enablement
from app.stats.models import Enablement, EnablementKind

SOURCE_TYPE = "import"
EARLIEST = date(2000, 1, 1)
MAX_TEXT = 500
MAX_LOOKUP = 1000  # distinct firm and provider values looked up by name or code in one query

COLUMNS = (
    Column("firm", "企业", "firm", True),
    Column("kind", "赋能类型", "kind", True),
    Column("date", "日期", "date", True),
    Column("evidence", "证明材料", "evidence", True),
    Column("provider", "服务商", "provider", False),
    Column("programme", "项目或活动", "programme", False),
    Column("note", "备注", "note", False),
)
COLUMN_LABELS = {c.key: c.zh for c in COLUMNS}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$")


def parse_date(value: str) -> date | None:
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass
class ParsedEnablement:
    row: int
    firm: Organization
    kind: EnablementKind
    occurred_on: date
    provider: Organization | None
    programme: str
    evidence: str
    note: str
    source_id: str
    already_recorded: bool = False


@dataclass
class EnablementImport:
    rows: list[ParsedEnablement]
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def new_rows(self) -> list[ParsedEnablement]:
        return [row for row in self.rows if not row.already_recorded]


class Organizations:
    """Registered organizations by credit code or exact name (a name two share is ambiguous),
    loaded for the values that will be looked up: one query, or the whole table for a long file
    (an IN list has a limit on bound parameters)."""

    def __init__(self, values: list[str]) -> None:
        self.by_code: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = {}
        values = [v for v in dict.fromkeys(values) if v]
        codes = [normalize_credit_code(v) for v in values if credit_code_problem(v) is None]
        if not values:
            return
        stmt = select(Organization)
        if len(values) <= MAX_LOOKUP:
            stmt = stmt.where(or_(Organization.credit_code.in_(codes), Organization.name.in_(values)))
        for org in db.session.scalars(stmt):
            self.by_code[org.credit_code] = org
            self.by_name.setdefault(org.name, []).append(org)

    def find(self, value: str) -> tuple[Organization | None, object | None]:
        """The organization, or None and the problem to report."""
        if credit_code_problem(value) is None:
            org = self.by_code.get(normalize_credit_code(value))
            return (org, None) if org else (None, _l("统一社会信用代码“%(value)s”未在平台注册。", value=value))
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _l("有多家单位名为“%(value)s”，请填写统一社会信用代码。", value=value)
        return None, _l("未找到单位“%(value)s”：请填写已在平台注册的单位名称或统一社会信用代码。", value=value)


def parse_enablements(data: bytes, filename: str, today: date | None = None) -> EnablementImport:
    try:
        table = read_table(data, filename)
    except SpreadsheetError as exc:
        return EnablementImport([], [RowProblem(0, "", str(exc))])
    positions, problems = column_positions(table.header, COLUMNS)
    if problems:
        return EnablementImport([], problems)
    today = today or date.today()
    digest = hashlib.sha256(data).hexdigest()[:24]
    kinds: dict[str, EnablementKind] = {}
    for known in db.session.scalars(
        select(EnablementKind).where(EnablementKind.manual.is_(True), EnablementKind.is_active.is_(True))
    ):
        kinds.update({known.code: known, known.name: known, known.name_en.lower(): known})
    organizations = Organizations(
        [row_values(cells, positions).get(key, "") for cells in table.rows for key in ("firm", "provider")]
    )
    rows: list[ParsedEnablement] = []
    for offset, cells in enumerate(table.rows):
        number = offset + 2
        values = row_values(cells, positions)
        row_problems: list[RowProblem] = []
        problem = problem_adder(COLUMN_LABELS, row_problems, number)

        for column in COLUMNS:
            if column.required and not values.get(column.key):
                problem(column.key, _l("“%(name)s”不能为空。", name=column.zh))
            elif len(values.get(column.key, "")) > MAX_TEXT:
                problem(column.key, _l("“%(name)s”不超过 %(max)d 个字符。", name=column.zh, max=MAX_TEXT))
        firm = provider = None
        if values.get("firm"):
            firm, message = organizations.find(values["firm"])
            if message:
                problem("firm", message)
        if values.get("provider"):
            provider, message = organizations.find(values["provider"])
            if message:
                problem("provider", message)
            elif firm is not None and provider is not None and provider.id == firm.id:
                problem("provider", _l("服务商不能是被赋能的企业本身。"))
        kind = None
        if values.get("kind"):
            kind = kinds.get(values["kind"]) or kinds.get(values["kind"].lower())
            if kind is None:
                problem(
                    "kind",
                    _l(
                        "“%(value)s”不是可手工登记的赋能类型（可用：%(kinds)s）。",
                        value=values["kind"],
                        kinds="、".join(sorted({k.display_name() for k in kinds.values()})),
                    ),
                )
        occurred_on = None
        if values.get("date"):
            occurred_on = parse_date(values["date"])
            if occurred_on is None:
                problem("date", _l("日期“%(value)s”无法识别，请写成 2026-05-18。", value=values["date"]))
            elif not EARLIEST <= occurred_on <= today:
                problem("date", _l("日期须在 2000-01-01 与今天之间。"))
        problems.extend(row_problems)
        if not row_problems and firm and kind and occurred_on:
            rows.append(
                ParsedEnablement(
                    row=number,
                    firm=firm,
                    kind=kind,
                    occurred_on=occurred_on,
                    provider=provider,
                    programme=values.get("programme", ""),
                    evidence=values["evidence"],
                    note=values.get("note", ""),
                    source_id=f"{digest}:{number}",
                )
            )
    if not table.rows:
        problems.append(RowProblem(0, "", str(_l("文件中没有数据行。"))))
    _mark_recorded(rows)
    return EnablementImport(rows, problems)


def _mark_recorded(rows: list[ParsedEnablement]) -> None:
    if not rows:
        return
    recorded = set(
        db.session.scalars(
            select(Enablement.source_id).where(
                Enablement.source_type == SOURCE_TYPE, Enablement.source_id.in_([row.source_id for row in rows])
            )
        )
    )
    for row in rows:
        row.already_recorded = row.source_id in recorded


def apply_enablements(parsed: EnablementImport, by: User) -> int:
    """Record every new row, audited (the caller commits once); returns how many were counted."""
    if not parsed.ok:
        raise ValueError("an import with problems is never applied")
    created = 0
    for row in parsed.rows:
        result = record_enablement(
            firm=row.firm,
            kind=row.kind,
            source_type=SOURCE_TYPE,
            source_id=row.source_id,
            occurred_on=row.occurred_on,
            provider=row.provider,
            programme=row.programme,
            recorded_by=by,
            note=row.note,
            evidence=row.evidence,
        )
        created += result.created
    audit(by, "enablement.import", None, None, {"rows": len(parsed.rows), "created": created})
    return created
