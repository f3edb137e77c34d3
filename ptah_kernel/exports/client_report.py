"""The client report: a notebook executed for one project, rendered without code.

Each code cell of the report notebook shows one section through
`report_cells`; a real kernel runs it, as `jupyter nbconvert --execute`
would, and the `ptah-report` template renders the outputs only. PDF comes
from headless Chromium printing that HTML, so the two look the same.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    import nbformat

    from ptah_kernel.projects import Project

logger = logging.getLogger(__name__)

__all__ = ["report_notebook", "write_client_report"]

Format = Literal["html", "pdf"]
# The cover and contents, then the sections in `report_cells.SECTIONS` order.
ORDER = [
    "cover",
    "contents",
    "summary",
    "wbs",
    "schedule",
    "requirements",
    "traceability",
    "questions",
    "documents",
]
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Flags for a headless print on a machine with no network to talk to.
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)


def report_notebook(
    workspace: Path, code: str, start: str | None = None
) -> nbformat.NotebookNode:
    """The report notebook for one project: a code cell per section."""
    import nbformat

    setup = (
        "from ptah_kernel.exports import report_cells as report\n"
        f"project = report.open_project({str(workspace)!r}, {code!r})"
    )
    cells = [nbformat.v4.new_code_cell(setup)]
    cells += [
        nbformat.v4.new_code_cell(f"report.show({name!r}, project, {start!r})")
        for name in ORDER
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


def write_client_report(
    project: Project,
    path: str | Path,
    format: Format = "html",
    start: str | None = None,
) -> Path:
    """Execute the report notebook and write it as HTML or PDF to `path`."""
    from ptah_kernel.exports.report import render_report

    if format not in ("html", "pdf"):
        raise PtahError(f"A report is 'html' or 'pdf', not {format!r}.")
    path = Path(path)
    notebook = report_notebook(project.workspace.folder, project.code, start)
    _execute(notebook)
    page = render_report(notebook)
    if format == "html":
        path.write_text(page, encoding="utf-8")
        return path
    return _print_pdf(page, path)


def _execute(notebook: nbformat.NotebookNode) -> None:
    # A thread and an event loop of its own, closed afterwards: a notebook
    # that asks for a report is already inside a running loop.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(notebook, timeout=600, kernel_name="python3")
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, client.async_execute()).result()
    except CellExecutionError as exc:
        raise PtahError(
            "A section of the report failed to build; run the failing call in a "
            f"notebook to see why. The kernel said: {exc.ename}: {exc.evalue}"
        ) from exc
    logger.info("Executed the report notebook in %.1f s", time.perf_counter() - started)


def _print_pdf(page: str, path: Path) -> Path:
    browser = next(filter(None, map(shutil.which, BROWSERS)), None)
    if browser is None:
        raise PtahError(
            "Printing a PDF needs Chromium; install it (Debian: apt-get install "
            "chromium) or write the report as HTML and print it from a browser."
        )
    with tempfile.TemporaryDirectory(prefix="ptah-report-") as folder:
        source = Path(folder) / "report.html"
        source.write_text(page, encoding="utf-8")
        command = [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={path.resolve()}",
            source.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not path.is_file():
        raise PtahError(
            f"Chromium could not print the report (exit {done.returncode}); write "
            "it as HTML instead, or run the same command with --verbose."
        )
    logger.info("Printed the report to %s with %s", path, browser)
    return path
