"""annotations and work item status

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 16:01:09.203293
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("lineage", sa.String(length=80), nullable=False),
        sa.Column("anchor", sa.String(length=300), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("suffix", sa.Text(), nullable=False),
        sa.Column("requirement", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("orphaned", sa.Boolean(), nullable=False),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_annotations_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_annotations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_annotations_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
    )
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotations_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_annotations_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_annotations_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "annotation_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotations.id"],
            name=op.f("fk_annotation_replies_annotation_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_annotation_replies_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_replies")),
    )
    with op.batch_alter_table("annotation_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_replies_annotation_id"),
            ["annotation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_annotation_replies_organization_id"),
            ["organization_id"],
            unique=False,
        )

    with op.batch_alter_table("wbs_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("notes", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("wbs_items", schema=None) as batch_op:
        batch_op.drop_column("notes")
        batch_op.drop_column("status")

    with op.batch_alter_table("annotation_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_replies_organization_id"))
        batch_op.drop_index(batch_op.f("ix_annotation_replies_annotation_id"))

    op.drop_table("annotation_replies")
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotations_project_id"))
        batch_op.drop_index(batch_op.f("ix_annotations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_annotations_document_id"))

    op.drop_table("annotations")
