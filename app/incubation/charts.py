"""What static/js/figures.js draws: a firm's revenue, R&D spending and net profit by year."""

from flask_babel import gettext as _

from app.incubation.models import AnnualFigures


def figures_chart(figures: list[AnnualFigures]) -> dict:
    return {
        "years": [str(f.year) for f in figures],
        "revenue": [float(f.revenue) for f in figures],
        "rd": [float(f.rd_spending) for f in figures],
        "profit": [float(f.net_profit) for f in figures],
        "text": {"revenue": _("营业收入"), "rd": _("研发投入"), "profit": _("净利润"), "unit": _("万元")},
    }
