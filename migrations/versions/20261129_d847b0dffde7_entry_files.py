"""Competition entries keep several files (event_entry_files) instead of one in their own columns

Revision ID: d847b0dffde7
Revises: 29f6247f559c
Create Date: 2026-11-29 12:11:06.293882

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d847b0dffde7"
down_revision = "29f6247f559c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_entry_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["event_competition_entries.id"],
            name=op.f("fk_event_entry_files_entry_id_event_competition_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_entry_files")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_event_entry_files_stored_name")),
    )
    with op.batch_alter_table("event_entry_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_entry_files_entry_id"), ["entry_id"], unique=False)

    # An entry's one file moves over; its size was not kept (0 shows no size).
    op.execute(
        "INSERT INTO event_entry_files (entry_id, original_name, stored_name, content_type, size_bytes, "
        "created_at) SELECT id, file_name, stored_name, content_type, 0, created_at "
        "FROM event_competition_entries WHERE stored_name <> ''"
    )
    with op.batch_alter_table("event_competition_entries", schema=None) as batch_op:
        batch_op.drop_column("stored_name")
        batch_op.drop_column("file_name")
        batch_op.drop_column("content_type")


def downgrade():
    with op.batch_alter_table("event_competition_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_type", sa.VARCHAR(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("file_name", sa.VARCHAR(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("stored_name", sa.VARCHAR(length=64), nullable=False, server_default=""))

    with op.batch_alter_table("event_entry_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_entry_files_entry_id"))

    op.drop_table("event_entry_files")
