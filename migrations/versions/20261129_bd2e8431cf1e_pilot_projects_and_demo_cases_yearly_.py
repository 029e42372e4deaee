"""Pilot projects and demo cases: yearly calls, applications with files and ledger evidence,
expert assignments, objections

Revision ID: bd2e8431cf1e
Revises: d847b0dffde7
Create Date: 2026-11-29 12:10:00.367000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "bd2e8431cf1e"
down_revision = "d847b0dffde7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pilot_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("pilot", "demo_case", name="pilot_call_kind", native_enum=False, length=20), nullable=False
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "reviewing",
                "notice",
                "published",
                name="pilot_call_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("notice_ends_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_pilot_calls_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_calls")),
    )
    op.create_table(
        "pilot_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("project_name", sa.String(length=100), nullable=False),
        sa.Column("mode_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("investment", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("expected_results", sa.Text(), nullable=False),
        sa.Column("achieved_results", sa.Text(), nullable=False),
        sa.Column("selected", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["pilot_calls.id"], name=op.f("fk_pilot_applications_call_id_pilot_calls")
        ),
        sa.ForeignKeyConstraint(
            ["mode_id"], ["tech_domains.id"], name=op.f("fk_pilot_applications_mode_id_tech_domains")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_pilot_applications_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_pilot_applications_submitted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_applications")),
        sa.UniqueConstraint("call_id", "organization_id", name="uq_pilot_applications_one"),
    )
    with op.batch_alter_table("pilot_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_applications_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pilot_applications_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "pilot_call_modes",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["pilot_calls.id"], name=op.f("fk_pilot_call_modes_call_id_pilot_calls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["domain_id"], ["tech_domains.id"], name=op.f("fk_pilot_call_modes_domain_id_tech_domains")
        ),
        sa.PrimaryKeyConstraint("call_id", "domain_id", name=op.f("pk_pilot_call_modes")),
    )
    op.create_table(
        "pilot_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_assignments_application_id_pilot_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["users.id"], name=op.f("fk_pilot_assignments_expert_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_assignments")),
        sa.UniqueConstraint("application_id", "expert_id", name="uq_pilot_assignments_one"),
    )
    with op.batch_alter_table("pilot_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_assignments_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pilot_assignments_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "pilot_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_attachments_application_id_pilot_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_pilot_attachments_stored_name")),
    )
    with op.batch_alter_table("pilot_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_attachments_application_id"), ["application_id"], unique=False)

    op.create_table(
        "pilot_evidence",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("enablement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_evidence_application_id_pilot_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enablement_id"], ["enablements.id"], name=op.f("fk_pilot_evidence_enablement_id_enablements")
        ),
        sa.PrimaryKeyConstraint("application_id", "enablement_id", name=op.f("pk_pilot_evidence")),
    )
    op.create_table(
        "pilot_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("upheld", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_pilot_objections_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["pilot_applications.id"],
            name=op.f("fk_pilot_objections_application_id_pilot_applications"),
        ),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_pilot_objections_filed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_objections")),
    )
    with op.batch_alter_table("pilot_objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_objections_application_id"), ["application_id"], unique=False)


def downgrade():
    with op.batch_alter_table("pilot_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_objections_application_id"))

    op.drop_table("pilot_objections")
    op.drop_table("pilot_evidence")
    with op.batch_alter_table("pilot_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_attachments_application_id"))

    op.drop_table("pilot_attachments")
    with op.batch_alter_table("pilot_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_assignments_expert_id"))
        batch_op.drop_index(batch_op.f("ix_pilot_assignments_application_id"))

    op.drop_table("pilot_assignments")
    op.drop_table("pilot_call_modes")
    with op.batch_alter_table("pilot_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_applications_organization_id"))
        batch_op.drop_index(batch_op.f("ix_pilot_applications_call_id"))

    op.drop_table("pilot_applications")
    op.drop_table("pilot_calls")
