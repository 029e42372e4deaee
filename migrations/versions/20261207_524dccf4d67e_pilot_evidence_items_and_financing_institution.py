"""Pilot applications cite any of the firm's portal records (pilot_evidence_items, the ledger
rows cited so far kept as source "ledger"); a meeting outcome names its financing institution

Revision ID: 524dccf4d67e
Revises: e4d2b7a91c05
Create Date: 2026-12-07 19:26:24.857772

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "524dccf4d67e"
down_revision = "e4d2b7a91c05"
branch_labels = None
depends_on = None

SOURCE = sa.Enum(
    "ledger",
    "figures",
    "incubation",
    "event_outcome",
    "competition",
    name="pilot_evidence_source",
    native_enum=False,
    length=20,
)


def upgrade():
    op.create_table(
        "pilot_evidence_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("source", SOURCE, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_evidence_items_application_id_pilot_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_evidence_items")),
        sa.UniqueConstraint("application_id", "source", "record_id", name="uq_pilot_evidence_items_one"),
    )
    with op.batch_alter_table("pilot_evidence_items") as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_evidence_items_application_id"), ["application_id"], unique=False)
    op.execute(
        "INSERT INTO pilot_evidence_items (application_id, source, record_id) "
        "SELECT application_id, 'ledger', enablement_id FROM pilot_evidence ORDER BY application_id, enablement_id"
    )
    op.drop_table("pilot_evidence")
    with op.batch_alter_table("event_meeting_outcomes") as batch_op:
        batch_op.add_column(sa.Column("institution", sa.String(length=100), nullable=False, server_default=""))
    with op.batch_alter_table("event_meeting_outcomes") as batch_op:
        batch_op.alter_column("institution", server_default=None)


def downgrade():
    with op.batch_alter_table("event_meeting_outcomes") as batch_op:
        batch_op.drop_column("institution")
    op.create_table(
        "pilot_evidence",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("enablement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_evidence_application_id_pilot_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enablement_id"], ["enablements.id"], name=op.f("fk_pilot_evidence_enablement_id_enablements")
        ),
        sa.PrimaryKeyConstraint("application_id", "enablement_id", name=op.f("pk_pilot_evidence")),
    )
    op.execute(
        "INSERT INTO pilot_evidence (application_id, enablement_id) "
        "SELECT application_id, record_id FROM pilot_evidence_items WHERE source = 'ledger'"
    )
    with op.batch_alter_table("pilot_evidence_items") as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_evidence_items_application_id"))
    op.drop_table("pilot_evidence_items")
