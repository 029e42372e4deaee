"""The government report workbook and the ledger export.

The workbook holds the indicator table and one sheet per breakdown, computed by the same
services as the dashboard; the CSV lists ledger rows. Every text cell goes through
`app.core.spreadsheets`, which neutralises anything a spreadsheet would run as a formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.bilingual import localized
from app.core.spreadsheets import csv_bytes, xlsx_bytes
from app.extensions import db
from app.stats import indicators, services
from app.stats.models import Enablement, IndicatorKind, Plan

LEDGER_BATCH = 2000


def _breakdown(bars: list[services.Bar], label: str) -> tuple[list[str], list[list]]:
    return [label, _("赋能企业家次")], [[bar.label, bar.value] for bar in bars]


def _indicator_rows(plan: Plan, today: date) -> list[list]:
    rows = []
    elapsed = indicators.elapsed_share(plan, today)
    for status in indicators.statuses(plan):
        indicator = status.indicator
        if indicator.kind == IndicatorKind.REPORTED:
            source = f"{status.report.source}（{status.report.as_of.isoformat()}）" if status.report else _("尚未填报")
        else:
            source = _("平台记录") if status.available else _("平台尚无此类记录")
        rows.append(
            [
                localized(indicator),
                float(indicator.target),
                localized(indicator, "unit"),
                float(status.value),
                round(status.progress * 100, 1),
                round(elapsed * 100, 1),
                source,
            ]
        )
    return rows


def workbook(filters: services.Filters, plan: Plan | None, today: date | None = None, locale: str = "zh") -> bytes:
    today = today or date.today()
    board = services.dashboard(filters, locale=locale, unknown=_("未填写"))
    summary_header = [_("项目"), _("数值")]
    summary = [
        [_("赋能企业家次"), board.totals.firm_times],
        [_("赋能服务企业数"), board.totals.firms],
        [_("起始日期"), filters.start.isoformat() if filters.start else _("不限")],
        [_("截止日期"), filters.end.isoformat() if filters.end else _("不限")],
        [_("生成日期"), today.isoformat()],
    ]
    sheets = {_("汇总"): (summary_header, summary)}
    if plan is not None:
        sheets[_("指标完成情况")] = (
            [_("指标"), _("目标"), _("单位"), _("完成值"), _("完成率（%）"), _("计划期已过（%）"), _("数据来源")],
            _indicator_rows(plan, today),
        )
    months = board.months
    running = services.cumulative(months)
    sheets[_("按月")] = (
        [_("月份"), _("赋能企业家次"), _("累计")],
        [[bar.label, bar.value, total] for bar, total in zip(months, running, strict=True)],
    )
    sheets[_("按区市")] = _breakdown(board.districts, _("区市"))
    sheets[_("按行业")] = _breakdown(board.industries, _("行业"))
    sheets[_("按赋能类型")] = _breakdown(board.kinds, _("赋能类型"))
    sheets[_("服务商排名")] = ([_("服务商"), _("赋能企业数")], [[bar.label, bar.value] for bar in board.providers])
    return xlsx_bytes(sheets)


LEDGER_HEADER = (
    _l("编号"),
    _l("日期"),
    _l("企业"),
    _l("统一社会信用代码"),
    _l("区市"),
    _l("行业"),
    _l("赋能类型"),
    _l("服务商"),
    _l("项目或活动"),
    _l("计数"),
    _l("冲销的记录"),
    _l("来源"),
    _l("证明材料"),
    _l("备注"),
    _l("登记人"),
    _l("登记时间"),
    _l("演示数据"),
)


def _ledger_rows(filters: services.Filters) -> Iterator[list]:
    stmt = services.ledger_rows(filters).options(
        selectinload(Enablement.firm),
        selectinload(Enablement.provider),
        selectinload(Enablement.kind),
        selectinload(Enablement.district),
        selectinload(Enablement.industry),
        selectinload(Enablement.recorded_by),
    )
    for row in db.session.scalars(stmt.execution_options(yield_per=LEDGER_BATCH)):
        yield [
            row.id,
            row.occurred_on.isoformat(),
            row.firm.name,
            row.firm.credit_code,
            localized(row.district),
            localized(row.industry),
            localized(row.kind),
            row.provider.name if row.provider else "",
            row.programme,
            row.delta,
            row.reverses_id or "",
            f"{row.source_type}:{row.source_id}",
            row.evidence,
            row.note,
            row.recorded_by.email if row.recorded_by else "",
            row.recorded_at.strftime("%Y-%m-%d %H:%M"),
            _("是") if row.demo else "",
        ]


def ledger_csv(filters: services.Filters) -> bytes:
    return csv_bytes([str(label) for label in LEDGER_HEADER], _ledger_rows(filters))
