"""Plain text: decode without assuming UTF-8, then split into blocks.

A text file is either prose (paragraphs separated by blank lines, lines
wrapped at a fixed width) or line-oriented (a backlog with one user story
per line). Prose gives one paragraph per chunk; a line-oriented file gives
one block per line, because each line is a requirement of its own.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator

from ptah_kernel.documents.content import Block

logger = logging.getLogger(__name__)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LIST_MARK = re.compile(r"^\s*(?:[-*+•◦▪]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")
BULLET = re.compile(r"^\s*[-*+•◦▪]\s+")
SINGLE_BYTE_FAMILIES = ("cp4", "cp8", "latin", "iso8859", "windows", "cp125", "mac")
SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", ")")


def decode_text(data: bytes) -> str | None:
    """The text of `data`, or None when the bytes are not text.

    BOMs are honoured first, then strict UTF-8, then charset-normalizer's
    best guess (cp1252, UTF-16 without BOM, ...). Text holding NULs or
    many control characters is not text.
    """
    text = _decode(data)
    if text is None or "\x00" in text:
        return None
    controls = sum(1 for ch in text[:20_000] if ch < " " and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 20_000) + 2:
        return None
    return text


def _decode(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _try(data, encoding)
    if b"\x00" not in data:
        text = _try(data, "utf-8")
        if text is not None:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        return None
    # On short text the guess often lands on a DOS code page (cp850) where
    # Windows' cp1252 reads the same bytes as the author typed them.
    if best.encoding.startswith(SINGLE_BYTE_FAMILIES):
        return _try(data, "cp1252") or _try(data, best.encoding)
    return _try(data, best.encoding)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text file, each anchored at its first line."""
    lines = text.splitlines()
    if _is_line_oriented(lines):
        chunks = [[(n, line)] for n, line in enumerate(lines, 1) if line.strip()]
    else:
        chunks = list(_chunks(lines))
    return [_block(chunk) for chunk in chunks]


def _is_line_oriented(lines: list[str]) -> bool:
    # Prose wrapped at a width leaves most lines of a chunk without a
    # sentence end; a backlog or a list has one finished statement a line.
    filled = [line.rstrip() for line in lines if line.strip()]
    if len(filled) < 2:
        return True
    blanks = len(lines) - len(filled)
    if blanks >= len(filled) / 2:
        return False
    ended = sum(1 for line in filled if line.endswith(SENTENCE_END))
    listed = sum(1 for line in filled if LIST_MARK.match(line))
    return ended + listed >= 0.6 * len(filled) or blanks == 0


def _chunks(lines: list[str]) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if chunk:
                yield chunk
            chunk = []
            continue
        if chunk and LIST_MARK.match(line):
            yield chunk
            chunk = []
        chunk.append((number, line))
    if chunk:
        yield chunk


def _block(chunk: list[tuple[int, str]]) -> Block:
    number = chunk[0][0]
    text = " ".join(line.strip() for _, line in chunk)
    first = chunk[0][1]
    if not LIST_MARK.match(first):
        return Block("paragraph", text, f"line {number}")
    # Bullets say nothing; numbers ("1.", "(a)") are kept as the author wrote.
    text = BULLET.sub("", text)
    level = 1 + (len(first) - len(first.lstrip())) // 2
    return Block("list item", text, f"line {number}", level=level)
