"""Articles: policy documents, notices and news, with their attachments (articles, article_attachments)

Revision ID: b728bcd0ea53
Revises: d41c7e9a5b20
Create Date: 2026-12-07 17:29:20.656984

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b728bcd0ea53"
down_revision = "d41c7e9a5b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum("policy", "notice", "news", name="article_category", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "scheduled", "published", "withdrawn", name="article_status", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("publish_at", sa.DateTime(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_articles_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_category"), ["category"], unique=False)
        batch_op.create_index("ix_articles_public", ["status", "publish_at"], unique=False)

    op.create_table(
        "article_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_attachments_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_article_attachments_stored_name")),
    )
    with op.batch_alter_table("article_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_attachments_article_id"), ["article_id"], unique=False)


def downgrade():
    with op.batch_alter_table("article_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_attachments_article_id"))
    op.drop_table("article_attachments")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_public")
        batch_op.drop_index(batch_op.f("ix_articles_category"))
    op.drop_table("articles")
