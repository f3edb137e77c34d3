"""Commands about projects and their documents: analyze, diff, projects, show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ptah_kernel.cli._common import EXIT_REFUSED, UsageError, open_from

__all__ = ["add_analyze", "add_diff", "add_projects", "add_report", "add_show"]


def add_analyze(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "analyze",
        help="read documents, find requirements, draft a WBS, write a report",
        description="Read the client's documents into a project (created if "
        "needed), find the requirements, draft a WBS and write "
        "requirements.csv, wbs.xlsx, wbs.csv and report.html to --out. "
        "Exits 1 if any file was refused, after doing the rest.",
    )
    command.add_argument("files", nargs="+", metavar="FILE", help="documents to read")
    command.add_argument(
        "--project", required=True, metavar="CODE", help="project code"
    )
    command.add_argument("--name", default="", help="project name")
    command.add_argument("--client", default="", help="client name")
    command.add_argument("--stack", default="", help="tech stack")
    command.add_argument(
        "--out", type=Path, default=Path("out"), metavar="DIR", help="output folder"
    )
    command.add_argument(
        "--ask-password",
        action="store_true",
        help="ask (without echo) for the password of encrypted PDFs",
    )
    command.add_argument(
        "--replaces",
        metavar="DOC",
        help="the FILE is a new version of this document (its id or file name)",
    )
    command.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    if args.replaces and len(args.files) != 1:
        raise UsageError("--replaces takes exactly one FILE: the new version.")
    workspace = open_from(args)
    project = workspace.ensure_project(
        args.project, name=args.name, client=args.client, tech_stack=args.stack
    )
    password = _ask_password() if args.ask_password else None
    if args.replaces:
        report = _add_version(project, args.files[0], args.replaces, password)
    else:
        progress = sys.stderr.isatty()
        report = project.add_documents(args.files, progress=progress, password=password)
    for outcome in report.outcomes:
        print(outcome.line())
    if args.replaces and report.ok:
        _print_changes(project.document(report.outcomes[0].document_id).compare())
    written = _write_outputs(project, args.out)
    total = len(project.requirements)
    print(f"{project.code}: {total} requirements, {len(project.wbs)} WBS items.")
    for path in written:
        print(f"wrote {path}")
    return 0 if report.ok else EXIT_REFUSED


def _ask_password() -> str:
    import getpass

    return getpass.getpass("Password for encrypted PDFs: ")


def _add_version(  # type: ignore[no-untyped-def]
    project, path: str, replaces: str, password: str | None
):
    from ptah_kernel.documents.ingest import BatchReport, outcome_of

    previous = project.document(replaces)
    outcome = outcome_of(project, path, replaces=previous, password=password)
    return BatchReport([outcome])


def _write_outputs(project, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    out.mkdir(parents=True, exist_ok=True)
    wbs = project.draft_wbs()
    requirements = out / "requirements.csv"
    project.requirements.to_csv(requirements, index=False)
    return [
        requirements,
        wbs.to_xlsx(out / "wbs.xlsx"),
        wbs.to_csv(out / "wbs.csv"),
        project.write_report(out / "report.html"),
    ]


# diff


def add_diff(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "diff",
        help="requirement changes of a document against the version it replaced",
        description="Compare a document with the version it replaced: requirements "
        "added, removed, changed (matched by reference id, else by text "
        "similarity) and unchanged, with anchors in both versions.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("document", metavar="DOC", help="document id or file name")
    command.add_argument(
        "--all", action="store_true", help="list unchanged requirements too"
    )
    command.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    project = open_from(args).project(args.code)
    _print_changes(project.document(args.document).compare(), show_all=args.all)
    return 0


def _print_changes(changes, show_all: bool = False) -> None:  # type: ignore[no-untyped-def]
    print(changes.summary())
    for row in changes.frame.itertuples():
        if row.change == "unchanged" and not show_all:
            continue
        anchors = " → ".join(a for a in (row.old_anchor, row.new_anchor) if a)
        ident = row.new_id or row.old_id
        print(f"{row.change:<9} {ident}  [{anchors}]")
        text = row.new_text if row.new_text is not None else row.old_text
        print(f"          {_clip(text)}")


def _clip(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# projects


def add_projects(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "projects",
        help="list the projects of the workspace",
        description="List every project with its client and counts.",
    )
    command.set_defaults(run=_run_projects)


def _run_projects(args: argparse.Namespace) -> int:
    frame = open_from(args).projects_frame()
    if frame.empty:
        print("No projects yet. Start one with `ptah analyze FILE --project CODE`.")
        return 0
    print(frame.to_string(index=False))
    return 0


# show


def add_show(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "show",
        help="show one project: metadata, documents, requirement counts",
        description="Show a project's metadata, its documents and how many "
        "requirements of each kind were found.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.set_defaults(run=_run_show)


def _run_show(args: argparse.Namespace) -> int:
    project = open_from(args).project(args.code)
    print(f"{project.name} ({project.code})")
    print(f"client: {project.client or '-'}   stack: {project.tech_stack or '-'}")
    print(f"status: {project.status}   created by {project.created_by}")
    documents = project.documents_frame()
    print()
    shown = documents.astype(object).where(documents.notna(), "-")
    print(shown.to_string(index=False) if len(documents) else "No documents.")
    kinds = project.requirements["kind"].value_counts()
    if len(kinds):
        print()
        print(
            "requirements by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.items())
        )
    print(f"WBS: {len(project.wbs)} items")
    return 0


# report


def add_report(commands: argparse._SubParsersAction) -> None:
    """Register `ptah report`."""
    command = commands.add_parser(
        "report",
        help="write the client report as HTML or PDF",
        description="Run the report notebook for a project and write it with no "
        "code in it: cover, contents, totals at P50/P80/P90 with contingency, "
        "the WBS and its diagram, the schedule, requirements, traceability, "
        "open questions. PDF is printed by headless Chromium.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("--format", choices=("html", "pdf"), default="html")
    command.add_argument("--out", type=Path, metavar="FILE", help="file to write")
    command.add_argument("--start", metavar="DATE", help="schedule start, YYYY-MM-DD")
    command.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    project = open_from(args).project(args.code)
    out = args.out or Path(f"{project.code}-report.{args.format}")
    print(f"wrote {project.write_report(out, args.format, start=args.start)}")
    return 0
