import math

import pandas as pd

from ptah_kernel.wbs.checks import check

NA = math.nan


def wbs(*rows):
    """A frame from (code, kind, hours for O, M and P, depends_on, requirements)."""
    frame = pd.DataFrame(
        rows, columns=["code", "kind", "hours", "depends_on", "requirements"]
    )
    for column in ("optimistic_hours", "most_likely_hours", "pessimistic_hours"):
        frame[column] = frame["hours"]
    frame["name"] = "Item " + frame["code"]
    frame["role"] = "developer"
    return frame.drop(columns="hours")


def clean():
    return wbs(
        ("1", "phase", NA, "", ""),
        ("1.1", "work package", 4, "", "R-1"),
        ("1.2", "work package", 8, "1.1", "R-2;R-3"),
        ("2", "phase", NA, "", ""),
        ("2.1", "work package", 2, "1.2SS+1d", "R-3"),
    )


def found(frame, **options):
    table = check(frame, **options)
    return list(zip(table["severity"], table["code"], table["check"], strict=True))


def test_check_of_a_clean_wbs_finds_nothing():
    requirements = pd.DataFrame({"id": ["R-1", "R-2", "R-3"]})

    table = check(clean(), requirements, rates={"developer": 90.0})

    assert table.empty
    assert list(table.columns) == ["severity", "code", "check", "message"]


def test_check_flags_a_parent_with_its_own_estimate():
    frame = clean()
    frame.loc[0, "most_likely_hours"] = 30
    frame.loc[0, ["optimistic_hours", "pessimistic_hours"]] = (20, 40)

    assert found(frame) == [("error", "1", "100% rule")]


def test_check_warns_of_a_work_package_without_estimate():
    frame = clean()
    frame.loc[4, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = NA
    message = check(frame)["message"].iloc[0]

    assert found(frame) == [("warning", "2.1", "missing estimate")]
    assert message.startswith("Work package 2.1 has no estimate; it is left out")


def test_check_reports_an_estimate_out_of_order():
    frame = clean()
    frame.loc[1, "optimistic_hours"] = 9

    assert found(frame) == [("error", "1.1", "invalid estimate")]


def test_check_lists_requirements_no_work_package_covers():
    requirements = pd.DataFrame({"id": ["R-1", "R-2", "R-3", "R-4"]})
    message = check(clean(), requirements)["message"].iloc[0]

    assert found(clean(), requirements=requirements) == [
        ("warning", "", "uncovered requirement")
    ]
    assert message.startswith("Requirement R-4 is covered by no work package")


def test_check_warns_of_an_unknown_requirement_id():
    requirements = pd.DataFrame({"id": ["R-1", "R-2"]})

    assert found(clean(), requirements=requirements) == [
        ("warning", "1.2", "unknown requirement"),
        ("warning", "2.1", "unknown requirement"),
    ]


def test_check_notes_a_work_package_that_covers_no_requirement():
    frame = clean()
    frame.loc[1, "requirements"] = " ; "

    assert found(frame) == [("info", "1.1", "no requirement")]


def test_check_names_a_dependency_cycle():
    frame = clean()
    frame.loc[1, "depends_on"] = "1.2"
    table = check(frame)

    assert found(frame) == [("error", "1.1", "dependency cycle")]
    assert table["message"].iloc[0].startswith("Items 1.1 → 1.2 → 1.1 depend on")


def test_check_names_a_dependency_on_a_missing_item():
    frame = clean()
    frame.loc[4, "depends_on"] = "1.2;1.9FF"
    message = check(frame)["message"].iloc[0]

    assert found(frame) == [("error", "2.1", "missing predecessor")]
    assert message.startswith("Item 2.1 depends on 1.9, which no item has")


def test_check_quotes_a_malformed_dependency():
    frame = clean()
    frame.loc[4, "depends_on"] = "1.2 after lunch"
    message = check(frame)["message"].iloc[0]

    assert found(frame) == [("error", "2.1", "malformed dependency")]
    assert "'1.2 after lunch'" in message


def test_check_refuses_a_dependency_on_a_parent():
    frame = clean()
    frame.loc[4, "depends_on"] = "1"

    assert found(frame) == [("error", "2.1", "summary dependency")]


def test_check_finds_duplicate_and_malformed_codes_and_orphans():
    frame = clean()
    frame.loc[2, "code"] = "1.1"
    frame.loc[4, ["code", "depends_on"]] = ("2.01", "")
    extra = wbs(("3.1", "work package", 1, "", "R-1"))

    assert found(pd.concat([frame, extra], ignore_index=True)) == [
        ("error", "2.01", "malformed code"),
        ("error", "1.1", "duplicate code"),
        ("error", "3.1", "missing parent"),
    ]


def test_check_names_rows_that_repeat_a_code():
    frame = clean()
    frame.loc[2, "code"] = "1.1"

    assert check(frame)["message"].iloc[0] == (
        "Code 1.1 is used by rows 2, 3; give each item its own code."
    )


def test_check_warns_of_a_role_without_a_rate():
    message = check(clean(), rates={"tester": 70.0})["message"].iloc[0]

    assert found(clean(), rates={"tester": 70.0}) == [
        ("warning", "1.1", "missing rate")
    ]
    assert message.startswith(
        "The role 'developer' has no rate, so 3 item(s) (1.1, 1.2, 2.1)"
    )


def test_check_puts_errors_before_warnings_before_notes():
    frame = clean()
    frame.loc[1, "requirements"] = ""
    frame.loc[2, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = NA
    frame.loc[4, "depends_on"] = "7"

    assert [severity for severity, _, _ in found(frame)] == ["error", "warning", "info"]


def test_check_quotes_the_whole_entry_when_its_code_is_malformed():
    frame = clean()
    frame.loc[4, "depends_on"] = "1..2SS"

    assert "'1..2SS'" in check(frame)["message"].iloc[0]


def test_check_of_a_wbs_without_dependencies_finds_nothing():
    frame = clean().drop(columns="depends_on")

    assert check(frame).empty
