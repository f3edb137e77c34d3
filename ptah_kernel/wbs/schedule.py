"""A critical-path schedule of a WBS frame in a working calendar.

Each leaf (work package) lasts its PERT expected hours; a leaf without an
estimate lasts 0 hours and is flagged `estimated=False` (as parents are:
their span comes from their children). Links follow
`ptah_kernel.wbs.links` (FS, SS, FF, SF; a negative lag is a lead), from
and to leaves only: `check()` reports links on parent items, and the
schedule refuses them. Nothing starts before the project start.

The forward pass is Kahn's algorithm over row positions with the early
starts pushed along as each row is taken; the backward pass walks that
order in reverse. Each visits every row and link once, in plain lists,
so the work is linear in items plus links whatever the network's depth.

Parents span their children: earliest start and latest finish of the
leaves below, the least float below, critical when a child is.

Finish dates: P50 is the end of this schedule (expected durations). P80
scales along the critical path: P50 + z(0.8) · sd of the path that sets
the finish, its variance being the sum of its leaves' PERT variances (the
classic PERT answer; where paths merge it runs early, so a Monte Carlo of
the network would be later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, NamedTuple

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.calendar import WorkingCalendar

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ptah_kernel.wbs._outline import Outline
    from ptah_kernel.wbs.links import IndexedLinks

__all__ = ["finish_dates", "schedule"]

# Float below this many hours counts as none: sums of float hours drift.
_TOLERANCE = 1e-6
_FROM_FINISH = (True, False, True, False)  # FS, SS, FF, SF
_TO_FINISH = (False, False, True, True)


class _Plan(NamedTuple):
    outline: Outline
    duration: np.ndarray
    estimated: np.ndarray
    early_start: np.ndarray
    early_finish: np.ndarray
    late_start: np.ndarray
    late_finish: np.ndarray
    total_float: np.ndarray
    path_variance: np.ndarray


def schedule(
    frame: pd.DataFrame,
    start: dt.date | str,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """Early and late dates, total float and the critical flag of every item.

    Columns: code, name, kind, duration_hours, estimated, then
    early_start_hours, early_finish_hours, late_start_hours,
    late_finish_hours (working hours from the start), total_float_hours,
    critical, and early_start, early_finish, late_start, late_finish as
    datetimes. Raises WBSError for a malformed, missing or summary link
    and for a dependency cycle, naming it.
    """
    import pandas as pd

    from ptah_kernel.wbs._outline import shown

    calendar = calendar or WorkingCalendar()
    plan = _plan(frame, calendar)
    hours = {
        "early_start": plan.early_start,
        "early_finish": plan.early_finish,
        "late_start": plan.late_start,
        "late_finish": plan.late_finish,
    }
    total_float = plan.total_float
    table = pd.DataFrame(
        {
            "code": plan.outline.codes,
            "name": shown(frame, "name"),
            "kind": shown(frame, "kind"),
            "duration_hours": plan.early_finish - plan.early_start,
            "estimated": plan.estimated,
            **{f"{name}_hours": values for name, values in hours.items()},
            "total_float_hours": total_float,
            "critical": total_float <= _TOLERANCE,
        },
        index=frame.index,
    )
    for name, values in hours.items():
        finish = name.endswith("finish")
        table[name] = calendar.datetimes(start, values, finish=finish)
    return table


def finish_dates(
    frame: pd.DataFrame,
    start: dt.date | str,
    calendar: WorkingCalendar | None = None,
    levels: Sequence[float] = (0.5, 0.8),
) -> pd.DataFrame:
    """The project's duration and finish at each level, P50 and P80 by default.

    Rows P50, P80; columns level, duration_hours, duration_days and finish.
    Above P50 the critical path's spread is added (see the module text).
    """
    import numpy as np
    import pandas as pd

    calendar = calendar or WorkingCalendar()
    plan = _plan(frame, calendar)
    finish = float(plan.early_finish.max(initial=0.0))
    ending = np.abs(plan.early_finish - finish) <= _TOLERANCE
    spread = np.sqrt(plan.path_variance[ending].max(initial=0.0))

    z = np.array([NormalDist().inv_cdf(level) for level in levels])
    duration = finish + z * spread
    return pd.DataFrame(
        {
            "level": list(levels),
            "duration_hours": duration,
            "duration_days": duration / calendar.hours_per_day,
            "finish": calendar.datetimes(start, duration, finish=True),
        },
        index=[f"P{100 * level:g}" for level in levels],
    )


def _plan(frame: pd.DataFrame, calendar: WorkingCalendar) -> _Plan:
    import numpy as np

    from ptah_kernel.wbs._outline import outline_of
    from ptah_kernel.wbs.estimates import estimate_hours
    from ptah_kernel.wbs.links import index_links

    outline = outline_of(frame)
    optimistic, most_likely, pessimistic = estimate_hours(frame)
    expected = (optimistic + 4 * most_likely + pessimistic) / 6
    estimated = outline.is_leaf & ~np.isnan(expected)
    duration = np.where(estimated, expected, 0.0)
    variance = np.where(estimated, ((pessimistic - optimistic) / 6) ** 2, 0.0)

    links = index_links(frame, outline, calendar.hours_per_day)
    _refuse_bad_links(outline, links)
    network = _network(links, duration)
    order, early_start, path_variance = _forward(network, variance)
    if len(order) < outline.size:
        left_over = np.ones(outline.size, dtype=bool)
        left_over[order] = False
        _refuse_cycle(outline, links, left_over)

    early_finish = early_start + duration
    finish = float(early_finish.max(initial=0.0))
    late_start = _backward(order, network, finish - duration)
    late_finish = late_start + duration
    total_float = late_start - early_start
    dates = (early_start, early_finish, late_start, late_finish, total_float)
    starts, finishes, late_starts, late_finishes, floats = _span_parents(outline, dates)
    return _Plan(
        outline,
        duration,
        estimated,
        starts,
        finishes,
        late_starts,
        late_finishes,
        floats,
        path_variance,
    )


def _network(links: IndexedLinks, duration: np.ndarray) -> tuple[list[int], ...]:
    """The links by predecessor with one weight each: start to start distance.

    Every link type reduces to ES(successor) >= ES(predecessor) + weight:
    FS adds the predecessor's duration, FF adds it and takes off the
    successor's, SF takes off the successor's, SS adds neither; then the
    lag. Returns, as plain lists, each row's first link, the links'
    successors and weights, and each row's number of predecessors.
    """
    import numpy as np

    before, after = links.predecessor, links.successor
    from_finish, to_finish = _ends(links)
    weight = (
        np.where(from_finish, duration[before], 0.0)
        + links.lag_hours
        - np.where(to_finish, duration[after], 0.0)
    )
    by_predecessor = np.argsort(before, kind="stable")
    starts = np.zeros(duration.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(before, minlength=duration.size), out=starts[1:])
    return (
        starts.tolist(),
        after[by_predecessor].tolist(),
        weight[by_predecessor].tolist(),
        np.bincount(after, minlength=duration.size).tolist(),
    )


def _forward(
    network: tuple[list[int], ...], variance: np.ndarray
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Kahn's algorithm with the forward pass folded in, one visit per link.

    A row is taken once all its predecessors are, so its early start is
    final; it then pushes its bound to its successors. Nothing starts
    before hour 0. Returns the order (shorter than the rows when a cycle
    blocks some), early starts, and the variance of the path that sets
    each start: a row's own plus the largest of its tight predecessors'.
    """
    import numpy as np

    starts, targets, weights, waiting = network
    size = len(starts) - 1
    early, driving, path = [0.0] * size, [0.0] * size, [0.0] * size
    own = variance.tolist()
    order = [row for row in range(size) if not waiting[row]]
    for row in order:
        path[row] = carried = driving[row] + own[row]
        begin = early[row]
        for link in range(starts[row], starts[row + 1]):
            target = targets[link]
            bound = begin + weights[link]
            if bound > early[target] + _TOLERANCE:
                early[target] = bound
                driving[target] = carried
            elif bound >= early[target] - _TOLERANCE and carried > driving[target]:
                driving[target] = carried
            waiting[target] -= 1
            if not waiting[target]:
                order.append(target)
    return order, np.array(early), np.array(path)


def _backward(
    order: list[int], network: tuple[list[int], ...], latest: np.ndarray
) -> np.ndarray:
    """Late starts: each row as late as its successors allow, none past `latest`."""
    import numpy as np

    starts, targets, weights, _ = network
    late = latest.tolist()
    for row in reversed(order):
        value = late[row]
        for link in range(starts[row], starts[row + 1]):
            bound = late[targets[link]] - weights[link]
            if bound < value:
                value = bound
        late[row] = value
    return np.array(late)


def _ends(links: IndexedLinks) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    return np.array(_FROM_FINISH)[links.type], np.array(_TO_FINISH)[links.type]


def _span_parents(
    outline: Outline, dates: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, ...]:
    """Parents take the earliest start, latest finish and least float below.

    `dates` are early start, early finish, late start, late finish, float.
    """
    import numpy as np

    from ptah_kernel.wbs._outline import levels_deepest_first

    parents = ~outline.is_leaf
    spans = []
    for number, values in enumerate(dates):
        values = values.copy()
        is_start = number % 2 == 0  # starts and float take the least
        values[parents] = np.inf if is_start else -np.inf
        combine = np.minimum if is_start else np.maximum
        for rows in levels_deepest_first(outline):
            combine.at(values, outline.parent[rows], values[rows])
        spans.append(values)
    return tuple(spans)


def _refuse_bad_links(outline: Outline, links: IndexedLinks) -> None:
    import numpy as np

    from ptah_kernel.wbs import links as wording

    codes = outline.codes
    if links.malformed:
        row, entry = links.malformed[0]
        raise WBSError(wording.malformed_dependency(codes[row], entry))
    if links.missing:
        row, missing = links.missing[0]
        raise WBSError(wording.missing_predecessor(codes[row], missing))
    parents = ~outline.is_leaf
    summary = np.flatnonzero(parents[links.predecessor] | parents[links.successor])
    if summary.size:
        i = int(summary[0])
        code, predecessor = codes[links.successor[i]], codes[links.predecessor[i]]
        raise WBSError(wording.summary_dependency(code, predecessor))


def _refuse_cycle(outline: Outline, links: IndexedLinks, left_over: np.ndarray) -> None:
    from ptah_kernel.wbs.links import dependency_cycle, find_cycles

    cycle = find_cycles(left_over, links.predecessor, links.successor)[0]
    raise WBSError(dependency_cycle([outline.codes[row] for row in cycle]))
