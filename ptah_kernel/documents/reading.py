"""Turn a file's bytes into ordered blocks with anchors.

The one entry point is `read_document`. It recognises the format from the
bytes (a PDF named `.docx` is read as a PDF), checks the reader limits,
and runs the format's reader in warm worker processes under a time limit,
so a crafted file cannot hang or crash the kernel (a PDF's pages, or a long
Word body, are shared out between `limits.reader_processes` workers).
"""

from __future__ import annotations

import logging

from ptah_kernel.documents import _refusals, _sniff
from ptah_kernel.documents.content import DocumentContent
from ptah_kernel.settings import ReaderLimits

__all__ = ["read_document"]

logger = logging.getLogger(__name__)


def read_document(
    data: bytes,
    filename: str,
    *,
    limits: ReaderLimits | None = None,
    password: str | None = None,
) -> DocumentContent:
    """Read a PDF, DOCX, XLSX, Markdown or text file into blocks.

    `filename` is used in messages and, for text only, to tell Markdown
    from plain text. `password` opens an encrypted PDF; it is never logged
    nor shown. Reading runs in worker processes stopped after
    `limits.max_seconds` (0 reads in this process, with no time limit).

    Raises a `DocumentError` subclass naming the file: UnsupportedFormat,
    EmptyDocument, CorruptDocument, EncryptedDocument, DocumentTooLarge,
    UnsafeDocument or ReadTimeout.

    >>> read_document(b"The system shall log in.", "notes.txt").blocks[0].anchor
    'line 1'
    """
    limits = limits or ReaderLimits()
    _check_size(data, filename, limits)
    if limits.max_seconds and limits.max_seconds > 0:
        from ptah_kernel.documents import _worker

        content = _worker.read_with_time_limit(data, filename, limits, password)
    else:
        content = read_here(data, filename, limits, password)
    logger.debug("read %s: %d blocks", filename, len(content.blocks))
    return content


def _check_size(data: bytes, filename: str, limits: ReaderLimits) -> None:
    if not data:
        raise _refusals.empty(filename, "")
    if len(data) > limits.max_file_bytes:
        raise _refusals.too_large(
            filename,
            "The file size in bytes",
            len(data),
            limits.max_file_bytes,
            "max_file_bytes",
        )


def read_here(
    data: bytes, filename: str, limits: ReaderLimits, password: str | None
) -> DocumentContent:
    """Read in this process, with no time limit; `read_document` does the rest."""
    kind = _sniff.binary_kind(data, filename)
    if kind == "pdf":
        from ptah_kernel.documents._pdf import read_pdf

        content = read_pdf(data, filename, limits, password)
    elif kind == "docx":
        from ptah_kernel.documents._docx import read_docx

        content = read_docx(data, filename, limits)
    elif kind == "xlsx":
        from ptah_kernel.documents._xlsx import read_xlsx

        content = read_xlsx(data, filename, limits)
    else:
        content = _read_text(data, filename)
    return finished(content, filename, limits)


def finished(
    content: DocumentContent, filename: str, limits: ReaderLimits
) -> DocumentContent:
    """The content, unless it holds no text or more than `max_characters`."""
    if not any(block.text.strip() for block in content.blocks):
        raise _refusals.empty(filename, content.format)
    check_characters(filename, sum(len(b.text) for b in content.blocks), limits)
    return content


def check_characters(filename: str, count: int, limits: ReaderLimits) -> None:
    """Refuse a document whose text runs past `limits.max_characters`.

    The kernel holds a document's whole text while it stores it, so this
    bounds the kernel's memory where `max_reader_memory` bounds a reader's.
    """
    if count > limits.max_characters:
        raise _refusals.too_long(filename, count, limits.max_characters)


def _read_text(data: bytes, filename: str) -> DocumentContent:
    from ptah_kernel.documents._text import decode_text, text_blocks

    text = decode_text(data)
    if text is None:
        raise _refusals.unsupported(filename, "unknown")
    if _sniff.text_kind(text, filename) == "markdown":
        from ptah_kernel.documents._markdown import markdown_blocks

        blocks, title = markdown_blocks(text)
        return DocumentContent("markdown", blocks, title=title)
    return DocumentContent("text", text_blocks(text))
