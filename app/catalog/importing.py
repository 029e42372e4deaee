"""Importing the scenario list from a spreadsheet: parse, validate every row, preview, apply.

The admin page and `flask scenarios import` both call `parse_scenarios` then `apply_import`;
applying is all-or-nothing because the caller commits once, or not at all.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Organization, User
from app.catalog.models import ChangeKind, Scenario, ScenarioBatch, ScenarioRevision, ScenarioStatus
from app.core.audit import audit
from app.core.imports import Column, RowProblem, column_positions, problem_adder, row_values, split_list
from app.core.spreadsheets import SpreadsheetError, Table, read_table
from app.core.validators import credit_code_problem, normalize_credit_code
from app.extensions import db
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TaxonomyMixin, TechDomain

MAX_TITLE_LENGTH = 100


COLUMNS = (
    Column("code", "场景编号", "code", True),
    Column("title", "场景名称", "title", True),
    Column("industry", "所属行业", "industry", True),
    Column("domain", "技术领域", "domain", True),
    Column("category", "场景大类", "category", True),
    Column("subcategory", "场景小类", "subcategory", True),
    Column("description", "场景描述", "description", True),
    Column("organization", "场景提供单位", "organization", False),
    Column("district", "所在区市", "district", False),
    Column("keywords", "关键词", "keywords", False),
)
COLUMN_LABELS = {c.key: c.zh for c in COLUMNS}
# The snapshot fields a revision compares; taxonomy entries by code.
SNAPSHOT_FIELDS = (
    "title",
    "description",
    "industry",
    "domains",
    "category",
    "subcategory",
    "organization",
    "district",
    "keywords",
)
SCENARIO_FIELD_LABELS = {
    "title": _l("场景名称"),
    "description": _l("场景描述"),
    "industry": _l("所属行业"),
    "domains": _l("技术领域"),
    "category": _l("场景大类"),
    "subcategory": _l("场景小类"),
    "organization": _l("场景提供单位"),
    "district": _l("所在区市"),
    "keywords": _l("关键词"),
}


@dataclass
class ParsedRow:
    row: int
    code: str
    snapshot: dict
    organization_id: int | None
    change: ChangeKind | None = None
    changed_fields: list[str] = field(default_factory=list)
    previous: dict | None = None  # the scenario as it stands, when the code is already on the list


@dataclass
class ImportPreview:
    rows: list[ParsedRow]
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def count(self, change: ChangeKind) -> int:
        return sum(1 for row in self.rows if row.change == change)


class Lookup:
    """Taxonomy entries by code or name (and district aliases), loaded once per import."""

    def __init__(self, model: type[TaxonomyMixin], aliases: bool = False) -> None:
        self.by_key: dict[str, object] = {}
        for entry in db.session.scalars(select(model)):
            keys = [entry.code, entry.code.lower(), entry.name]
            if aliases and isinstance(entry, District):
                keys += [a for a in (entry.aliases or "").split("、") if a]
            for key in keys:
                self.by_key.setdefault(key, entry)

    def get(self, value: str):
        return self.by_key.get(value) or self.by_key.get(value.lower())


def parse_scenarios(data: bytes, filename: str) -> ImportPreview:
    try:
        table = read_table(data, filename)
    except SpreadsheetError as exc:
        return ImportPreview(rows=[], problems=[RowProblem(0, "", str(exc))])
    return validate_table(table)


def validate_table(table: Table) -> ImportPreview:
    positions, problems = column_positions(table.header, COLUMNS)
    if problems:
        return ImportPreview(rows=[], problems=problems)
    lookups = {
        "industry": Lookup(Industry),
        "domain": Lookup(TechDomain),
        "category": Lookup(ScenarioCategory),
        "subcategory": Lookup(ScenarioSubcategory),
        "district": Lookup(District, aliases=True),
    }
    organizations = {o.credit_code: o for o in db.session.scalars(select(Organization))}
    rows: list[ParsedRow] = []
    seen_codes: dict[str, int] = {}
    for offset, cells in enumerate(table.rows):
        number = offset + 2
        values = row_values(cells, positions)
        row_problems: list[RowProblem] = []
        problem = problem_adder(COLUMN_LABELS, row_problems, number)

        parsed = _validate_row(values, lookups, organizations, problem)
        code = values.get("code", "")
        if code:
            if code in seen_codes:
                problem("code", _l("场景编号“%(code)s”与第 %(row)d 行重复。", code=code, row=seen_codes[code]))
            seen_codes.setdefault(code, number)
        problems.extend(row_problems)
        if parsed and not row_problems:
            snapshot, organization_id = parsed
            rows.append(ParsedRow(row=number, code=code, snapshot=snapshot, organization_id=organization_id))
    if not table.rows:
        problems.append(RowProblem(0, "", str(_l("文件中没有数据行。"))))
    preview = ImportPreview(rows=rows, problems=problems)
    _classify(preview)
    return preview


def _validate_row(values: dict, lookups: dict, organizations: dict, problem):
    for column in COLUMNS:
        if column.required and not values.get(column.key):
            problem(column.key, _l("“%(name)s”不能为空。", name=column.zh))
    if len(values.get("code", "")) > 40:
        problem("code", _l("场景编号不超过 40 个字符。"))
    if len(values.get("title", "")) > MAX_TITLE_LENGTH:
        problem("title", _l("场景名称不超过 %(max)d 个字符。", max=MAX_TITLE_LENGTH))

    def resolve(key: str, value: str, message):
        entry = lookups[key].get(value) if value else None
        if value and entry is None:
            problem(key, message)
        return entry

    industry = resolve(
        "industry", values.get("industry", ""), _l("未知的行业“%(value)s”。", value=values.get("industry", ""))
    )
    category = resolve(
        "category", values.get("category", ""), _l("未知的场景大类“%(value)s”。", value=values.get("category", ""))
    )
    subcategory = resolve(
        "subcategory",
        values.get("subcategory", ""),
        _l("未知的场景小类“%(value)s”。", value=values.get("subcategory", "")),
    )
    if category and subcategory and subcategory.category_id != category.id:
        problem(
            "subcategory",
            _l(
                "场景小类“%(sub)s”不属于场景大类“%(cat)s”。",
                sub=subcategory.display_name(),
                cat=category.display_name(),
            ),
        )
    domains = []
    for name in split_list(values.get("domain", "")):
        domain = resolve("domain", name, _l("未知的技术领域“%(value)s”。", value=name))
        if domain and domain not in domains:
            domains.append(domain)
    district = resolve(
        "district", values.get("district", ""), _l("未知的区市“%(value)s”。", value=values.get("district", ""))
    )
    organization_text = values.get("organization", "")
    organization = None
    if organization_text and credit_code_problem(organization_text) is None:
        organization = organizations.get(normalize_credit_code(organization_text))
        if organization is None:
            problem(
                "organization", _l("统一社会信用代码“%(code)s”未在平台注册；请填写单位名称。", code=organization_text)
            )
    if not (industry and category and subcategory and domains):
        return None
    snapshot = {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "industry": industry.code,
        "domains": [d.code for d in domains],
        "category": category.code,
        "subcategory": subcategory.code,
        "organization": organization.name if organization else organization_text,
        "district": district.code if district else "",
        "keywords": "、".join(split_list(values.get("keywords", ""))),
    }
    return snapshot, organization.id if organization else None


def scenario_snapshot(scenario: Scenario) -> dict:
    return {
        "title": scenario.title,
        "description": scenario.description,
        "industry": scenario.industry.code,
        "domains": [d.code for d in scenario.domains],
        "category": scenario.category.code,
        "subcategory": scenario.subcategory.code,
        "organization": scenario.provider_name,
        "district": scenario.district.code if scenario.district else "",
        "keywords": scenario.keywords,
    }


def _scenarios_by_code(codes: list[str]) -> dict[str, Scenario]:
    found: dict[str, Scenario] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update({s.code: s for s in db.session.scalars(select(Scenario).where(Scenario.code.in_(chunk)))})
    return found


def _same(field_name: str, current, imported) -> bool:
    if field_name == "domains":
        return sorted(current) == sorted(imported)
    return current == imported


def _classify(preview: ImportPreview) -> None:
    existing = _scenarios_by_code([row.code for row in preview.rows])
    for row in preview.rows:
        scenario = existing.get(row.code)
        if scenario is None:
            row.change = ChangeKind.ADDED
            continue
        current = scenario_snapshot(scenario)
        row.previous = current
        row.changed_fields = [f for f in SNAPSHOT_FIELDS if not _same(f, current[f], row.snapshot[f])]
        row.change = ChangeKind.CHANGED if row.changed_fields else ChangeKind.UNCHANGED


def apply_import(preview: ImportPreview, batch: ScenarioBatch, progress=None, by: User | None = None) -> dict[str, int]:
    """Write every row into the batch as a revision; new codes become draft scenarios.

    Published scenarios keep their public content until the batch is published.
    Returns counts by change kind. Flushes, never commits; audited when an admin (`by`) imports.
    """
    if not preview.ok:
        raise ValueError("an import with problems cannot be applied")
    taxonomy = taxonomy_by_code()
    existing = _scenarios_by_code([row.code for row in preview.rows])
    revisions = (
        {
            r.scenario_id: r
            for r in db.session.scalars(select(ScenarioRevision).where(ScenarioRevision.batch_id == batch.id))
        }
        if batch.id
        else {}
    )
    counts = {kind.value: 0 for kind in ChangeKind}
    for row in preview.rows:
        scenario = existing.get(row.code)
        if scenario is None:
            scenario = Scenario(code=row.code, status=ScenarioStatus.DRAFT)
            apply_snapshot(scenario, row.snapshot, row.organization_id, taxonomy)
            db.session.add(scenario)
        elif scenario.status == ScenarioStatus.DRAFT:
            apply_snapshot(scenario, row.snapshot, row.organization_id, taxonomy)
        revision = revisions.get(scenario.id)
        if revision is None:
            revision = ScenarioRevision(batch=batch, scenario=scenario)
            db.session.add(revision)
        assert row.change is not None, "the preview's rows are compared with the list before they are applied"
        revision.change = row.change
        revision.snapshot = dict(row.snapshot, organization_id=row.organization_id)
        revision.changed_fields = row.changed_fields
        revision.previous = row.previous
        counts[row.change.value] += 1
        if progress:
            progress(1)
    db.session.flush()
    if by is not None:
        audit(by, "scenario_batch.import", batch, None, dict(counts))
    return counts


def taxonomy_by_code() -> dict[type, dict[str, object]]:
    """Every taxonomy entry a snapshot can name, by model and code, loaded once."""
    models: tuple[type[TaxonomyMixin], ...] = (Industry, TechDomain, ScenarioCategory, ScenarioSubcategory, District)
    return {model: {e.code: e for e in db.session.scalars(select(model))} for model in models}


def apply_snapshot(scenario: Scenario, snapshot: dict, organization_id: int | None, taxonomy: dict) -> None:
    scenario.title = snapshot["title"]
    scenario.description = snapshot["description"]
    scenario.industry = taxonomy[Industry][snapshot["industry"]]
    scenario.domains = [taxonomy[TechDomain][code] for code in snapshot["domains"]]
    scenario.category = taxonomy[ScenarioCategory][snapshot["category"]]
    scenario.subcategory = taxonomy[ScenarioSubcategory][snapshot["subcategory"]]
    scenario.district = taxonomy[District].get(snapshot["district"]) if snapshot["district"] else None
    scenario.organization_id = organization_id
    scenario.organization_name = "" if organization_id else snapshot["organization"]
    scenario.keywords = snapshot["keywords"]
