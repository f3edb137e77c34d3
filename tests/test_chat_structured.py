"""Structured answers: a proposed WBS, open questions, a classification."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ptah_kernel.chat import open_conversation
from ptah_kernel.errors import ConflictError, StructuredAnswerError
from tests.fake_claude import Json, Refusal, serve
from tests.test_chat_ask import LOGIN, MODEL, PRICES, SPEC


@pytest.fixture
def claude(monkeypatch):
    yield from serve(monkeypatch)


@pytest.fixture
def project(sqlite_workspace, claude):
    workspace = sqlite_workspace
    workspace.settings = replace(workspace.settings, model=MODEL, prices=PRICES)
    project = workspace.create_project("acme")
    project.add_document(SPEC.encode(), "spec.md")
    return project


def login_id(project):
    frame = project.requirements
    return frame[frame["text"] == LOGIN]["id"].iloc[0]


def wbs_answer(project, **changes):
    items = [
        {
            "code": "1",
            "name": "Portal",
            "kind": "deliverable",
            "requirements": [],
            "description": "",
            "role": "",
        },
        {
            "code": "1.1",
            "name": "Account lockout",
            "kind": "work package",
            "requirements": [login_id(project)],
            "description": "",
            "role": "dev",
        },
    ]
    items[1].update(changes)
    return Json({"items": items})


def test_propose_wbs_asks_for_json_without_citations(project, claude):
    claude.script(wbs_answer(project))

    open_conversation(project).propose_wbs(documents=["spec.md"])

    body = claude.messages_requests[-1].body
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert body["messages"][0]["content"][0]["citations"] == {"enabled": False}
    assert login_id(project) in body["messages"][0]["content"][1]["text"]


def test_propose_wbs_shows_a_diff_and_applies_only_on_request(project, claude):
    claude.script(wbs_answer(project))

    proposal = open_conversation(project).propose_wbs()

    assert list(proposal.diff["change"]) == ["added", "added"]
    assert len(project.wbs) == 0
    assert [item.code for item in proposal.apply()] == ["1", "1.1"]


def test_propose_wbs_apply_refuses_when_the_wbs_changed(project, claude):
    claude.script(wbs_answer(project))
    proposal = open_conversation(project).propose_wbs()

    project.draft_wbs()

    with pytest.raises(ConflictError, match="changed since this proposal"):
        proposal.apply()


def test_propose_wbs_cut_at_max_tokens_is_never_applied(project, claude):
    claude.script(Json(wbs_answer(project).data, stop_reason="max_tokens", cut=120))
    conv = open_conversation(project)

    with pytest.raises(StructuredAnswerError, match="cut off.*nothing was applied"):
        conv.propose_wbs()

    assert len(project.wbs) == 0
    assert conv.turns[0].status == "truncated" and conv.turns[0].result is None


def test_propose_wbs_refused_is_reported(project, claude):
    claude.script(Refusal())

    with pytest.raises(StructuredAnswerError, match="was refused"):
        open_conversation(project).propose_wbs()

    assert len(project.wbs) == 0


def test_propose_wbs_that_breaks_the_tree_is_refused(project, claude):
    claude.script(wbs_answer(project, code="2.1"))

    with pytest.raises(StructuredAnswerError, match="parent code 2"):
        open_conversation(project).propose_wbs()

    assert open_conversation(project).turns[0].status == "invalid"


def test_propose_wbs_drops_requirement_ids_the_project_lacks(project, claude):
    claude.script(wbs_answer(project, requirements=["spec:made-up"]))

    proposal = open_conversation(project).propose_wbs()

    assert proposal.items[1].requirements == []
    assert "spec:made-up" in proposal.notes[0]


def test_open_questions_tie_to_anchors_and_save_as_annotations(project, claude):
    anchor = project.document("spec.md").blocks[2].anchor
    question = {
        "question": "Is the lock permanent?",
        "why": "No unlock is described.",
        "requirements": [login_id(project)],
        "document": "spec.md",
        "anchor": "made-up anchor",
        "quote": "lock an account",
    }
    claude.script(Json({"questions": [question]}))

    questions = open_conversation(project).open_questions()
    saved = questions.save_as_annotations()

    assert questions.to_frame()["anchor"].tolist() == [anchor]
    assert saved[0].quote == "lock an account" and saved[0].tags == ["question"]


def test_classify_requirements_compares_with_the_offline_guess(project, claude):
    frame = project.requirements
    kinds = [
        {
            "id": rid,
            "kind": "security" if rid == login_id(project) else offline,
            "reason": "r",
        }
        for rid, offline in zip(frame["id"], frame["kind"], strict=True)
    ]
    claude.script(Json({"requirements": kinds}))

    result = open_conversation(project).classify_requirements()

    table = result.to_frame().set_index("id")
    assert table.loc[login_id(project), "claude"] == "security"
    assert result.agreement >= (len(frame) - 1) / len(frame)
