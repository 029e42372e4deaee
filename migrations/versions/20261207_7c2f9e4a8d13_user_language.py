"""Members have a language, in which their mail and inbox entries are written; an entry keeps its own

Revision ID: 7c2f9e4a8d13
Revises: 9b4e2f7c1a36
Create Date: 2026-12-07 21:20:00.000000

Existing members get Simplified Chinese, the portal's default, until they switch.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c2f9e4a8d13"
down_revision = "9b4e2f7c1a36"
branch_labels = None
depends_on = None


TABLES = ("users", "notifications")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("language", sa.String(length=5), nullable=False, server_default="zh"))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("language", server_default=None)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
