"""The `ptah ask` and `ptah conversations` commands.

    ptah ask CODE "question" [--doc NAME ...] [--conversation ID]
    ptah conversations CODE

`ptah ask` streams the answer to the terminal, then its sources and cost.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_ask", "add_conversations"]

EXIT_INCOMPLETE = 1


def add_ask(commands: argparse._SubParsersAction[Any]) -> None:
    """Register `ptah ask`."""
    command = commands.add_parser(
        "ask",
        help="ask Claude about a project's documents",
        description="Ask Claude a question about the project's documents and "
        "stream the answer with its sources and cost. Needs ANTHROPIC_API_KEY "
        "(and ANTHROPIC_BASE_URL for a company gateway). Exits 1 when the "
        "answer did not complete.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.add_argument("question", help="the question, quoted")
    command.add_argument(
        "--doc",
        action="append",
        metavar="NAME",
        help="send only this document (repeat for more; default: all)",
    )
    command.add_argument(
        "--conversation",
        metavar="ID",
        help="conversation id or title (default: the project's main one)",
    )
    command.add_argument("--no-wbs", action="store_true", help="leave the WBS out")
    command.set_defaults(run=_run_ask)


def _run_ask(args: argparse.Namespace) -> int:
    from ptah_kernel.chat import open_conversation

    project = _workspace(args).project(args.code)
    key = args.conversation
    if key is not None and key.isdigit():
        conversation = open_conversation(project, id=int(key))
    else:
        conversation = open_conversation(project, key)
    include = ("annotations",) if args.no_wbs else ("annotations", "wbs")
    turn = conversation.ask(args.question, documents=args.doc, include=include)
    return 0 if turn.is_complete else EXIT_INCOMPLETE


def add_conversations(commands: argparse._SubParsersAction[Any]) -> None:
    """Register `ptah conversations`."""
    command = commands.add_parser(
        "conversations",
        help="list a project's conversations with their tokens and cost",
        description="List the project's conversations with Claude: turns, "
        "tokens (input, output, cache write, cache read) and cost, then the "
        "project's total.",
    )
    command.add_argument("code", metavar="CODE", help="project code")
    command.set_defaults(run=_run_conversations)


def _run_conversations(args: argparse.Namespace) -> int:
    from ptah_kernel.chat import conversations_frame, totals_of

    project = _workspace(args).project(args.code)
    frame = conversations_frame(project)
    if frame.empty:
        print(f'No conversations yet. Start one with `ptah ask {project.code} "..."`.')
        return 0
    print(frame.drop(columns=["updated"]).to_string(index=False))
    totals = totals_of(project)
    print(f"project total: {totals.turns} turns, {totals.cost_text()}")
    return 0


def _workspace(args: argparse.Namespace) -> Any:
    from ptah_kernel.workspace import open_workspace

    return open_workspace(getattr(args, "workspace", None))
