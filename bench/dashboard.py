"""How long a stakeholder waits for a dashboard, against Voila's own floor.

Serves a folder holding `dashboard.ipynb` and a notebook that prints one
line from one `ptah dashboard` server, then times, in headless Chromium,
from the request to the last section of the dashboard of a project with
500 WBS items, and from the request to the printed line. Prints both
medians and their ratio (target: at most 3). Runs twice: with preheated
kernels (as jupyter_config.py ships) and with a fresh kernel per visit.

    .venv/bin/python bench/dashboard.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import chromium, running_server  # noqa: E402

CODE = "big"
ONE_LINE = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "one-line",
            "metadata": {},
            "outputs": [],
            "source": ["print('one line printed')"],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}
MODES = {
    # Every notebook of the folder preheats, the baseline too, for fairness.
    "preheated": ["--VoilaKernelManager.preheat_denylist=.ipynb_checkpoints"],
    "fresh kernel": ["--preheat_kernel=False"],
}


def seed(folder: Path) -> Path:
    """A workspace with one project of 500 WBS items (20 x 4 x 5 + parents)."""
    from ptah_kernel.settings import Settings
    from ptah_kernel.wbs.breakdown import WBS
    from ptah_kernel.wbs.model import WorkItem
    from ptah_kernel.workspace import open_workspace

    workspace = open_workspace(folder, settings=Settings(user="bench"))
    project = workspace.create_project(CODE, name="Big portal", client="Bench")
    items = []
    for p in range(1, 21):
        items.append(WorkItem(f"{p}", f"Phase {p}", "phase"))
        for d in range(1, 5):
            items.append(WorkItem(f"{p}.{d}", f"Deliverable {p}.{d}", "deliverable"))
            for w in range(1, 6):
                low = 2.0 + (p + d + w) % 7
                items.append(
                    WorkItem(
                        f"{p}.{d}.{w}",
                        f"Work package {p}.{d}.{w}",
                        "work package",
                        role=("analyst", "developer", "tester")[w % 3],
                        optimistic_hours=low,
                        most_likely_hours=low * 1.5,
                        pessimistic_hours=low * 3,
                    )
                )
    WBS.replace(project, items[:500])
    workspace.close()
    return folder


def timed_visit(browser, url: str, selector: str) -> float:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def measure(  # type: ignore[no-untyped-def]
    workspace: Path, folder: Path, arguments: list[str], args
) -> tuple:
    dashboard_page = (
        f"/voila/render/dashboard.ipynb?project={CODE}",
        "text=Open questions",
    )
    floor_page = ("/voila/render/one_line.ipynb", "text=one line printed")
    dashboard, floor = [], []
    with (
        running_server("dashboard", workspace, folder, arguments, "/") as server,
        chromium() as browser,
    ):
        for path, selector in (dashboard_page, floor_page):  # warm-up, discarded
            timed_visit(browser, server.url + path, selector)
        for _ in range(args.repeat):
            time.sleep(args.pause)  # let the kernel pools refill
            dashboard.append(
                timed_visit(browser, server.url + dashboard_page[0], dashboard_page[1])
            )
            floor.append(
                timed_visit(browser, server.url + floor_page[0], floor_page[1])
            )
    return statistics.median(dashboard), statistics.median(floor)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pause", type=float, default=12.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ptah-bench-") as scratch:
        folder = Path(scratch)
        notebooks = folder / "notebooks"
        notebooks.mkdir()
        shutil.copy(REPO / "notebooks" / "dashboard.ipynb", notebooks)
        (notebooks / "one_line.ipynb").write_text(json.dumps(ONE_LINE))
        workspace = seed(folder / "ws")
        print(f"{'mode':<14} {'dashboard':>10} {'one line':>10} {'ratio':>6}")
        for mode, extra in MODES.items():
            arguments = [f"--notebooks={notebooks}", "--", *extra]
            dash, floor = measure(workspace, folder, arguments, args)
            print(f"{mode:<14} {dash:>9.2f}s {floor:>9.2f}s {dash / floor:>5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
