"""Annotations: threads on quoted words that follow a document's versions."""

from __future__ import annotations

import pytest

from ptah_kernel.errors import AnnotationError

V1 = b"""# Portal

## Booking

REQ-1 The portal shall show free slots for the next eight weeks.

REQ-2 The portal shall hold a chosen slot for five minutes.

REQ-3 The portal shall print a paper ticket at reception.
"""

V2 = b"""# Portal

## Booking

REQ-1 The portal shall show free slots for the next twelve weeks.

## Holding

REQ-2 The portal shall hold a chosen slot for five minutes.
"""


@pytest.fixture
def spec(workspace):
    project = workspace.create_project("acme")
    return project, project.add_document(V1, filename="spec.md")


def test_annotate_records_anchor_quote_and_requirement(spec):
    project, document = spec

    note = document.annotate("five minutes", "Is five enough?", tags=["question"])

    frame = project.annotations
    assert note.anchor == "§Booking ¶2"
    assert frame.loc[0, "requirement"] == "spec:REQ-2"
    assert frame.loc[0, "tags"] == "question"


def test_thread_replies_and_resolves(spec):
    project, document = spec
    note = document.annotate("paper ticket", "Still needed?", tags="assumption")

    note.reply("Client says yes.").reply("Then it stays in scope.")
    note.resolve()

    again = project.annotation(note.id)
    assert [r["text"] for r in again.replies] == [
        "Client says yes.",
        "Then it stays in scope.",
    ]
    assert again.status == "resolved"
    assert project.annotations.loc[0, "replies"] == 2


def test_requirements_count_their_annotations(spec):
    project, document = spec
    document.annotate("eight weeks", "Why eight?", tags=["question"])
    document.annotate("free slots", "Per clinic?", tags=["question"])

    counts = project.requirements.set_index("ref")["annotations"]

    assert counts["REQ-1"] == 2
    assert counts["REQ-2"] == 0


def test_annotate_refuses_unknown_tag_and_missing_words(spec):
    _, document = spec

    with pytest.raises(AnnotationError, match="'urgent' is not one"):
        document.annotate("five minutes", "x", tags=["urgent"])
    with pytest.raises(AnnotationError, match="are not in 'spec.md'"):
        document.annotate("ten minutes", "x")


def test_annotate_asks_for_anchor_when_words_repeat(spec):
    _, document = spec

    with pytest.raises(AnnotationError, match="stand in 3 places.*anchor="):
        document.annotate("The portal shall", "Which portal?")

    note = document.annotate("The portal shall", "Which?", anchor="§Booking ¶3")
    assert note.requirement == "spec:REQ-3"


def test_new_version_reattaches_or_orphans(spec):
    project, document = spec
    kept = document.annotate("five minutes", "Is five enough?", tags=["question"])
    gone = document.annotate("paper ticket", "Needed?", tags=["assumption"])

    project.add_document(V2, filename="spec-v2.md", replaces=document)

    frame = project.annotations.set_index("id")
    assert frame.loc[kept.id, "anchor"] == "§Holding ¶1"
    assert frame.loc[kept.id, "document"] == "spec-v2.md"
    assert bool(frame.loc[gone.id, "orphaned"]) is True


def test_new_version_flags_wbs_items_of_changed_requirements(spec):
    project, document = spec
    project.draft_wbs()

    project.add_document(V2, filename="spec-v2.md", replaces=document)

    status = {rid: item.status for item in project.wbs for rid in item.requirements}
    assert status["spec:REQ-1"] == "needs review"
    assert status["spec:REQ-3"] == "needs review"
    assert status["spec:REQ-2"] == ""
