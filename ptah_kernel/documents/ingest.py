"""Turning files into stored documents: read, find requirements, store at once.

A file is read completely before anything is written. The rows and the
blob are then written in one transaction, so a file that cannot be read,
or an ingest killed halfway, leaves no row and no blob behind.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ptah_kernel.errors import (
    DocumentError,
    DocumentTooLarge,
    FileMissing,
    PtahError,
    describe_name,
)

if TYPE_CHECKING:
    from ptah_kernel.documents.content import Block, DocumentContent
    from ptah_kernel.documents.document import Document
    from ptah_kernel.projects import Project
    from ptah_kernel.requirements.model import FoundRequirement
    from ptah_kernel.settings import ReaderLimits
    from ptah_kernel.store.models import DocumentRow

logger = logging.getLogger(__name__)

__all__ = [
    "BatchReport",
    "FileOutcome",
    "Source",
    "ingest",
    "ingest_many",
    "outcome_of",
]

Source = str | os.PathLike[str] | bytes
Status = Literal["added", "unchanged", "refused"]


@dataclass(slots=True)
class FileOutcome:
    """What happened to one file of a batch."""

    filename: str
    status: Status
    document_id: int | None = None
    blocks: int = 0
    requirements: int = 0
    reason: str = ""

    def line(self) -> str:
        """One line for a terminal: the file and what happened to it."""
        name = describe_name(self.filename)
        if self.status == "refused":
            return f"refused  {name}: {self.reason}"
        counts = f"{self.blocks} blocks, {self.requirements} requirements"
        return f"{self.status:<8} {name}: {counts}"


@dataclass(slots=True)
class BatchReport:
    """Per-file results of `Project.add_documents`."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file was refused."""
        return all(o.status != "refused" for o in self.outcomes)

    @property
    def refused(self) -> list[FileOutcome]:
        """The files that were not read, with the reason."""
        return [o for o in self.outcomes if o.status == "refused"]

    def to_frame(self):  # type: ignore[no-untyped-def]
        """The outcomes as a DataFrame, one row per file."""
        import pandas as pd

        columns = ["filename", "status", "blocks", "requirements", "reason"]
        rows = [{c: getattr(o, c) for c in columns} for o in self.outcomes]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        return "\n".join(outcome.line() for outcome in self.outcomes)

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True)


def ingest(
    project: Project,
    source: Source,
    filename: str | None = None,
    *,
    password: str | None = None,
    replaces: DocumentRow | None = None,
) -> tuple[DocumentRow, bool]:
    """Store one file in the project; return its row and whether it was new.

    The same bytes added again return the existing document after one hash.
    With `replaces`, the file is the next version of that document: it keeps
    the lineage name, so its requirements keep their ids.
    """
    from ptah_kernel.store.blobs import sha256_of

    data, filename = _load(source, filename, project)
    sha = sha256_of(data)
    existing = project._document_row_by_hash(sha)
    if existing is not None:
        return existing, False
    with _collector_paused():
        content = _read(data, filename, project, password)
        try:
            row = _store(project, data, sha, filename, content, replaces)
        except _integrity_error():
            # Another thread or kernel stored the same bytes first.
            existing = project._document_row_by_hash(sha)
            if existing is None:
                raise
            return existing, False
    logger.debug("Stored %s as document %d.", describe_name(filename), row.id)
    return row, True


def _integrity_error() -> type[Exception]:
    from sqlalchemy.exc import IntegrityError

    return IntegrityError


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is laid out and stored.

    Laying out and storing a document makes hundreds of thousands of short-
    lived objects and almost no cycles; each automatic collection would walk
    every object of the kernel to find none. Collection resumes after.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ingest_many(
    project: Project,
    sources: Iterable[Source],
    *,
    progress: bool = True,
    password: str | None = None,
) -> BatchReport:
    """Store many files; a file that cannot be read does not stop the rest.

    `password` opens encrypted PDFs of the batch; other files ignore it.
    """
    sources = list(sources)
    report = BatchReport()
    for source in _progress(sources, progress):
        report.outcomes.append(outcome_of(project, source, password=password))
    return report


def outcome_of(
    project: Project,
    source: Source,
    *,
    replaces: Document | None = None,
    password: str | None = None,
) -> FileOutcome:
    """Ingest one file and say what happened, instead of raising."""
    name = _display_name(source)
    previous = project._current_row(replaces) if replaces is not None else None
    try:
        row, is_new = ingest(project, source, replaces=previous, password=password)
    except PtahError as exc:
        reason = exc.reason if isinstance(exc, DocumentError) else str(exc)
        return FileOutcome(name, "refused", reason=reason)
    blocks, requirements = project._document_counts(row.id)
    status: Status = "added" if is_new else "unchanged"
    return FileOutcome(row.filename, status, row.id, blocks, requirements)


def _progress(sources: list[Source], enabled: bool) -> Iterable[Source]:
    if not enabled or len(sources) < 2:
        return sources
    from tqdm.auto import tqdm

    return tqdm(sources, desc="Reading documents", unit="file", leave=False)


def _display_name(source: Source) -> str:
    if isinstance(source, bytes):
        return "(bytes)"
    return Path(source).name


def _load(source: Source, filename: str | None, project: Project) -> tuple[bytes, str]:
    limit = project.workspace.settings.limits.max_file_bytes
    if isinstance(source, bytes):
        name = filename or "untitled"
        _check_size(name, len(source), limit)
        return source, name
    path = Path(source)
    name = filename or path.name
    if not path.is_file():
        raise FileMissing(name, f"there is no file at '{path}'. Check the path.")
    _check_size(name, path.stat().st_size, limit)
    return path.read_bytes(), name


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise DocumentTooLarge(
            name,
            f"the file has {size:,} bytes; the limit is {limit:,}. Raise "
            "c.Ptah.max_file_bytes in jupyter_config.py to read it.",
        )


def _read(
    data: bytes, filename: str, project: Project, password: str | None
) -> DocumentContent:
    from ptah_kernel.documents.reading import read_document

    limits = project.workspace.settings.limits
    return read_document(data, filename, limits=limits, password=password)


@contextmanager
def _finding_aside(
    blocks: list[Block], filename: str, limits: ReaderLimits
) -> Iterator[Callable[[], list[tuple]]]:
    """Find the requirements in the reader workers while the caller stores.

    The blocks are cut where the finder reads the runs apart, one run per
    worker; the yielded function waits for the drafts. With one worker, or
    no time limit, it finds them in this process instead.
    """
    from ptah_kernel.documents._worker import WorkerBatch, pack_blocks
    from ptah_kernel.requirements.finding import find_drafts, independent_runs

    runs = limits.reader_processes if limits.max_seconds > 0 else 1
    cuts = independent_runs(blocks, runs) if runs > 1 else []
    if not cuts:
        yield lambda: find_drafts(blocks)
        return
    starts = [0, *cuts]
    requests = [
        ("find", pack_blocks(blocks[start:end]), start, limits)
        for start, end in zip(starts, [*cuts, len(blocks)], strict=True)
    ]
    with WorkerBatch(requests, limits.max_seconds, filename) as batch:
        yield lambda: _drafts_from(batch, blocks, filename, limits)


def _drafts_from(  # type: ignore[no-untyped-def]
    batch, blocks: list[Block], filename: str, limits: ReaderLimits
) -> list[tuple]:
    from ptah_kernel.documents import _refusals
    from ptah_kernel.requirements.finding import find_drafts

    try:
        replies = batch.replies()
    except DocumentError:
        replies = []
    if any(reply[0] == "exhausted" for reply in replies):
        # Finding again in the kernel would spend the kernel's memory instead.
        raise _refusals.out_of_memory(filename, limits.max_reader_memory)
    if not replies or any(reply[0] != "ok" for reply in replies):
        # A worker lost on the way costs time, not the requirements.
        logger.warning("finding requirements again in this process")
        return find_drafts(blocks)
    return [draft for reply in replies for draft in reply[1]]


def _lineage_from(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:40].rstrip("-") or "document"


def _store(
    project: Project,
    data: bytes,
    sha: str,
    filename: str,
    content: DocumentContent,
    replaces: DocumentRow | None,
) -> DocumentRow:
    from ptah_kernel.requirements.finding import name_drafts
    from ptah_kernel.store.bulk import insert_rows
    from ptah_kernel.store.models import BlockRow, RequirementRow

    workspace = project.workspace
    owned = workspace.owned()
    limits = workspace.settings.limits
    with (
        _finding_aside(content.blocks, filename, limits) as drafts,
        workspace.blobs.writing(
            data, sha, still_needed=lambda: workspace.is_blob_referenced(sha)
        ),
        workspace.session() as session,
    ):
        # The free lineage is chosen inside the write transaction, with the
        # project's row locked (PostgreSQL; SQLite writes one at a time), so
        # two files of the same name added at once cannot both take it.
        project._lock_row(session)
        if replaces is None:
            lineage = project._free_lineage(_lineage_from(filename), session)
        else:
            lineage = replaces.lineage
        row = _document_row(project, data, sha, filename, lineage, content, replaces)
        session.add(row)
        session.flush()
        blocks = [
            _block_values(row.id, i, b, owned) for i, b in enumerate(content.blocks)
        ]
        insert_rows(session, BlockRow.__table__, blocks)
        found = name_drafts(drafts(), lineage)
        requirements = [
            _requirement_values(project.id, row.id, i, f, content.blocks, owned)
            for i, f in enumerate(found)
        ]
        insert_rows(session, RequirementRow.__table__, requirements)
    return row


def _document_row(
    project: Project,
    data: bytes,
    sha: str,
    filename: str,
    lineage: str,
    content: DocumentContent,
    replaces: DocumentRow | None,
) -> DocumentRow:
    from ptah_kernel.store.models import DocumentRow

    return DocumentRow(
        project_id=project.id,
        lineage=lineage,
        version=replaces.version + 1 if replaces else 1,
        replaces_id=replaces.id if replaces else None,
        filename=filename,
        format=content.format,
        sha256=sha,
        size=len(data),
        title=content.title,
        author=content.author,
        pages=content.pages,
        details={**content.metadata, "warnings": content.warnings},
        markdown=content.to_markdown(),
        **project.workspace.owned(),
    )


def _section(block: Block) -> str:
    return " › ".join(block.heading_path)


def _block_values(document_id: int, position: int, block: Block, owned: dict) -> dict:
    table = None
    if block.table is not None:
        table = {
            "rows": [list(r) for r in block.table.rows],
            "row_anchors": list(block.table.row_anchors),
        }
    return {
        "document_id": document_id,
        "position": position,
        "kind": block.kind,
        "text": block.text,
        "anchor": block.anchor,
        "level": block.level,
        "heading_path": block.heading_path,  # a tuple: shared, stored as a list
        "page": block.page,
        "table": table,
        **owned,
    }


def _requirement_values(
    project_id: int,
    document_id: int,
    position: int,
    found: FoundRequirement,
    blocks: list[Block],
    owned: dict,
) -> dict:
    return {
        "project_id": project_id,
        "document_id": document_id,
        "rid": found.id,
        "ref": found.ref,
        "text": found.text,
        "anchor": found.anchor,
        "modality": found.modality,
        "kind": found.kind,
        "source": found.source,
        "section": _section(blocks[found.block_index]),
        "position": position,
        "ambiguity": found.ambiguity,
        **owned,
    }
