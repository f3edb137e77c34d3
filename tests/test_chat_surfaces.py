"""The surfaces of conversations: IPython magics and the `ptah` commands."""

from __future__ import annotations

import argparse

import pytest

from ptah_kernel.chat.commands import add_ask, add_conversations
from tests.fake_claude import API_KEY, Answer, Cite, serve
from tests.test_chat_ask import LOGIN, SPEC


@pytest.fixture
def claude(monkeypatch):
    yield from serve(monkeypatch)


@pytest.fixture
def project(sqlite_workspace, claude):
    project = sqlite_workspace.create_project("acme")
    project.add_document(SPEC.encode(), "spec.md")
    return project


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "ptah_kernel.magics")
    yield ip
    InteractiveShell.clear_instance()


def run(argv):
    parser = argparse.ArgumentParser(prog="ptah")
    parser.add_argument("--workspace")
    commands = parser.add_subparsers()
    add_ask(commands)
    add_conversations(commands)
    args = parser.parse_args(argv)
    return args.run(args)


def test_ptah_use_chooses_the_current_project(shell, project, capsys):
    folder = str(project.workspace.folder)

    shell.run_line_magic("ptah", f"use acme --workspace {folder}")
    shell.run_line_magic("ptah", "")

    assert "Current project: acme" in capsys.readouterr().out


def test_claude_cell_asks_in_the_main_conversation(shell, project, claude, capsys):
    from ptah_kernel.chat import open_conversation

    claude.script(Answer("Locks after five."))
    shell.run_line_magic("ptah", f"use acme --workspace {project.workspace.folder}")

    shell.run_cell_magic("claude", "--doc spec.md", "When do accounts lock?\n")

    assert "Locks after five." in capsys.readouterr().out
    assert open_conversation(project).turns[0].question == "When do accounts lock?"


def test_claude_cell_without_a_project_says_what_to_do(shell, capsys):
    from ptah_kernel import magics

    magics._state.clear()

    shell.run_cell_magic("claude", "", "Hello?")

    assert "run `%ptah use CODE` first" in capsys.readouterr().err


def test_cli_ask_streams_with_sources_and_cost(project, claude, capsys):
    claude.script(Answer("Accounts ", Cite("lock after five failures", quote=LOGIN)))

    status = run(["--workspace", str(project.workspace.folder), "ask", "acme", "Lock?"])

    out = capsys.readouterr().out
    assert status == 0
    assert "lock after five failures [1]" in out and "[1] spec.md, " in out
    assert "tokens: in " in out


def test_cli_conversations_lists_totals(project, claude, capsys):
    folder = str(project.workspace.folder)
    run(["--workspace", folder, "ask", "acme", "One?", "--conversation", "risks"])
    capsys.readouterr()

    run(["--workspace", folder, "conversations", "acme"])

    out = capsys.readouterr().out
    assert "risks" in out and "project total: 1 turns" in out


def test_cli_ask_commands_have_help():
    parser = argparse.ArgumentParser(prog="ptah")
    commands = parser.add_subparsers()
    add_ask(commands)
    add_conversations(commands)

    helps = [action.help for action in commands._choices_actions]

    assert all(helps) and len(helps) == 2


def test_claude_cell_in_a_kernel_updates_one_output_in_place(project, claude):
    import nbformat
    from nbclient import NotebookClient

    claude.script(Answer("Accounts ", Cite("lock after five failures", quote=LOGIN)))
    folder = project.workspace.folder
    cells = [
        "%load_ext ptah_kernel.magics",
        f"%ptah use acme --workspace {folder}",
        "%%claude\nWhen do accounts lock?",
        "from ptah_kernel.chat import open_conversation\n"
        "from ptah_kernel.magics import current_project\n"
        "open_conversation(current_project()).ask('And then?')",
    ]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in cells]
    )

    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()

    kinds = [[o.output_type for o in cell.outputs] for cell in notebook.cells[2:]]
    assert kinds == [["display_data"], ["display_data"]]  # no second copy as Out
    markdown = notebook.cells[2].outputs[0].data["text/markdown"]
    assert "lock after five failures [1]" in markdown and "spec.md" in markdown
    assert API_KEY not in nbformat.writes(notebook)


def test_chat_imports_load_no_sdk_until_the_first_question():
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, ptah_kernel.chat as chat, ptah_kernel.chat.commands, "
        "ptah_kernel.magics; [getattr(chat, n) for n in chat.__all__]; "
        "print(json.dumps([m for m in ('anthropic', 'pandas', 'IPython') "
        "if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert json.loads(done.stdout) == []
