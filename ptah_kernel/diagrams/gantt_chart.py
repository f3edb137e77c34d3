"""A Gantt chart of a schedule, critical work in red, a baseline underneath.

The schedule is a frame from `ptah_kernel.wbs.schedule.schedule`. Work
packages are bars, parents thin dark summary bars, zero-length items
diamonds. A baseline (an earlier schedule frame) is drawn as a thin grey
bar under each current bar, so slips show at a glance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ptah_kernel.diagrams import _labels
from ptah_kernel.diagrams._diagram import Diagram, DiagramError
from ptah_kernel.diagrams._inputs import (
    check_depth,
    fold_depth,
    level_of,
    parent_codes,
    require_columns,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["GANTT_LIMIT", "gantt"]

log = logging.getLogger(__name__)

# Past this many rows the chart shows fewer levels, like the tree.
GANTT_LIMIT = 60
CRITICAL = "#c0392b"
NORMAL = "#4a7fa6"
SUMMARY = "#2b3a42"
BASELINE = "#9aa5ad"
COLUMNS = ("code", "name", "early_start", "early_finish", "critical")
ROW_INCHES = 0.32


def gantt(
    schedule: pd.DataFrame,
    baseline: pd.DataFrame | None = None,
    *,
    depth: int | None = None,
    limit: int = GANTT_LIMIT,
    title: str = "Schedule",
) -> Diagram:
    """One bar per item from early start to early finish, critical bars red.

    `baseline`, another schedule frame, adds a thin grey bar under each
    item it also has. `depth` is the deepest level shown; by default every
    level that keeps the chart at `limit` rows or fewer.
    """
    check_depth(depth)
    require_columns(schedule, COLUMNS, "schedule")
    if baseline is not None:
        require_columns(baseline, COLUMNS, "baseline")
    if not len(schedule):
        raise DiagramError("The schedule has no items; add work packages first.")

    codes = [str(code).strip() for code in schedule["code"]]
    shown_depth = depth or fold_depth(codes, limit)
    rows = schedule[[level_of(code) <= shown_depth for code in codes]]
    figure = _figure(len(rows))
    axes = figure.subplots()
    parents = parent_codes(codes)
    # A parent whose children are folded stands for them: a plain bar, red
    # when critical work lies below it, rather than a summary line.
    shown = [str(code).strip() for code in rows["code"]]
    summaries = parent_codes(shown)
    old_dates = _baseline_dates(baseline)
    _draw_bars(axes, rows, (summaries, parents), old_dates)
    _decorate(axes, rows, parents, _title(title, schedule))
    kinds = _kinds(shown, rows["critical"], summaries, bool(old_dates.keys() & shown))
    figure.legend(
        handles=_legend(kinds),
        loc="outside upper right",
        ncols=4,
        frameon=False,
        fontsize=9,
    )

    hidden = len(codes) - len(rows)
    notes = [f"{_labels.count(hidden, 'item')} below level {shown_depth} folded"]
    return Diagram(figure=figure, notes=notes if hidden else [])


def _figure(rows: int) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(11, 1.6 + ROW_INCHES * rows), layout="constrained")


def _draw_bars(
    axes: Axes,
    rows: pd.DataFrame,
    tree: tuple[set[str], set[str]],
    baseline: dict[str, tuple[float, float]],
) -> None:
    """Bars, summary lines and diamonds, row by row from the top.

    `tree` is the codes drawn as summaries and the codes of all parents
    (which the schedule marks as not estimated themselves).
    """
    summaries, parents = tree
    starts, finishes = _days(rows["early_start"]), _days(rows["early_finish"])
    estimated = rows["estimated"] if "estimated" in rows.columns else [True] * len(rows)
    facts = zip(
        rows["code"], rows["critical"], estimated, starts, finishes, strict=True
    )
    for y, (code, critical, is_estimated, start, finish) in enumerate(facts):
        code = str(code).strip()
        if code in baseline:
            old_start, old_finish = baseline[code]
            axes.barh(
                y + 0.3,
                old_finish - old_start,
                left=old_start,
                height=0.16,
                color=BASELINE,
                gid=f"baseline-{code}",
            )
        if code in summaries:
            axes.barh(
                y,
                finish - start,
                left=start,
                height=0.22,
                color=SUMMARY,
                gid=f"summary-{code}",
            )
        elif not is_estimated and code not in parents:
            _unestimated(axes, y, start, code)
        elif finish - start <= 0:
            axes.plot(
                [start],
                [y],
                marker="D",
                markersize=8,
                gid=f"milestone-{code}",
                color=CRITICAL if critical else NORMAL,
            )
        else:
            axes.barh(
                y - 0.05,
                finish - start,
                left=start,
                height=0.5,
                color=CRITICAL if critical else NORMAL,
                gid=f"bar-{code}",
            )


def _unestimated(axes: Axes, y: int, start: float, code: str) -> None:
    """A hollow diamond and a word, so a missing estimate is not a milestone."""
    axes.plot(
        [start],
        [y],
        marker="D",
        markersize=8,
        markerfacecolor="white",
        color=BASELINE,
        gid=f"unestimated-{code}",
    )
    axes.annotate(
        "not estimated",
        (start, y),
        xytext=(8, 0),
        textcoords="offset points",
        va="center",
        fontsize=8,
        color="#5f7380",
    )


def _decorate(axes: Axes, rows: pd.DataFrame, parents: set[str], title: str) -> None:
    import matplotlib.dates as mdates

    codes = [str(code).strip() for code in rows["code"]]
    labels = [
        _labels.shorten(f"{code} {name}", 48)
        for code, name in zip(codes, rows["name"], strict=True)
    ]
    axes.set_yticks(range(len(rows)), labels, fontsize=9)
    for code, label in zip(codes, axes.get_yticklabels(), strict=True):
        label.set_fontweight("bold" if code in parents else "normal")
    axes.set_ylim(len(rows) - 0.4, -0.7)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.grid(axis="x", color="#e3e8eb", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.set_title(title, loc="left", fontsize=12)
    axes.margins(x=0.02)


def _title(title: str, schedule: pd.DataFrame) -> str:
    first = schedule["early_start"].min()
    last = schedule["early_finish"].max()
    return f"{title}: {_labels.day(first, year=True)} → {_labels.day(last, year=True)}"


def _kinds(
    codes: list[str], critical: Iterable[Any], summaries: set[str], baseline: bool
) -> set[str]:
    """Which kinds of bar the chart shows, so the legend lists only those."""
    kinds = {"baseline"} if baseline else set()
    for code, is_critical in zip(codes, critical, strict=True):
        if code in summaries:
            kinds.add("summary")
        else:
            kinds.add("critical" if is_critical else "float")
    return kinds


def _legend(kinds: set[str]) -> list[Any]:
    from matplotlib.patches import Patch

    entries = (
        ("critical", CRITICAL, "critical path"),
        ("float", NORMAL, "has float"),
        ("summary", SUMMARY, "summary"),
        ("baseline", BASELINE, "baseline"),
    )
    return [
        Patch(color=colour, label=label)
        for kind, colour, label in entries
        if kind in kinds
    ]


def _baseline_dates(baseline: pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    if baseline is None:
        return {}
    codes = [str(code).strip() for code in baseline["code"]]
    starts, finishes = _days(baseline["early_start"]), _days(baseline["early_finish"])
    return {
        code: (start, finish)
        for code, start, finish in zip(codes, starts, finishes, strict=True)
    }


def _days(values: pd.Series) -> list[float]:
    """Datetimes as matplotlib's day numbers."""
    import matplotlib.dates as mdates
    import numpy as np

    numbers = mdates.date2num(np.asarray(values, dtype="datetime64[m]"))
    return [float(number) for number in numbers]
