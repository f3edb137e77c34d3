"""A stored document version: its blocks, requirements, annotations, history."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import DocumentNotFound, describe_name

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.annotations import Annotation
    from ptah_kernel.documents.content import Block
    from ptah_kernel.projects import Project
    from ptah_kernel.store.models import DocumentRow
    from ptah_kernel.versions import RequirementChanges

__all__ = ["Document"]


class Document:
    """One version of a client document, read into blocks."""

    def __init__(self, project: Project, row: DocumentRow) -> None:
        self.project = project
        self.id = row.id
        self.filename = row.filename
        self.lineage = row.lineage
        self.version = row.version
        self.format = row.format
        self.sha256 = row.sha256
        self.size = row.size
        self.title = row.title
        self.author = row.author
        self.pages = row.pages
        self.metadata = row.details
        self.markdown = row.markdown

    def __repr__(self) -> str:
        return f"<Document {self.id} {describe_name(self.filename)} {self.format}>"

    @property
    def original(self) -> bytes:
        """The bytes of the file as it was added."""
        return self.project.workspace.blobs.read(self.sha256)

    @property
    def blocks(self) -> list[Block]:
        """Headings, paragraphs, list items and tables in reading order."""
        from sqlalchemy import select

        from ptah_kernel.store.models import BlockRow

        query = (
            select(BlockRow)
            .where(BlockRow.document_id == self.id)
            .order_by(BlockRow.position)
        )
        with self.project.workspace.session() as session:
            rows = list(session.scalars(query))
        return [_block_from(row) for row in rows]

    @property
    def tables(self) -> list[pd.DataFrame]:
        """Every table of the document as a DataFrame."""
        return [b.table.to_frame() for b in self.blocks if b.table is not None]

    @property
    def requirements(self) -> pd.DataFrame:
        """The requirements found in this version of the document."""
        from sqlalchemy import select

        from ptah_kernel.requirements.table import requirements_frame
        from ptah_kernel.store.models import RequirementRow

        query = (
            select(RequirementRow)
            .where(RequirementRow.document_id == self.id)
            .order_by(RequirementRow.position)
        )
        with self.project.workspace.session() as session:
            rows = list(session.scalars(query))
        return requirements_frame((row, self.filename) for row in rows)

    @property
    def previous(self) -> Document | None:
        """The version this one replaced, if any."""
        from ptah_kernel.store.models import DocumentRow

        with self.project.workspace.session() as session:
            row = session.get_one(DocumentRow, self.id)
            old = session.get(DocumentRow, row.replaces_id) if row.replaces_id else None
        return Document(self.project, old) if old is not None else None

    def compare(self, old: Document | None = None) -> RequirementChanges:
        """The requirement changes from `old` (default: the replaced version).

        Requirements are matched by reference id, else by text similarity;
        each change carries the anchors in both versions.
        """
        from ptah_kernel.versions import compare_requirements

        old = old or self.previous
        if old is None:
            raise DocumentNotFound(
                self.project.code, f"{self.filename} (previous version)"
            )
        return compare_requirements(old, self)

    def annotate(
        self,
        quote: str,
        comment: str,
        *,
        tags: Iterable[str] = (),
        anchor: str | None = None,
    ) -> Annotation:
        """Comment on the quoted words; tags: question, risk, assumption, out of scope.

        Without `anchor` the words must stand in one block only.
        """
        from ptah_kernel.annotations import annotate

        return annotate(self, quote, comment, tags=tags, anchor=anchor)

    def summary(self) -> dict[str, Any]:
        """File name, format, pages and counts, for tables of documents."""
        blocks, found = self.project._document_counts(self.id)
        return {
            "id": self.id,
            "file": self.filename,
            "format": self.format,
            "version": self.version,
            "pages": self.pages,
            "blocks": blocks,
            "requirements": found,
            "title": self.title or "",
        }

    def _repr_html_(self) -> str:
        e = html.escape
        info = self.summary()
        head = (
            f"<p><b>{e(self.filename)}</b> · {e(self.format)} · "
            f"{info['blocks']} blocks · {info['requirements']} requirements</p>"
        )
        preview = "".join(
            f"<tr><td><code>{e(b.anchor)}</code></td><td>{e(b.kind)}</td>"
            f"<td>{e(b.text[:200])}</td></tr>"
            for b in self.blocks[:20]
        )
        columns = "<tr><th>anchor</th><th>kind</th><th>text</th></tr>"
        return f"{head}<table>{columns}{preview}</table>"


def _block_from(row: Any) -> Block:
    from ptah_kernel.documents.content import Block, Table

    table = None
    if row.table:
        rows = tuple(tuple(r) for r in row.table["rows"])
        table = Table(rows=rows, row_anchors=tuple(row.table["row_anchors"]))
    return Block(
        kind=row.kind,
        text=row.text,
        anchor=row.anchor,
        level=row.level,
        heading_path=tuple(row.heading_path),
        page=row.page,
        table=table,
    )
