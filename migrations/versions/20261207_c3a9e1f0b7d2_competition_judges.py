"""Competitions have judges chosen by the organiser (event_judges)

Revision ID: c3a9e1f0b7d2
Revises: 7d4275ffe918
Create Date: 2026-12-07 15:05:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3a9e1f0b7d2"
down_revision = "7d4275ffe918"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_judges",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_judges_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_event_judges_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_judges")),
    )


def downgrade():
    op.drop_table("event_judges")
