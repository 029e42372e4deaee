"""A scenario revision keeps the scenario as it stood before the batch (old values of a change)

Revision ID: e4d2b7a91c05
Revises: c3e7a1f09b42
Create Date: 2026-12-07 19:45:00.000000

Existing changed revisions get, as their old values, the snapshot of the scenario's latest
revision in a batch released before theirs; one without such a revision keeps none.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e4d2b7a91c05"
down_revision = "c3e7a1f09b42"
branch_labels = None
depends_on = None

batches = sa.table(
    "scenario_batches",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("published_at", sa.DateTime),
)
revisions = sa.table(
    "scenario_revisions",
    sa.column("id", sa.Integer),
    sa.column("batch_id", sa.Integer),
    sa.column("scenario_id", sa.Integer),
    sa.column("change", sa.String),
    sa.column("snapshot", sa.JSON),
    sa.column("previous", sa.JSON),
)


def upgrade():
    with op.batch_alter_table("scenario_revisions") as batch:
        batch.add_column(sa.Column("previous", sa.JSON(), nullable=True))
    connection = op.get_bind()
    order = {
        batch_id: position
        for position, (batch_id,) in enumerate(
            connection.execute(sa.select(batches.c.id).order_by(batches.c.published_at, batches.c.id))
        )
    }
    released = {
        batch_id for (batch_id,) in connection.execute(sa.select(batches.c.id).where(batches.c.status != "draft"))
    }
    by_scenario: dict[int, list] = {}
    for row in connection.execute(
        sa.select(
            revisions.c.id, revisions.c.batch_id, revisions.c.scenario_id, revisions.c.change, revisions.c.snapshot
        )
    ):
        by_scenario.setdefault(row.scenario_id, []).append(row)
    for rows in by_scenario.values():
        rows.sort(key=lambda r: order[r.batch_id])
        for index, row in enumerate(rows):
            if row.change != "changed":
                continue
            earlier = [r for r in rows[:index] if r.batch_id in released]
            if earlier:
                connection.execute(
                    revisions.update().where(revisions.c.id == row.id).values(previous=earlier[-1].snapshot)
                )


def downgrade():
    with op.batch_alter_table("scenario_revisions") as batch:
        batch.drop_column("previous")
