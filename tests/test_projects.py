"""Projects and their documents: adding, refusing, re-adding, deleting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ptah_kernel.errors import DocumentNotFound, EmptyDocument, UnsupportedFormat
from ptah_kernel.store.models import (
    BlockRow,
    DocumentRow,
    RequirementRow,
    WBSRow,
    WorkItemRow,
)
from tests.conftest import CORPUS

SPEC = b"""# Portal

## Booking

The portal shall show free slots for the next eight weeks.

The portal shall send a confirmation within one minute.
"""


def count(workspace, model) -> int:
    with workspace.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def blob_names(workspace) -> list[str]:
    return sorted(workspace.blobs.names())


def test_add_document_reads_blocks_and_requirements(workspace):
    project = workspace.create_project("acme")

    document = project.add_document(SPEC, filename="spec.md")

    assert document.format == "markdown"
    assert [b.kind for b in document.blocks][:2] == ["heading", "heading"]
    assert len(project.requirements) == 2
    assert document.original == SPEC


def test_add_document_same_bytes_returns_the_stored_document(workspace):
    project = workspace.create_project("acme")
    first = project.add_document(SPEC, filename="spec.md")

    again = project.add_document(SPEC, filename="renamed.md")

    assert again.id == first.id
    assert count(workspace, DocumentRow) == 1
    assert len(project.requirements) == 2


def test_requirements_frame_has_the_documented_columns(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")
    project.add_document(SPEC, filename="spec.md")

    frame = project.requirements

    expected = {"id", "ref", "text", "modality", "kind", "document", "anchor"}
    assert expected <= set(frame.columns)
    assert set(frame["document"]) == {"spec.md"}
    assert frame["id"].is_unique


def test_add_document_refuses_unsupported_and_keeps_nothing(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")
    legacy = CORPUS / "unsupported" / "libra.doc"

    with pytest.raises(UnsupportedFormat, match="libra.doc.*docx"):
        project.add_document(legacy)

    assert count(sqlite_workspace, DocumentRow) == 0
    assert blob_names(sqlite_workspace) == []


def test_add_document_refuses_empty_file(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")

    with pytest.raises(EmptyDocument, match="'empty.pdf'"):
        project.add_document(b"", filename="empty.pdf")

    assert count(sqlite_workspace, DocumentRow) == 0


def test_batch_goes_on_past_refused_files(sqlite_workspace, tmp_path):
    project = sqlite_workspace.create_project("acme")
    good = tmp_path / "spec.md"
    good.write_bytes(SPEC)
    sources = [CORPUS / "unsupported" / "review-sheet.xls", tmp_path / "gone.pdf", good]

    report = project.add_documents(sources, progress=False)

    assert [o.status for o in report.outcomes] == ["refused", "refused", "added"]
    assert "gone.pdf" in report.outcomes[1].line()
    assert not report.ok
    assert blob_names(sqlite_workspace) == [project.documents[0].sha256]


def test_document_name_is_text_never_a_path(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")
    name = "../../etc/passwd\n.md"

    document = project.add_document(SPEC, filename=name)

    assert document.filename == name
    assert project.document(name).id == document.id
    assert not (sqlite_workspace.folder.parent / "etc").exists()
    assert "\\n" in repr(document)


def test_document_lookup_by_unknown_name_says_how_to_list(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")

    with pytest.raises(DocumentNotFound, match="ptah show acme"):
        project.document("missing.pdf")


def test_delete_project_leaves_nothing_behind(workspace):
    project = workspace.create_project("acme")
    project.add_document(SPEC, filename="spec.md")
    project.draft_wbs()
    kept = workspace.create_project("other")
    kept.add_document(b"Other text shall stay.\n", filename="other.txt")

    project.delete()

    other_id = kept.documents[0].id
    assert [p.code for p in workspace.projects()] == ["other"]
    for model in (BlockRow, RequirementRow):
        with workspace.session() as session:
            owners = set(session.scalars(select(model.document_id)))
        assert owners == {other_id}
    assert count(workspace, DocumentRow) == 1
    assert count(workspace, WBSRow) == 0
    assert count(workspace, WorkItemRow) == 0
    assert blob_names(workspace) == [kept.documents[0].sha256]


def test_delete_project_keeps_blob_another_project_uses(workspace):
    first = workspace.create_project("first")
    second = workspace.create_project("second")
    first.add_document(SPEC, filename="spec.md")
    second.add_document(SPEC, filename="spec.md")

    first.delete()

    assert len(blob_names(workspace)) == 1
    assert second.documents[0].original == SPEC


def test_draft_wbs_is_stored_and_covers_every_requirement(workspace):
    project = workspace.create_project("acme")
    project.add_document(SPEC, filename="spec.md")

    drafted = project.draft_wbs()

    stored = project.wbs
    covered = {rid for item in stored for rid in item.requirements}
    assert covered == set(project.requirements["id"])
    assert [i.code for i in stored] == [i.code for i in drafted]
    assert all(i.most_likely_hours is None for i in stored)


KILLED_INGEST = """
import sys
from ptah_kernel.settings import Settings
from ptah_kernel.workspace import open_workspace

ws = open_workspace(sys.argv[1], settings=Settings(user="child"))
project = ws.ensure_project("acme")
for path in sys.argv[2:]:
    project.add_documents([path], progress=False)
"""


def corpus_batch() -> list[str]:
    folders = ["pdf", "docx", "md", "txt", "xlsx"]
    return [str(p) for f in folders for p in sorted((CORPUS / f).iterdir())]


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.9])
def test_killed_ingest_leaves_no_partial_document_or_orphan_blob(tmp_path, delay):
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    folder = tmp_path / "ws"
    open_workspace(folder, settings=Settings()).close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_INGEST, folder, *corpus_batch()]
    )
    wait_for_first_document(folder / "ptah.db", child)
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    ws = open_workspace(folder, settings=Settings())

    stored = {d.sha256 for p in ws.projects() for d in p.documents}
    assert set(ws.blobs.names()) == stored
    assert list((folder / "blobs" / "pending").iterdir()) == []
    assert all(d.summary()["blocks"] > 0 for p in ws.projects() for d in p.documents)
    ws.close()


def wait_for_first_document(database: Path, child: subprocess.Popen) -> None:
    import sqlite3

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        try:
            with sqlite3.connect(database, timeout=1) as connection:
                if connection.execute("select count(*) from documents").fetchone()[0]:
                    return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.02)
    raise AssertionError("the child process stored no document within a minute")


def test_requirements_carry_their_ambiguity_flags(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")
    text = b"The portal shall be easy to use and respond fast where possible.\n"
    project.add_document(text, filename="nfr.txt")

    flags = project.requirements.loc[0, "ambiguity"]

    assert flags == "easy, fast, where possible"
