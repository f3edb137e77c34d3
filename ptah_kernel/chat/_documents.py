"""A document as Claude receives it, prepared once per kernel.

Reading 700 blocks through the ORM and encoding a PDF costs tens of
milliseconds, which a question would otherwise pay before its request
leaves. The prepared form is kept per document and checked against the
document's bytes and its block rows, so a document read again (a better
reader, new anchors) is prepared again.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ptah_kernel.documents.content import Block
    from ptah_kernel.projects import Document

__all__ = ["Prepared", "prepare", "text_with_spans"]

PDF_PAGE_TOKENS = 1_600  # a page image costs about this much on current models
CHARS_PER_TOKEN = 3  # conservative: English prose runs closer to 4
_prepared: dict[tuple[str, int], tuple[tuple[object, ...], Prepared]] = {}


@dataclass(frozen=True)
class Prepared:
    """Blocks, the plain text built from them, and the PDF bytes as base64.

    `spans` holds (start, end, block index) of each block inside `text`,
    so a cited character range finds its block.
    """

    blocks: list[Block]
    text: str
    spans: list[tuple[int, int, int]]
    pdf_base64: str | None
    tokens: int


def prepare(document: Document) -> Prepared:
    """The document ready to send, from this kernel's store when unchanged."""
    key = (document.project.workspace.database_url, document.id)
    fingerprint = (document.sha256, *_block_rows(document))
    kept = _prepared.get(key)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    prepared = _prepare(document)
    _prepared[key] = (fingerprint, prepared)
    return prepared


def _block_rows(document: Document) -> tuple[int, int]:
    from sqlalchemy import func, select

    from ptah_kernel.store.models import BlockRow

    query = select(func.count(), func.coalesce(func.max(BlockRow.id), 0)).where(
        BlockRow.document_id == document.id
    )
    with document.project.workspace.session() as session:
        count, last = session.execute(query).one()
    return count, last


def _prepare(document: Document) -> Prepared:
    blocks = _blocks(document)
    text, spans = text_with_spans(blocks)
    pdf = None
    tokens = len(text) // CHARS_PER_TOKEN + 50
    if document.format == "pdf":
        pdf = base64.b64encode(document.original).decode("ascii")
        tokens += (document.pages or 1) * PDF_PAGE_TOKENS
    return Prepared(blocks, text, spans, pdf, tokens)


def _blocks(document: Document) -> list[Block]:
    """The blocks with only what citations need: no tables, no heading paths."""
    from sqlalchemy import select

    from ptah_kernel.documents.content import Block, BlockKind
    from ptah_kernel.store.models import BlockRow

    columns = (BlockRow.kind, BlockRow.text, BlockRow.anchor, BlockRow.level)
    query = (
        select(*columns, BlockRow.page)
        .where(BlockRow.document_id == document.id)
        .order_by(BlockRow.position)
    )
    with document.project.workspace.session() as session:
        rows = session.execute(query).all()
    return [
        Block(
            kind=cast(BlockKind, kind), text=text, anchor=anchor, level=level, page=page
        )
        for kind, text, anchor, level, page in rows
    ]


def text_with_spans(blocks: list[Block]) -> tuple[str, list[tuple[int, int, int]]]:
    """The blocks as plain text, a blank line apart, with where each one lies."""
    parts, spans, offset = [], [], 0
    for index, block in enumerate(blocks):
        text = _block_text(block)
        parts.append(text)
        spans.append((offset, offset + len(text), index))
        offset += len(text) + 2
    return "\n\n".join(parts), spans


def _block_text(block: Block) -> str:
    if block.kind == "heading":
        return "#" * min(max(block.level, 1), 6) + " " + block.text
    if block.kind == "list item":
        return "- " + block.text
    return block.text
