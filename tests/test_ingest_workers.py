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


def test_an_interrupt_between_two_sends_leaves_nothing_for_the_next_file(
    corpus, monkeypatch
):
    sent = []
    real = _worker.write_message

    def interrupted_at_the_second_part(stream, message):
        if message[0] == "pdf part":
            sent.append(message)
            if len(sent) == 2:
                raise KeyboardInterrupt
        return real(stream, message)

    monkeypatch.setattr(_worker, "write_message", interrupted_at_the_second_part)
    themas = corpus / "pdf" / "themas.pdf"
    with pytest.raises(KeyboardInterrupt):
        read_document(themas.read_bytes(), themas.name)
    monkeypatch.setattr(_worker, "write_message", real)

    esa = corpus / "pdf" / "esa.pdf"
    here = read_document(esa.read_bytes(), esa.name, limits=ReaderLimits(max_seconds=0))
    assert read_document(esa.read_bytes(), esa.name) == here


def test_workers_killed_between_files_cost_nothing(tmp_path, corpus):
    workspace = open_workspace(tmp_path / "ws", settings=Settings(user="tester"))
    project = workspace.create_project("acme")
    project.add_document(corpus / "md" / "eqip-pws.md")

    running = [worker for worker in _worker._workers if worker is not None]
    for worker in running:
        worker.process.kill()
    report = project.add_documents(
        [corpus / "pdf" / "esa.pdf", corpus / "pdf" / "themas.pdf"], progress=False
    )
    workspace.close()

    assert running
    assert report.ok, str(report)


def test_two_threads_adding_the_same_bytes_keep_one_readable_document(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    workspace = open_workspace(tmp_path / "ws", settings=Settings(user="tester"))
    project = workspace.create_project("acme")
    data = b"As a clerk, I want to print invoices, so that I can post them.\n"

    with ThreadPoolExecutor(2) as pool:
        rows = list(pool.map(lambda _: project.add_document(data, "s.txt"), [1, 2]))

    assert rows[0].id == rows[1].id
    assert [d.original for d in project.documents] == [data]
    workspace.close()


def test_a_kernel_forked_while_a_thread_reads_reads_on_its_own(tmp_path, corpus):
    import subprocess
    import sys

    script = f"""
import os, sys, threading, time
from ptah_kernel.documents.reading import read_document
data = open({str(corpus / "pdf" / "nde.pdf")!r}, "rb").read()
threading.Thread(target=read_document, args=(data, "nde.pdf")).start()
time.sleep(0.3)
pid = os.fork()
if pid == 0:
    blocks = read_document(b"Child text.\\n", "child.txt").blocks
    os._exit(0 if blocks[0].text == "Child text." else 3)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""
    done = subprocess.run([sys.executable, "-c", script], timeout=120, cwd=tmp_path)

    assert done.returncode == 0


def test_two_threads_adding_files_of_one_name_get_two_lineages(workspace):
    # On PostgreSQL two write transactions overlap: each would see the name
    # free unless the project's row is locked first.
    from concurrent.futures import ThreadPoolExecutor

    project = workspace.create_project("acme")
    rounds = 6

    for n in range(rounds):
        texts = [b"The portal shall log in %d.\n" % n, b"It logs out %d.\n" % n]
        name = f"same-{n}.txt"
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(project.add_document, texts, [name, name]))

    lineages = sorted(d.lineage for d in project.documents)
    assert len(set(lineages)) == 2 * rounds
    assert lineages[:2] == ["same-0", "same-0-2"]
