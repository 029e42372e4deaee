"""Plans and their indicators have English names, and indicators an English unit

Revision ID: 5e1a9c3d7b20
Revises: 524dccf4d67e
Create Date: 2026-12-07 20:00:00.000000

Empty until `flask seed plan --keep` or an admin fills them in; English pages show the Chinese
text meanwhile.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1a9c3d7b20"
down_revision = "524dccf4d67e"
branch_labels = None
depends_on = None


COLUMNS = {"plans": {"name_en": 300}, "indicators": {"name_en": 200, "unit_en": 40}}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns.items():
                batch.add_column(sa.Column(column, sa.String(length=length), nullable=False, server_default=""))
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, server_default=None)


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
