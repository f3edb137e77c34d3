"""Asking Claude about a project's documents, against the fake Messages API."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from ptah_kernel.chat import open_conversation
from ptah_kernel.errors import ClaudeUnavailable, MissingAPIKey
from tests.fake_claude import API_KEY, Answer, Cite, Error, Refusal, serve

MODEL = "claude-sonnet-5-5"
PRICES = {MODEL: {"input": 2.0, "output": 10.0, "cache_write": 2.5, "cache_read": 0.1}}
LOGIN = "The portal shall lock an account after five failed sign-in attempts."
SPEC = "\n\n".join(
    ["# Appointment portal", "## Accounts", LOGIN]
    + [
        f"Paragraph {n}: the clinic staff shall see booking {n} in the daily list "
        "within one minute of its creation, including the patient's name."
        for n in range(40)
    ]
)


@pytest.fixture
def claude(monkeypatch):
    yield from serve(monkeypatch)


def make_project(workspace):
    workspace.settings = replace(workspace.settings, model=MODEL, prices=PRICES)
    project = workspace.create_project("acme")
    project.add_document(SPEC.encode(), "spec.md")
    return project


@pytest.fixture
def project(sqlite_workspace, claude):
    return make_project(sqlite_workspace)


@pytest.fixture
def stored_project(workspace, claude):
    """On SQLite and on PostgreSQL, for what the store must keep."""
    return make_project(workspace)


def test_ask_streams_stores_and_returns_the_turn(project, claude, capsys):
    claude.script(Answer("Accounts lock after ", "five failures."))

    turn = open_conversation(project).ask("When do accounts lock?")

    assert turn.answer == "Accounts lock after five failures."
    assert "Accounts lock after five failures." in capsys.readouterr().out
    assert turn.status == "complete" and turn.model == MODEL


def test_ask_thinking_stays_out_of_the_answer(project, claude):
    claude.script(Answer("Five ", Cite("failures", quote=LOGIN), thinking="Hmm."))

    turn = open_conversation(project).ask("When do accounts lock?", show=False)

    assert turn.answer == "Five failures [1]"
    assert turn.citations[0].quote == LOGIN


def test_ask_history_reloads_in_a_new_workspace_object(stored_project, claude):
    from ptah_kernel.workspace import open_workspace

    project = stored_project
    open_conversation(project, "risks").ask("What is risky?")

    again = open_workspace(
        project.workspace.folder, settings=project.workspace.settings
    )
    turns = open_conversation(again.project("acme"), "risks").turns
    assert [t.question for t in turns] == ["What is risky?"]
    assert turns[0].answer == "I have read the documents."
    again.close()


def test_ask_citation_maps_to_the_block_anchor(stored_project, claude):
    project = stored_project
    claude.script(Answer("Accounts ", Cite("lock after five failures", quote=LOGIN)))

    open_conversation(project).ask("When do accounts lock?", show=False)

    turn = open_conversation(project).turns[0]
    citation = turn.citations[0]
    assert citation.anchor == project.document("spec.md").blocks[2].anchor
    assert citation.label == f"spec.md, {citation.anchor}"
    assert turn.answer.endswith("five failures [1]")


def test_ask_sends_documents_with_citations_and_cache_breakpoints(project, claude):
    open_conversation(project).ask("Anything?", show=False)

    body = claude.messages_requests[-1].body
    document = body["messages"][0]["content"][0]
    assert document["citations"] == {"enabled": True}
    assert document["cache_control"] == {"type": "ephemeral"}
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}


def test_ask_second_question_reads_the_documents_from_cache(project, claude):
    conv = open_conversation(project)

    first = conv.ask("What is missing?", show=False)
    second = conv.ask("What is ambiguous?", show=False)

    assert first.usage.cache_write_tokens > 1000
    assert second.usage.cache_read_tokens >= first.usage.cache_write_tokens
    assert second.cost < first.cost


def test_ask_records_cost_and_running_totals(stored_project, claude):
    conv = open_conversation(stored_project)
    conv.ask("One?", show=False)

    turn = conv.ask("Two?", show=False)

    assert turn.cost == pytest.approx(
        (
            turn.usage.input_tokens * 2
            + turn.usage.output_tokens * 10
            + turn.usage.cache_write_tokens * 2.5
            + turn.usage.cache_read_tokens * 0.1
        )
        / 1e6
    )
    assert turn.conversation_totals.turns == 2
    assert "conversation $" in turn.usage_text()


def test_ask_without_a_price_shows_the_cost_unknown(project, claude):
    project.workspace.settings = replace(project.workspace.settings, prices={})

    turn = open_conversation(project).ask("Cost?", show=False)

    assert turn.cost is None
    assert "cost unknown" in turn.usage_text()


def test_ask_model_comes_from_settings_and_is_stored(project, claude):
    project.workspace.settings = replace(project.workspace.settings, model="claude-x")

    turn = open_conversation(project).ask("Which model?", show=False)

    assert claude.messages_requests[-1].body["model"] == "claude-x"
    assert turn.model == "claude-x"


def test_ask_without_a_key_says_how_to_set_it(project, monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.delenv("ANTHROPIC_PROFILE", raising=False)
    monkeypatch.delenv("ANTHROPIC_CONFIG_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no profile on disk either

    with pytest.raises(MissingAPIKey, match="export ANTHROPIC_API_KEY"):
        open_conversation(project).ask("Hello?")

    assert open_conversation(project).turns == []


def test_ask_rate_limited_retries_then_answers(project, claude):
    claude.script(Error(429, "rate_limit_error", retry_after=0.01, times=2))

    turn = open_conversation(project).ask("Busy?", show=False)

    retries = [r.headers["x-stainless-retry-count"] for r in claude.messages_requests]
    assert retries == ["0", "1", "2"]
    assert turn.status == "complete"


def test_ask_overloaded_after_retries_is_one_clear_error(project, claude):
    claude.script(Error(529, "overloaded_error", retry_after=0.01, times=3))

    with pytest.raises(ClaudeUnavailable, match="ask again in a minute"):
        open_conversation(project).ask("Busy?", show=False)

    assert len(claude.messages_requests) == 3


def test_ask_mid_stream_error_keeps_the_partial_answer(project, claude):
    claude.script(Answer("First part. ", "Second part.", error_after=1))
    conv = open_conversation(project)

    with pytest.raises(ClaudeUnavailable, match="partial answer is kept"):
        conv.ask("Long?", show=False)

    assert conv.turns[0].answer == "First part. "
    assert conv.turns[0].status == "failed"


def test_ask_stream_that_stops_early_is_marked_incomplete(project, claude):
    claude.script(Answer("Half ", "and the rest.", stop_reason=None, stop_after=1))

    turn = open_conversation(project).ask("Cut?", show=False)

    assert turn.answer == "Half "
    assert turn.status == "incomplete"


def test_ask_refused_is_stored_as_refused(project, claude):
    claude.script(Refusal())

    turn = open_conversation(project).ask("Something odd?", show=False)

    assert turn.status == "refused"
    assert "declined" in turn.footer_text()


def test_ask_interrupted_keeps_the_partial_answer(project, claude):
    import os
    import signal
    import threading
    import time

    def interrupt_when_text_arrives():  # as Kernel > Interrupt does: SIGINT
        if claude.first_text.wait(30):
            while claude.sent_events < 40:  # some words, well before the end
                time.sleep(0.01)
            os.kill(os.getpid(), signal.SIGINT)

    claude.script(Answer(*(["word "] * 400), delay=0.02))
    threading.Thread(target=interrupt_when_text_arrives).start()
    conv = open_conversation(project)

    with pytest.raises(KeyboardInterrupt):
        conv.ask("Long?", show=False)

    turn = conv.turns[0]
    assert turn.status == "interrupted"
    assert 0 < len(turn.answer) < len("word ") * 400


def test_ask_async_cancelled_keeps_the_partial_answer(project, claude):
    import asyncio

    claude.script(Answer(*(["word "] * 400), delay=0.02))
    conv = open_conversation(project)

    async def ask_then_cancel():
        task = asyncio.ensure_future(conv.ask_async("Long?", show=False))
        while claude.sent_events < 40:  # some words, well before the end
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        task.cancel()
        await task

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(ask_then_cancel())

    assert conv.turns[0].status == "interrupted"
    assert conv.turns[0].answer.startswith("word word")


def test_ask_includes_the_wbs_and_says_annotations_are_none(project, claude):
    project.draft_wbs()

    turn = open_conversation(project).ask("Plan?", show=False)

    content = claude.messages_requests[-1].body["messages"][0]["content"]
    assert any("The current WBS" in block.get("text", "") for block in content)
    assert turn.notes == ["The project has no annotations yet, so none were sent."]


def test_ask_too_large_documents_are_cut_to_the_relevant_blocks(project, claude):
    claude.max_input_tokens = 120_000
    filler = "Visitors park in the north lot and pay at the machine by the gate. " * 4
    big = "\n\n".join(f"{n}. {filler}" for n in range(2_000))
    project.add_document(big.encode(), "annex.md")

    turn = open_conversation(project).ask("How do accounts lock?", show=False)

    sent = claude.messages_requests[-1].body["messages"][0]["content"]
    assert LOGIN in sent[0]["source"]["data"]
    assert sent[1]["title"] == "annex.md (excerpts)"
    assert [(o["document"], o["of"]) for o in turn.left_out] == [("annex.md", 2000)]
    assert "did not fit" in turn.notes[-1]


def test_key_never_reaches_logs_turns_outputs_or_errors(
    project, claude, caplog, capsys
):
    caplog.set_level(logging.DEBUG)
    claude.script(Answer("Fine."), Error(400, "invalid_request_error", API_KEY))
    conv = open_conversation(project)
    conv.ask("Safe?")
    with pytest.raises(ClaudeUnavailable) as failure:
        conv.ask("Echo?")

    stored = [repr(t.__dict__) for t in conv.turns]
    seen = caplog.text + capsys.readouterr().out + str(failure.value) + "".join(stored)
    assert API_KEY not in seen
    assert "POST /v1/messages" in caplog.text


def test_ask_pdf_goes_as_a_pdf_and_its_citation_names_the_page(project, claude, corpus):
    quote = "Each quadrant of each floor shall have a thermostat"
    project.add_document(corpus / "pdf" / "themas.pdf")
    claude.script(
        Answer("Yes ", Cite("one per quadrant", quote=quote, document=1, page=12))
    )

    turn = open_conversation(project).ask("Thermostats?", show=False)

    document = claude.messages_requests[-1].body["messages"][0]["content"][1]
    assert document["source"]["media_type"] == "application/pdf"
    assert turn.citations[0].label == "themas.pdf, p. 12"
    assert turn.citations[0].anchor == "p.12 ¶22"


def test_ask_with_a_wrong_price_table_refuses_before_asking(project, claude):
    from ptah_kernel.errors import SettingsError

    prices = {MODEL: {"input": 2.0, "output": 10.0}}
    project.workspace.settings = replace(project.workspace.settings, prices=prices)

    with pytest.raises(SettingsError, match="has no 'cache_write' rate"):
        open_conversation(project).ask("Cost?", show=False)

    assert claude.messages_requests == []


def test_prices_and_model_come_from_jupyter_config(tmp_path):
    from ptah_kernel.settings import load_settings

    config = tmp_path / "jupyter_config.py"
    config.write_text(f"c.Ptah.model = {MODEL!r}\nc.Ptah.prices = {PRICES!r}\n")

    settings = load_settings(config)

    assert settings.model == MODEL
    assert settings.prices == PRICES
