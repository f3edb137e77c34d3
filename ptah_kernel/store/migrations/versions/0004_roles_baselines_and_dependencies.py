"""roles, baselines and dependencies

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:15:13.301340
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("wbs_version", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_baselines_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_baselines_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baselines")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_baselines_project_id")),
    )
    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_baselines_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_baselines_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_project_roles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_roles_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_roles")),
        sa.UniqueConstraint(
            "project_id", "role", name=op.f("uq_project_roles_project_id")
        ),
    )
    with op.batch_alter_table("project_roles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_roles_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_project_roles_project_id"), ["project_id"], unique=False
        )

    with op.batch_alter_table("wbs_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("depends_on", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("wbs_items", schema=None) as batch_op:
        batch_op.drop_column("depends_on")

    with op.batch_alter_table("project_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_roles_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_roles_organization_id"))

    op.drop_table("project_roles")
    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_baselines_project_id"))
        batch_op.drop_index(batch_op.f("ix_baselines_organization_id"))

    op.drop_table("baselines")
