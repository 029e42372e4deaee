"""Incubation tracks get English names and descriptions (empty for tracks already loaded until the seed runs)

Revision ID: 7d4275ffe918
Revises: f5d15b3e4574
Create Date: 2026-11-29 13:51:27.308525

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d4275ffe918"
down_revision = "f5d15b3e4574"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("incubation_tracks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_en", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("description_en", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("incubation_tracks", schema=None) as batch_op:
        batch_op.alter_column("name_en", server_default=None)
        batch_op.alter_column("description_en", server_default=None)


def downgrade():
    with op.batch_alter_table("incubation_tracks", schema=None) as batch_op:
        batch_op.drop_column("description_en")
        batch_op.drop_column("name_en")
