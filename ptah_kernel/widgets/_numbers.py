"""The estimate figures the widgets and dashboards show, shaped for display.

The maths is `ptah_kernel.wbs.estimates` (PERT, roll-ups, confidence,
contingency); this module only gathers its answers for one WBS frame, and
tolerates the half-typed estimates of a table being edited: a row whose
estimate is partial or out of order is left out of the sums here, and
`ptah_kernel.wbs.checks.check` reports it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

LEVELS = (0.5, 0.8, 0.9)
ESTIMATES = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")


@dataclass(frozen=True)
class Estimate:
    """What a WBS frame adds up to.

    `items` is the frame with the roll-up's `expected_hours`, `sd_hours`
    (and `cost` with rates) on every row, plus `is_leaf`, `level` and
    `phase` (the code of the top-level item). `totals` maps a level such
    as 0.8 to hours, `costs` to money (empty without rates); `contingency`
    is P80 minus P50.
    """

    items: pd.DataFrame
    totals: dict[float, float]
    costs: dict[float, float]
    contingency: float
    contingency_cost: float | None
    estimated: int
    unestimated: list[str] = field(default_factory=list)

    @property
    def has_estimates(self) -> bool:
        """Whether at least one work package has a full three-point estimate."""
        return self.estimated > 0


def estimate_of(
    frame: pd.DataFrame, rates: Mapping[str, float] | None = None
) -> Estimate:
    """Roll-ups, P50/P80/P90 totals and contingency of a WBS frame.

    `rates` ({role: hourly rate}) adds costs; without it there are none.
    """
    from ptah_kernel.wbs import estimates

    usable = usable_frame(frame)
    rolled = estimates.roll_up(usable, rates)
    items = _with_shape(usable, rolled)
    overall = estimates.total(usable, rates)
    unestimated = list(
        items.loc[items["is_leaf"] & items["expected_hours"].isna(), "code"]
    )
    if int(overall["estimated"]) == 0:
        return Estimate(items, {}, {}, 0.0, None, 0, unestimated)

    levels = estimates.confidence(usable, LEVELS, "normal", rates=rates)
    reserve = estimates.contingency(usable, 0.8, rates=rates).iloc[-1]
    costs = dict(zip(LEVELS, levels["cost"], strict=True)) if rates else {}
    return Estimate(
        items=items,
        totals=dict(zip(LEVELS, levels["hours"], strict=True)),
        costs=costs,
        contingency=float(reserve["contingency_hours"]),
        contingency_cost=float(reserve["contingency_cost"]) if rates else None,
        estimated=int(overall["estimated"]),
        unestimated=unestimated,
    )


def usable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with partial or disordered estimates blanked, for the sums."""
    from ptah_kernel.wbs.estimates import column_hours, invalid_estimates

    hours = [column_hours(frame, column) for column in ESTIMATES]
    bad = invalid_estimates(*hours)
    usable = frame.copy()
    for column, values in zip(ESTIMATES, hours, strict=True):
        values = values.copy()
        values[bad] = float("nan")
        usable[column] = values
    return usable


def _with_shape(frame: pd.DataFrame, rolled: pd.DataFrame) -> pd.DataFrame:
    items = frame.copy()
    codes = [str(code) for code in items["code"]]
    parents = {code.rpartition(".")[0] for code in codes if "." in code}
    items["is_leaf"] = [code not in parents for code in codes]
    items["phase"] = [code.split(".")[0] for code in codes]
    items["level"] = [code.count(".") + 1 for code in codes]
    for column in ("expected_hours", "sd_hours", "cost"):
        if column in rolled.columns:
            items[column] = rolled[column].to_numpy()
    # A parent with nothing estimated below sums to 0; show it as empty.
    empty = (rolled["estimated"] == 0).to_numpy()
    items.loc[empty, "expected_hours"] = float("nan")
    return items


def effort_by(estimate: Estimate, column: str) -> pd.Series:
    """Expected hours of the estimated work packages, summed by a column."""
    items = estimate.items
    leaves = items[items["is_leaf"] & items["expected_hours"].notna()]
    keys = leaves[column].fillna("").replace("", "(none)")
    return leaves.groupby(keys, sort=False)["expected_hours"].sum()
