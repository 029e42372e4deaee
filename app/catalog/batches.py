"""Batches of the scenario list: create, import into, publish, withdraw, and what changed."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.catalog.changes import FieldChange, Names, changed_fields, field_changes
from app.catalog.importing import apply_snapshot, taxonomy_by_code
from app.catalog.models import BatchStatus, ChangeKind, Scenario, ScenarioBatch, ScenarioRevision, ScenarioStatus
from app.core.audit import audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db

YEAR_IN_NAME = re.compile(r"(19|20)\d{2}")


class BatchStateError(DomainError):
    """The batch is not in a state that allows the action; the message is for the user."""


def year_from_name(name: str) -> int | None:
    match = YEAR_IN_NAME.search(name)
    return int(match.group(0)) if match else None


def find_batch(name: str) -> ScenarioBatch | None:
    return db.session.scalar(select(ScenarioBatch).where(ScenarioBatch.name == name.strip()))


def create_batch(name: str, year: int, notes: str = "", by: User | None = None) -> ScenarioBatch:
    batch = ScenarioBatch(name=name.strip(), year=year, notes=notes.strip(), created_by_id=by.id if by else None)
    db.session.add(batch)
    db.session.flush()
    if by is not None:
        audit(by, "scenario_batch.create", batch, None, {"name": batch.name, "year": year})
    return batch


def importable(batch: ScenarioBatch) -> ScenarioBatch:
    """The batch, if it takes imports (only a draft does)."""
    if batch.status != BatchStatus.DRAFT:
        raise BatchStateError(_("只能向草稿批次导入。"))
    return batch


def batch_query() -> Select:
    return select(ScenarioBatch).order_by(ScenarioBatch.year.desc(), ScenarioBatch.created_at.desc())


def change_counts(batch: ScenarioBatch) -> dict[str, int]:
    rows = db.session.execute(
        select(ScenarioRevision.change, func.count())
        .where(ScenarioRevision.batch_id == batch.id)
        .group_by(ScenarioRevision.change)
    )
    counts = {kind.value: 0 for kind in ChangeKind}
    counts.update({change.value: number for change, number in rows})
    return counts


def revisions_query(batch: ScenarioBatch, change: ChangeKind | None = None) -> Select:
    stmt = select(ScenarioRevision).join(Scenario).where(ScenarioRevision.batch_id == batch.id).order_by(Scenario.code)
    if change is not None:
        stmt = stmt.where(ScenarioRevision.change == change)
    return stmt


def revision_changes(revisions: list[ScenarioRevision]) -> list[tuple[ScenarioRevision, list[FieldChange]]]:
    """Each revision with the old and new value of each field it changed."""
    names = Names()
    return [(r, field_changes(r.previous, r.snapshot, names, r.changed_fields)) for r in revisions]


def withdrawn_with(batch: ScenarioBatch) -> Select:
    """Scenarios taken off the public list when this batch was withdrawn."""
    return (
        select(Scenario)
        .where(Scenario.batch_id == batch.id, Scenario.status == ScenarioStatus.WITHDRAWN)
        .order_by(Scenario.code)
    )


def publish_batch(batch: ScenarioBatch, by: User | None = None, progress=None) -> int:
    """Make every scenario of the batch public with the batch's content. Returns how many."""
    if batch.status != BatchStatus.DRAFT:
        raise BatchStateError(_("只有草稿批次可以发布。"))
    taxonomy = taxonomy_by_code()
    published = 0
    for revision in db.session.scalars(select(ScenarioRevision).where(ScenarioRevision.batch_id == batch.id)):
        scenario = revision.scenario
        snapshot = revision.snapshot
        apply_snapshot(scenario, snapshot, snapshot.get("organization_id"), taxonomy)
        scenario.status = ScenarioStatus.PUBLISHED
        scenario.batch = batch
        published += 1
        if progress:
            progress(1)
    batch.status = BatchStatus.PUBLISHED
    batch.published_at = utcnow()
    batch.published_by_id = by.id if by else None
    db.session.flush()
    if by is not None:
        audit(by, "scenario_batch.publish", batch, {"status": "draft"}, {"status": "published", "scenarios": published})
    return published


def withdraw_batch(batch: ScenarioBatch, by: User | None = None) -> int:
    """Take the batch off the public list: the scenarios it last published stop being public."""
    if batch.status != BatchStatus.PUBLISHED:
        raise BatchStateError(_("只有已发布的批次可以撤回。"))
    withdrawn = 0
    for scenario in db.session.scalars(
        select(Scenario).where(Scenario.batch_id == batch.id, Scenario.status == ScenarioStatus.PUBLISHED)
    ):
        scenario.status = ScenarioStatus.WITHDRAWN
        withdrawn += 1
    batch.status = BatchStatus.WITHDRAWN
    batch.withdrawn_at = utcnow()
    batch.withdrawn_by_id = by.id if by else None
    db.session.flush()
    if by is not None:
        audit(
            by,
            "scenario_batch.withdraw",
            batch,
            {"status": "published"},
            {"status": "withdrawn", "scenarios": withdrawn},
        )
    return withdrawn


def scenario_history(scenario: Scenario) -> list[ScenarioRevision]:
    """The scenario's revisions in batches that have been released (published or withdrawn)."""
    return list(
        db.session.scalars(
            select(ScenarioRevision)
            .join(ScenarioBatch)
            .where(ScenarioRevision.scenario_id == scenario.id, ScenarioBatch.status != BatchStatus.DRAFT)
            .order_by(ScenarioBatch.published_at, ScenarioBatch.id)
        )
    )


def comparable_batches() -> list[ScenarioBatch]:
    """Every batch in the order they were released, drafts last (only admins may see those)."""
    return sorted(db.session.scalars(select(ScenarioBatch)), key=_release_order)


def _release_order(batch: ScenarioBatch) -> tuple:
    return (batch.status == BatchStatus.DRAFT, batch.published_at or datetime.max, batch.id)


CHANGE_ORDER = ("added", "removed", "changed")


@dataclass(frozen=True)
class ScenarioDiff:
    change: str  # added | removed | changed
    scenario_id: int
    code: str
    old: dict | None  # the snapshot in the older release (None when added)
    new: dict | None  # … in the newer one (None when removed)

    @property
    def title(self) -> str:
        return (self.new or self.old or {}).get("title", "")


@dataclass(frozen=True)
class Comparison:
    older: ScenarioBatch
    newer: ScenarioBatch
    diffs: list[ScenarioDiff]

    def count(self, change: str) -> int:
        return sum(1 for diff in self.diffs if diff.change == change)

    def of(self, change: str | None) -> list[ScenarioDiff]:
        return [diff for diff in self.diffs if change is None or diff.change == change]


def list_at(batch: ScenarioBatch, ordered: list[ScenarioBatch], snapshots: dict[int, list]) -> dict[int, dict]:
    """The public list as `batch` released it: each scenario's latest snapshot from the batches
    released up to it, less those a batch withdrawn by then had last published. A draft is read as
    if released now, over the batches released so far (other drafts left out)."""
    moment = batch.published_at if batch.status != BatchStatus.DRAFT else None
    latest: dict[int, tuple[ScenarioBatch, dict]] = {}
    for earlier in ordered[: ordered.index(batch) + 1]:
        if earlier.status == BatchStatus.DRAFT and earlier is not batch:
            continue
        for scenario_id, snapshot in snapshots.get(earlier.id, ()):
            latest[scenario_id] = (earlier, snapshot)
    return {
        scenario_id: snapshot
        for scenario_id, (source, snapshot) in latest.items()
        if source.withdrawn_at is None or (moment is not None and source.withdrawn_at > moment)
    }


def compare_batches(first: ScenarioBatch, second: ScenarioBatch, ordered: list[ScenarioBatch]) -> Comparison:
    """What changed on the list from the earlier of two releases to the later: scenarios added,
    removed and changed (by code). `ordered` is `comparable_batches(...)` holding both."""
    older, newer = sorted((first, second), key=ordered.index)
    needed = [b.id for b in ordered[: ordered.index(newer) + 1]]
    snapshots: dict[int, list] = {}
    for batch_id, scenario_id, snapshot in db.session.execute(
        select(ScenarioRevision.batch_id, ScenarioRevision.scenario_id, ScenarioRevision.snapshot).where(
            ScenarioRevision.batch_id.in_(needed)
        )
    ):
        snapshots.setdefault(batch_id, []).append((scenario_id, snapshot))
    before, after = list_at(older, ordered, snapshots), list_at(newer, ordered, snapshots)
    found = [
        (scenario_id, "added" if scenario_id not in before else "removed" if scenario_id not in after else "changed")
        for scenario_id in before.keys() | after.keys()
        if scenario_id not in before
        or scenario_id not in after
        or changed_fields(before[scenario_id], after[scenario_id])
    ]
    codes = _codes([scenario_id for scenario_id, _ in found])
    diffs = [
        ScenarioDiff(change, scenario_id, codes[scenario_id], before.get(scenario_id), after.get(scenario_id))
        for scenario_id, change in found
    ]
    diffs.sort(key=lambda diff: (CHANGE_ORDER.index(diff.change), diff.code))
    return Comparison(older, newer, diffs)


def _codes(scenario_ids: list[int]) -> dict[int, str]:
    codes: dict[int, str] = {}
    for start in range(0, len(scenario_ids), 500):
        chunk = scenario_ids[start : start + 500]
        codes.update(dict(db.session.execute(select(Scenario.id, Scenario.code).where(Scenario.id.in_(chunk))).all()))
    return codes


def diff_changes(diffs: list[ScenarioDiff]) -> list[tuple[ScenarioDiff, list[FieldChange]]]:
    """Each scenario of a comparison with its field changes (none for one added or removed)."""
    names = Names()
    return [(diff, field_changes(diff.old, diff.new, names) if diff.old and diff.new else []) for diff in diffs]
