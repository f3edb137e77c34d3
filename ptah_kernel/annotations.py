"""Comments on quoted words of a document: threads that survive a new version.

An annotation records the block's anchor, the quoted words and a little
context on each side. When a new version of the document arrives, it is
re-attached to the same words if they are still there (preferring the same
anchor, then the same context), and marked orphaned if they are not.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import AnnotationError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.documents.content import Block
    from ptah_kernel.documents.document import Document
    from ptah_kernel.projects import Project
    from ptah_kernel.store.models import AnnotationRow

__all__ = [
    "TAGS",
    "Annotation",
    "annotate",
    "annotation_counts",
    "annotation_rows",
    "annotations_frame",
    "reattach",
]

TAGS = ("question", "risk", "assumption", "out of scope")
CONTEXT = 40
COLUMNS = [
    "id",
    "document",
    "anchor",
    "quote",
    "comment",
    "tags",
    "status",
    "replies",
    "orphaned",
    "requirement",
    "created_by",
    "created_at",
]


class Annotation:
    """One thread: a comment on quoted words, its replies, open or resolved."""

    def __init__(self, project: Project, row: AnnotationRow) -> None:
        self.project = project
        self.id = row.id
        self.anchor = row.anchor
        self.quote = row.quote
        self.comment = row.comment
        self.tags = list(row.tags)
        self.status = row.status
        self.orphaned = row.orphaned
        self.requirement = row.requirement
        self.created_by = row.created_by

    def __repr__(self) -> str:
        return (
            f"<Annotation {self.id} {self.status} on {self.anchor!r}: {self.quote!r}>"
        )

    def reply(self, text: str) -> Annotation:
        """Add a reply to the thread."""
        from ptah_kernel.store.models import ReplyRow

        _check_text(text, "A reply")
        owned = self.project.workspace.owned()
        with self.project.workspace.session() as session:
            session.add(ReplyRow(annotation_id=self.id, text=text, **owned))
        return self

    @property
    def replies(self) -> list[dict[str, Any]]:
        """The replies, oldest first, each with its text, author and time."""
        from sqlalchemy import select

        from ptah_kernel.store.models import ReplyRow

        query = (
            select(ReplyRow)
            .where(ReplyRow.annotation_id == self.id)
            .order_by(ReplyRow.id)
        )
        with self.project.workspace.session() as session:
            rows = list(session.scalars(query))
        return [
            {"text": r.text, "created_by": r.created_by, "created_at": r.created_at}
            for r in rows
        ]

    def resolve(self) -> Annotation:
        """Close the thread."""
        return self._set_status("resolved", self.project.workspace.user)

    def reopen(self) -> Annotation:
        """Open a resolved thread again."""
        return self._set_status("open", None)

    def _set_status(self, status: str, resolved_by: str | None) -> Annotation:
        from ptah_kernel.store.models import AnnotationRow

        with self.project.workspace.session() as session:
            row = session.get_one(AnnotationRow, self.id)
            row.status, row.resolved_by = status, resolved_by
        self.status = status
        return self

    def _repr_html_(self) -> str:
        e = html.escape
        replies = "".join(
            f"<li>{e(r['created_by'])}: {e(r['text'])}</li>" for r in self.replies
        )
        return (
            f"<blockquote>{e(self.quote)}</blockquote><p><code>{e(self.anchor)}</code>"
            f" · {e(', '.join(self.tags))} · {e(self.status)}</p>"
            f"<p>{e(self.created_by)}: {e(self.comment)}</p><ul>{replies}</ul>"
        )


def annotate(
    document: Document,
    quote: str,
    comment: str,
    *,
    tags: Iterable[str] = (),
    anchor: str | None = None,
) -> Annotation:
    """Attach a comment to the quoted words of a document.

    Without `anchor`, the words must stand in exactly one block; give the
    anchor of the block you mean when they stand in several.
    """
    from ptah_kernel.store.models import AnnotationRow

    _check_text(quote, "The quoted text")
    _check_text(comment, "A comment")
    tags = _checked_tags(tags)
    block = _block_for(document, quote, anchor)
    prefix, suffix = _context(block.text, quote)
    row = AnnotationRow(
        project_id=document.project.id,
        document_id=document.id,
        lineage=document.lineage,
        anchor=block.anchor,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        requirement=_requirement_at(document.requirements, block.anchor, quote),
        comment=comment,
        tags=tags,
        **document.project.workspace.owned(),
    )
    with document.project.workspace.session() as session:
        session.add(row)
    return Annotation(document.project, row)


def _check_text(text: str, what: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise AnnotationError(f"{what} is empty; write the words you mean.")


def _checked_tags(tags: Iterable[str]) -> list[str]:
    tags = [tags] if isinstance(tags, str) else list(tags)
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise AnnotationError(
            f"The tag {unknown[0]!r} is not one Ptah knows; use "
            f"{', '.join(repr(t) for t in TAGS)}."
        )
    return tags


def _block_for(document: Document, quote: str, anchor: str | None) -> Block:
    blocks = [b for b in document.blocks if quote in _searchable(b)]
    if anchor is not None:
        blocks = [b for b in blocks if b.anchor == anchor]
    if len(blocks) == 1:
        return blocks[0]
    where = f" at {anchor!r}" if anchor else ""
    if not blocks:
        raise AnnotationError(
            f"The words {quote!r} are not in {document.filename!r}{where}; "
            "copy them exactly from the document's blocks."
        )
    anchors = ", ".join(b.anchor for b in blocks[:5])
    raise AnnotationError(
        f"The words {quote!r} stand in {len(blocks)} places ({anchors}); "
        "pass anchor= to say which one you mean."
    )


def _searchable(block: Block) -> str:
    if block.table is None:
        return block.text
    return block.text + "\n" + "\n".join(" | ".join(r) for r in block.table.rows)


def _context(text: str, quote: str) -> tuple[str, str]:
    start = text.find(quote)
    if start < 0:
        return "", ""
    end = start + len(quote)
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def _requirement_at(frame: pd.DataFrame, anchor: str, quote: str) -> str:
    here = frame[frame["anchor"] == anchor]
    if here.empty:
        return ""
    holding = here[here["text"].str.contains(quote, regex=False)]
    return str((holding if not holding.empty else here).iloc[0]["id"])


def reattach(project: Project, old: Document, new: Document) -> dict[str, int]:
    """Move the old version's annotations onto the new one, or orphan them.

    Returns how many were re-attached and how many were orphaned.
    """
    from sqlalchemy import select

    from ptah_kernel.store.models import AnnotationRow

    # Read the new version first: a second session inside the write
    # transaction below would wait for the lock this one holds.
    blocks, requirements = new.blocks, new.requirements
    counts = {"reattached": 0, "orphaned": 0}
    query = select(AnnotationRow).where(AnnotationRow.document_id == old.id)
    with project.workspace.session() as session:
        for row in session.scalars(query):
            block = _best_block(blocks, row)
            if block is None:
                row.orphaned = True
                counts["orphaned"] += 1
                continue
            row.document_id, row.anchor, row.orphaned = new.id, block.anchor, False
            row.requirement = _requirement_at(requirements, block.anchor, row.quote)
            counts["reattached"] += 1
    return counts


def _best_block(blocks: list[Block], row: AnnotationRow) -> Block | None:
    best, best_score = None, -1
    for block in blocks:
        text = _searchable(block)
        if row.quote not in text:
            continue
        in_context = (row.prefix + row.quote + row.suffix) in text
        score = 2 * int(in_context) + int(block.anchor == row.anchor)
        if score > best_score:
            best, best_score = block, score
    return best


def annotations_frame(
    project: Project, rows: list[tuple[Any, str, int]]
) -> pd.DataFrame:
    """Annotations as a table; `rows` are (annotation, file name, replies)."""
    import pandas as pd

    records = [
        {
            "id": a.id,
            "document": filename,
            "anchor": a.anchor,
            "quote": a.quote,
            "comment": a.comment,
            "tags": ", ".join(a.tags),
            "status": a.status,
            "replies": replies,
            "orphaned": a.orphaned,
            "requirement": a.requirement,
            "created_by": a.created_by,
            "created_at": a.created_at,
        }
        for a, filename, replies in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS)


def annotation_counts(project: Project) -> dict[str, int]:
    """How many annotation threads each requirement id has."""
    from sqlalchemy import func, select

    from ptah_kernel.store.models import AnnotationRow

    query = (
        select(AnnotationRow.requirement, func.count())
        .where(AnnotationRow.project_id == project.id, AnnotationRow.requirement != "")
        .group_by(AnnotationRow.requirement)
    )
    with project.workspace.session() as session:
        return dict(session.execute(query).all())


# Annotations


def annotation_rows(project: Project) -> list[tuple[Any, str, int]]:
    """Each annotation with its document's file name and reply count."""
    from sqlalchemy import func, select

    from ptah_kernel.store.models import AnnotationRow, DocumentRow, ReplyRow

    replies = (
        select(func.count())
        .where(ReplyRow.annotation_id == AnnotationRow.id)
        .scalar_subquery()
    )
    query = (
        select(AnnotationRow, DocumentRow.filename, replies)
        .join(DocumentRow, AnnotationRow.document_id == DocumentRow.id)
        .where(AnnotationRow.project_id == project.id)
        .order_by(AnnotationRow.id)
    )
    with project.workspace.session() as session:
        return [tuple(row) for row in session.execute(query).all()]
