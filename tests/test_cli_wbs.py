"""`ptah wbs` and `ptah baseline` from a terminal, on the bundled sample."""

from __future__ import annotations

import csv
import io
import subprocess
from contextlib import redirect_stderr, redirect_stdout

import pytest

from ptah_kernel.cli import main
from tests.conftest import REPO


def ptah(*args: str, workspace) -> subprocess.CompletedProcess:
    """Run `ptah` in this process (the CLI tests run it as a program)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--workspace", str(workspace), *args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample analyzed, then its WBS exported to CSV with estimates added."""
    root = tmp_path_factory.mktemp("wbs-cli")
    ws = root / "ws"
    files = sorted(map(str, (REPO / "samples" / "northwind").iterdir()))
    ptah("analyze", *files, "--project", "nw", "--out", str(root / "out"), workspace=ws)
    exported = root / "wbs.csv"
    ptah("wbs", "export", "nw", "--format", "csv", "--out", str(exported), workspace=ws)
    estimated = root / "estimated.csv"
    write_estimates(exported, estimated)
    return root, ws, estimated


def write_estimates(source, target) -> None:
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    packages = [r for r in rows if r["kind"] == "work package"]
    for row in packages:
        row.update(optimistic_hours="2", most_likely_hours="4", pessimistic_hours="12")
    packages[1]["depends_on"] = packages[0]["code"]
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_wbs_import_keeps_old_wbs_as_baseline(sample):
    root, ws, estimated = sample

    done = ptah(
        "wbs", "import", "nw", str(estimated), "--baseline", "draft", workspace=ws
    )
    compared = ptah("baseline", "compare", "nw", "draft", workspace=ws)

    assert done.returncode == 0, done.stderr
    assert "kept as a baseline" in done.stdout
    assert "re-estimated" in compared.stdout
    assert compared.returncode == 0, compared.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json", "md", "mspdi"])
def test_wbs_export_writes_each_format(sample, fmt):
    root, ws, estimated = sample
    ptah("wbs", "import", "nw", str(estimated), workspace=ws)
    out = root / f"export.{fmt}"

    done = ptah("wbs", "export", "nw", "--format", fmt, "--out", str(out), workspace=ws)

    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


def test_wbs_check_schedule_and_diagram(sample):
    root, ws, estimated = sample
    ptah("wbs", "import", "nw", str(estimated), workspace=ws)

    checked = ptah("wbs", "check", "nw", workspace=ws)
    planned = ptah("wbs", "schedule", "nw", "--start", "2027-03-01", workspace=ws)
    drawn = ptah(
        "wbs",
        "diagram",
        "nw",
        "--kind",
        "network",
        "--out",
        str(root / "n.svg"),
        workspace=ws,
    )

    assert checked.returncode == 0, checked.stdout
    assert "P80" in planned.stdout and "2027-03" in planned.stdout
    assert drawn.returncode == 0, drawn.stderr
    assert (root / "n.svg").read_text().startswith("<?xml")


def test_wbs_import_of_a_bad_file_changes_nothing(sample, tmp_path):
    _, ws, _ = sample
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind\n1,A,phase\n1,B,phase\n")
    before = ptah(
        "wbs",
        "export",
        "nw",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "before.csv"),
        workspace=ws,
    )

    done = ptah("wbs", "import", "nw", str(bad), workspace=ws)
    after = ptah(
        "wbs",
        "export",
        "nw",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "after.csv"),
        workspace=ws,
    )

    assert done.returncode == 2
    assert "row 3" in done.stderr.lower() and "Traceback" not in done.stderr
    assert before.returncode == after.returncode == 0
    assert (tmp_path / "before.csv").read_text() == (tmp_path / "after.csv").read_text()


def test_schedule_with_a_bad_date_says_the_format(sample):
    _, ws, _ = sample

    done = ptah("wbs", "schedule", "nw", "--start", "March 1st", workspace=ws)

    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr
