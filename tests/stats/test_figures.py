"""Every figure of the dashboard equals the hand-computed value of the fixture ledger, with and
without filters, and the rows behind each bar add up to it."""

from datetime import date

import pytest

from app.extensions import db
from app.stats import indicators, services
from app.stats.models import Indicator, IndicatorKind, Plan
from tests.stats.conftest import FIGURES

ALL = services.Filters()


def by_drill(bars, key):
    return {bar.drill[key]: bar.value for bar in bars}


def test_headline_figures(ledger):
    assert services.firm_times(ALL) == FIGURES["firm_times"]
    assert services.firms_served(ALL) == FIGURES["firms"]


def test_breakdowns(ledger):
    board = services.dashboard(ALL)
    assert {bar.label: bar.value for bar in board.months} == FIGURES["months"]
    assert services.cumulative(board.months) == [2, 4, 5]
    assert by_drill(board.districts, "district") == FIGURES["districts"]
    assert by_drill(board.kinds, "kind") == {k: v for k, v in FIGURES["kinds"].items() if v}
    assert [(bar.label, bar.value) for bar in board.providers] == FIGURES["providers"]
    assert sum(bar.value for bar in board.industries) == FIGURES["firm_times"]


def test_a_firm_that_moved_counts_where_it_was(ledger):
    assert services.firm_times(services.Filters(district="LS")) == 4
    assert services.firm_times(services.Filters(district="JM")) == 1
    assert services.firms_served(services.Filters(district="LS")) == 3  # A, B (before moving), C


@pytest.mark.parametrize(
    ("filters", "firm_times", "firms"),
    [
        (services.Filters(kind="event"), 2, 2),
        (services.Filters(kind="diagnosis"), 0, 0),
        (services.Filters(start=date(2026, 2, 1), end=date(2026, 2, 28)), 2, 2),
        (services.Filters(start=date(2026, 3, 1)), 1, 1),
        (services.Filters(end=date(2026, 1, 31)), 2, 2),
        (services.Filters(district="LS", kind="event"), 2, 2),
        (services.Filters(industry="FOOD"), 0, 0),
        (services.Filters(month="2026-02"), 2, 2),
    ],
)
def test_filters(ledger, filters, firm_times, firms):
    assert services.totals(filters) == services.Totals(firm_times, firms)


def test_every_chart_follows_the_filters(ledger):
    board = services.dashboard(services.Filters(kind="event"))
    assert {bar.label: bar.value for bar in board.months} == {"2026-02": 2}
    assert by_drill(board.districts, "district") == {"LS": 2}
    assert by_drill(board.kinds, "kind") == {"event": 2}
    assert board.providers == []


def test_the_rows_behind_each_bar_add_up_to_it(ledger):
    board = services.dashboard(ALL)
    for bar in board.months + board.districts + board.industries + board.kinds + board.providers:
        filters = ALL.narrowed(
            **{key: (int(value) if key == "provider" else value) for key, value in bar.drill.items()}
        )
        rows = db.session.scalars(services.ledger_rows(filters)).all()
        if "provider" in bar.drill:  # providers count firms, not firm-times
            net = {}
            for row in rows:
                net[row.firm_id] = net.get(row.firm_id, 0) + row.delta
            assert sum(1 for n in net.values() if n > 0) == bar.value
        else:
            assert sum(row.delta for row in rows) == bar.value


def test_computed_indicators_count_over_the_plan_period(ledger):
    plan = db.session.scalar(db.select(Plan))
    plan.starts_on, plan.ends_on = date(2026, 1, 1), date(2026, 2, 28)
    db.session.commit()
    statuses = {s.indicator.code: s for s in indicators.statuses(plan)}
    assert statuses["enablements"].value == 4 and statuses["enablements"].available
    assert statuses["firms_served"].value == 3
    assert statuses["enablements"].progress == pytest.approx(4 / 50000)


def test_an_indicator_nothing_computes_or_nobody_reported_reads_zero_and_says_so(ledger):
    plan = db.session.scalar(db.select(Plan))
    db.session.add(
        Indicator(
            plan=plan, code="no_such_measure", name="无人统计的指标", unit="个", target=10, kind=IndicatorKind.COMPUTED
        )
    )
    db.session.commit()
    statuses = {s.indicator.code: s for s in indicators.statuses(plan)}
    assert statuses["no_such_measure"].value == 0 and not statuses["no_such_measure"].available
    assert not statuses["base_stations_5g"].available  # reported, not yet reported
    assert all(
        statuses[code].available
        for code in ("eaglets", "gazelles", "pilot_projects", "demo_cases", "plug_and_play", "solution_industries")
    )


def test_scenarios_published_counts_published_scenarios(app, make_batch, make_scenario):
    batch = make_batch("2022年第一批")
    make_scenario(batch=batch)
    make_scenario(batch=batch)
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == "scenarios_published"))
    assert indicators.status(indicator).value == 2


@pytest.mark.parametrize(
    ("today", "share"),
    [
        (date(2021, 12, 31), 0.0),
        (date(2022, 1, 1), 1 / 1096),
        (date(2023, 7, 2), 548 / 1096),
        (date(2024, 12, 31), 1.0),
        (date(2026, 11, 29), 1.0),
    ],
)
def test_elapsed_share_of_the_plan_period(app, today, share):
    plan = db.session.scalar(db.select(Plan))
    assert (plan.starts_on, plan.ends_on) == (date(2022, 1, 1), date(2024, 12, 31))
    assert indicators.elapsed_share(plan, today) == pytest.approx(share)
