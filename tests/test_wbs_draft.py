from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.draft import draft_wbs

SPEC = "3 Specific requirements"


def statement(id, text, section, anchor, kind="functional", document="themas.pdf"):
    return {
        "id": id,
        "ref": "",
        "text": text,
        "modality": "shall",
        "kind": kind,
        "source": "statement",
        "document": document,
        "anchor": anchor,
        "section": section,
    }


def story(id, text, line):
    row = statement(id, text, "", f"line {line}", document="stories.txt")
    return row | {"source": "story", "modality": ""}


@pytest.fixture
def requirements() -> pd.DataFrame:
    rows = [
        statement(
            "themas:SRS-001",
            "SRS-001 The THEMAS system shall turn off the heating unit.",
            f"{SPEC} › 3.1 Heating › 3.1.1 Turn off heating",
            "p.12 ¶3",
        ),
        statement(
            "themas:SRS-002",
            "The system shall turn on the heating unit.",
            f"{SPEC} › 3.1 Heating › 3.1.2 Turn on heating",
            "p.12 ¶5",
        ),
        statement(
            "themas:a1",
            "The system shall log each event.",
            f"{SPEC} › 3.2 LOGGING",
            "p.13 ¶1",
        ),
        statement(
            "themas:a2",
            "The log shall be kept for 30 days.",
            f"{SPEC} › 3.2 LOGGING",
            "p.13 ¶1",
        ),
        statement(
            "themas:a3",
            "The operator shall be able to print the log.",
            f"{SPEC} › 3.2 LOGGING",
            "p.13 ¶2",
        ),
        statement(
            "themas:d1",
            "The system shall read the alarm sensors.",
            f"{SPEC} › 3.3 Alarms › 3.3.1 Inputs",
            "p.13 ¶5",
        ),
        statement(
            "themas:d2",
            "The system shall ring the bell.",
            f"{SPEC} › 3.3 Alarms › 3.3.2 PROCESSING",
            "p.13 ¶7",
        ),
        statement(
            "themas:a4",
            "The system shall refresh the display every 60 seconds.",
            "",
            "p.14 ¶1",
            kind="performance",
        ),
        statement(
            "rfp:b1",
            "Passwords shall be stored hashed.",
            "Security",
            "§2 ¶1",
            kind="security",
            document="rfp.md",
        ),
        statement(
            "rfp:b2",
            "The portal shall show the order history.",
            "Orders",
            "§3 ¶1",
            document="rfp.md",
        ),
        story(
            "stories:c1",
            "As a moderator, I want to start a round, so that we can estimate.",
            1,
        ),
        story(
            "stories:c2",
            "As an estimator, I want to see the item, so that I can estimate it.",
            2,
        ),
        story("stories:c3", "As a moderator, I want to delete a game.", 3),
    ]
    return pd.DataFrame(rows)


def work_packages(items):
    return [item for item in items if item.kind == "work package"]


def test_draft_wbs_covers_each_requirement_once(requirements):
    items = draft_wbs(requirements)

    covered = Counter(id for item in work_packages(items) for id in item.requirements)
    assert set(covered) == set(requirements["id"])
    assert set(covered.values()) == {1}


def test_draft_wbs_codes_match_the_tree(requirements):
    items = draft_wbs(requirements)
    codes = [item.code for item in items]

    assert len(set(codes)) == len(codes)
    assert all(item.parent_code in codes for item in items if item.level > 1)
    assert {(item.level, item.kind) for item in items} == {
        (1, "phase"),
        (2, "deliverable"),
        (3, "work package"),
    }


def test_draft_wbs_numbers_children_from_one(requirements):
    items = draft_wbs(requirements)

    children = Counter(item.parent_code for item in items)
    for item in items:
        last = int(item.code.rsplit(".", 1)[-1])
        assert 1 <= last <= children[item.parent_code]


def test_draft_wbs_invents_no_estimates(requirements):
    items = draft_wbs(requirements)

    hours = {
        (i.optimistic_hours, i.most_likely_hours, i.pessimistic_hours) for i in items
    }
    assert hours == {(None, None, None)}
    assert {item.role for item in items} == {""}


def test_draft_wbs_same_input_same_output(requirements):
    first = draft_wbs(requirements)
    second = draft_wbs(requirements.copy())

    assert first == second


def test_draft_wbs_names_from_headings_roles_and_categories(requirements):
    names = {item.name: item.kind for item in draft_wbs(requirements)}

    assert names["Logging"] == "deliverable"
    assert names["Turn off heating"] == "work package"
    assert names["Moderator"] == names["Performance"] == "deliverable"


def test_draft_wbs_names_work_packages_from_the_text(requirements):
    by_ids = {tuple(i.requirements): i.name for i in draft_wbs(requirements)}

    assert by_ids[("themas:a3",)] == "Print the log"
    assert by_ids[("themas:a4",)] == "Refresh the display every 60 seconds"
    assert by_ids[("stories:c1",)] == "Start a round"


def test_draft_wbs_groups_statements_of_one_paragraph(requirements):
    packages = work_packages(draft_wbs(requirements))

    grouped = [p for p in packages if len(p.requirements) > 1]
    assert [p.requirements for p in grouped] == [["themas:a1", "themas:a2"]]


def test_draft_wbs_phases_per_document_then_stories_then_quality(requirements):
    phases = [item.name for item in draft_wbs(requirements) if item.kind == "phase"]

    assert phases == [
        "Functional scope: themas.pdf",
        "Functional scope: rfp.md",
        "User stories",
        "Non-functional requirements",
    ]


def test_draft_wbs_lone_sections_join_their_parent(requirements):
    items = draft_wbs(requirements)
    heating = next(item for item in items if item.name == "Heating")

    under = [item.name for item in items if item.parent_code == heating.code]
    assert under == ["Turn off heating", "Turn on heating"]


def test_draft_wbs_repeated_id_drafted_once(requirements):
    doubled = pd.concat([requirements, requirements.head(1)], ignore_index=True)

    ids = [id for item in work_packages(draft_wbs(doubled)) for id in item.requirements]
    assert ids.count("themas:SRS-001") == 1


def test_draft_wbs_empty_frame_gives_nothing():
    assert draft_wbs(pd.DataFrame(columns=["id", "text"])) == []


def test_draft_wbs_without_id_column_raises():
    with pytest.raises(WBSError, match="no id column"):
        draft_wbs(pd.DataFrame({"text": ["The system shall work."]}))


def test_draft_wbs_missing_id_names_the_row(requirements):
    requirements.loc[2, "id"] = None

    with pytest.raises(WBSError, match="Requirement row 3 has no id"):
        draft_wbs(requirements)


def test_draft_wbs_5000_requirements_covers_each_once(requirements):
    big = pd.concat([requirements] * 455, ignore_index=True).head(5000)
    big["id"] = [f"big:{n}" for n in range(len(big))]

    items = draft_wbs(big)

    assert sum(len(p.requirements) for p in work_packages(items)) == 5000


def test_draft_wbs_reads_missing_values_as_empty():
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "text": ["The system shall export orders.", "Data shall be encrypted."],
            "ref": [float("nan")] * 2,
            "kind": pd.array([pd.NA, "security"], dtype="string"),
        }
    )

    names = [(item.code, item.name) for item in draft_wbs(frame)]
    assert names[:3] == [
        ("1", "Functional scope"),
        ("1.1", "General requirements"),
        ("1.1.1", "Export orders"),
    ]
    assert names[-1] == ("2.1.1", "Data shall be encrypted")


def test_draft_wbs_parts_like_inputs_count_as_their_section(requirements):
    items = draft_wbs(requirements)
    alarms = next(item for item in items if item.name == "Alarms")

    under = [item.name for item in items if item.parent_code == alarms.code]
    assert under == ["Read the alarm sensors", "Ring the bell"]
    assert alarms.kind == "deliverable"
