"""Every corpus file reads, and every unsupported one is refused clearly."""

from __future__ import annotations

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import UnsupportedFormat
from ptah_kernel.settings import ReaderLimits
from tests.conftest import corpus_files

READABLE = [
    p for folder in ("pdf", "docx", "xlsx", "md", "txt") for p in corpus_files(folder)
]
HERE = ReaderLimits(max_seconds=0)


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_read_corpus_file_gives_anchored_blocks(path):
    content = read_document(path.read_bytes(), path.name, limits=HERE)

    assert content.blocks
    assert all(block.anchor for block in content.blocks)
    assert not any(
        ch in block.text for block in content.blocks for ch in "\ufb01\ufb02\ufffe"
    )


@pytest.mark.parametrize("path", corpus_files("unsupported"), ids=lambda p: p.name)
def test_read_unsupported_names_file_and_conversion(path):
    with pytest.raises(UnsupportedFormat, match=path.name) as caught:
        read_document(path.read_bytes(), path.name, limits=HERE)

    assert "save" in caught.value.reason or "convert" in caught.value.reason


def test_read_encrypted_corpus_pdf_with_empty_password(corpus):
    path = corpus / "pdf" / "tcs-encrypted.pdf"

    content = read_document(path.read_bytes(), path.name)

    assert content.pages == 148
    assert any("shall" in block.text for block in content.blocks)


def test_read_text_backlog_gives_one_block_per_line(corpus):
    path = corpus / "txt" / "archivesspace-stories.txt"
    lines = [line for line in path.read_text().splitlines() if line.strip()]

    content = read_document(path.read_bytes(), path.name, limits=HERE)

    assert len(content.blocks) == len(lines)
    assert content.blocks[1].anchor == "line 2"


def test_read_docx_corpus_heading_numbers_from_style(corpus):
    path = corpus / "docx" / "openetcs-api-requirements-v1.4.docx"

    blocks = read_document(path.read_bytes(), path.name, limits=HERE).blocks
    headings = {b.anchor: b for b in blocks if b.kind == "heading"}

    assert headings["§4.2.3.1"].text == "4.2.3.1 Description"
    assert headings["§4.2.3.1"].heading_path[-1] == "4.2.3 Service INITIALIZE"


def test_read_docx_corpus_unstyled_bold_headings(corpus):
    path = corpus / "docx" / "srs-unstyled-headings.docx"

    blocks = read_document(path.read_bytes(), path.name, limits=HERE).blocks
    headings = [b for b in blocks if b.kind == "heading"]

    assert "3.2.1 Register a Receipt" in [b.text for b in headings]
    assert any(b.anchor == "§3.2.1 table 1" for b in blocks)


def test_read_xlsx_corpus_ignores_stated_dimension(corpus):
    path = corpus / "xlsx" / "epermit-pricing-template.xlsx"

    content = read_document(path.read_bytes(), path.name, limits=HERE)
    rows = sum(len(b.table.rows) for b in content.blocks)

    assert rows < 200
    assert content.metadata["sheets"] == ["CLIN Structure", "Labor Pricing"]
