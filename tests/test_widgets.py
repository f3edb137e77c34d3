"""The analyst widgets, driven through their Python side (no browser)."""

from __future__ import annotations

import pytest

from ptah_kernel.errors import PtahError
from ptah_kernel.widgets import Annotator, DocumentPanel, WBSEditor, Workbench
from ptah_kernel.widgets.documents import search_blocks
from tests.browser import CODE, RFP, seed_workspace


@pytest.fixture
def workspace(tmp_path):
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    folder = seed_workspace(tmp_path / "ws")
    opened = open_workspace(folder, settings=Settings(user="tester"))
    yield opened
    opened.close()


@pytest.fixture
def project(workspace):
    return workspace.project(CODE)


def cell(editor, code: str, field: str):
    return editor._inputs[editor._codes().index(code)][field]


def test_wbs_editor_totals_follow_an_edit(project):
    editor = WBSEditor(project)
    before = editor.totals.value

    cell(editor, "2.1", "most_likely_hours").value = "52"

    assert "P50 <b>90.7 h</b>" in before
    assert "P50 <b>98.7 h</b>" in editor.totals.value


def test_wbs_editor_saves_through_the_checked_path(project):
    editor = WBSEditor(project)
    cell(editor, "2.1", "most_likely_hours").value = "52"

    assert editor.save()
    assert {i.code: i.most_likely_hours for i in project.wbs}["2.1"] == 52.0
    assert project.wbs.version == 2


def test_wbs_editor_refuses_disordered_estimates(project):
    editor = WBSEditor(project)
    cell(editor, "2.1", "pessimistic_hours").value = "5"

    assert "error: Item 2.1" in editor.checks.value
    assert not editor.save()
    assert project.wbs.version == 1


def test_wbs_editor_marks_text_that_is_not_hours(project):
    editor = WBSEditor(project)
    cell(editor, "1.1", "optimistic_hours").value = "eight"

    assert "eight&#x27; is not a number of hours" in editor.checks.value
    assert not editor.save()
    assert "eight" in editor.status.value


def test_wbs_editor_refuses_to_overwrite_a_newer_version(project):
    first, second = WBSEditor(project), WBSEditor(project)
    assert first.save()

    cell(second, "3.1", "most_likely_hours").value = "20"

    assert not second.save()
    assert "Reload" in second.status.value


def test_wbs_editor_indent_and_insert_renumber_codes(project):
    editor = WBSEditor(project)
    editor._indent(2)  # phase 2 under phase 1
    editor._insert(0, level=1, kind="phase")

    assert editor._codes() == ["1", "2", "2.1", "2.2", "2.2.1", "2.2.2", "3", "3.1"]
    assert editor.save()
    assert [item.code for item in project.wbs][:3] == ["1", "2", "2.1"]


def test_wbs_editor_keeps_dependencies_on_renumbered_items(project):
    frame = project.wbs.to_frame()
    frame.loc[frame["code"] == "3.1", "depends_on"] = "2.2"
    project.wbs.apply_frame(frame)
    editor = WBSEditor(project)

    editor._insert(0, level=1, kind="phase")

    saved = editor.frame().set_index("code")["depends_on"]
    assert saved["4.1"] == "3.2"


def test_wbs_editor_remove_drops_the_subtree(project):
    editor = WBSEditor(project)
    editor._remove(editor._codes().index("2"))

    assert editor._codes() == ["1", "1.1", "2", "2.1"]


def test_document_panel_reads_files_and_reports_refusals(project):
    panel = DocumentPanel(project)

    lines = panel.add_files(
        [
            ("notes.md", RFP + b"\nREQ-9 It shall log in."),
            ("x.doc", b"\xd0\xcf\x11\xe0junk"),
        ]
    )

    assert "notes.md: read" in lines[0]
    assert "x.doc" in lines[1] and "color:#c0392b" in lines[1]
    assert len(project.documents) == 2


def test_search_blocks_needs_every_word(project):
    blocks = project.documents[0].blocks

    found = search_blocks(blocks, "shall SMS")

    assert [b.text for b in found] == ["REQ-2 The system shall send reminders by SMS."]


def test_annotator_annotates_replies_and_resolves(project):
    annotator = Annotator(project)
    block = search_blocks(project.documents[0].blocks, "book visits")[0]
    annotator.block.value = (block.anchor, block.text)
    annotator.quote.value = "book visits online"
    annotator.comment.value = "Which calendar?"
    annotator.tags["assumption"].value = True
    annotator._annotate()
    thread = project.annotations.iloc[-1]
    annotator.threads.value = int(thread["id"])
    annotator.reply_text.value = "Google"
    annotator._reply()
    annotator._toggle()

    assert thread["tags"] == "assumption"
    assert project.annotation(int(thread["id"])).status == "resolved"
    assert project.annotation(int(thread["id"])).replies[0]["text"] == "Google"


def test_annotator_lists_orphans_of_a_new_version(project):
    document = project.documents[0]
    project.add_document(
        b"# Portal\n\nREQ-1 Patients book.\n", "rfp-v2.md", replaces=document
    )

    annotator = Annotator(project)

    assert "Orphaned by a new version (1)" in annotator.orphans.value


def test_editing_widgets_refuse_to_run_in_voila(project, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")

    with pytest.raises(PtahError, match="JupyterLab only"):
        WBSEditor(project)
    assert "JupyterLab only" in Workbench().widget.value


def test_workbench_shows_four_tabs_for_the_picked_project(workspace):
    bench = Workbench(workspace)
    bench.picker.dropdown.value = CODE

    assert bench.tabs.titles == ("Documents", "Annotations", "WBS", "Ask Claude")
    assert bench.picker.project.conversations.empty


def test_workbench_notebook_runs_without_errors(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    from tests.conftest import REPO

    monkeypatch.setenv("PTAH_HOME", str(seed_workspace(tmp_path / "ws")))
    notebook = nbformat.read(REPO / "notebooks/workbench.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()

    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs
    )
