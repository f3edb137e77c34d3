"""The starter notebooks run top to bottom in a real kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO


@pytest.fixture
def ptah_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PTAH_HOME", str(tmp_path / "ws"))
    return tmp_path / "ws"


def run_notebook(name: str, cwd) -> nbformat.NotebookNode:
    notebook = nbformat.read(REPO / "notebooks" / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": cwd}},
    )
    client.execute()
    return notebook


def test_analyze_requirements_notebook_runs_the_main_job(ptah_home, tmp_path):
    work = tmp_path / "notebooks"
    work.mkdir()
    (tmp_path / "samples").symlink_to(REPO / "samples")

    notebook = run_notebook("analyze_requirements.ipynb", str(work))

    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert "Appointment portal" in html
    assert "FR-01" in html
    assert (work / "out" / "report.html").is_file()
