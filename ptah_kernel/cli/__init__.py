"""The `ptah` command: the main job and a look at the workspace from a terminal.

    ptah analyze FILE... --project CODE [--name N] [--client C] [--out DIR]
    ptah analyze FILE --project CODE --replaces DOC
    ptah diff CODE DOC
    ptah projects
    ptah show CODE
    ptah report CODE --format html|pdf [--out FILE]
    ptah wbs import|export|check|schedule|diagram CODE ...
    ptah baseline save|compare CODE NAME
    ptah ask CODE "question" [--doc NAME ...] [--conversation ID]
    ptah conversations CODE
    ptah dashboard [--port N]            Voila dashboards for stakeholders
    ptah lab                             JupyterLab on the same workspace

Each command prints what it did in plain lines; errors are one sentence on
stderr and a non-zero exit status. `ptah COMMAND --help` says more.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ptah_kernel.chat.commands import add_ask, add_conversations
from ptah_kernel.cli import documents, wbs
from ptah_kernel.cli._common import EXIT_ERROR, UsageError
from ptah_kernel.dashboard_commands import add_dashboard, add_lab
from ptah_kernel.errors import PtahError

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `ptah` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.run(args) or 0)
    except (PtahError, UsageError) as exc:
        print(f"ptah: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("ptah: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) stopped early; that is not an error.
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of every `ptah` command."""
    parser = argparse.ArgumentParser(
        prog="ptah",
        description="Turn a client's requirement documents into a WBS and a report.",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="workspace folder (default: $PTAH_HOME, jupyter_config.py, "
        "then ~/.local/share/ptah)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        documents.add_analyze,
        documents.add_diff,
        documents.add_projects,
        documents.add_show,
        documents.add_report,
        wbs.add_wbs,
        wbs.add_baseline,
        add_ask,
        add_conversations,
        add_dashboard,
        add_lab,
    ):
        add(commands)
    return parser


def _configure_logging(verbose: bool) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
