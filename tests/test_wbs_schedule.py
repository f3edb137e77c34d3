import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.calendar import WorkingCalendar
from ptah_kernel.wbs.schedule import finish_dates, schedule

MONDAY = "2027-01-04"
Z80 = 0.8416212335729143
NA = math.nan


def wbs(*rows):
    """A frame from (code, hours or (O, M, P), depends_on); parents get NA hours."""
    records = []
    for code, hours, depends_on in rows:
        low, likely, high = hours if isinstance(hours, tuple) else (hours,) * 3
        records.append((code, f"Item {code}", low, likely, high, depends_on))
    columns = ["code", "name", "optimistic_hours", "most_likely_hours"]
    frame = pd.DataFrame(records, columns=[*columns, "pessimistic_hours", "depends_on"])
    frame["kind"] = "work package"
    return frame


def hours_of(table, *columns):
    return table.set_index("code")[list(columns)].to_dict("index")


def when(text):
    return pd.Timestamp(text)


def test_schedule_chains_finish_to_start_in_working_hours():
    table = schedule(wbs(("1", 8, ""), ("2", 16, "1")), MONDAY)

    assert hours_of(table, "early_start_hours", "early_finish_hours") == {
        "1": {"early_start_hours": 0.0, "early_finish_hours": 8.0},
        "2": {"early_start_hours": 8.0, "early_finish_hours": 24.0},
    }


def test_schedule_turns_hours_into_working_dates():
    table = schedule(wbs(("1", 8, ""), ("2", 16, "1")), MONDAY).set_index("code")

    assert table.loc["1", "early_finish"] == when("2027-01-04 17:00")
    assert table.loc["2", "early_start"] == when("2027-01-05 09:00")
    assert table.loc["2", "early_finish"] == when("2027-01-06 17:00")


def test_schedule_skips_weekends_and_holidays():
    calendar = WorkingCalendar(holidays=(dt.date(2027, 1, 11),))
    frame = wbs(("1", 40, ""), ("2", 4, "1"))

    table = schedule(frame, "2027-01-02", calendar).set_index("code")

    assert table.loc["1", "early_start"] == when("2027-01-04 09:00")
    assert table.loc["1", "early_finish"] == when("2027-01-08 17:00")
    assert table.loc["2", "early_start"] == when("2027-01-12 09:00")


def test_schedule_gives_float_to_a_shorter_branch():
    frame = wbs(("1", 8, ""), ("2", 16, "1"), ("3", 4, "1"))

    table = schedule(frame, MONDAY).set_index("code")

    assert table.loc["3", ["late_start_hours", "total_float_hours"]].tolist() == [
        20.0,
        12.0,
    ]
    assert table["critical"].tolist() == [True, True, False]


@pytest.mark.parametrize(
    ("entry", "start"),
    [
        ("1SS+2h", 2.0),  # starts 2 h after 1 starts
        ("1FF", 4.0),  # 4 h work finishing with 1 at hour 8
        ("1SF+10h", 6.0),  # finishes 10 h after 1 starts
        ("1FS-2h", 6.0),  # a 2 h lead on 1's finish
        ("1FS+1d", 16.0),  # a working day of 8 h after 1 finishes
    ],
)
def test_schedule_honours_each_link_type_and_lag(entry, start):
    table = schedule(wbs(("1", 8, ""), ("2", 4, entry)), MONDAY)

    assert table.loc[1, "early_start_hours"] == start


def test_schedule_starts_nothing_before_the_project_start():
    table = schedule(wbs(("1", 4, ""), ("2", 8, "1FF")), MONDAY)

    assert table.loc[1, ["early_start_hours", "early_finish_hours"]].tolist() == [
        0.0,
        8.0,
    ]


def test_schedule_reads_days_with_the_calendars_hours_per_day():
    calendar = WorkingCalendar(hours_per_day=7.5)

    table = schedule(wbs(("1", 8, ""), ("2", 4, "1FS+1d")), MONDAY, calendar)

    assert table.loc[1, "early_start_hours"] == 8 + 7.5


def test_schedule_backward_pass_honours_start_to_start_links():
    frame = wbs(("1", 8, ""), ("2", 4, "1SS+2h"), ("3", 20, ""))

    table = schedule(frame, MONDAY).set_index("code")

    # 2 may start at 16, which lets 1 start at 14; but 1 must end by 20
    assert table.loc["2", "late_start_hours"] == 16.0
    assert table.loc["1", "late_start_hours"] == 12.0


def test_schedule_spans_parents_over_their_children():
    frame = wbs(
        ("1", NA, ""), ("1.1", 8, ""), ("1.2", 4, "1.1"), ("2", NA, ""), ("2.1", 2, "")
    )

    table = schedule(frame, MONDAY).set_index("code")

    assert table.loc["1", ["early_start_hours", "early_finish_hours"]].tolist() == [
        0.0,
        12.0,
    ]
    assert table.loc["2", ["total_float_hours", "critical"]].tolist() == [10.0, False]
    assert bool(table.loc["1", "critical"])


def test_schedule_gives_an_unestimated_work_package_no_duration():
    table = schedule(wbs(("1", 8, ""), ("2", NA, "1")), MONDAY)

    assert table.loc[1, ["duration_hours", "estimated"]].tolist() == [0.0, False]


def test_schedule_refuses_a_cycle_naming_it():
    frame = wbs(("1", 8, ""), ("2", 4, "1;3"), ("3", 4, "2"))

    with pytest.raises(WBSError, match="Items 2 → 3 → 2 depend on each other"):
        schedule(frame, MONDAY)


def test_schedule_refuses_a_link_to_a_parent():
    frame = wbs(("1", NA, ""), ("1.1", 8, ""), ("2", 4, "1"))

    with pytest.raises(
        WBSError, match="Item 2 depends on 1, and one of them has children"
    ):
        schedule(frame, MONDAY)


def test_schedule_refuses_a_dependency_on_a_missing_item():
    with pytest.raises(WBSError, match="Item 1 depends on 4, which no item has"):
        schedule(
            wbs(
                ("1", 8, "4"),
            ),
            MONDAY,
        )


def test_finish_dates_add_the_critical_paths_spread_at_p80():
    # 1 = (2, 8, 14): E 8, variance 4; 2 = (10, 16, 22): E 16, variance 4
    frame = wbs(("1", (2, 8, 14), ""), ("2", (10, 16, 22), "1"), ("3", (0, 1, 30), ""))
    p80 = 24 + Z80 * math.sqrt(4 + 4)

    table = finish_dates(frame, MONDAY)

    assert table["duration_hours"].tolist() == pytest.approx([24.0, p80])
    assert table.loc["P80", "duration_days"] == pytest.approx(p80 / 8)
    assert table.loc["P80", "finish"] == when("2027-01-07 11:23")


def test_finish_dates_follow_the_driving_path_not_the_widest():
    # 3 is wide but ends early; the finish is set by 1 -> 2 alone
    frame = wbs(("1", (8, 8, 8), ""), ("2", (4, 10, 16), "1"), ("3", (0, 2, 14), ""))

    table = finish_dates(frame, MONDAY, levels=[0.8])

    assert table.loc["P80", "duration_hours"] == pytest.approx(18 + Z80 * 2.0)


def test_working_calendar_rolls_a_weekend_start_to_monday():
    calendar = WorkingCalendar()

    assert calendar.first_working_day("2027-01-02") == np.datetime64(MONDAY)


def test_working_calendar_puts_a_day_boundary_at_the_evening_for_a_finish():
    calendar = WorkingCalendar(day_starts=dt.time(8, 30))
    hours = np.array([0.0, 8.0, 12.0])

    starts = calendar.datetimes(MONDAY, hours).astype(str).tolist()
    finishes = calendar.datetimes(MONDAY, hours, finish=True).astype(str).tolist()

    assert starts == ["2027-01-04T08:30", "2027-01-05T08:30", "2027-01-05T12:30"]
    assert finishes == ["2027-01-04T08:30", "2027-01-04T16:30", "2027-01-05T12:30"]


def test_working_calendar_refuses_a_day_without_hours():
    with pytest.raises(WBSError, match="has 0 hours per day; give a number"):
        WorkingCalendar(hours_per_day=0)


def test_working_calendar_refuses_an_unreadable_weekmask():
    with pytest.raises(WBSError, match="weekmask 'weekdays' cannot be read"):
        WorkingCalendar(weekmask="weekdays")
