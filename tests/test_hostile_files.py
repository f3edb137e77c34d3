"""Hostile and broken files, added to a real workspace: each refused, nothing kept.

The readers' own tests try each kind in depth; this one checks the promise
that matters to an analyst: after every refusal the workspace's tables and
blob folder are exactly as they were, and the rest of a batch goes on.
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ptah_kernel.errors import DocumentError
from ptah_kernel.settings import ReaderLimits, Settings
from ptah_kernel.workspace import open_workspace
from tests.conftest import CORPUS
from tests.test_read_docx import _declare_size, make_docx, para
from tests.test_read_limits import memory_bomb_pdf
from tests.test_read_pdf import _encrypted, make_pdf, paragraph
from tests.test_read_xlsx import make_xlsx

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def hostile_files() -> dict[str, bytes]:
    pdf = make_pdf([paragraph(700, "The system shall work.")])
    docx = make_docx(para("The system shall work."))
    xlsx = make_xlsx()
    return {
        "empty.pdf": b"",
        "truncated.pdf": pdf[: len(pdf) // 2],
        "truncated.docx": docx[: len(docx) // 2],
        "truncated.xlsx": xlsx[: len(xlsx) // 3],
        "password.pdf": _encrypted("s3cret"),
        "laughs.docx": make_docx(para("&lol3;"), BOMB),
        "external.docx": make_docx(para("&x;"), EXTERNAL),
        "bomb.docx": _declare_size(docx, "word/document.xml", 3_000_000_000),
        "random.bin": bytes(range(256)) * 64,
        "../../etc/passwd\x1b[31m.doc": (
            CORPUS / "unsupported" / "libra.doc"
        ).read_bytes(),
        "page.html": (CORPUS / "unsupported" / "multi-mahjong.html").read_bytes(),
        "huge.txt": b"The system shall work.\n" * 60_000,
        "memory-bomb.pdf": memory_bomb_pdf(),
    }


def snapshot(workspace) -> dict[str, object]:
    with workspace.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        counts = {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
            for name in tables
        }
    files = sorted(p.relative_to(workspace.folder) for p in workspace.folder.rglob("*"))
    keep = [str(p) for p in files if not str(p).startswith("ptah.db")]
    return {"rows": counts, "files": keep}


@pytest.fixture
def workspace(tmp_path):
    limits = ReaderLimits(max_file_bytes=1_000_000, max_reader_memory=512 * 1024**2)
    ws = open_workspace(tmp_path / "ws", settings=Settings(limits=limits, user="t"))
    ws.create_project("acme").add_document(b"Kept text shall stay.\n", "kept.txt")
    yield ws
    ws.close()


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_hostile_file_is_refused_and_changes_nothing(workspace, name):
    project = workspace.project("acme")
    before = snapshot(workspace)

    with pytest.raises(DocumentError) as refusal:
        project.add_document(hostile_files()[name], filename=name)

    message = str(refusal.value)
    assert message.startswith("'") and "\x1b" not in message
    assert len(message.splitlines()) == 1
    assert snapshot(workspace) == before


def test_batch_of_hostile_files_goes_on_to_the_good_one(workspace, tmp_path):
    project = workspace.project("acme")
    paths = []
    for index, (name, data) in enumerate(sorted(hostile_files().items())):
        path = tmp_path / f"{index}-{name.replace('/', '_')}"
        path.write_bytes(data)
        paths.append(path)
    good = tmp_path / "good.md"
    good.write_bytes(b"# Spec\n\nThe portal shall send reminders.\n")

    report = project.add_documents([*paths, good], progress=False)

    assert [o.status for o in report.outcomes].count("refused") == len(paths)
    assert report.outcomes[-1].status == "added"
    assert {d.filename for d in project.documents} == {"kept.txt", "good.md"}
