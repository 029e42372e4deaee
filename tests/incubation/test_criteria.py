"""Each criterion type at its threshold, just above, just below, and without the data it needs."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from app.incubation.criteria import Outcome, describe, evaluate, validate

TODAY = date(2026, 6, 1)
MET, NOT_MET, MISSING = Outcome.MET, Outcome.NOT_MET, Outcome.MISSING


@dataclass
class Year:
    year: int
    revenue: Decimal = Decimal("1000")
    rd_spending: Decimal = Decimal("0")
    invention_patents: int = 0
    other_ip: int = 0


def one(criterion: dict, figures=(), founded_year: int | None = 2020):
    [result] = evaluate([criterion], founded_year, list(figures), TODAY).results
    return result


@pytest.mark.parametrize(("founded", "expected"), [(2021, MET), (2022, MET), (2020, NOT_MET), (None, MISSING)])
def test_founded_within_years(app, founded, expected):
    result = one({"type": "founded_within_years", "years": 5}, founded_year=founded)
    assert result.outcome == expected
    if founded == 2021:
        assert result.explanation == "成立于 2021 年，已成立 5 年，要求不超过 5 年。"


@pytest.mark.parametrize(("rd", "expected"), [("50", MET), ("50.01", MET), ("49.99", NOT_MET)])
def test_rd_ratio_reads_the_latest_year(app, rd, expected):
    figures = [Year(2024, rd_spending=Decimal("900")), Year(2025, revenue=Decimal("1000"), rd_spending=Decimal(rd))]
    result = one({"type": "rd_ratio_min", "percent": 5}, figures)
    assert result.outcome == expected
    if rd == "49.99":
        assert result.explanation == "2025 年研发投入占营业收入 4.99%，要求不低于 5%。"


def test_rd_ratio_without_figures_or_revenue_is_missing(app):
    assert one({"type": "rd_ratio_min", "percent": 5}).outcome == MISSING
    result = one({"type": "rd_ratio_min", "percent": 5}, [Year(2025, revenue=Decimal("0"), rd_spending=Decimal("9"))])
    assert result.outcome == MISSING and "无法计算" in result.explanation


@pytest.mark.parametrize(("patents", "other", "expected"), [(0, 1, MET), (1, 1, MET), (0, 0, NOT_MET)])
def test_ip_counts_patents_and_other_ip(app, patents, other, expected):
    result = one({"type": "ip_min", "count": 1}, [Year(2025, invention_patents=patents, other_ip=other)])
    assert result.outcome == expected


def test_ip_without_figures_is_missing(app):
    assert one({"type": "ip_min", "count": 1}).outcome == MISSING


@pytest.mark.parametrize(("revenue", "expected"), [("500", MET), ("500.01", MET), ("499.99", NOT_MET)])
def test_revenue_min(app, revenue, expected):
    result = one(
        {"type": "revenue_min", "wan_yuan": 500},
        [Year(2023, revenue=Decimal("9000")), Year(2025, revenue=Decimal(revenue))],
    )
    assert result.outcome == expected
    assert result.explanation.startswith(f"2025 年营业收入 {revenue} 万元，要求不低于 500 万元")


def test_revenue_min_without_figures_is_missing(app):
    assert one({"type": "revenue_min", "wan_yuan": 500}).outcome == MISSING


CAGR = {"type": "revenue_cagr_min", "percent": 20, "years": 3}


def series(first: str, last: str):
    return [Year(2023, revenue=Decimal(first)), Year(2024, revenue=Decimal("1")), Year(2025, revenue=Decimal(last))]


@pytest.mark.parametrize(("last", "expected"), [("144", MET), ("144.01", MET), ("143.99", NOT_MET)])
def test_revenue_cagr_over_two_growth_periods(app, last, expected):
    """100 → 144 over 2023–2025 is exactly 20% a year (1.2 × 1.2); the middle year does not count."""
    result = one(CAGR, series("100", last))
    assert result.outcome == expected
    if last == "144":
        assert result.explanation == ("2023—2025 年营业收入年均增长 20%（2 个增长期的复合增长率），要求不低于 20%。")


def test_revenue_cagr_needs_consecutive_years_and_a_first_revenue(app):
    gap = one(CAGR, [Year(2023), Year(2025)])
    assert gap.outcome == MISSING and "缺少 2024 年" in gap.explanation
    assert one(CAGR).outcome == MISSING
    assert one(CAGR, series("0", "500")).outcome == MISSING


def test_a_track_is_met_only_when_every_criterion_is(app):
    criteria = [{"type": "revenue_min", "wan_yuan": 500}, {"type": "ip_min", "count": 1}]
    assert evaluate(criteria, 2020, [Year(2025, other_ip=1)], TODAY).met
    assert not evaluate(criteria, 2020, [Year(2025)], TODAY).met
    assert not evaluate(criteria, 2020, [], TODAY).met


def test_criteria_read_as_sentences(app):
    assert describe(CAGR) == "近 3 年营业收入年均增长率不低于 20%（按连续 3 个年度的复合增长率计算，即 2 个增长期）。"
    assert describe({"type": "revenue_min", "wan_yuan": 500}) == "最近一年营业收入不低于 500 万元。"


@pytest.mark.parametrize(
    "criterion",
    [
        {"type": "no_such_rule"},
        {"type": "founded_within_years"},
        {"type": "founded_within_years", "years": 0},
        {"type": "revenue_cagr_min", "percent": 20, "years": 1},
    ],
)
def test_a_track_with_a_broken_criterion_is_not_loaded(criterion):
    with pytest.raises(ValueError):
        validate(criterion)
