"""The tracks' criteria: a few criterion types with parameters, and the pure evaluation of a firm
against them.

A track's criteria are data (`[{"type": "revenue_min", "wan_yuan": 500}, ...]`). Each type says
what its parameters are, how it reads as a sentence, and how a firm's founding year and yearly
figures meet it: met, not met, or missing data, with the numbers in words. "The latest year" is
the latest year the firm reported. Thresholds are compared exactly (in Decimal); shown figures are
rounded down, so a figure shown as meeting a threshold does.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.templating import number


class YearFigures(Protocol):
    year: int
    revenue: Decimal
    rd_spending: Decimal
    invention_patents: int
    other_ip: int


@dataclass(frozen=True)
class Facts:
    founded_year: int | None
    figures: Sequence[YearFigures]  # any order
    today: date

    def latest(self) -> YearFigures | None:
        return max(self.figures, key=lambda f: f.year, default=None)

    def by_year(self) -> dict[int, YearFigures]:
        return {f.year: f for f in self.figures}


class Outcome(str, enum.Enum):
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"


@dataclass(frozen=True)
class Result:
    criterion: dict
    outcome: Outcome
    explanation: str

    @property
    def sentence(self) -> str:
        return describe(self.criterion)


@dataclass(frozen=True)
class Evaluation:
    results: list[Result]

    @property
    def met(self) -> bool:
        return bool(self.results) and all(r.outcome == Outcome.MET for r in self.results)


@dataclass(frozen=True)
class Param:
    name: str
    label: LazyString
    integer: bool = True
    minimum: int = 0
    maximum: int = 100_000


@dataclass(frozen=True)
class CriterionType:
    label: object
    params: tuple[Param, ...]
    sentence: Callable[[dict], str]
    check: Callable[[dict, Facts], tuple[Outcome, str]]


def _value(criterion: dict, name: str) -> Decimal:
    return Decimal(str(criterion[name]))


def _shown(value: Decimal, places: str = "0.01") -> str:
    return number(value.quantize(Decimal(places), rounding=ROUND_FLOOR))


def _no_figures() -> tuple[Outcome, str]:
    return Outcome.MISSING, _("尚未填报年度数据。")


def _founded(criterion: dict, facts: Facts) -> tuple[Outcome, str]:
    years = int(criterion["years"])
    if facts.founded_year is None:
        return Outcome.MISSING, _("企业资料中未填写成立年份。")
    age = facts.today.year - facts.founded_year
    outcome = Outcome.MET if age <= years else Outcome.NOT_MET
    return outcome, _(
        "成立于 %(year)d 年，已成立 %(age)d 年，要求不超过 %(years)d 年。",
        year=facts.founded_year,
        age=age,
        years=years,
    )


def _rd_ratio(criterion: dict, facts: Facts) -> tuple[Outcome, str]:
    percent, latest = _value(criterion, "percent"), facts.latest()
    if latest is None:
        return _no_figures()
    if latest.revenue <= 0:
        return Outcome.MISSING, _("%(year)d 年营业收入为 0，无法计算研发投入占比。", year=latest.year)
    ratio = latest.rd_spending * 100 / latest.revenue
    outcome = Outcome.MET if latest.rd_spending * 100 >= percent * latest.revenue else Outcome.NOT_MET
    return outcome, _(
        "%(year)d 年研发投入占营业收入 %(ratio)s%%，要求不低于 %(percent)s%%。",
        year=latest.year,
        ratio=_shown(ratio),
        percent=number(percent),
    )


#: What _ip says (lazy, translated when _ip makes it a str): its msgid is too long to fit on a line inside a function.
_IP_FIGURES = _l(
    "%(year)d 年末拥有发明专利 %(patents)d 件、其他知识产权 %(other)d 件，共 %(total)d 件，要求不少于 %(count)d 件。"
)


def _ip(criterion: dict, facts: Facts) -> tuple[Outcome, str]:
    count, latest = int(criterion["count"]), facts.latest()
    if latest is None:
        return _no_figures()
    total = latest.invention_patents + latest.other_ip
    figures = {
        "year": latest.year,
        "patents": latest.invention_patents,
        "other": latest.other_ip,
        "total": total,
        "count": count,
    }
    # the same as _(msgid, **figures), which is the translation % figures
    return Outcome.MET if total >= count else Outcome.NOT_MET, str(_IP_FIGURES) % figures


def _revenue(criterion: dict, facts: Facts) -> tuple[Outcome, str]:
    minimum, latest = _value(criterion, "wan_yuan"), facts.latest()
    if latest is None:
        return _no_figures()
    return Outcome.MET if latest.revenue >= minimum else Outcome.NOT_MET, _(
        "%(year)d 年营业收入 %(revenue)s 万元，要求不低于 %(minimum)s 万元。",
        year=latest.year,
        revenue=number(latest.revenue),
        minimum=number(minimum),
    )


def _cagr(criterion: dict, facts: Facts) -> tuple[Outcome, str]:
    percent, years, latest = _value(criterion, "percent"), int(criterion["years"]), facts.latest()
    if latest is None:
        return _no_figures()
    first_year, periods, by_year = latest.year - years + 1, years - 1, facts.by_year()
    absent = [str(y) for y in range(first_year, latest.year + 1) if y not in by_year]
    if absent:
        return Outcome.MISSING, _(
            "需要 %(first)d—%(last)d 年连续 %(years)d 个年度的营业收入，缺少 %(absent)s 年。",
            first=first_year,
            last=latest.year,
            years=years,
            absent=_("、").join(absent),
        )
    first, last = by_year[first_year].revenue, latest.revenue
    if first <= 0:
        return Outcome.MISSING, _("%(year)d 年营业收入为 0，无法计算增长率。", year=first_year)
    rate = ((last / first) ** (Decimal(1) / periods) - 1) * 100 if last > 0 else Decimal(-100)
    outcome = Outcome.MET if last >= first * (1 + percent / 100) ** periods else Outcome.NOT_MET
    return outcome, _(
        "%(first)d—%(last)d 年营业收入年均增长 %(rate)s%%（%(periods)d 个增长期的复合增长率），"
        "要求不低于 %(percent)s%%。",
        first=first_year,
        last=latest.year,
        rate=_shown(rate),
        periods=periods,
        percent=number(percent),
    )


TYPES: dict[str, CriterionType] = {
    "founded_within_years": CriterionType(
        _l("成立年限"),
        (Param("years", _l("成立不超过（年）"), minimum=1, maximum=100),),
        lambda c: _("成立不超过 %(years)d 年。", years=int(c["years"])),
        _founded,
    ),
    "rd_ratio_min": CriterionType(
        _l("研发投入占比"),
        (Param("percent", _l("研发投入占营业收入不低于（%）"), integer=False, maximum=100),),
        lambda c: _("最近一年研发投入占营业收入的比例不低于 %(percent)s%%。", percent=number(_value(c, "percent"))),
        _rd_ratio,
    ),
    "ip_min": CriterionType(
        _l("知识产权"),
        (Param("count", _l("知识产权不少于（件）"), maximum=10_000),),
        lambda c: _("最近一年年末拥有发明专利或软件著作权等知识产权不少于 %(count)d 件。", count=int(c["count"])),
        _ip,
    ),
    "revenue_min": CriterionType(
        _l("营业收入"),
        (Param("wan_yuan", _l("最近一年营业收入不低于（万元）"), integer=False, maximum=100_000_000),),
        lambda c: _("最近一年营业收入不低于 %(minimum)s 万元。", minimum=number(_value(c, "wan_yuan"))),
        _revenue,
    ),
    "revenue_cagr_min": CriterionType(
        _l("营业收入增长"),
        (
            Param("percent", _l("年均增长率不低于（%）"), integer=False, maximum=1000),
            Param("years", _l("计算年度数（连续年度）"), minimum=2, maximum=10),
        ),
        lambda c: _(
            "近 %(years)d 年营业收入年均增长率不低于 %(percent)s%%（按连续 %(years)d 个年度的复合增长率计算，"
            "即 %(periods)d 个增长期）。",
            years=int(c["years"]),
            periods=int(c["years"]) - 1,
            percent=number(_value(c, "percent")),
        ),
        _cagr,
    ),
}


def validate(criterion: dict) -> None:
    """Raises ValueError for an unknown type or a missing or out-of-range parameter (seed data is
    checked when it is loaded, not when a page first shows it)."""
    kind = TYPES.get(criterion.get("type", ""))
    if kind is None:
        raise ValueError(f"unknown criterion type {criterion.get('type')!r}")
    for param in kind.params:
        value = _value(criterion, param.name) if param.name in criterion else None
        if value is None or not param.minimum <= value <= param.maximum:
            raise ValueError(f"criterion {criterion['type']}: {param.name} missing or out of range")


def describe(criterion: dict) -> str:
    return TYPES[criterion["type"]].sentence(criterion)


def evaluate(
    criteria: Sequence[dict], founded_year: int | None, figures: Sequence[YearFigures], today: date
) -> Evaluation:
    """Each criterion's outcome for a firm founded in `founded_year` that reported `figures`."""
    facts = Facts(founded_year, figures, today)
    return Evaluation([Result(c, *TYPES[c["type"]].check(c, facts)) for c in criteria])
