"""The client report: an executed notebook, rendered with no code, as HTML and PDF."""

from __future__ import annotations

import re
import subprocess

import pytest

from ptah_kernel.settings import Settings
from ptah_kernel.wbs.model import WorkItem
from ptah_kernel.workspace import open_workspace

HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"
SPEC = b"""# Portal

REQ-1 The portal shall show free slots for the next eight weeks.

REQ-2 The portal shall hold a chosen slot for five minutes.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    ws = open_workspace(folder / "ws", settings=Settings(user="tester"))
    project = ws.create_project("acme", "Acme portal", client=HOSTILE)
    document = project.add_document(SPEC, filename="spec.md")
    document.annotate("five minutes", "Is five enough?", tags=["question"])
    project.set_rate("developer", 100, "EUR")
    project.import_wbs(
        [
            WorkItem("1", "Booking", "phase"),
            WorkItem(
                "1.1",
                "Slots",
                "work package",
                ["spec:REQ-1"],
                role="developer",
                optimistic_hours=2,
                most_likely_hours=4,
                pessimistic_hours=12,
            ),
            WorkItem(
                "1.2",
                "Holding",
                "work package",
                ["spec:REQ-2"],
                role="developer",
                optimistic_hours=6,
                most_likely_hours=8,
                pessimistic_hours=16,
                depends_on=["1.1"],
            ),
        ]
    )
    return project, folder


@pytest.fixture(scope="module")
def page(project) -> str:
    project, folder = project
    path = project.write_report(folder / "report.html", start="2027-03-01")
    return path.read_text()


def test_report_has_every_section_and_the_totals(page):
    # P50 = 5 + 9 = 14 h; sd = sqrt(2 * (10/6)^2) = 2.357; P80 = 14 + 0.8416 * sd.
    for title in [
        "Contents",
        "Summary",
        "Work breakdown structure",
        "Schedule",
        "Requirements",
        "Traceability",
        "Assumptions and open questions",
    ]:
        assert f">{title}</" in page
    assert ">14.0<" in page
    assert ">16.0<" in page
    assert ">1,400.0<" in page


def test_report_has_no_code_no_scripts_and_no_other_host(page):
    assert "report.show(" not in page and "open_project(" not in page
    assert "<script" not in page.lower()
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)


def test_report_escapes_client_text_and_lists_open_questions(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Is five enough?" in page


def test_report_as_pdf_shows_name_and_total(project):
    project, folder = project

    path = project.write_report(folder / "report.pdf", "pdf", start="2027-03-01")

    text = subprocess.run(
        ["pdftotext", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "Acme portal" in text
    assert "14.0" in text


def test_report_without_graphviz_says_how_to_get_the_diagram(project, monkeypatch):
    from ptah_kernel.exports import report_cells

    project, folder = project
    monkeypatch.setenv("PATH", str(folder))

    section = report_cells.wbs(project, None)

    assert "apt-get install graphviz" in section
    assert "Slots" in section
