"""The working calendar a schedule counts in: hours per day, weekdays, holidays.

The schedule works in working hours from the project start; this module
turns those offsets into dates and times in one numpy step for a whole
column, with `np.busday_offset` skipping weekends and holidays. A working
day is one block of `hours_per_day` hours from `day_starts` (no lunch
break is modelled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ptah_kernel.errors import WBSError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["WorkingCalendar"]


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Working hours per day, working weekdays and holidays.

    `weekmask` lists working days as numpy's busday functions read them,
    "Mon Tue Wed Thu Fri" or "1111100" (Monday first).

    >>> WorkingCalendar(hours_per_day=7.5, holidays=(dt.date(2027, 1, 1),))
    """

    hours_per_day: float = 8.0
    weekmask: str = "Mon Tue Wed Thu Fri"
    holidays: Sequence[dt.date] = ()
    day_starts: dt.time = dt.time(9, 0)

    def __post_init__(self) -> None:
        """Refuse a calendar with no working time."""
        if not 0 < self.hours_per_day <= 24:
            raise WBSError(
                f"The calendar has {self.hours_per_day!r} hours per day; give a "
                "number of working hours above 0 and at most 24."
            )
        try:
            self.busdays()
        except ValueError as error:
            raise WBSError(
                f"The calendar's weekmask {self.weekmask!r} cannot be read; write "
                "the working days as 'Mon Tue Wed Thu Fri' or '1111100'."
            ) from error

    def busdays(self) -> np.busdaycalendar:
        """The numpy business-day calendar of these weekdays and holidays."""
        import numpy as np

        holidays = np.array(list(self.holidays), dtype="datetime64[D]")
        return np.busdaycalendar(weekmask=self.weekmask, holidays=holidays)

    def first_working_day(self, start: dt.date | str) -> np.datetime64:
        """`start`, or the next working day when it is a weekend or holiday."""
        import numpy as np

        day = np.datetime64(start, "D")
        return np.busday_offset(day, 0, roll="forward", busdaycal=self.busdays())

    def working_days(self, hours: float) -> float:
        """Working hours as working days of this calendar."""
        return hours / self.hours_per_day

    def datetimes(
        self, start: dt.date | str, hours: np.ndarray, *, finish: bool = False
    ) -> np.ndarray:
        """Working-hour offsets from the start of `start` as datetime64[m].

        An offset on a day boundary is the next morning for a start and the
        previous evening for a finish (`finish=True`), so a 16-hour task
        from Monday 09:00 finishes Tuesday 17:00, not Wednesday 09:00.
        """
        import numpy as np

        minutes = np.rint(np.asarray(hours, dtype=np.float64) * 60).astype(np.int64)
        per_day = round(self.hours_per_day * 60)
        if finish:
            days = np.where(minutes > 0, (minutes - 1) // per_day, 0)
        else:
            days = minutes // per_day

        first = self.first_working_day(start)
        dates = np.busday_offset(first, days, roll="forward", busdaycal=self.busdays())
        opening = self.day_starts.hour * 60 + self.day_starts.minute
        within = minutes - days * per_day + opening
        moments: np.ndarray = dates.astype("datetime64[m]") + within.astype(
            "timedelta64[m]"
        )
        return moments
