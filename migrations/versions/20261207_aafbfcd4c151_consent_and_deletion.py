"""Consent to the versioned privacy policy and terms (legal_documents, users), account deletion requests

Revision ID: aafbfcd4c151
Revises: b728bcd0ea53
Create Date: 2026-12-07 17:32:07.336168

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "aafbfcd4c151"
down_revision = "b728bcd0ea53"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["completed_by_id"], ["users.id"], name=op.f("fk_account_deletion_requests_completed_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_deletion_requests_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_deletion_requests")),
    )
    with op.batch_alter_table("account_deletion_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_deletion_requests_user_id"), ["user_id"], unique=False)

    op.create_table(
        "legal_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("privacy", "terms", name="legal_kind", native_enum=False, length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_legal_documents_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_documents")),
        sa.UniqueConstraint("kind", "version", name="uq_legal_documents_kind_version"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("terms_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("consented_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("consented_at")
        batch_op.drop_column("terms_version")
        batch_op.drop_column("privacy_version")

    op.drop_table("legal_documents")
    with op.batch_alter_table("account_deletion_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_deletion_requests_user_id"))

    op.drop_table("account_deletion_requests")
