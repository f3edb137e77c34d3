"""A project: a client's documents, the requirements found in them, the WBS.

`Project` owns the rules (validation, cascades); surfaces such as the CLI,
notebooks and dashboards only call it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.documents.document import Document
from ptah_kernel.errors import DocumentNotFound

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.annotations import Annotation
    from ptah_kernel.chat.conversation import Conversation
    from ptah_kernel.documents.ingest import BatchReport, Source
    from ptah_kernel.store.models import DocumentRow, ProjectRow
    from ptah_kernel.wbs.breakdown import WBS
    from ptah_kernel.wbs.changes import WBSChanges
    from ptah_kernel.wbs.model import WorkItem
    from ptah_kernel.workspace import Workspace

logger = logging.getLogger(__name__)

__all__ = ["Project"]

EDITABLE = ("name", "client", "tech_stack", "worker", "status")


class Project:
    """A client engagement in a workspace."""

    def __init__(self, workspace: Workspace, row: ProjectRow) -> None:
        self.workspace = workspace
        self.id = row.id
        self.code = row.code
        self.name = row.name
        self.client = row.client
        self.tech_stack = row.tech_stack
        self.worker = row.worker
        self.status = row.status
        self.created_by = row.created_by
        self.created_at = row.created_at

    def __repr__(self) -> str:
        return f"<Project {self.code!r} {self.name!r}>"

    # Metadata

    def update(self, **changes: str) -> Project:
        """Change the name, client, tech stack, worker or status."""
        from ptah_kernel.store.models import ProjectRow, now

        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise TypeError(
                f"A project has no field {unknown[0]!r}; "
                f"you can change {', '.join(EDITABLE)}."
            )
        with self.workspace.session() as session:
            row = session.get_one(ProjectRow, self.id)
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = now()
        for key, value in changes.items():
            setattr(self, key, value)
        return self

    def summary(self) -> dict[str, Any]:
        """The project's metadata with its document and requirement counts."""
        return {
            "code": self.code,
            "name": self.name,
            "client": self.client,
            "tech_stack": self.tech_stack,
            "status": self.status,
            "documents": len(self.documents),
            "requirements": self._requirement_count(),
        }

    def _requirement_count(self) -> int:
        from sqlalchemy import func, select

        from ptah_kernel.store.models import RequirementRow

        query = (
            select(func.count())
            .select_from(RequirementRow)
            .where(RequirementRow.project_id == self.id)
            .where(RequirementRow.document_id.not_in(self._replaced_ids()))
        )
        with self.workspace.session() as session:
            return session.scalar(query) or 0

    def delete(self) -> None:
        """Remove the project with its documents, requirements and WBS.

        Blobs that no other project uses are removed too.
        """
        from sqlalchemy import delete, select

        from ptah_kernel.store.models import DocumentRow, ProjectRow

        with self.workspace.session() as session:
            hashes = set(
                session.scalars(
                    select(DocumentRow.sha256).where(DocumentRow.project_id == self.id)
                )
            )
            session.execute(delete(ProjectRow).where(ProjectRow.id == self.id))
        for sha in hashes:
            if not self.workspace.is_blob_referenced(sha):
                self.workspace.blobs.delete(sha)
        logger.info("Deleted project %s with %d document(s).", self.code, len(hashes))

    # Documents

    def add_document(
        self,
        source: Source,
        filename: str | None = None,
        *,
        password: str | None = None,
        replaces: Document | int | str | None = None,
    ) -> Document:
        """Read a file (a path or bytes) into the project and return it.

        Binary formats are recognised by their content, text formats by
        the extension. The same bytes added again return the document
        already stored. A file that cannot be read raises a DocumentError
        and leaves nothing behind. `replaces` (a document, its id or its
        file name) makes the file that document's next version.
        """
        from ptah_kernel.documents.ingest import ingest

        previous = None
        if replaces is not None:
            previous = self._current_row(replaces)
        row, is_new = ingest(
            self, source, filename, password=password, replaces=previous
        )
        document = Document(self, row)
        if previous is not None and is_new:
            self._new_version_arrived(Document(self, previous), document)
        return document

    def add_documents(
        self,
        sources: Iterable[Source],
        *,
        progress: bool = True,
        password: str | None = None,
    ) -> BatchReport:
        """Read many files; each one's outcome is in the report, none stops the rest."""
        from ptah_kernel.documents.ingest import ingest_many

        return ingest_many(self, sources, progress=progress, password=password)

    @property
    def documents(self) -> list[Document]:
        """The current version of every document, in the order they were added."""
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        query = (
            select(DocumentRow)
            .where(DocumentRow.project_id == self.id)
            .where(DocumentRow.id.not_in(self._replaced_ids()))
            .order_by(DocumentRow.id)
        )
        with self.workspace.session() as session:
            rows = list(session.scalars(query))
        return [Document(self, row) for row in rows]

    def document(self, key: int | str) -> Document:
        """A document by id, file name or lineage name."""
        for document in self.documents:
            if key in (document.id, document.filename, document.lineage):
                return document
            if isinstance(key, str) and key.isdigit() and int(key) == document.id:
                return document
        raise DocumentNotFound(self.code, str(key))

    def _current_row(self, key: Document | int | str) -> DocumentRow:
        from ptah_kernel.store.models import DocumentRow

        document = key if isinstance(key, Document) else self.document(key)
        if document.id not in {d.id for d in self.documents}:
            raise DocumentNotFound(self.code, str(document.id))
        with self.workspace.session() as session:
            return session.get_one(DocumentRow, document.id)

    def document_versions(self, key: Document | int | str) -> list[Document]:
        """Every version of a document, oldest first."""
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        lineage = (
            self.document(key).lineage if not isinstance(key, Document) else key.lineage
        )
        query = (
            select(DocumentRow)
            .where(DocumentRow.project_id == self.id, DocumentRow.lineage == lineage)
            .order_by(DocumentRow.version)
        )
        with self.workspace.session() as session:
            rows = list(session.scalars(query))
        return [Document(self, row) for row in rows]

    def documents_frame(self) -> pd.DataFrame:
        """One row per document: file, format, pages, blocks, requirements."""
        import pandas as pd

        records = [d.summary() for d in self.documents]
        columns = ["id", "file", "format", "version", "pages", "blocks"]
        columns += ["requirements", "title"]
        return pd.DataFrame(records, columns=columns)

    def _replaced_ids(self) -> Any:
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        return (
            select(DocumentRow.replaces_id)
            .where(DocumentRow.project_id == self.id)
            .where(DocumentRow.replaces_id.is_not(None))
        )

    def _document_row_by_hash(self, sha: str) -> DocumentRow | None:
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        query = select(DocumentRow).where(
            DocumentRow.project_id == self.id, DocumentRow.sha256 == sha
        )
        with self.workspace.session() as session:
            return session.scalar(query)

    def _lock_row(self, session: Any) -> None:
        """Hold the project's row until the session's transaction ends."""
        from sqlalchemy import select

        from ptah_kernel.store.models import ProjectRow

        query = select(ProjectRow.id).where(ProjectRow.id == self.id)
        session.execute(query.with_for_update())

    def _free_lineage(self, wanted: str, session: Any) -> str:
        """The first of `wanted`, `wanted-2`, ... no document of the project has.

        Call it inside the write transaction that stores the document, after
        `_lock_row`, so no other writer can take the same name meanwhile.
        """
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        query = select(DocumentRow.lineage).where(DocumentRow.project_id == self.id)
        taken = set(session.scalars(query))
        name, number = wanted, 1
        while name in taken:
            number += 1
            name = f"{wanted}-{number}"
        return name

    def _document_counts(self, document_id: int) -> tuple[int, int]:
        from sqlalchemy import func, select

        from ptah_kernel.store.models import BlockRow, RequirementRow

        with self.workspace.session() as session:
            blocks = session.scalar(
                select(func.count()).where(BlockRow.document_id == document_id)
            )
            found = session.scalar(
                select(func.count()).where(RequirementRow.document_id == document_id)
            )
        return blocks or 0, found or 0

    # Requirements

    @property
    def requirements(self) -> pd.DataFrame:
        """Every requirement of the current documents, in document order."""
        from sqlalchemy import select

        from ptah_kernel.annotations import annotation_counts
        from ptah_kernel.requirements.table import requirements_frame
        from ptah_kernel.store.models import DocumentRow, RequirementRow

        query = (
            select(RequirementRow, DocumentRow.filename)
            .join(DocumentRow, RequirementRow.document_id == DocumentRow.id)
            .where(RequirementRow.project_id == self.id)
            .where(DocumentRow.id.not_in(self._replaced_ids()))
            .order_by(DocumentRow.id, RequirementRow.position)
        )
        with self.workspace.session() as session:
            rows = session.execute(query).all()
        frame = requirements_frame((r, name) for r, name in rows)
        counts = annotation_counts(self)
        frame["annotations"] = frame["id"].map(counts).fillna(0).astype(int)
        return frame

    @property
    def annotations(self) -> pd.DataFrame:
        """Every annotation thread, with its document, anchor and reply count."""
        from ptah_kernel.annotations import annotation_rows, annotations_frame

        return annotations_frame(self, annotation_rows(self))

    def annotation(self, annotation_id: int) -> Annotation:
        """One annotation thread by id."""
        from ptah_kernel.annotations import Annotation
        from ptah_kernel.errors import AnnotationError
        from ptah_kernel.store.models import AnnotationRow

        with self.workspace.session() as session:
            row = session.get(AnnotationRow, annotation_id)
        if row is None or row.project_id != self.id:
            raise AnnotationError(
                f"Project {self.code!r} has no annotation {annotation_id}; "
                "see project.annotations for the ids."
            )
        return Annotation(self, row)

    def _new_version_arrived(self, old: Document, new: Document) -> None:
        """Re-attach annotations and flag the WBS items the changes touch."""
        from ptah_kernel.annotations import reattach

        reattach(self, old, new)
        changes = new.compare(old)
        flagged = changes.frame[changes.frame["change"].isin(["changed", "removed"])]
        renamed = {
            row.old_id: row.new_id
            for row in flagged.itertuples()
            if row.new_id and row.new_id != row.old_id
        }
        self.wbs.mark_for_review(set(flagged["old_id"]), renamed)

    # Conversations

    def conversation(self, title: str | None = None) -> Conversation:
        """Open the conversation with this title (the main one by default)."""
        from ptah_kernel.chat import open_conversation

        return open_conversation(self, title)

    @property
    def conversations(self) -> pd.DataFrame:
        """Every conversation with its turns, tokens and cost."""
        from ptah_kernel.chat import conversations_frame

        return conversations_frame(self)

    # WBS

    @property
    def wbs(self) -> WBS:
        """The project's WBS as stored (empty until drafted or imported)."""
        from ptah_kernel.wbs.breakdown import WBS

        return WBS.load(self)

    def import_wbs(self, items: list[WorkItem], *, baseline: str | None = None) -> WBS:
        """Replace the WBS with `items`, keeping the one replaced as a baseline.

        The replaced WBS is saved as `baseline` (default: "before import
        <date and time>") when it holds any item.
        """
        from datetime import datetime

        from ptah_kernel.wbs.baselines import save_baseline
        from ptah_kernel.wbs.breakdown import WBS, check_links

        check_links(items)
        current = self.wbs
        if current.items:
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            save_baseline(self, baseline or f"before import {stamp}")
        return WBS.replace(self, items, expected_version=current.version)

    @property
    def rates(self) -> dict[str, float]:
        """Hourly rate per role (`set_rate` fills it); the currency is `currency`."""
        from ptah_kernel.wbs.rates import rates_of

        return rates_of(self)[0]

    @property
    def currency(self) -> str | None:
        """The currency of the project's rates, or None before any rate is set."""
        from ptah_kernel.wbs.rates import rates_of

        return rates_of(self)[1]

    def set_rate(self, role: str, rate: float, currency: str = "EUR") -> None:
        """Set the hourly rate of a role; all roles share one currency."""
        from ptah_kernel.wbs.rates import set_rate

        set_rate(self, role, rate, currency)

    def save_baseline(self, name: str, *, replace: bool = False) -> None:
        """Keep the current WBS under a name, to compare with later."""
        from ptah_kernel.wbs.baselines import save_baseline

        save_baseline(self, name, replace=replace)

    @property
    def baselines(self) -> pd.DataFrame:
        """The saved baselines, oldest first."""
        from ptah_kernel.wbs.baselines import baselines_frame

        return baselines_frame(self)

    def compare_baseline(self, name: str) -> WBSChanges:
        """What changed in the WBS since a baseline: items and totals."""
        from ptah_kernel.wbs.baselines import compare_baseline

        return compare_baseline(self, name)

    def draft_wbs(self) -> WBS:
        """Build a first WBS from the requirements and store it.

        Estimates stay empty for the analyst: Ptah never invents numbers.
        """
        from ptah_kernel.wbs.breakdown import WBS
        from ptah_kernel.wbs.draft import draft_wbs

        items = draft_wbs(self.requirements)
        return WBS.replace(self, items)

    # Report

    def write_report(
        self, path: str | Path, format: str = "html", *, start: str | None = None
    ) -> Path:
        """Write the client report (no code in it) as HTML or PDF.

        A report notebook runs in a real kernel for this project: cover,
        contents, totals at P50/P80/P90 with contingency, the WBS with its
        diagram, the schedule from `start` (default today), requirements,
        traceability, open questions and the documents read.
        """
        from ptah_kernel.exports.client_report import write_client_report

        return write_client_report(self, path, format, start)  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        e = html.escape
        head = (
            f"<h3>{e(self.name)} <small>({e(self.code)})</small></h3>"
            f"<p>Client: {e(self.client or '—')} · Stack: {e(self.tech_stack or '—')}"
            f" · Status: {e(self.status)}</p>"
        )
        return head + self.documents_frame().to_html(index=False, escape=True)
