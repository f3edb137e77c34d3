"""Limits, the worker process and its time limit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import DocumentTooLarge, ReadTimeout, UnsupportedFormat
from ptah_kernel.settings import ReaderLimits


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
