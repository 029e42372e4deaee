"""During its period an indicator is done, on track or behind; once the period has ended it was
achieved or missed (the seeded plan runs 2022–2024)."""

from datetime import date
from decimal import Decimal

import pytest

from app.accounts.models import SiteRole
from app.extensions import db
from app.stats import indicators
from app.stats.indicators import Verdict
from app.stats.models import Indicator, Plan


def reported(code: str) -> Indicator:
    return db.session.scalar(db.select(Indicator).where(Indicator.code == code))


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        (35000, date(2023, 7, 2), Verdict.DONE),
        (20000, date(2023, 7, 2), Verdict.ON_TRACK),  # 57% done, half the period gone
        (10000, date(2023, 7, 2), Verdict.BEHIND),
        (10000, date(2024, 12, 31), Verdict.BEHIND),  # the last day still belongs to the period
        (35000, date(2025, 1, 1), Verdict.ACHIEVED),
        (34999, date(2025, 1, 1), Verdict.MISSED),
    ],
)
def test_the_verdict_follows_the_period(app, make_user, value, today, expected):
    indicator = reported("base_stations_5g")  # target 35,000
    indicators.report_value(indicator, Decimal(value), date(2023, 6, 30), "工信局", make_user(role=SiteRole.ADMIN))
    plan = db.session.scalar(db.select(Plan))
    assert indicators.status(indicator).verdict(plan, today) == expected


def test_an_ended_plan_reads_achieved_or_missed(client, make_user):
    admin = make_user(role=SiteRole.ADMIN)
    indicators.report_value(reported("base_stations_5g"), Decimal(36000), date(2024, 12, 31), "工信局", admin)
    indicators.report_value(reported("new_output"), Decimal(600), date(2024, 12, 31), "统计局", admin)
    db.session.commit()

    page = client.get("/stats/public").get_data(as_text=True)

    def card(code: str) -> str:
        start = page.index(f'data-test="indicator-{code}"')
        return page[start : page.index('data-test="indicator-value"', start)]

    assert "已达成" in card("base_stations_5g") and "未达成" in card("new_output")
    assert "落后于进度" not in page and "进度正常" not in page
