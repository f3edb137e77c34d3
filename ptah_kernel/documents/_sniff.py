"""Tell a file's format from its bytes, and its name only for text.

A PDF named `.docx` is still a PDF: binary formats are recognised by their
magic bytes, and zip containers by the parts they hold. Only text (which
has no magic) is told apart by extension: Markdown or plain text.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from pathlib import PurePath

from ptah_kernel.documents import _refusals

logger = logging.getLogger(__name__)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
LEGACY_SUFFIXES = {".doc": "doc", ".dot": "doc", ".xls": "xls", ".xlt": "xls"}


def suffix_of(filename: str) -> str:
    """The lower-case extension of a file name, with its dot."""
    return PurePath(filename).suffix.lower()


def binary_kind(data: bytes, filename: str) -> str | None:
    """The binary format of `data`: "pdf", "docx", "xlsx", or None for text.

    Raises UnsupportedFormat for binary formats Ptah does not read, and
    CorruptDocument for a zip container whose directory cannot be read.
    """
    if is_pdf(data):
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        raise _refusals.unsupported(
            filename, LEGACY_SUFFIXES.get(suffix_of(filename), "ole")
        )
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, filename)
    if data.lstrip()[:5] == b"{\\rtf":
        raise _refusals.unsupported(filename, "rtf")
    return None


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF, header first or a little way in.

    PDF readers accept the header anywhere in the first KB; past the start,
    the file must also end like a PDF, so a note or a Markdown file that
    merely mentions "%PDF-" is not taken for one.
    """
    at = data.find(b"%PDF-", 0, 1024)
    if at < 0:
        return False
    return not data[:at].strip(b" \t\r\n\x00\xef\xbb\xbf") or b"%%EOF" in data[-2048:]


def _zip_kind(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = _content_types(archive, names)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        kind = {".xlsx": "Excel", ".xlsm": "Excel"}.get(suffix_of(filename), "Word")
        raise _refusals.corrupt(
            filename, kind, "its zip directory is unreadable"
        ) from exc

    if "wordprocessingml" in types or "word/document.xml" in names:
        return "docx"
    if "spreadsheetml" in types or "xl/workbook.xml" in names:
        return "xlsx"
    if "presentationml" in types or "ppt/presentation.xml" in names:
        raise _refusals.unsupported(filename, "pptx")
    if "mimetype" in names:
        raise _refusals.unsupported(filename, "odf")
    raise _refusals.unsupported(filename, "zip")


def _content_types(archive: zipfile.ZipFile, names: set[str]) -> str:
    # `[Content_Types].xml` names the main part's type; read only its
    # start, and only when it is small, so a bomb here inflates nothing.
    if "[Content_Types].xml" not in names:
        return ""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > 1_000_000:
        return ""
    with archive.open(info) as part:
        return part.read(200_000).decode("utf-8", "replace")


def text_kind(text: str, filename: str) -> str:
    """Tell Markdown from plain text by extension; refuse HTML and legacy names."""
    suffix = suffix_of(filename)
    start = text.lstrip()[:200].lower()
    if suffix in HTML_SUFFIXES or start.startswith(("<!doctype html", "<html")):
        raise _refusals.unsupported(filename, "html")
    if suffix in LEGACY_SUFFIXES:
        raise _refusals.unsupported(filename, LEGACY_SUFFIXES[suffix])
    if suffix == ".rtf":
        raise _refusals.unsupported(filename, "rtf")
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
