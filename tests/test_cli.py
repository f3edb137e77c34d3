"""The `ptah` command on the whole corpus, the sample, and its help texts."""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO

READ_FOLDERS = ["pdf", "docx", "xlsx", "md", "txt"]


def ptah(*args: str, workspace: Path, cwd: Path | None = None):
    command = [sys.executable, "-m", "ptah_kernel.cli", "--workspace", str(workspace)]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """`ptah analyze` over every corpus file, unsupported ones included."""
    root = tmp_path_factory.mktemp("corpus-run")
    files = [p for f in [*READ_FOLDERS, "unsupported"] for p in (CORPUS / f).iterdir()]
    done = ptah(
        "analyze",
        *map(str, sorted(files)),
        "--project",
        "corpus",
        "--client",
        "Public sources",
        "--out",
        str(root / "out"),
        workspace=root / "ws",
    )
    return done, root


def test_analyze_reads_every_supported_corpus_file(corpus_run):
    done, _ = corpus_run

    for folder in READ_FOLDERS:
        for path in (CORPUS / folder).iterdir():
            line = next(x for x in done.stdout.splitlines() if f"'{path.name}'" in x)
            assert line.startswith("added"), line
            blocks = int(re.search(r"(\d+) blocks", line).group(1))
            assert blocks > 0, line


def test_analyze_refuses_unsupported_files_with_what_to_do(corpus_run):
    done, _ = corpus_run
    advice = {
        "libra.doc": ".docx",
        "review-sheet.xls": ".xlsx",
        "e-procurement.rtf": "PDF",
        "multi-mahjong.html": "PDF",
    }

    for name, hint in advice.items():
        line = next(x for x in done.stdout.splitlines() if f"'{name}'" in x)
        assert line.startswith("refused"), line
        assert hint in line, line
    assert done.returncode == 1


def test_analyze_writes_requirements_wbs_and_report(corpus_run):
    _, root = corpus_run
    out = root / "out"

    with open(out / "requirements.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))

    columns = {"id", "ref", "text", "modality", "kind", "document", "anchor"}
    assert columns <= set(rows[0])
    assert len({r["document"] for r in rows}) >= 20
    assert all(r["anchor"] for r in rows)
    assert (out / "wbs.xlsx").stat().st_size > 0
    assert "<script src=" not in (out / "report.html").read_text()


def test_analyze_reads_the_empty_password_pdf(corpus_run):
    done, _ = corpus_run

    line = next(x for x in done.stdout.splitlines() if "tcs-encrypted.pdf" in x)

    assert line.startswith("added")


def test_projects_and_show_list_the_project(corpus_run):
    _, root = corpus_run

    listed = ptah("projects", workspace=root / "ws")
    shown = ptah("show", "corpus", workspace=root / "ws")

    assert "corpus" in listed.stdout and "Public sources" in listed.stdout
    assert "themas.pdf" in shown.stdout
    assert "WBS:" in shown.stdout


def test_analyze_sample_exits_zero_and_reuses_the_project(tmp_path):
    samples = sorted(map(str, (REPO / "samples" / "northwind").iterdir()))
    args = ["analyze", *samples, "--project", "northwind", "--out", str(tmp_path)]

    first = ptah(*args, workspace=tmp_path / "ws")
    second = ptah(*args, workspace=tmp_path / "ws")

    assert first.returncode == 0, first.stderr
    assert "added" in first.stdout
    assert second.stdout.count("unchanged") == len(samples)


def test_show_unknown_project_is_one_sentence(tmp_path):
    done = ptah("show", "nope", workspace=tmp_path / "ws")

    assert done.returncode == 2
    assert done.stderr.startswith("ptah: No project has the code 'nope'")
    assert "Traceback" not in done.stderr


COMMANDS = [
    "analyze",
    "diff",
    "projects",
    "show",
    "report",
    "wbs",
    "baseline",
    "ask",
    "conversations",
    "dashboard",
    "lab",
]


WBS_ACTIONS = ["import", "export", "check", "schedule", "diagram"]
ALL_COMMANDS = [[c] for c in COMMANDS] + [["wbs", a] for a in WBS_ACTIONS]


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(command, tmp_path):
    done = ptah(*command, "--help", workspace=tmp_path)

    assert done.returncode == 0
    assert "usage: ptah" in done.stdout
    assert f"ptah {' '.join(command)}" in (REPO / "README.md").read_text()


def test_cli_lists_exactly_the_documented_commands():
    from ptah_kernel.cli import build_parser

    parser = build_parser()
    commands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )

    assert sorted(commands.choices) == sorted(COMMANDS)
