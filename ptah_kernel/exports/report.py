"""The client report: a notebook with its outputs in place, rendered to HTML.

The notebook is built here, cell by cell, with every output already in it
(static headings as Markdown, tables as HTML display data), so no kernel
runs: rendering is quick and cannot fail on code. nbconvert then renders
it with the `ptah-report` template, found by name on Jupyter's data path
(`share/jupyter/nbconvert/templates/ptah-report`, installed with Ptah).
That template drops every script and CDN link, so the file opens offline,
and shows no code and no prompts.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError
from ptah_kernel.exports import _report_sections as sections

if TYPE_CHECKING:
    import nbformat
    import pandas as pd

__all__ = ["REPORT_TEMPLATE", "build_report_notebook", "render_report", "write_report"]

log = logging.getLogger(__name__)

REPORT_TEMPLATE = "ptah-report"


def write_report(
    path: str | Path,
    *,
    project: dict[str, Any],
    documents: pd.DataFrame,
    requirements: pd.DataFrame,
    wbs: pd.DataFrame,
    today: date | None = None,
) -> Path:
    """Write the client report as one self-contained HTML file at `path`.

    `project` has `code`, `name`, `client` and `tech_stack`; `documents`
    has `file, format, pages, blocks, requirements, status`; `requirements`
    is the project's requirements frame; `wbs` is in the stable WBS layout
    (`items_to_frame`). Sections: the project header (dated `today`, by
    default the current date), the documents read, the requirements of
    each document with their anchors, and the WBS. Every text from the
    project or its documents is escaped. Returns the path written.
    """
    path = Path(path)
    notebook = build_report_notebook(
        project=project,
        documents=documents,
        requirements=requirements,
        wbs=wbs,
        today=today or date.today(),
    )
    path.write_text(render_report(notebook), encoding="utf-8")
    log.info("Wrote the report of %r to %s", project.get("code"), path)
    return path


def build_report_notebook(
    *,
    project: dict[str, Any],
    documents: pd.DataFrame,
    requirements: pd.DataFrame,
    wbs: pd.DataFrame,
    today: date,
) -> nbformat.NotebookNode:
    """The report as a notebook whose cells carry their outputs, no code."""
    import nbformat

    counts = {
        "documents": len(documents),
        "requirements": len(requirements),
        "work items": len(wbs),
    }
    cells = [
        _html_cell(sections.project_header(project, counts, today)),
        _heading_cell("Documents read"),
        _html_cell(sections.documents_table(documents)),
        _heading_cell("Requirements"),
        _html_cell(sections.requirements_by_document(requirements)),
        _heading_cell("Work breakdown structure"),
        _html_cell(sections.wbs_table(wbs)),
    ]
    title = f"{project.get('name') or project.get('code') or 'Project'}: report"
    return nbformat.v4.new_notebook(cells=cells, metadata={"title": title})


def render_report(notebook: nbformat.NotebookNode) -> str:
    """Render a report notebook to HTML with the `ptah-report` template.

    Raises PtahError when Jupyter cannot find the template.
    """
    from nbconvert import HTMLExporter

    try:
        exporter = HTMLExporter(
            template_name=REPORT_TEMPLATE,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        body, _ = exporter.from_notebook_node(notebook)
    except ValueError as exc:
        if "No template sub-directory" not in str(exc):
            raise
        raise PtahError(
            f"The report template {REPORT_TEMPLATE!r} is not where Jupyter looks "
            "for templates (see `jupyter --paths`). Install Ptah into this "
            "environment (`pip install -e .` in a checkout) to put it in "
            "share/jupyter/nbconvert/templates."
        ) from exc
    return body


def _heading_cell(title: str) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.v4.new_markdown_cell(f"## {title}")


def _html_cell(fragment: str) -> nbformat.NotebookNode:
    import nbformat

    output = nbformat.v4.new_output("display_data", data={"text/html": fragment})
    return nbformat.v4.new_code_cell(source="", outputs=[output])
