"""Limits, the worker process and its time limit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import (
    CorruptDocument,
    DocumentTooLarge,
    ReadTimeout,
    UnsupportedFormat,
)
from ptah_kernel.settings import ReaderLimits
from tests.test_read_docx import make_docx, para
from tests.test_read_pdf import _assemble

MiB = 1024**2


@cache
def memory_bomb_pdf(repeats: int = 2_000_000) -> bytes:
    """A PDF of under a megabyte whose one page makes PDFium ask for gigabytes.

    The page's content stream inflates to about 100 MB of text operators,
    all of them drawn on the same spot.
    """
    content = b"BT /F1 12 Tf 72 700 Td (The system shall work.) Tj ET\n" * repeats
    stream = zlib.compress(content, 1)
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_read_past_time_limit_times_out_then_worker_recovers(corpus):
    data = (corpus / "pdf" / "tcs-encrypted.pdf").read_bytes()

    with pytest.raises(ReadTimeout, match="max_seconds"):
        read_document(data, "tcs.pdf", limits=ReaderLimits(max_seconds=0.01))

    assert read_document(b"Still here.\n", "after.txt").blocks[0].text == "Still here."


def test_read_refusal_crosses_from_worker_with_its_class(corpus):
    data = (corpus / "unsupported" / "libra.doc").read_bytes()

    with pytest.raises(UnsupportedFormat, match="save it as .docx") as caught:
        read_document(data, "libra.doc")

    assert caught.value.filename == "libra.doc"


def test_read_page_limit_names_setting(corpus):
    data = (corpus / "pdf" / "themas.pdf").read_bytes()

    with pytest.raises(DocumentTooLarge, match=r"c\.Ptah\.max_pages") as caught:
        read_document(
            data, "themas.pdf", limits=ReaderLimits(max_seconds=0, max_pages=10)
        )

    assert "40" in caught.value.reason


def test_read_file_size_limit_checked_first():
    with pytest.raises(DocumentTooLarge, match="max_file_bytes"):
        read_document(b"x" * 101, "big.txt", limits=ReaderLimits(max_file_bytes=100))


def test_read_import_loads_no_heavy_library():
    code = (
        "import json, sys, ptah_kernel.documents.reading; "
        "print(json.dumps([m for m in ('pypdfium2', 'pypdf', 'docx', 'openpyxl', "
        "'lxml', 'pandas', 'charset_normalizer') if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert json.loads(done.stdout) == []


def test_read_worker_replaced_after_it_dies():
    from ptah_kernel.documents import _worker

    read_document(b"First.\n", "one.txt")
    (first, *_) = _worker._workers
    first.process.kill()
    first.process.wait()

    assert read_document(b"Second.\n", "two.txt").blocks[0].text == "Second."


def test_read_pdf_that_asks_for_gigabytes_is_refused_at_the_memory_bound():
    data = memory_bomb_pdf()
    limits = ReaderLimits(max_reader_memory=512 * MiB, reader_processes=1)
    started = time.monotonic()

    with pytest.raises(CorruptDocument, match=r"c\.Ptah\.max_reader_memory") as caught:
        read_document(data, "bomb.pdf", limits=limits)

    assert len(data) < 1_000_000
    assert "512 MiB" in caught.value.reason
    # A crash is the file's doing: it is not tried a second time.
    assert time.monotonic() - started < 60
    assert read_document(b"Next.\n", "next.txt").blocks[0].text == "Next."


def test_read_docx_past_the_memory_bound_is_refused_as_too_large():
    body = para("The system shall keep every row.") * 400_000
    data = make_docx(body)
    limits = ReaderLimits(max_reader_memory=300 * MiB, max_zip_ratio=100_000)

    with pytest.raises(DocumentTooLarge, match=r"c\.Ptah\.max_reader_memory") as caught:
        read_document(data, "rows.docx", limits=limits)

    assert "more memory than the limit of 300 MiB" in caught.value.reason
    assert read_document(b"Next.\n", "next.txt").blocks[0].text == "Next."


def test_read_memory_bound_holds_only_while_a_file_is_read():
    from ptah_kernel.documents import _worker

    small = ReaderLimits(max_reader_memory=300 * MiB, reader_processes=1)
    read_document(b"First.\n", "one.txt", limits=small)
    (worker, *_) = _worker._workers
    limits = Path(f"/proc/{worker.process.pid}/limits").read_text().splitlines()
    data_size = next(line for line in limits if line.startswith("Max data size"))

    assert data_size.split()[3] == "unlimited"


def long_pdf(pages: int, lines: int) -> bytes:
    """A PDF of many pages of many short lines, each line its own."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for page in range(pages):
        shown = b"".join(
            b"0 -12 Td (Page %d line %d: the clerk files a form.) Tj\n" % (page, n)
            for n in range(lines)
        )
        stream = zlib.compress(b"BT /F1 10 Tf 20 %d Td " % (lines * 12 + 20) + shown)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 %d] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (lines * 12 + 40, len(objects) + 2)
        )
        kids.append(b"%d 0 R" % len(objects))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(stream), stream)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids),
        pages,
    )
    return _assemble(objects)


def test_read_long_pdf_is_laid_out_in_a_reader_the_same_as_in_one():
    from ptah_kernel.documents import _worker

    data = long_pdf(pages=130, lines=400)
    one = read_document(data, "long.pdf", limits=ReaderLimits(reader_processes=1))
    two = read_document(data, "long.pdf", limits=ReaderLimits(reader_processes=2))

    assert _worker.KERNEL_LINES < 130 * 400
    assert len(one.blocks) > 100
    assert one.blocks == two.blocks


@pytest.mark.parametrize("processes", [1, 2])
def test_read_text_past_max_characters_is_refused_on_any_path(processes):
    pdf = long_pdf(pages=4, lines=50)
    text = b"The clerk files a form.\n\n" * 400
    limits = ReaderLimits(max_characters=5_000, reader_processes=processes)
    in_kernel = replace(limits, max_seconds=0)

    for data, name, used in (
        (pdf, "pages.pdf", limits),
        (text, "forms.txt", limits),
        (text, "forms.txt", in_kernel),
    ):
        with pytest.raises(DocumentTooLarge, match=r"c\.Ptah\.max_characters"):
            read_document(data, name, limits=used)

    assert read_document(pdf, "pages.pdf").pages == 4


def test_finding_that_runs_out_of_reader_memory_refuses_the_file(caplog):
    from ptah_kernel.documents.content import Block
    from ptah_kernel.documents.ingest import _finding_aside

    # Two runs, one per reader; the first paragraph alone splits into
    # millions of words, which no reader gets under a 64 MiB bound.
    blocks = [
        Block("heading", "1 Logging", "§1", 1),
        Block("paragraph", "The system shall log. " * 1_500_000, "§1 ¶1"),
        Block("heading", "2 Stopping", "§2", 1),
        Block("paragraph", "The system shall stop.", "§2 ¶1"),
    ]
    starved = ReaderLimits(max_reader_memory=64 * MiB, reader_processes=2)

    with (
        pytest.raises(DocumentTooLarge, match="64 MiB"),
        _finding_aside(blocks, "log.txt", starved) as drafts,
    ):
        drafts()

    assert "finding requirements again in this process" not in caplog.text
    assert read_document(b"Next.\n", "next.txt").blocks[0].text == "Next."
