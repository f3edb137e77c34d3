import numpy as np
import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.links import (
    Link,
    find_cycles,
    format_depends_on,
    format_link,
    links_of,
    parse_depends_on,
    parse_link,
    rows_in_cycles,
    topological_order,
)


def test_parse_link_reads_a_bare_code_as_finish_to_start():
    assert parse_link("1.2", "1.3") == Link("1.2", "1.3", "FS", 0.0, "h")


def test_parse_link_reads_type_and_lag_in_days():
    assert parse_link("1.2FS+2d", "1.3") == Link("1.2", "1.3", "FS", 2.0, "d")
    assert parse_link("2FF+1.5d", "3") == Link("2", "3", "FF", 1.5, "d")


def test_parse_link_reads_a_lead_in_hours():
    assert parse_link("1.3SS-4h", "1.4") == Link("1.3", "1.4", "SS", -4.0, "h")


def test_parse_link_reads_any_case_and_spaces():
    assert parse_link(" 1.2 sf + 3 H ", "1.4") == Link("1.2", "1.4", "SF", 3.0, "h")


def test_parse_link_without_type_but_with_lag_is_finish_to_start():
    assert parse_link("1.2+2d", "1.3") == Link("1.2", "1.3", "FS", 2.0, "d")


@pytest.mark.parametrize("entry", ["1.2FS+2w", "1.2XX", "x", "1..2", "1.2FS+d"])
def test_parse_link_rejects_a_malformed_entry(entry):
    with pytest.raises(WBSError, match=r"Item 1\.4 has the dependency .*1\.2FS\+2d"):
        parse_link(entry, "1.4")


def test_format_link_writes_the_canonical_entry():
    entries = ["1.2", "1.2+2d", "1.3ss-4h", "2FF+1.5d", "1.2FS+0d", "4SF"]
    written = [format_link(parse_link(entry, "9")) for entry in entries]

    assert written == ["1.2", "1.2FS+2d", "1.3SS-4h", "2FF+1.5d", "1.2", "4SF"]


def test_format_link_round_trips_through_parse_link():
    links = [
        Link("1.2", "3", "FS", 0.0, "h"),
        Link("1.3", "3", "SS", -4.0, "h"),
        Link("2", "3", "FF", 1.5, "d"),
        Link("2.10", "3", "SF", 0.25, "d"),
    ]

    assert [parse_link(format_link(link), "3") for link in links] == links


def test_lag_hours_turns_days_into_hours_of_the_calendar():
    assert Link("1", "2", "FS", 1.5, "d").lag_hours(7.5) == 11.25
    assert Link("1", "2", "FS", -4.0, "h").lag_hours(7.5) == -4.0


def test_parse_depends_on_skips_empty_entries():
    links = parse_depends_on("1.1; ;1.2SS+1d;", "1.3")

    assert [format_link(link) for link in links] == ["1.1", "1.2SS+1d"]


def test_format_depends_on_joins_with_semicolons():
    links = [Link("1.1", "1.3"), Link("1.2", "1.3", "SS", 1.0, "d")]

    assert format_depends_on(links) == "1.1;1.2SS+1d"


def test_links_of_reads_every_row_of_a_frame():
    frame = pd.DataFrame({"code": ["1", "2", "3"], "depends_on": ["", "1", "1;2FF"]})

    assert links_of(frame) == [
        Link("1", "2"),
        Link("1", "3"),
        Link("2", "3", "FF"),
    ]


def test_links_of_names_the_row_of_a_malformed_entry():
    frame = pd.DataFrame({"code": ["1", "2"], "depends_on": [np.nan, "1FS+1w"]})

    with pytest.raises(WBSError, match="Item 2 has the dependency '1FS\\+1w'"):
        links_of(frame)


def test_topological_order_puts_predecessors_first():
    predecessor, successor = np.array([2, 0, 1]), np.array([3, 2, 2])

    order, left_over = topological_order(4, predecessor, successor)

    assert order == [0, 1, 2, 3]
    assert not left_over.any()


def test_find_cycles_lists_each_cycle_once_in_link_order():
    # 0 -> 1 -> 0, 2 -> 3 -> 4 -> 2, and 5 waits behind the second cycle
    predecessor = np.array([0, 1, 2, 3, 4, 4])
    successor = np.array([1, 0, 3, 4, 2, 5])
    _, left_over = topological_order(6, predecessor, successor)

    cycles = find_cycles(left_over, predecessor, successor)

    assert sorted(cycles) == [[0, 1, 0], [2, 3, 4, 2]]


def test_rows_in_cycles_marks_the_cycle_and_what_waits_behind_it():
    # 0 -> 1 -> 2 -> 1 (a cycle low in the frame), 2 -> 3, and 4 -> 5 apart
    predecessor = np.array([0, 1, 2, 2, 4])
    successor = np.array([1, 2, 1, 3, 5])

    rows = rows_in_cycles(6, predecessor, successor)

    assert np.flatnonzero(rows).tolist() == [1, 2]
    assert find_cycles(rows, predecessor, successor) == [[1, 2, 1]]


def test_rows_in_cycles_finds_a_cycle_spanning_the_frame():
    # 5 -> 0 climbs up; 0 -> 2 -> 5 comes back down
    predecessor = np.array([5, 0, 2, 1])
    successor = np.array([0, 2, 5, 3])

    rows = rows_in_cycles(6, predecessor, successor)

    assert find_cycles(rows, predecessor, successor) == [[0, 2, 5, 0]]


def test_rows_in_cycles_finds_a_row_depending_on_itself():
    rows = rows_in_cycles(3, np.array([0, 1]), np.array([1, 1]))

    assert np.flatnonzero(rows).tolist() == [1]


def test_rows_in_cycles_passes_a_network_that_only_runs_down_the_frame():
    assert not rows_in_cycles(3, np.array([0, 0, 1]), np.array([1, 2, 2])).any()
