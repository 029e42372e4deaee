"""The PostgreSQL search backend's documents and their build state (search_documents, search_index_state)

Revision ID: d41c7e9a5b20
Revises: 8f3c2a61d4b9
Create Date: 2026-12-07 17:50:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "d41c7e9a5b20"
down_revision = "8f3c2a61d4b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("doc_type", sa.String(length=30), nullable=False),
        sa.Column("doc_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terms", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=False),
        sa.Column("facets", sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql"), nullable=False),
        sa.Column("sort_keys", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("stored", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", "doc_id", name=op.f("pk_search_documents")),
    )
    op.create_index("ix_search_documents_terms", "search_documents", ["terms"], postgresql_using="gin")
    op.create_table(
        "search_index_state",
        sa.Column("doc_type", sa.String(length=30), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", name=op.f("pk_search_index_state")),
    )


def downgrade():
    op.drop_table("search_index_state")
    op.drop_index("ix_search_documents_terms", table_name="search_documents")
    op.drop_table("search_documents")
