"""PDF: text lines and their places from PDFium, then blocks.

PDFium (through pypdfium2) gives each page's text with its line breaks
and, per character, a box; it also decrypts empty-password files, reads
the metadata and rotated pages. This module turns each text line into a
`Line` placed on the page; `_pdf_layout` turns lines into blocks.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

from ptah_kernel.documents import _refusals
from ptah_kernel.documents._pdf_layout import Line, layout_blocks
from ptah_kernel.documents.content import DocumentContent
from ptah_kernel.settings import ReaderLimits

logger = logging.getLogger(__name__)

BOLD_WEIGHT = 600
MAX_OUTLINE = 1_000
LONGEST_HEADING = 120
NO_BOX = (0.0, 0.0, 0.0, 0.0)
_NAME_BUFFER = ctypes.create_string_buffer(128)
# The four reading directions a page's text can run in, each with the
# direction that leads to the next line (down the page as it is read).
DIRECTIONS = {
    (1, 0): (0, -1),
    (0, 1): (1, 0),
    (-1, 0): (0, 1),
    (0, -1): (-1, 0),
}


def read_pdf(
    data: bytes, filename: str, limits: ReaderLimits, password: str | None
) -> DocumentContent:
    """Read a PDF's text into blocks anchored `p.12 ¶3`."""
    return content_from_parts(
        filename, [read_page_lines(data, filename, limits, password, 0, 1)]
    )


def read_page_lines(
    data: bytes,
    filename: str,
    limits: ReaderLimits,
    password: str | None,
    part: int,
    parts: int,
) -> dict[str, Any]:
    """The placed lines of every `parts`-th page from page `part`, as tuples.

    Pages are independent in PDFium, so several processes can each take a
    share; dealing pages out in turn keeps the shares even when the slow
    pages sit together. `content_from_parts` puts them back in order. Part
    0 also carries the metadata and the outline.
    """
    pdf = _open(data, filename, password)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise _refusals.too_large(
                filename, "The page count", count, limits.max_pages, "max_pages"
            )
        pages, damaged = _all_page_lines(pdf, range(part, count, parts))
        found: dict[str, Any] = {"count": count, "damaged": damaged}
        found["pages"] = [[_line_tuple(line) for line in lines] for lines in pages]
        if part == 0:
            found["metadata"] = pdf.get_metadata_dict(skip_empty=True)
            found["outline"] = _outline(pdf)
    finally:
        pdf.close()
    return found


def _line_tuple(line: Line) -> tuple[Any, ...]:
    # Tuples pickle several times faster than slotted dataclasses.
    return (
        line.text,
        line.page,
        line.pos,
        line.start,
        line.end,
        line.size,
        line.bold,
        line.rel,
        line.last_pos,
    )


def content_from_parts(filename: str, parts: list[dict[str, Any]]) -> DocumentContent:
    """The document's blocks from the page shares of `read_page_lines`."""
    first = parts[0]
    count, metadata, outline = first["count"], first["metadata"], first["outline"]
    pages = [
        [Line(*t) for t in parts[index % len(parts)]["pages"][index // len(parts)]]
        for index in range(count)
    ]
    damaged = sorted(number for part in parts for number in part["damaged"])
    if damaged and len(damaged) == count:
        raise _refusals.corrupt(filename, "PDF", "PDFium cannot load any page")

    blocks = layout_blocks(pages)
    empty = sum(1 for lines in pages if not lines) - len(damaged)
    warnings = []
    if damaged:
        listed = ", ".join(str(n) for n in damaged[:10])
        warnings.append(f"Pages {listed} are damaged and were left out.")
    if blocks and empty:
        warnings.append(f"{empty} of {count} pages hold no text (scanned images?).")
    return DocumentContent(
        "pdf",
        blocks,
        title=metadata.get("Title") or None,
        author=metadata.get("Author") or None,
        pages=count,
        metadata={**_useful(metadata), "outline": outline},
        warnings=warnings,
    )


def _open(data: bytes, filename: str, password: str | None) -> Any:
    import pypdfium2 as pdfium

    # PDFium repairs a file cut short and reads what is left; a missing
    # end-of-file marker tells that the copy is incomplete.
    if b"%%EOF" not in data[-4096:]:
        raise _refusals.corrupt(
            filename, "PDF", "it ends before its end-of-file marker"
        )
    try:
        # No password first: PDFium opens empty-password files that way.
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code != pdfium.raw.FPDF_ERR_PASSWORD:
            raise _refusals.corrupt(filename, "PDF", "PDFium cannot parse it") from exc
    if password is None:
        raise _refusals.encrypted(filename, password_given=False)
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError:
        # Chaining would carry nothing useful; the password must not travel.
        raise _refusals.encrypted(filename, password_given=True) from None


def _all_page_lines(pdf: Any, indices: range) -> tuple[list[list[Line]], list[int]]:
    # One damaged page should not cost the analyst the other hundred.
    import pypdfium2 as pdfium

    pages: list[list[Line]] = []
    damaged = []
    for index in indices:
        try:
            pages.append(_page_lines(pdf, index))
        except pdfium.PdfiumError:
            pages.append([])
            damaged.append(index + 1)
    return pages, damaged


def _outline(pdf: Any) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), level 1 at the top; at most 1,000."""
    found = []
    for bookmark in pdf.get_toc(max_depth=8):
        found.append((bookmark.level + 1, bookmark.get_title()))
        if len(found) >= MAX_OUTLINE:
            break
    return found


def _useful(metadata: dict[str, str]) -> dict[str, Any]:
    keep = ("Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")
    return {key.lower(): metadata[key] for key in keep if key in metadata}


def _page_lines(pdf: Any, index: int) -> list[Line]:
    import pypdfium2.raw as raw

    page = pdf[index]
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if not text.strip():
            return []
        places = _line_places(raw, textpage, text)
        return _placed_lines(places, page.get_mediabox(), index + 1)
    finally:
        textpage.close()
        page.close()


def _line_places(raw: Any, textpage: Any, text: str) -> list[tuple[Any, ...]]:
    # One look-up per line end, not per character: the first and last
    # character's boxes give the line's place, direction and font size.
    loose_box = raw.FPDFText_GetLooseCharBox
    weight_of = raw.FPDFText_GetFontWeight
    # Text and character indices agree unless PDFium inserted or dropped
    # characters; only then is each index translated.
    same = raw.FPDFText_CountChars(textpage) == len(text)
    rect = raw.FS_RECTF()
    places = []
    offset = 0
    for piece in text.split("\r\n"):
        stripped = piece.strip()
        if stripped:
            first = offset + len(piece) - len(piece.lstrip())
            last = offset + len(piece.rstrip()) - 1
            if not same:
                first = _char_index(raw, textpage, first)
                last = _char_index(raw, textpage, last)
            head = tail = NO_BOX
            if loose_box(textpage, first, rect):
                head = (rect.left, rect.bottom, rect.right, rect.top)
            if last == first:
                tail = head
            elif loose_box(textpage, last, rect):
                tail = (rect.left, rect.bottom, rect.right, rect.top)
            # Only a short line can be a heading, the one use of boldness.
            bold = len(stripped) <= LONGEST_HEADING and _is_bold(
                raw, textpage, first, weight_of(textpage, first)
            )
            places.append((stripped, head, tail, bold))
        offset += len(piece) + 2
    return places


def _is_bold(raw: Any, textpage: Any, index: int, weight: int) -> bool:
    # The standard 14 fonts have no descriptor and report weight 0; their
    # name says it instead ("Helvetica-Bold").
    if weight > 0:
        return weight >= BOLD_WEIGHT
    name = _NAME_BUFFER
    raw.FPDFText_GetFontInfo(textpage, index, name, len(name), None)
    return b"bold" in name.value.lower() or b"black" in name.value.lower()


def _char_index(raw: Any, textpage: Any, text_index: int) -> int:
    index = raw.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)
    return index if index >= 0 else text_index


def _placed_lines(
    places: list[tuple[Any, ...]], mediabox: Any, page: int
) -> list[Line]:
    dx, dy = direction = _direction(places)
    nx, ny = DIRECTIONS[direction]
    corners = [
        x * nx + y * ny
        for x in (mediabox[0], mediabox[2])
        for y in (mediabox[1], mediabox[3])
    ]
    low = min(corners)
    extent = max(corners) - low or 1.0
    lines = []
    for text, (h0, h1, h2, h3), (t0, t1, t2, t3), bold in places:
        pos = (h0 + h2) / 2 * nx + (h1 + h3) / 2 * ny
        start = min(h0 * dx + h1 * dy, h2 * dx + h3 * dy)
        end = max(t0 * dx + t1 * dy, t2 * dx + t3 * dy)
        size = abs((h2 - h0) * nx + (h3 - h1) * ny) or 1.0
        last_pos = (t0 + t2) / 2 * nx + (t1 + t3) / 2 * ny
        lines.append(
            Line(
                text, page, pos, start, end, size, bold, (pos - low) / extent, last_pos
            )
        )
    return lines


def _direction(places: list[tuple[Any, ...]]) -> tuple[int, int]:
    votes: dict[tuple[int, int], int] = {}
    for text, head, tail, _ in places:
        if len(text) < 4:
            continue
        dx = (tail[0] + tail[2]) / 2 - (head[0] + head[2]) / 2
        dy = (tail[1] + tail[3]) / 2 - (head[1] + head[3]) / 2
        if abs(dx) >= abs(dy):
            key = (1, 0) if dx >= 0 else (-1, 0)
        else:
            key = (0, 1) if dy > 0 else (0, -1)
        votes[key] = votes.get(key, 0) + len(text)
    return max(votes, key=votes.__getitem__) if votes else (1, 0)
