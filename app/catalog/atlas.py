"""The scenario atlas (场景赋能图谱) in figures: what the city has published, per industry ×
technology domain and per scenario category.

Every count on the atlas is computed here, from a few GROUP BY queries. Each kind of record
counted over the industry × domain grid is a *measure*: a function returning a `CountMatrix`,
listed in `MEASURES` under a name. Published scenarios are the first; open needs and published
solutions join by adding their own function, and callers read `atlas.measures[name]`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import func, select

from app.catalog.models import Scenario, ScenarioStatus, scenario_domains
from app.extensions import db
from app.taxonomy.models import Industry, ScenarioCategory, ScenarioSubcategory, TaxonomyMixin, TechDomain


@dataclass(frozen=True)
class CountMatrix:
    """Counts of one measure over industries × technology domains, keyed by taxonomy id.

    A record with several domains counts once in each of its domains' cells, so a row's cells
    can add up to more than the row total; row totals and the grand total count distinct records.
    Cells, rows and columns without records are absent (read them through the methods).
    """

    cells: dict[tuple[int, int], int] = field(default_factory=dict)  # (industry_id, domain_id) -> n
    row_totals: dict[int, int] = field(default_factory=dict)  # industry_id -> distinct records
    column_totals: dict[int, int] = field(default_factory=dict)  # domain_id -> records
    total: int = 0  # distinct records

    def cell(self, industry: Industry, domain: TechDomain) -> int:
        return self.cells.get((industry.id, domain.id), 0)

    def row_total(self, industry: Industry) -> int:
        return self.row_totals.get(industry.id, 0)

    def column_total(self, domain: TechDomain) -> int:
        return self.column_totals.get(domain.id, 0)

    @property
    def max_cell(self) -> int:
        return max(self.cells.values(), default=0)


@dataclass(frozen=True)
class SubcategoryCount:
    subcategory: ScenarioSubcategory
    count: int


@dataclass(frozen=True)
class CategoryCount:
    category: ScenarioCategory
    count: int  # the sum of its sub-categories' counts
    subcategories: list[SubcategoryCount]


@dataclass(frozen=True)
class Atlas:
    """The taxonomy in display order with the counts of each measure.

    `industries` and `domains` are the active entries plus any deactivated one that still holds
    counted records, so that the rows and columns always add up to the totals.
    """

    industries: list[Industry]
    domains: list[TechDomain]
    measures: dict[str, CountMatrix]
    categories: list[CategoryCount]  # published scenarios per category and sub-category

    @property
    def scenarios(self) -> CountMatrix:
        return self.measures["scenarios"]

    @property
    def is_empty(self) -> bool:
        return self.scenarios.total == 0

    def gaps(self, demand: str, supply: str) -> list["Gap"]:
        """Every cell where `demand` has more records than `supply`, grouped by industry in taxonomy
        order, the largest shortfall first within an industry."""
        if demand not in self.measures or supply not in self.measures:
            return []
        wanted, offered = self.measures[demand], self.measures[supply]
        found = []
        for industry in self.industries:
            cells = [
                Gap(industry, domain, wanted.cell(industry, domain), offered.cell(industry, domain))
                for domain in self.domains
            ]
            found += sorted((gap for gap in cells if gap.demand > gap.supply), key=lambda gap: gap.supply - gap.demand)
        return found


class Gap(NamedTuple):
    industry: Industry
    domain: TechDomain
    demand: int
    supply: int


def _published_scenarios():
    return Scenario.status == ScenarioStatus.PUBLISHED


def scenario_matrix() -> CountMatrix:
    """Published scenarios per industry × domain: one query for the cells, one for the rows."""
    cell_rows = db.session.execute(
        select(Scenario.industry_id, scenario_domains.c.domain_id, func.count())
        .join(scenario_domains, scenario_domains.c.scenario_id == Scenario.id)
        .where(_published_scenarios())
        .group_by(Scenario.industry_id, scenario_domains.c.domain_id)
    ).all()
    industry_rows = db.session.execute(
        select(Scenario.industry_id, func.count()).where(_published_scenarios()).group_by(Scenario.industry_id)
    ).all()
    return matrix_from_rows(cell_rows, industry_rows)


def matrix_from_rows(
    cell_rows: Iterable[tuple[int, int, int]], industry_rows: Iterable[tuple[int, int]]
) -> CountMatrix:
    """Build a matrix from (industry_id, domain_id, n) and (industry_id, distinct n) rows.

    Column totals are the sums of their cells: a record has one industry, so it appears at most
    once in a column.
    """
    cells = {(industry_id, domain_id): n for industry_id, domain_id, n in cell_rows}
    columns: dict[int, int] = defaultdict(int)
    for (_, domain_id), n in cells.items():
        columns[domain_id] += n
    rows = dict(industry_rows)
    return CountMatrix(cells=cells, row_totals=rows, column_totals=dict(columns), total=sum(rows.values()))


MEASURES: dict[str, Callable[[], CountMatrix]] = {
    "scenarios": scenario_matrix,
}


def register_measure(name: str, compute: Callable[[], CountMatrix]) -> None:
    """Another domain's records counted over the grid (open needs, published solutions)."""
    MEASURES[name] = compute


def category_counts() -> list[CategoryCount]:
    """Categories in display order, each with its sub-categories and their published scenarios.

    Deactivated categories and sub-categories are listed only while they hold published scenarios.
    """
    counts = dict(
        db.session.execute(
            select(Scenario.subcategory_id, func.count())
            .where(_published_scenarios())
            .group_by(Scenario.subcategory_id)
        ).all()
    )
    subcategories: dict[int, list[SubcategoryCount]] = defaultdict(list)
    for sub in db.session.scalars(
        select(ScenarioSubcategory).order_by(ScenarioSubcategory.position, ScenarioSubcategory.id)
    ):
        if sub.is_active or counts.get(sub.id):
            subcategories[sub.category_id].append(SubcategoryCount(sub, counts.get(sub.id, 0)))
    tree = []
    for category in _ordered(ScenarioCategory):
        subs = subcategories.get(category.id, [])
        total = sum(s.count for s in subs)
        if category.is_active or total:
            tree.append(CategoryCount(category, total, subs))
    return tree


def _ordered(model: type[TaxonomyMixin]) -> list:
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))


def _shown(entries: list, *totals: dict[int, int]) -> list:
    return [e for e in entries if e.is_active or any(t.get(e.id) for t in totals)]


def atlas_counts() -> Atlas:
    """Every measure over the industry × domain grid, and the category tree."""
    measures = {name: compute() for name, compute in MEASURES.items()}
    return Atlas(
        industries=_shown(_ordered(Industry), *(m.row_totals for m in measures.values())),
        domains=_shown(_ordered(TechDomain), *(m.column_totals for m in measures.values())),
        measures=measures,
        categories=category_counts(),
    )
