"""Stored files' content type holds 100 characters: an XLSX type is 65 (article attachments take XLSX)

Revision ID: c3e7a1f09b42
Revises: aafbfcd4c151
Create Date: 2026-12-07 18:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3e7a1f09b42"
down_revision = "aafbfcd4c151"
branch_labels = None
depends_on = None

TABLES = ("solution_attachments", "pilot_attachments", "article_attachments", "event_entry_files")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("content_type", existing_type=sa.String(length=50), type_=sa.String(length=100))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("content_type", existing_type=sa.String(length=100), type_=sa.String(length=50))
