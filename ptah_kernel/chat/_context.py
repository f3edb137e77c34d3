"""What a question sends: the system prompt, the documents, the WBS, history.

The stable part comes first and carries prompt-caching breakpoints, so a
second question on the same documents reads them from the cache: the
system prompt, then the documents (the last one marked), then the project
context and the conversation so far, then the question (marked too, so the
next turn reads the history from the cache). At most three breakpoints;
the API allows four.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ptah_kernel.documents.content import Block
    from ptah_kernel.projects import Document, Project

__all__ = ["SYSTEM_PROMPT", "Context", "SentDocument", "build_context", "wbs_text"]

SYSTEM_PROMPT = """\
You are a senior requirements analyst in a software-outsourcing team. The \
team is preparing an estimate and a demo for a client, from the client's \
own requirement documents, which follow.

Answer the analyst's questions about what the client really wants, what is \
missing, what is ambiguous or contradictory, and how to break the work \
down. Ground every statement in the documents and cite the passage it \
rests on; say plainly when the documents do not answer a question rather \
than guessing, and mark assumptions as assumptions. Refer to requirements \
by the ids the analyst's requirement list gives (such as rfp:FR-01). Be \
concise: short paragraphs and lists an analyst can paste into a note for \
the client."""

CACHE = {"type": "ephemeral"}


@dataclass
class SentDocument:
    """A document as it went to Claude, with what citations need to map back.

    `spans` holds (start, end, block index) of each block inside the text
    sent, so a cited character range finds its block.
    """

    document: Document
    blocks: list[Block]
    as_pdf: bool
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    tokens: int = 0
    excerpt: bool = False
    prepared: Any = None

    def describe(self) -> dict[str, Any]:
        """The record stored with a turn."""
        return {
            "id": self.document.id,
            "filename": self.document.filename,
            "excerpt": self.excerpt,
        }


@dataclass
class Context:
    """Everything one request sends, with notes for the analyst."""

    system: list[dict[str, Any]]
    documents: list[SentDocument]
    document_blocks: list[dict[str, Any]]
    project_text: str
    notes: list[str] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)

    def messages(
        self, history: Sequence[tuple[str, str]], question: str
    ) -> list[dict[str, Any]]:
        """The messages: context and earlier turns, then the question."""
        opening: list[dict[str, Any]] = [*self.document_blocks]
        if self.project_text:
            opening.append({"type": "text", "text": self.project_text})
        messages: list[dict[str, Any]] = []
        for asked, answered in history:
            messages.append({"role": "user", "content": [*opening, _text(asked)]})
            messages.append({"role": "assistant", "content": answered})
            opening = []
        last = {**_text(question), "cache_control": CACHE}
        messages.append({"role": "user", "content": [*opening, last]})
        return messages


def _text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def build_context(
    project: Project,
    documents: Sequence[Document],
    *,
    include: Sequence[str],
    citations: bool,
) -> Context:
    """The system prompt, documents and project context for a request."""
    sent = [_sent_document(document) for document in documents]
    blocks = [_document_block(s, citations) for s in sent]
    if blocks:
        blocks[-1]["cache_control"] = CACHE
    system = [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": CACHE}]
    project_text, notes = _project_text(project, include)
    return Context(system, sent, blocks, project_text, notes)


def rebuild_documents(context: Context, citations: bool) -> None:
    """Make the document blocks again after `context.documents` changed."""
    blocks = [_document_block(s, citations) for s in context.documents]
    if blocks:
        blocks[-1]["cache_control"] = CACHE
    context.document_blocks = blocks


def _sent_document(document: Document) -> SentDocument:
    from ptah_kernel.chat._documents import prepare

    ready = prepare(document)
    sent = SentDocument(document, ready.blocks, as_pdf=document.format == "pdf")
    sent.spans, sent.tokens, sent.prepared = ready.spans, ready.tokens, ready
    return sent


def _document_block(sent: SentDocument, citations: bool) -> dict[str, Any]:
    from ptah_kernel.chat._documents import text_with_spans

    document = sent.document
    if sent.excerpt:
        text, sent.spans = text_with_spans(sent.blocks)
        source = {"type": "text", "media_type": "text/plain", "data": text}
    elif sent.as_pdf:
        data = sent.prepared.pdf_base64
        source = {"type": "base64", "media_type": "application/pdf", "data": data}
    else:
        data = sent.prepared.text
        source = {"type": "text", "media_type": "text/plain", "data": data}
    title = document.filename + (" (excerpts)" if sent.excerpt else "")
    return {
        "type": "document",
        "source": source,
        "title": title,
        "citations": {"enabled": citations},
    }


def _project_text(project: Project, include: Sequence[str]) -> tuple[str, list[str]]:
    unknown = sorted(set(include) - {"annotations", "wbs"})
    if unknown:
        raise ValueError(
            f"include={unknown[0]!r} is not something Ptah can send; "
            "use 'annotations' and/or 'wbs'."
        )
    parts, notes = [], []
    if "annotations" in include:
        text = annotations_text(project)
        parts.append(text)
        if not text:
            notes.append("The project has no annotations yet, so none were sent.")
    if "wbs" in include:
        parts.append(wbs_text(project))
    return "\n\n".join(part for part in parts if part), notes


def annotations_text(project: Project) -> str:
    """The analyst's open annotations as compact lines, or "" when none."""
    from sqlalchemy import select

    from ptah_kernel.store.models import AnnotationRow, DocumentRow

    query = (
        select(DocumentRow.filename, AnnotationRow)
        .join(DocumentRow, AnnotationRow.document_id == DocumentRow.id)
        .where(AnnotationRow.project_id == project.id)
        .where(AnnotationRow.status != "resolved", ~AnnotationRow.orphaned)
        .order_by(AnnotationRow.id)
    )
    with project.workspace.session() as session:
        rows = session.execute(query).all()
    lines = [
        f'{filename} {a.anchor}: "{a.quote}": {a.comment}'
        + (f" [{', '.join(a.tags)}]" if a.tags else "")
        for filename, a in rows
    ]
    if not lines:
        return ""
    return "The analyst's annotations (document anchor: quote: comment):\n" + (
        "\n".join(lines)
    )


def wbs_text(project: Project) -> str:
    """The current WBS as compact lines, or a line saying there is none."""
    items = project.wbs.items
    if not items:
        return "The project has no WBS yet."
    lines = [
        f"{item.code} [{item.kind}] {item.name}"
        + (f" (covers {', '.join(item.requirements)})" if item.requirements else "")
        for item in items
    ]
    return "The current WBS (code [kind] name):\n" + "\n".join(lines)
