"""The tables. Every row belongs to an organization and records who made it.

Schema changes go through a migration in `migrations/versions/`; a test
checks that the migrations produce exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now() -> datetime:
    """The current time in UTC, as stored in every `created_at`."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Owned:
    """Columns every row carries: its organization and who made it when."""

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Organization(Base):
    """A team's own data; the embedded workspace has one, named 'default'."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class ProjectRow(Owned, Base):
    """A client engagement: its documents, requirements and WBS."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200), default="")
    tech_stack: Mapped[str] = mapped_column(String(400), default="")
    worker: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(40), default="draft")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class DocumentRow(Owned, Base):
    """One version of a client document; its bytes live in the blob store."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("project_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    lineage: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    author: Mapped[str | None] = mapped_column(String(500), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    markdown: Mapped[str] = mapped_column(Text, default="")


class BlockRow(Owned, Base):
    """A heading, paragraph, list item or table of a document, in order."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    anchor: Mapped[str] = mapped_column(String(300))
    level: Mapped[int] = mapped_column(Integer, default=0)
    heading_path: Mapped[list[Any]] = mapped_column(default=list)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    table: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class RequirementRow(Owned, Base):
    """A requirement found in one document version."""

    __tablename__ = "requirements"
    __table_args__ = (UniqueConstraint("document_id", "rid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    rid: Mapped[str] = mapped_column(String(200))
    ref: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    anchor: Mapped[str] = mapped_column(String(300))
    modality: Mapped[str] = mapped_column(String(10), default="")
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    ambiguity: Mapped[list[Any]] = mapped_column(default=list)


class WBSRow(Owned, Base):
    """A project's current WBS; `version` rises with every saved change."""

    __tablename__ = "wbs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class WorkItemRow(Owned, Base):
    """One node of a WBS, in outline order."""

    __tablename__ = "wbs_items"
    __table_args__ = (UniqueConstraint("wbs_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wbs_id: Mapped[int] = mapped_column(
        ForeignKey("wbs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(100), default="")
    optimistic_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    most_likely_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    pessimistic_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    requirements: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    depends_on: Mapped[list[Any]] = mapped_column(default=list)


class ConversationRow(Owned, Base):
    """A thread of questions to Claude about one project's documents."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("project_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class TurnRow(Owned, Base):
    """One question and Claude's answer, with what it cost.

    `status` is complete, interrupted, truncated, refused or failed; an
    answer that did not complete keeps the text that arrived. `result` holds
    a structured answer (a proposed WBS, open questions, a classification).
    """

    __tablename__ = "conversation_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="ask")
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    stop_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    model: Mapped[str] = mapped_column(String(100))
    documents: Mapped[list[Any]] = mapped_column(default=list)
    citations: Mapped[list[Any]] = mapped_column(default=list)
    left_out: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cache_write_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cache_read_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost: Mapped[float | None] = mapped_column(Float, nullable=True)


class AnnotationRow(Owned, Base):
    """A comment on quoted words of a document, the start of a thread.

    `quote` with `prefix` and `suffix` (a little context on each side) is
    what re-attaches the annotation when a new version of the document
    arrives; `lineage` names the document across its versions. `orphaned`
    is set when the words are no longer there.
    """

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    lineage: Mapped[str] = mapped_column(String(80))
    anchor: Mapped[str] = mapped_column(String(300))
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")
    orphaned: Mapped[bool] = mapped_column(default=False)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ReplyRow(Owned, Base):
    """A reply in an annotation's thread."""

    __tablename__ = "annotation_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)


class RoleRow(Owned, Base):
    """A role on a project and its hourly rate, in the project's currency."""

    __tablename__ = "project_roles"
    __table_args__ = (UniqueConstraint("project_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(100))
    rate: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))


class BaselineRow(Owned, Base):
    """A named snapshot of a project's WBS, kept to compare against later."""

    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    wbs_version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any]] = mapped_column(default=list)
