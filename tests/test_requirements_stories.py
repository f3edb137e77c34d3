from ptah_kernel.documents.content import Block
from ptah_kernel.requirements import find_requirements
from ptah_kernel.requirements._stories import story_parts


def _lines(*lines: str) -> list[Block]:
    return [Block("paragraph", text, f"line {n}") for n, text in enumerate(lines, 1)]


def test_story_parts_with_so_that():
    parts = story_parts(
        "As a moderator, I want to invite estimators, so that we start."
    )

    assert parts == {
        "role": "moderator",
        "goal": "to invite estimators",
        "benefit": "we start",
    }


def test_story_parts_without_so_that_or_article():
    parts = story_parts("As User, I want to be able to log in.")

    assert parts == {"role": "User", "goal": "to be able to log in", "benefit": ""}


def test_story_parts_rejects_other_sentences():
    assert story_parts("As noted above, the system shall log.") is None
    assert story_parts("The user wants to log in.") is None


def test_find_requirements_strips_backlog_marker_from_stories():
    found = find_requirements(
        _lines("#G23# As a researcher, I want to view a finding aid."), lineage="b"
    )

    assert found[0].text == "As a researcher, I want to view a finding aid."
    assert (found[0].source, found[0].modality) == ("story", "")


def test_find_requirements_joins_marked_continuation_line_to_story():
    found = find_requirements(
        _lines(
            "#G23# As a migration specialist, I want to store source ids",
            "#G23# to support data migration integrity testing.",
            "#G23# As a user, I want to log in.",
        ),
        lineage="b",
    )

    assert [f.text for f in found] == [
        "As a migration specialist, I want to store source ids to support "
        "data migration integrity testing.",
        "As a user, I want to log in.",
    ]
    assert [f.anchor for f in found] == ["line 1", "line 3"]


def test_find_requirements_finds_story_in_a_markdown_list():
    blocks = [
        Block("list item", "As an API user, I would like to write records.", "§2")
    ]
    found = find_requirements(blocks, lineage="soo")

    assert found[0].source == "story"
    assert found[0].text == "As an API user, I would like to write records."
