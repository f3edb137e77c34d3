"""Client report rendering time against nbconvert executing a one-cell notebook.

    .venv/bin/python bench/report.py [--repeat N]

Both sides start a kernel, run a notebook and render HTML: Ptah's report of
a project with 500 WBS items (the project `bench/dashboard.py` seeds), and
`jupyter nbconvert --execute --to html` of a notebook that prints one line.
Target: at most 3x. Each side is warmed up; medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ONE_CELL = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "print('one line')",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    from bench.dashboard import seed
    from ptah_kernel.workspace import open_workspace

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        project = open_workspace(seed(folder)).projects()[0]
        notebook = folder / "one.ipynb"
        notebook.write_text(json.dumps(ONE_CELL))
        command = [sys.executable, "-m", "jupyter", "nbconvert", "--execute"]
        command += ["--to", "html", str(notebook)]

        def report() -> None:
            project.write_report(folder / "report.html", start="2027-03-01")

        def baseline() -> None:
            subprocess.run(command, check=True, capture_output=True)

        report(), baseline()
        ours = statistics.median(timed(report) for _ in range(args.repeat))
        theirs = statistics.median(timed(baseline) for _ in range(args.repeat))
    print(
        f"report of {len(project.wbs)} WBS items {ours:.2f} s / nbconvert one cell "
        f"{theirs:.2f} s = {ours / theirs:.2f} (target at most 3)"
    )


if __name__ == "__main__":
    main()
