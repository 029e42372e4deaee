"""A file added to a published solution waits for review on its own (solution_attachments.pending)

Revision ID: 2ab1c9644d41
Revises: c3a9e1f0b7d2
Create Date: 2026-12-07 14:58:41.470715

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2ab1c9644d41"
down_revision = "c3a9e1f0b7d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("solution_attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("solution_attachments", schema=None) as batch_op:
        batch_op.alter_column("pending", server_default=None)


def downgrade():
    with op.batch_alter_table("solution_attachments", schema=None) as batch_op:
        batch_op.drop_column("pending")
