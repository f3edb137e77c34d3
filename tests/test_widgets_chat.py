"""The chat panel, against the fake Messages API."""

from __future__ import annotations

import pytest

from tests.fake_claude import Answer, Cite, Error
from tests.test_chat_ask import LOGIN, claude, make_project  # noqa: F401


@pytest.fixture
def panel(sqlite_workspace, claude):  # noqa: F811
    from ptah_kernel.widgets import ChatPanel

    return ChatPanel(make_project(sqlite_workspace))


def test_chat_panel_streams_answer_and_opens_cited_block(panel, claude):  # noqa: F811
    claude.script(Answer("Accounts ", Cite("lock after five failures", quote=LOGIN)))
    panel.question.value = "When do accounts lock?"

    panel.ask_button.click()

    source = panel.sources.children[0]
    assert source.description.startswith("[1] spec.md")
    source.click()
    assert LOGIN in panel.source.value
    assert "tokens: in" in panel.cost.value and panel.question.value == ""


def test_chat_panel_shows_a_failure_as_one_sentence(panel, claude):  # noqa: F811
    claude.script(Error(529, "overloaded_error", retry_after=0.01, times=3))

    turn = panel.ask("Anything?")

    assert turn is None
    assert "Traceback" not in panel.message.value
    assert panel.message.value.startswith("<b>")


def test_chat_panel_asks_for_a_question_first(panel):
    assert panel.ask("   ") is None
    assert "Write a question" in panel.message.value
