"""Plain text and Markdown."""

from __future__ import annotations

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import EmptyDocument, UnsupportedFormat
from ptah_kernel.settings import ReaderLimits

HERE = ReaderLimits(max_seconds=0)


def read(data: bytes, name: str):
    return read_document(data, name, limits=HERE)


def test_read_text_in_cp1252():
    data = "The café’s system shall print “receipts”.\n".encode("cp1252")

    content = read(data, "notes.txt")

    assert content.blocks[0].text == "The café’s system shall print “receipts”."


def test_read_text_in_utf16_with_bom():
    data = "Ünïcode requirement: the system shall cope.\n".encode("utf-16")

    assert read(data, "notes.txt").blocks[0].text.startswith("Ünïcode requirement")


def test_read_text_wrapped_prose_joins_lines():
    data = (
        b"The system shall keep\na log of all\nchanges\n\nSecond one here\nand more\n"
    )

    blocks = read(data, "notes").blocks

    assert [b.text for b in blocks] == [
        "The system shall keep a log of all changes",
        "Second one here and more",
    ]
    assert blocks[1].anchor == "line 5"


def test_read_empty_file_is_empty_document():
    with pytest.raises(EmptyDocument, match="empty"):
        read(b"", "blank.pdf")


def test_read_binary_junk_is_unsupported():
    with pytest.raises(UnsupportedFormat, match="PDF, DOCX"):
        read(bytes(range(256)) * 4, "blob.bin")


def test_read_html_named_txt_is_unsupported():
    with pytest.raises(UnsupportedFormat, match="print it to PDF"):
        read(b"<!DOCTYPE html><html><body>x</body></html>", "page.txt")


MARKDOWN = b"""# Portal SRS

Intro text
over two lines.

## 3.2 Login

- The system shall lock accounts.
  More about locking.
    - Nested detail.
1. First numbered

| ID | Requirement |
|----|-------------|
| R1 | Shall log **all** logins |

Setext title
------------
"""


def test_read_markdown_headings_lists_and_tables():
    content = read(MARKDOWN, "srs.md")
    blocks = content.blocks

    assert content.title == "Portal SRS"
    assert [(b.kind, b.anchor) for b in blocks[:3]] == [
        ("heading", "§Portal SRS"),
        ("paragraph", "§Portal SRS ¶1"),
        ("heading", "§3.2"),
    ]
    assert [(b.text, b.level) for b in blocks[3:6]] == [
        ("The system shall lock accounts. More about locking.", 1),
        ("Nested detail.", 2),
        ("1. First numbered", 1),
    ]


def test_read_markdown_table_rows_anchored():
    blocks = read(MARKDOWN, "srs.md").blocks
    table = blocks[6]

    assert table.table.rows == (("ID", "Requirement"), ("R1", "Shall log all logins"))
    assert table.table.row_anchors[1] == "§3.2 table 1 row 2"
    assert (blocks[7].kind, blocks[7].text, blocks[7].level) == (
        "heading",
        "Setext title",
        2,
    )


def test_markdown_that_mentions_the_pdf_header_is_markdown():
    text = b"# Formats\n\nA PDF starts with `%PDF-1.7`; the portal shall accept it.\n"

    content = read_document(text, "formats.md", limits=HERE)

    assert content.format == "markdown"


def test_pdf_behind_a_line_of_text_is_still_a_pdf(corpus):
    data = (corpus / "pdf" / "agentmom.pdf").read_bytes()

    content = read_document(b"Saved from the portal\n" + data, "a.pdf", limits=HERE)

    assert content.format == "pdf"
