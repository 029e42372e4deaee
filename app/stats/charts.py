"""What static/js/stats.js draws: the dashboard's breakdowns as labels, values and, for admins,
the drill-down link behind each bar."""

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from app.stats.services import Bar, Dashboard, cumulative


def _ledger_url(args: dict[str, Any]) -> str:
    return url_for("stats.ledger_rows", **args)


def _series(bars: list[Bar], base: dict[str, str], drill: bool) -> list[dict]:
    return [
        {
            "name": bar.label,
            "value": bar.value,
            "url": _ledger_url({**base, **bar.drill}) if drill and bar.drill else None,
        }
        for bar in bars
    ]


def chart_data(board: Dashboard, drill: bool) -> dict:
    base = board.filters.query_args()
    return {
        "months": _series(board.months, base, drill),
        "cumulative": cumulative(board.months),
        "districts": _series(board.districts, base, drill),
        "industries": _series(board.industries, base, drill),
        "kinds": _series(board.kinds, base, drill),
        "providers": _series(board.providers, base, drill),
        "text": {"monthly": _("当月"), "cumulative": _("累计"), "unit": _("家次"), "firms": _("家企业")},
    }
