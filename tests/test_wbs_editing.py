"""Editing a stored WBS: tree edits, frames applied whole, conflicts, baselines."""

from __future__ import annotations

import pytest

from ptah_kernel.errors import ConflictError, WBSError
from ptah_kernel.wbs.model import WorkItem
from ptah_kernel.wbs.tree import (
    add_item,
    delete_item,
    indent_item,
    move_item,
    outdent_item,
    renumber,
    reorder_item,
)


def tree() -> list[WorkItem]:
    return [
        WorkItem("1", "Build", "phase"),
        WorkItem("1.1", "Booking", "deliverable"),
        WorkItem("1.1.1", "Slots", "work package", depends_on=["1.1.2"]),
        WorkItem("1.1.2", "Rotas", "work package"),
        WorkItem("1.2", "Accounts", "deliverable"),
        WorkItem("1.2.1", "Sign-up", "work package", depends_on=["1.1.1SS+2d"]),
        WorkItem("2", "Run", "phase"),
    ]


def codes(items: list[WorkItem]) -> list[str]:
    return [i.code for i in items]


def test_add_item_takes_next_free_code_under_parent():
    items, item = add_item(tree(), "Reminders", parent="1.1")

    assert item.code == "1.1.3"
    assert codes(items)[:5] == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3"]


def test_delete_item_removes_subtree_and_links_and_leaves_a_gap():
    items = delete_item(tree(), "1.1")

    assert codes(items) == ["1", "1.2", "1.2.1", "2"]
    assert items[2].depends_on == []


def test_move_item_renames_subtree_and_follows_links():
    items, renames = move_item(tree(), "1.1", "2")

    assert renames == {"1.1": "2.1", "1.1.1": "2.1.1", "1.1.2": "2.1.2"}
    assert codes(items) == ["1", "1.2", "1.2.1", "2", "2.1", "2.1.1", "2.1.2"]
    by_code = {i.code: i for i in items}
    assert by_code["1.2.1"].depends_on == ["2.1.1SS+2d"]
    assert by_code["2.1.1"].depends_on == ["2.1.2"]


def test_move_item_under_itself_is_refused():
    with pytest.raises(WBSError, match="under its own subtree"):
        move_item(tree(), "1", "1.1")


def test_indent_and_outdent_are_inverse_on_codes():
    items, renames = indent_item(tree(), "1.2")
    assert renames["1.2"] == "1.1.3"

    items, back = outdent_item(items, "1.1.3")

    assert back["1.1.3"] == "1.2"
    assert codes(items) == codes(tree())


def test_reorder_keeps_codes_and_renumber_reports_changes():
    items = reorder_item(tree(), "1.2", 0)
    assert codes(items) == ["1", "1.2", "1.2.1", "1.1", "1.1.1", "1.1.2", "2"]

    items, renames = renumber(items)

    assert renames == {
        "1.2": "1.1",
        "1.2.1": "1.1.1",
        "1.1": "1.2",
        "1.1.1": "1.2.1",
        "1.1.2": "1.2.2",
    }
    assert codes(items) == ["1", "1.1", "1.1.1", "1.2", "1.2.1", "1.2.2", "2"]
    assert [i.name for i in items][1:3] == ["Accounts", "Sign-up"]


def test_indent_first_sibling_is_refused():
    with pytest.raises(WBSError, match="no sibling above"):
        indent_item(tree(), "1.1")


@pytest.fixture
def project(workspace):
    project = workspace.create_project("acme")
    project.wbs.replace(project, tree())
    return project


def test_apply_frame_stores_edit_and_reports_it(project):
    frame = project.wbs.to_frame()
    row = frame.index[frame["code"] == "1.1.1"][0]
    frame.loc[row, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = (
        2,
        4,
        12,
    )

    changes = project.wbs.apply_frame(frame)

    assert changes.counts()["re-estimated"] == 1
    assert changes.totals.loc["expected_hours", "after"] == pytest.approx(5.0)
    stored = {i.code: i for i in project.wbs}["1.1.1"]
    assert stored.most_likely_hours == 4


def test_apply_frame_read_before_another_save_is_a_conflict(project):
    stale = project.wbs.to_frame()
    project.wbs.add("Hosting", parent="2")

    with pytest.raises(ConflictError, match="changed since you read it"):
        project.wbs.apply_frame(stale)

    assert "Hosting" in [i.name for i in project.wbs]


def test_apply_frame_with_a_bad_row_changes_nothing(project):
    frame = project.wbs.to_frame()
    frame.loc[2, "most_likely_hours"] = -3
    version = project.wbs.version

    with pytest.raises(WBSError):
        project.wbs.apply_frame(frame)

    assert project.wbs.version == version


def test_set_estimate_refuses_unordered_hours(project):
    with pytest.raises(WBSError, match=r"Item 1.1.1 has the estimate 8 / 4 / 2"):
        project.wbs.set_estimate("1.1.1", 8, 4, 2)

    assert project.wbs.items[2].most_likely_hours is None


def test_baseline_compare_shows_changes_and_totals(project):
    project.wbs.set_estimate("1.1.1", 2, 4, 12)
    project.save_baseline("quote")
    wbs = project.wbs
    wbs.set_estimate("1.1.1", 4, 6, 14)
    wbs.delete("1.2")
    wbs.add("Hosting", parent="2")

    changes = project.compare_baseline("quote")

    assert changes.counts() == {
        "added": 1,
        "removed": 2,
        "re-estimated": 1,
        "moved": 0,
        "edited": 0,
    }
    assert changes.totals.loc["expected_hours", "change"] == pytest.approx(2.0)


def test_baseline_name_taken_twice_is_refused(project):
    project.save_baseline("quote")

    with pytest.raises(WBSError, match="has a baseline 'quote' already"):
        project.save_baseline("quote")

    assert list(project.baselines["name"]) == ["quote"]


def test_import_wbs_keeps_replaced_as_baseline(project):
    project.import_wbs([WorkItem("1", "Everything", "work package")], baseline="old")

    assert [i.name for i in project.wbs] == ["Everything"]
    assert list(project.baselines["name"]) == ["old"]
    assert project.compare_baseline("old").counts()["removed"] == 6


def test_rates_share_one_currency(project):
    project.set_rate("developer", 80, "EUR")
    project.set_rate("tester", 60, "eur")

    with pytest.raises(WBSError, match="prices its roles in EUR"):
        project.set_rate("architect", 120, "USD")

    assert project.rates == {"developer": 80, "tester": 60}
    assert project.currency == "EUR"
