"""Ingest on two reader processes gives what one process gives, and survives
losing a worker while it finds requirements."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ptah_kernel.documents import _worker
from ptah_kernel.documents.ingest import _finding_aside
from ptah_kernel.documents.reading import read_document
from ptah_kernel.requirements.finding import find_drafts
from ptah_kernel.settings import ReaderLimits, Settings
from ptah_kernel.workspace import open_workspace
from tests.conftest import corpus_files


def _requirements(tmp_path, name: str, processes: int, path):
    limits = ReaderLimits(reader_processes=processes)
    settings = Settings(user="tester", limits=limits)
    workspace = open_workspace(tmp_path / name, settings=settings)
    try:
        project = workspace.create_project("acme")
        project.add_document(path)
        frame = project.requirements
    finally:
        workspace.close()
    return frame.drop(columns=[c for c in frame.columns if "created" in c])


@pytest.mark.parametrize(
    "path",
    [corpus_files("pdf")[-1], corpus_files("docx")[0]],
    ids=lambda p: p.name,
)
def test_two_reader_processes_store_what_one_stores(tmp_path, path):
    one = _requirements(tmp_path, "one", 1, path)
    two = _requirements(tmp_path, "two", 2, path)

    assert len(one) > 50
    assert one.equals(two)


def test_finding_goes_on_in_the_kernel_when_a_worker_dies(corpus, caplog):
    # The largest PDF: its second run takes the worker far longer than the
    # kill below takes to land.
    path = corpus / "pdf" / "tcs-encrypted.pdf"
    blocks = read_document(path.read_bytes(), path.name).blocks
    limits = ReaderLimits(reader_processes=2)

    with _finding_aside(blocks, path.name, limits) as drafts:
        _worker._workers[1].process.kill()
        found = drafts()

    assert found == find_drafts(blocks)
    assert "finding requirements again in this process" in caplog.text
    assert read_document(b"Next.\n", "next.txt").blocks[0].text == "Next."


def test_finding_in_one_process_needs_no_worker(corpus):
    path = corpus / "md" / "eqip-pws.md"
    blocks = read_document(path.read_bytes(), path.name).blocks
    limits = replace(ReaderLimits(), reader_processes=1)

    with _finding_aside(blocks, path.name, limits) as drafts:
        found = drafts()

    assert found == find_drafts(blocks)
    assert len(found) > 50
