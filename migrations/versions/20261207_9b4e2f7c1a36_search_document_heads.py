"""The PostgreSQL search backend's documents keep their head (the fields weighted A to C) and their highlight tokens

Revision ID: 9b4e2f7c1a36
Revises: 5e1a9c3d7b20
Create Date: 2026-12-07 19:45:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "9b4e2f7c1a36"
down_revision = "5e1a9c3d7b20"
branch_labels = None
depends_on = None


def upgrade():
    # Derived data: the backend rebuilds every type at its next start (its layout version changed).
    op.execute("DELETE FROM search_index_state")
    op.add_column(
        "search_documents",
        sa.Column(
            "head",
            sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"),
            nullable=False,
            server_default=sa.text("''"),
        ),
    )
    op.add_column(
        "search_documents",
        sa.Column(
            "tokens", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False, server_default="{}"
        ),
    )


def downgrade():
    op.execute("DELETE FROM search_index_state")
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_column("tokens")
        batch.drop_column("head")
