"""A new version of a document: stable ids, and the requirement changes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import CORPUS

OLD = b"""# Portal

## Booking

REQ-1 The portal shall show free slots for the next eight weeks.

REQ-2 The portal shall hold a chosen slot for five minutes.

The portal shall send a confirmation within one minute of a booking.

The portal shall print a paper ticket at reception.
"""

NEW = b"""# Portal

## Booking

REQ-1 The portal shall show free slots for the next twelve weeks.

REQ-2 The portal shall hold a chosen slot for five minutes.

## Messages

The portal shall send a confirmation within two minutes of a booking.

The portal shall let a patient join a waiting list.
"""


@pytest.fixture
def versions(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")
    old = project.add_document(OLD, filename="spec-v1.md")
    new = project.add_document(NEW, filename="spec-v2.md", replaces=old)
    return project, old, new


def test_new_version_keeps_lineage_and_ids(versions):
    project, old, new = versions

    assert new.lineage == old.lineage
    assert new.version == 2
    assert "spec-v1:REQ-1" in set(project.requirements["id"])


def test_project_shows_only_the_current_version(versions):
    project, _, new = versions

    assert [d.id for d in project.documents] == [new.id]
    assert set(project.requirements["document"]) == {"spec-v2.md"}
    assert [d.version for d in project.document_versions(new)] == [1, 2]


def test_compare_classifies_each_requirement(versions):
    _, old, new = versions

    changes = new.compare()

    assert changes.counts() == {"changed": 2, "added": 1, "removed": 1, "unchanged": 1}
    changed = changes.of("changed").set_index("ref")
    assert "twelve weeks" in changed.loc["REQ-1", "new_text"]
    assert "eight weeks" in changed.loc["REQ-1", "old_text"]
    assert changes.of("removed")["old_text"].str.contains("paper ticket").all()


def test_compare_gives_anchors_in_both_versions(versions):
    _, _, new = versions

    moved = new.compare().of("changed").set_index("ref").loc[""]

    assert moved["old_anchor"].startswith("§Booking")
    assert moved["new_anchor"].startswith("§Messages")


def test_replacing_an_old_version_is_refused(versions):
    from ptah_kernel.errors import DocumentNotFound

    project, old, _ = versions

    with pytest.raises(DocumentNotFound):
        project.add_document(b"# Other\n\nText shall differ.\n", "v3.md", replaces=old)


def test_cli_diff_lists_changes_with_anchors(versions, tmp_path):
    project, _, _ = versions
    folder = str(project.workspace.folder)
    command = [sys.executable, "-m", "ptah_kernel.cli", "--workspace", folder]

    done = subprocess.run(
        [*command, "diff", "acme", "spec-v2.md"], capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert "2 changed, 1 added, 1 removed, 1 unchanged" in done.stdout
    assert "§Booking" in done.stdout and "→" in done.stdout


def test_openetcs_versions_compare(sqlite_workspace):
    project = sqlite_workspace.create_project("etcs")
    folder = CORPUS / "docx"
    old = project.add_document(folder / "openetcs-api-requirements-v1.3.docx")
    new = project.add_document(
        folder / "openetcs-api-requirements-v1.4.docx", replaces=old
    )

    counts = new.compare().counts()

    assert counts["unchanged"] > counts["changed"] > 0
    assert sum(counts.values()) >= len(old.requirements)


def test_project_counts_only_current_requirements(versions):
    project, _, _ = versions

    assert project.summary()["requirements"] == len(project.requirements) == 4
