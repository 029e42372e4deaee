"""Scenario list: batches, scenarios with their technology domains, revisions per batch

Revision ID: b12b1948e188
Revises: 2a4f13c07187
Create Date: 2026-11-29 04:07:17.758133

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b12b1948e188"
down_revision = "2a4f13c07187"
branch_labels = None
depends_on = None


def upgrade():
    # Existing districts get an empty alias list; the default is only there to fill them.
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aliases", sa.String(length=200), nullable=False, server_default=""))
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.alter_column("aliases", server_default=None)

    op.create_table(
        "scenario_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "withdrawn", name="batch_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_scenario_batches_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_scenario_batches_published_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["users.id"], name=op.f("fk_scenario_batches_withdrawn_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_batches")),
        sa.UniqueConstraint("name", name=op.f("uq_scenario_batches_name")),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("industry_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("subcategory_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("organization_name", sa.String(length=100), nullable=False),
        sa.Column("keywords", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "withdrawn", name="scenario_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["scenario_batches.id"], name=op.f("fk_scenarios_batch_id_scenario_batches")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["scenario_categories.id"], name=op.f("fk_scenarios_category_id_scenario_categories")
        ),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_scenarios_district_id_districts")),
        sa.ForeignKeyConstraint(["industry_id"], ["industries.id"], name=op.f("fk_scenarios_industry_id_industries")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_scenarios_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["subcategory_id"],
            ["scenario_subcategories.id"],
            name=op.f("fk_scenarios_subcategory_id_scenario_subcategories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("code", name=op.f("uq_scenarios_code")),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_industry_id"), ["industry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_subcategory_id"), ["subcategory_id"], unique=False)

    op.create_table(
        "scenario_domains",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"], ["tech_domains.id"], name=op.f("fk_scenario_domains_domain_id_tech_domains")
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_domains_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scenario_id", "domain_id", name=op.f("pk_scenario_domains")),
    )
    op.create_table(
        "scenario_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column(
            "change",
            sa.Enum("added", "changed", "unchanged", name="change_kind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["scenario_batches.id"], name=op.f("fk_scenario_revisions_batch_id_scenario_batches")
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_revisions_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_revisions")),
        sa.UniqueConstraint("batch_id", "scenario_id", name=op.f("uq_scenario_revisions_batch_id")),
    )
    with op.batch_alter_table("scenario_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_revisions_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenario_revisions_scenario_id"), ["scenario_id"], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.drop_column("aliases")
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("scenario_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_revisions_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_revisions_batch_id"))

    op.drop_table("scenario_revisions")
    op.drop_table("scenario_domains")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenarios_subcategory_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_status"))
        batch_op.drop_index(batch_op.f("ix_scenarios_organization_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_industry_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_district_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_category_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_batch_id"))

    op.drop_table("scenarios")
    op.drop_table("scenario_batches")
    # ### end Alembic commands ###
