from __future__ import annotations

import filecmp
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from jupyter_core.paths import jupyter_path

from ptah_kernel.errors import PtahError
from ptah_kernel.exports import report
from ptah_kernel.exports.report import build_report_notebook, write_report
from ptah_kernel.wbs.draft import draft_wbs
from ptah_kernel.wbs.frame import items_to_frame

REPO = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}"


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def requirement(id, text, document, anchor, section="", kind="functional"):
    return {
        "id": id,
        "ref": id.split(":")[1],
        "text": text,
        "modality": "shall",
        "kind": kind,
        "source": "statement",
        "document": document,
        "anchor": anchor,
        "section": section,
    }


@pytest.fixture(scope="module")
def inputs() -> dict:
    requirements = pd.DataFrame(
        [
            requirement(
                "srs:R-1",
                "The system shall log in users.",
                "srs.pdf",
                "p.12 ¶3",
                "3 Login",
            ),
            requirement("srs:R-2", HOSTILE, "srs.pdf", "p.12 ¶4", f"3 {HOSTILE}"),
            requirement(
                "evil:R-3",
                "The page shall load in 2 s.",
                HOSTILE,
                "line 40",
                kind="performance",
            ),
        ]
    )
    documents = pd.DataFrame(
        [
            {
                "file": "srs.pdf",
                "format": "pdf",
                "pages": 20,
                "blocks": 310,
                "requirements": 2,
                "status": "read",
            },
            {
                "file": HOSTILE,
                "format": "txt",
                "pages": None,
                "blocks": 4,
                "requirements": 1,
                "status": "read",
            },
        ]
    )
    return {
        "project": {
            "code": "acme-portal",
            "name": f"Acme {HOSTILE}",
            "client": HOSTILE,
            "tech_stack": None,
        },
        "documents": documents,
        "requirements": requirements,
        "wbs": items_to_frame(draft_wbs(requirements)),
        "today": date(2026, 12, 4),
    }


@pytest.fixture(scope="module")
def page(inputs, tmp_path_factory) -> str:
    path = write_report(tmp_path_factory.mktemp("report") / "report.html", **inputs)
    return path.read_text(encoding="utf-8")


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.found


def test_write_report_has_the_sections(page):
    for title in ("Documents read", "Requirements", "Work breakdown structure"):
        assert f">{title}<" in page
    assert "acme-portal" in page and "2026-12-04" in page


def test_write_report_escapes_client_text(page):
    assert "<script>alert(1)" not in page
    assert page.count(ESCAPED) >= 5


def test_write_report_has_no_script_and_no_offsite_link(page):
    found = tags(page)
    links = [a.get("src") or a.get("href") or "" for _, a in found]

    assert not [tag for tag, _ in found if tag in ("script", "link", "iframe")]
    assert not [link for link in links if link.startswith(("http:", "https:", "//"))]


def test_write_report_shows_no_code(page):
    classes = {c for _, a in tags(page) for c in (a.get("class") or "").split()}

    assert not {"jp-CodeMirrorEditor", "jp-InputPrompt", "jp-OutputPrompt"} & classes
    assert "In&nbsp;[" not in page


def test_write_report_lists_requirements_under_their_document(page):
    srs = page.index(">srs.pdf <small>(2)</small></h3>")

    first = page.index("The system shall log in users.", srs)
    assert page.index(ESCAPED, first) < page.index("line 40")
    assert "p.12 ¶3" in page and "line 40" in page


def test_write_report_indents_the_wbs_by_level(page):
    rows = [a.get("class") for tag, a in tags(page) if tag == "tr" and a.get("class")]

    assert {"ptah-level-1", "ptah-level-2", "ptah-level-3"} <= set(rows)
    assert "No estimates have been entered yet." in page


def test_build_report_notebook_carries_outputs_and_no_code(inputs):
    notebook = build_report_notebook(**inputs)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]

    nbformat.validate(notebook)
    assert {cell.source for cell in code} == {""}
    assert all(cell.outputs[0].output_type == "display_data" for cell in code)


def test_write_report_of_an_empty_project(inputs, tmp_path):
    empty = pd.DataFrame()
    path = write_report(
        tmp_path / "empty.html",
        project=inputs["project"],
        documents=empty,
        requirements=empty,
        wbs=empty,
    )

    assert "No requirements were found in the documents." in path.read_text()


def test_report_template_found_by_name_on_the_command_line(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Tiny"),
            nbformat.v4.new_code_cell("print('secret')"),
        ]
    )
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    jupyter = Path(sys.executable).with_name("jupyter")

    done = subprocess.run(
        [
            jupyter,
            "nbconvert",
            "--to",
            "html",
            "--template",
            "ptah-report",
            "tiny.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    page = (tmp_path / "tiny.html").read_text()
    assert done.returncode == 0, done.stderr
    assert 'class="jp-Notebook ptah-report"' in page and "secret" not in page


def test_report_template_installed_copy_is_current():
    # An editable install copies shared-data instead of linking it, so an
    # edited template needs `pip install -e .` again before Jupyter sees it.
    installed = next(
        Path(root) / "nbconvert" / "templates" / "ptah-report"
        for root in jupyter_path()
        if (Path(root) / "nbconvert" / "templates" / "ptah-report").is_dir()
    )
    source = REPO / "templates" / "ptah-report"
    names = ["conf.json", "index.html.j2", "static/ptah-report.css"]

    match, mismatch, errors = filecmp.cmpfiles(source, installed, names, shallow=False)
    assert (mismatch, errors) == ([], []), "run `pip install -e .` again"


def test_write_report_shows_hours_once_estimated(inputs, tmp_path):
    wbs = inputs["wbs"].copy()
    wbs.loc[2, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = [
        2,
        4.5,
        10,
    ]

    page = write_report(tmp_path / "r.html", **(inputs | {"wbs": wbs})).read_text()
    assert '<td class="ptah-number">2 / 4.5 / 10</td>' in page
    assert "Hours are optimistic / most likely / pessimistic." in page


def test_render_report_without_template_says_how_to_install(inputs, monkeypatch):
    monkeypatch.setattr(report, "REPORT_TEMPLATE", "ptah-report-not-installed")
    notebook = build_report_notebook(**inputs)

    with pytest.raises(
        PtahError, match=r"not where Jupyter looks .*`pip install -e \.`"
    ):
        report.render_report(notebook)
