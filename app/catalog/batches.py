"""Batches of the scenario list: create, import into, publish, withdraw, and what changed."""

import re

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.accounts.models import User
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
