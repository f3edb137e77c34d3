"""Commands about the WBS: import, export, check, schedule, diagram, baselines."""

from __future__ import annotations

import argparse
from pathlib import Path

from ptah_kernel.cli._common import EXIT_REFUSED, UsageError, open_from

__all__ = ["add_baseline", "add_wbs"]

FORMATS = ("xlsx", "csv", "json", "md", "mspdi")
SUFFIXES = {
    "xlsx": ".xlsx",
    "csv": ".csv",
    "json": ".json",
    "md": ".md",
    "mspdi": ".xml",
}
DIAGRAMS = ("tree", "network", "gantt", "trace")


def add_wbs(commands: argparse._SubParsersAction) -> None:
    """Register `ptah wbs` and its subcommands."""
    wbs = commands.add_parser(
        "wbs",
        help="import, export, check, schedule or draw a project's WBS",
        description="Work on a project's work breakdown structure.",
    )
    actions = wbs.add_subparsers(title="actions", metavar="ACTION", required=True)
    _add_import(actions)
    _add_export(actions)
    _add_check(actions)
    _add_schedule(actions)
    _add_diagram(actions)


def _add_import(actions: argparse._SubParsersAction) -> None:
    command = actions.add_parser(
        "import",
        help="replace the WBS from a file, keeping the old one as a baseline",
        description="Read a WBS from CSV, XLSX, JSON or Microsoft Project XML and "
        "make it the project's WBS. The WBS it replaces is kept as a baseline. "
        "A file with any bad row changes nothing.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("file", type=Path, metavar="FILE", help="the WBS file")
    command.add_argument("--baseline", help="name for the replaced WBS's baseline")
    command.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    from ptah_kernel.wbs.formats import read_wbs

    project = open_from(args).project(args.code)
    items = read_wbs(args.file)
    had = len(project.wbs)
    project.import_wbs(items, baseline=args.baseline)
    kept = " (the previous WBS is kept as a baseline)" if had else ""
    print(f"{project.code}: imported {len(items)} WBS items from {args.file}{kept}.")
    return 0


def _add_export(actions: argparse._SubParsersAction) -> None:
    command = actions.add_parser(
        "export",
        help="write the WBS as XLSX, CSV, JSON, Markdown or Microsoft Project XML",
        description="Write the WBS for the client: xlsx (with live totals and "
        "summary sheets), csv, json, md (for an e-mail) or mspdi (Microsoft "
        "Project, ProjectLibre, GanttProject).",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("--format", choices=FORMATS, default="xlsx")
    command.add_argument("--out", type=Path, metavar="FILE", help="file to write")
    command.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from ptah_kernel.wbs.formats import write_wbs

    project = open_from(args).project(args.code)
    out = args.out or Path(f"{project.code}-wbs{SUFFIXES[args.format]}")
    written = write_wbs(
        project.wbs.items,
        out,
        args.format,
        rates=project.rates,
        currency=project.currency,
        requirements=project.requirements,
        annotations=project.annotations,
        project_name=project.name,
    )
    print(f"wrote {written}")
    return 0


def _add_check(actions: argparse._SubParsersAction) -> None:
    command = actions.add_parser(
        "check",
        help="list the WBS's problems: 100%% rule, estimates, coverage, cycles",
        description="Check the WBS and print the findings with their severity. "
        "Exits 1 when any finding is an error.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from ptah_kernel.wbs.checks import check

    project = open_from(args).project(args.code)
    findings = check(
        project.wbs.to_frame(),
        requirements=project.requirements,
        rates=project.rates or None,
    )
    if findings.empty:
        print(f"{project.code}: no findings.")
        return 0
    print(findings.to_string(index=False, justify="left"))
    counts = findings["severity"].value_counts()
    print()
    print(", ".join(f"{counts.get(s, 0)} {s}(s)" for s in ("error", "warning", "info")))
    return EXIT_REFUSED if counts.get("error", 0) else 0


def _add_schedule(actions: argparse._SubParsersAction) -> None:
    command = actions.add_parser(
        "schedule",
        help="critical-path schedule from a start date",
        description="Schedule the WBS from a start date on a working calendar "
        "(8 hours a day, Monday to Friday unless told otherwise): early and "
        "late dates, float, the critical path, and the end date at P50 and P80.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("--start", required=True, metavar="DATE", help="YYYY-MM-DD")
    command.add_argument("--hours-per-day", type=float, default=8.0)
    command.add_argument(
        "--holiday", action="append", default=[], metavar="DATE", help="repeatable"
    )
    command.set_defaults(run=_run_schedule)


def _run_schedule(args: argparse.Namespace) -> int:
    from ptah_kernel.wbs.calendar import WorkingCalendar
    from ptah_kernel.wbs.schedule import finish_dates, schedule

    project = open_from(args).project(args.code)
    holidays = [_date(value, "--holiday") for value in args.holiday]
    calendar = WorkingCalendar(hours_per_day=args.hours_per_day, holidays=holidays)
    frame = project.wbs.to_frame()
    if not _has_estimates(frame):
        print(
            f"{project.code}: no work package has an estimate yet, so there is "
            "nothing to schedule. Estimate the work packages (ptah wbs import, "
            "or the WBS editor), then schedule again."
        )
        return EXIT_REFUSED
    planned = schedule(frame, _date(args.start, "--start"), calendar)
    columns = ["code", "name", "early_start", "early_finish", "total_float_hours"]
    shown = [c for c in [*columns, "critical"] if c in planned.columns]
    print(planned[shown].to_string(index=False))
    print()
    print(finish_dates(frame, _date(args.start, "--start"), calendar).to_string())
    return 0


def _has_estimates(frame) -> bool:  # type: ignore[no-untyped-def]
    from ptah_kernel.wbs.estimates import total

    return bool(total(frame)["estimated"])


def _date(value: str, option: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            f"{option} {value!r} is not a date; write YYYY-MM-DD."
        ) from exc


def _add_diagram(actions: argparse._SubParsersAction) -> None:
    command = actions.add_parser(
        "diagram",
        help="draw the WBS tree, dependency network, Gantt chart or traceability",
        description="Draw a diagram of the WBS to a PNG, SVG or PDF file.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("--kind", choices=DIAGRAMS, default="tree")
    command.add_argument("--out", type=Path, required=True, metavar="FILE")
    command.add_argument("--start", metavar="DATE", help="schedule start (gantt)")
    command.set_defaults(run=_run_diagram)


def _run_diagram(args: argparse.Namespace) -> int:
    from ptah_kernel.diagrams import draw

    project = open_from(args).project(args.code)
    schedule = None
    if args.kind in ("gantt", "network"):
        schedule = _schedule_for(project, args.start)
    diagram = draw(
        args.kind,
        project.wbs.items,
        requirements=project.requirements,
        schedule=schedule,
        rates=project.rates,
    )
    print(f"wrote {diagram.save(args.out)}")
    return 0


def _schedule_for(project, start: str | None):  # type: ignore[no-untyped-def]
    import datetime as dt

    from ptah_kernel.wbs.schedule import schedule

    return schedule(project.wbs.to_frame(), start or dt.date.today().isoformat())


def add_baseline(commands: argparse._SubParsersAction) -> None:
    """Register `ptah baseline save|compare`."""
    command = commands.add_parser(
        "baseline",
        help="save the WBS under a name, or compare it with a saved one",
        description="save: keep the current WBS under NAME. compare: list the "
        "items added, removed, re-estimated and moved since NAME, and the "
        "change in totals (the stuff of a change request).",
    )
    command.add_argument("action", choices=("save", "compare"))
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("name", metavar="NAME", help="baseline name")
    command.add_argument(
        "--replace", action="store_true", help="save over an existing baseline"
    )
    command.set_defaults(run=_run_baseline)


def _run_baseline(args: argparse.Namespace) -> int:
    project = open_from(args).project(args.code)
    if args.action == "save":
        project.save_baseline(args.name, replace=args.replace)
        print(f"{project.code}: saved the WBS as baseline {args.name!r}.")
        return 0
    if args.replace:
        raise UsageError("--replace goes with 'save', not 'compare'.")
    changes = project.compare_baseline(args.name)
    print(changes.summary())
    if not changes.frame.empty:
        print(changes.frame.to_string(index=False))
    print()
    print(changes.totals.to_string(float_format=lambda v: f"{v:,.1f}"))
    return 0
