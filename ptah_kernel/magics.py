"""IPython magics: choose the current project, and ask Claude in a cell.

    %load_ext ptah_kernel
    %ptah use acme-portal            # the current project (opens the workspace)
    %ptah                            # which project is current

    %%claude --doc rfp.pdf
    What does the client mean by "real time" in section 3?

`%%claude` asks in the current project's main conversation (or the one
`--conversation TITLE` names) and streams the answer into the cell's output.
A Ptah error is shown as its one sentence, without a traceback.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    from ptah_kernel.projects import Project

__all__ = ["current_project", "load_ipython_extension"]

_state: dict[str, Any] = {}


def load_ipython_extension(ipython: Any) -> None:
    """Register `%ptah` and `%%claude` (IPython calls this on `%load_ext`)."""
    ipython.register_magic_function(ptah_magic, "line", "ptah")
    ipython.register_magic_function(claude_magic, "cell", "claude")


def current_project() -> Project:
    """The project `%ptah use CODE` chose."""
    project: Project | None = _state.get("project")
    if project is None:
        raise PtahError("No project is chosen yet; run `%ptah use CODE` first.")
    return project


def ptah_magic(line: str) -> None:
    """`%ptah use CODE [--workspace DIR]`, or `%ptah` to show the current project."""
    try:
        args = _parse(_use_parser(), line)
        if args is None:
            return
        if args.command is None:
            print(f"Current project: {current_project().code}")
            return
        _use(args.code, args.workspace)
    except PtahError as exc:
        print(f"ptah: {exc}", file=sys.stderr)


def _use(code: str, folder: str | None) -> None:
    from ptah_kernel.chat._client import warm_up
    from ptah_kernel.workspace import open_workspace

    warm_up()
    workspace = _state.get("workspace")
    if workspace is None or (folder and str(workspace.folder) != folder):
        workspace = open_workspace(folder)
        _state["workspace"] = workspace
    project = workspace.project(code)
    _state["project"] = project
    print(f"Using project {project.code} ({project.name}).")


def claude_magic(line: str, cell: str) -> None:
    """`%%claude [--doc NAME ...] [--conversation TITLE] [--no-wbs]` + question."""
    from ptah_kernel.chat import open_conversation

    try:
        args = _parse(_claude_parser(), line)
        if args is None:
            return
        conversation = open_conversation(current_project(), args.conversation)
        include = ("annotations",) if args.no_wbs else ("annotations", "wbs")
        conversation.ask(cell.strip(), documents=args.doc, include=include)
    except PtahError as exc:
        print(f"ptah: {exc}", file=sys.stderr)


def _parse(parser: argparse.ArgumentParser, line: str) -> argparse.Namespace | None:
    try:
        return parser.parse_args(shlex.split(line))
    except SystemExit:  # argparse printed the usage or the help
        return None


def _use_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%ptah", description="Choose the project.")
    commands = parser.add_subparsers(dest="command")
    use = commands.add_parser("use", help="make CODE the current project")
    use.add_argument("code", metavar="CODE", help="project code")
    use.add_argument("--workspace", metavar="DIR", help="workspace folder")
    return parser


def _claude_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="%%claude", description="Ask Claude about the current project."
    )
    parser.add_argument(
        "--doc", action="append", metavar="NAME", help="send only these documents"
    )
    parser.add_argument(
        "--conversation", metavar="TITLE", help="conversation (default: main)"
    )
    parser.add_argument("--no-wbs", action="store_true", help="leave the WBS out")
    return parser
