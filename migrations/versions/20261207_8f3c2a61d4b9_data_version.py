"""The public data's version: one row whose token changes with every change to public data (data_version)

Revision ID: 8f3c2a61d4b9
Revises: 5e8b1d3c7a90
Create Date: 2026-12-07 17:00:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8f3c2a61d4b9"
down_revision = "5e8b1d3c7a90"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(8)}])


def downgrade():
    op.drop_table("data_version")
