"""Three-point estimates: PERT per item, roll-ups, confidence and contingency.

Every function takes a WBS frame (one row per item, outline order, the
columns of `ptah_kernel.wbs.frame.WBS_COLUMNS`). Hours are working hours.

- An item's own estimate gives E = (O + 4M + P) / 6 and sd = (P - O) / 6.
- Only leaves (items without children, normally work packages) count in a
  roll-up; an estimate a parent carries beside its children's is left out
  and `check()` reports it (the 100% rule).
- Leaves without an estimate are left out of every sum, never read as
  zero; roll-ups count them in `unestimated` and `check()` lists them.
- Variances add, assuming the estimates are independent; correlated work
  (one team, one unknown) makes the true spread wider.
- Cost is hours times the hourly rate of the item's role. Leaves whose role
  has no rate are left out of costs and counted in `unpriced`.
- Confidence levels come from the normal approximation of the total
  (mean = sum E, sd = sqrt(sum of variances)) or from a seeded Monte Carlo
  run drawing each leaf from its PERT-Beta distribution (lambda 4:
  alpha = 1 + 4(M - O)/(P - O), beta = 1 + 4(P - M)/(P - O)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Literal

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs._outline import (
    Outline,
    column_texts,
    levels_deepest_first,
    shown,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "LEVELS",
    "METHODS",
    "compare_confidence",
    "confidence",
    "contingency",
    "estimate_problem",
    "pert",
    "roll_up",
    "total",
]

Method = Literal["normal", "monte carlo"]
METHODS: tuple[Method, ...] = ("normal", "monte carlo")
LEVELS = (0.5, 0.8, 0.9)
ESTIMATE_COLUMNS = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")
TRIALS = 10_000
# Draws held in memory at once during a Monte Carlo run (16 MB of floats).
_DRAWS_PER_BLOCK = 2_000_000


def pert(frame: pd.DataFrame) -> pd.DataFrame:
    """Each item's own PERT estimate: `expected_hours`, `sd_hours`, `variance`.

    NaN where the item has no estimate. Raises WBSError naming the first
    item whose estimate is partial, negative or out of order.

    >>> pert(frame)  # a row with O, M, P = 2, 4, 12
      code  expected_hours  sd_hours   variance
    0  1.1             5.0  1.666667   2.777778
    """
    import pandas as pd

    optimistic, most_likely, pessimistic = estimate_hours(frame)
    expected = (optimistic + 4 * most_likely + pessimistic) / 6
    sd = (pessimistic - optimistic) / 6
    return pd.DataFrame(
        {
            "code": column_texts(frame, "code"),
            "expected_hours": expected,
            "sd_hours": sd,
            "variance": sd**2,
        },
        index=frame.index,
    )


def roll_up(
    frame: pd.DataFrame, rates: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Every item with its leaves' totals: its own for a leaf, summed for a parent.

    Columns: code, name, kind, expected_hours, variance, sd_hours,
    estimated and unestimated (leaves below, itself for a leaf), and with
    `rates` ({role: hourly rate}) cost, cost_sd and unpriced. Sums run one
    numpy step per tree level, so 100,000 items take milliseconds.
    """
    import numpy as np
    import pandas as pd

    from ptah_kernel.wbs._outline import outline_of

    outline = outline_of(frame)
    leaves = _leaf_values(frame, outline, rates)
    sums = {name: _sum_up(outline, values) for name, values in leaves.items()}
    table = pd.DataFrame(
        {
            "code": outline.codes,
            "name": shown(frame, "name"),
            "kind": shown(frame, "kind"),
            "expected_hours": sums["expected_hours"],
            "variance": sums["variance"],
            "sd_hours": np.sqrt(sums["variance"]),
            "estimated": sums["estimated"].astype(np.int64),
            "unestimated": sums["unestimated"].astype(np.int64),
        },
        index=frame.index,
    )
    if rates is not None:
        table["cost"] = sums["cost"]
        table["cost_sd"] = np.sqrt(sums["cost_variance"])
        table["unpriced"] = sums["unpriced"].astype(np.int64)
    return table


def total(frame: pd.DataFrame, rates: Mapping[str, float] | None = None) -> pd.Series:
    """The project's totals over all leaves, with the same names as `roll_up`."""
    import numpy as np
    import pandas as pd

    from ptah_kernel.wbs._outline import outline_of

    leaves = _leaf_values(frame, outline_of(frame), rates)
    sums = {name: float(values.sum()) for name, values in leaves.items()}
    result = {
        "expected_hours": sums["expected_hours"],
        "variance": sums["variance"],
        "sd_hours": float(np.sqrt(sums["variance"])),
        "estimated": int(sums["estimated"]),
        "unestimated": int(sums["unestimated"]),
    }
    if rates is not None:
        result["cost"] = sums["cost"]
        result["cost_sd"] = float(np.sqrt(sums["cost_variance"]))
        result["unpriced"] = int(sums["unpriced"])
    return pd.Series(result, dtype=object)


def confidence(
    frame: pd.DataFrame,
    levels: Sequence[float] = LEVELS,
    method: Method = "normal",
    *,
    seed: int = 0,
    trials: int = TRIALS,
    rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Total hours (and cost, with `rates`) the project stays within at each level.

    Rows are labelled P50, P80, …; columns `level`, `hours` and `cost`.
    `method` is "normal" (mean + z·sd of the total) or "monte carlo"
    (`trials` seeded PERT-Beta draws per leaf; same seed, same answer).
    """
    import pandas as pd

    _check_arguments(levels, method)
    table = _quantiles(frame, levels, method, seed, trials, rates, by_phase=False)
    result = pd.DataFrame({"level": list(levels)}, index=_labels(levels))
    result["hours"] = table["hours"][:, 0]
    if rates is not None:
        result["cost"] = table["cost"][:, 0]
    return result


def compare_confidence(
    frame: pd.DataFrame,
    levels: Sequence[float] = LEVELS,
    *,
    seed: int = 0,
    trials: int = TRIALS,
    rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Both methods side by side, so an analyst sees where they disagree.

    Columns normal_hours, monte_carlo_hours, difference_hours (Monte Carlo
    minus normal) and difference_percent (of normal); the same for cost
    with `rates`. A few per cent apart is usual; more means a few skewed
    estimates dominate and the normal approximation is off.
    """
    import pandas as pd

    result = pd.DataFrame({"level": list(levels)}, index=_labels(levels))
    normal = confidence(frame, levels, "normal", rates=rates)
    simulated = confidence(
        frame, levels, "monte carlo", seed=seed, trials=trials, rates=rates
    )
    for measure in ("hours", "cost") if rates is not None else ("hours",):
        result[f"normal_{measure}"] = normal[measure]
        result[f"monte_carlo_{measure}"] = simulated[measure]
        difference = simulated[measure] - normal[measure]
        result[f"difference_{measure}"] = difference
        result[f"difference_percent_{measure}"] = 100 * difference / normal[measure]
    return result


def contingency(
    frame: pd.DataFrame,
    level: float = 0.8,
    method: Method = "normal",
    *,
    seed: int = 0,
    trials: int = TRIALS,
    rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The reserve from P50 up to `level`, per phase (top-level item) and in total.

    One row per phase in outline order, then a row with code "total".
    Columns p50_hours, p<level>_hours (p80_hours by default) and
    contingency_hours, and the same for cost with `rates`. Phase reserves
    add up to more than the total's: phases rarely all overrun together.
    """
    import numpy as np
    import pandas as pd

    _check_arguments((0.5, level), method)
    levels = (0.5, level)
    table = _quantiles(frame, levels, method, seed, trials, rates, by_phase=True)
    phases = table["phases"].tolist()
    codes, names = column_texts(frame, "code"), column_texts(frame, "name")
    result = pd.DataFrame(
        {
            "code": [codes[row] for row in phases] + ["total"],
            "name": [names[row] for row in phases] + ["Total"],
        }
    )
    target = _labels([level])[0].lower()
    for measure in ("hours", "cost") if rates is not None else ("hours",):
        values = table[measure]
        result[f"p50_{measure}"] = values[0]
        result[f"{target}_{measure}"] = values[1]
        result[f"contingency_{measure}"] = np.asarray(values[1]) - values[0]
    return result


def estimate_hours(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optimistic, most likely and pessimistic hours as float arrays, checked.

    NaN where not given. Raises WBSError for the first item whose estimate
    is not a number, partial, negative or out of order.
    """
    import numpy as np

    hours = [column_hours(frame, column) for column in ESTIMATE_COLUMNS]
    bad = np.flatnonzero(invalid_estimates(*hours))
    if bad.size:
        row = int(bad[0])
        code = column_texts(frame, "code")[row]
        problem = estimate_problem(*(float(values[row]) for values in hours))
        raise WBSError(f"Item {code} {problem}")
    return hours[0], hours[1], hours[2]


def invalid_estimates(
    optimistic: np.ndarray, most_likely: np.ndarray, pessimistic: np.ndarray
) -> np.ndarray:
    """A mask of rows whose estimate is partial, negative or out of order."""
    import numpy as np

    given = ~np.isnan(np.vstack([optimistic, most_likely, pessimistic]))
    with np.errstate(invalid="ignore"):
        negative = (optimistic < 0) | (most_likely < 0) | (pessimistic < 0)
        disorder = (optimistic > most_likely) | (most_likely > pessimistic)
    invalid: np.ndarray = (given.any(axis=0) & ~given.all(axis=0)) | negative | disorder
    return invalid


def estimate_problem(optimistic: float, most_likely: float, pessimistic: float) -> str:
    """What is wrong with one estimate, as the end of a sentence naming the item."""
    shown = " / ".join(
        "empty" if h != h else f"{h:g}" for h in (optimistic, most_likely, pessimistic)
    )
    return (
        f"has the estimate {shown} hours (optimistic / most likely / "
        "pessimistic); give all three, each zero or more, with optimistic <= "
        "most likely <= pessimistic."
    )


def column_hours(frame: pd.DataFrame, column: str) -> np.ndarray:
    import numpy as np
    import pandas as pd

    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    cells = frame[column]
    if pd.api.types.is_numeric_dtype(cells.dtype):
        numbers: np.ndarray = cells.to_numpy(dtype=np.float64, na_value=np.nan)
        return numbers

    texts = cells.fillna("").astype(str).str.strip()
    values: np.ndarray = pd.to_numeric(
        texts.replace("", np.nan), errors="coerce"
    ).to_numpy(float)
    wrong = np.flatnonzero(np.isnan(values) & (texts != "").to_numpy())
    if wrong.size:
        row = int(wrong[0])
        code = column_texts(frame, "code")[row]
        label = column.removesuffix("_hours").replace("_", " ")
        raise WBSError(
            f"Item {code} has {texts.iloc[row]!r} as {label} hours; write a "
            "number of hours, zero or more, or leave the cell empty."
        )
    return values


def _leaf_values(
    frame: pd.DataFrame, outline: Outline, rates: Mapping[str, float] | None
) -> dict[str, np.ndarray]:
    import numpy as np

    optimistic, most_likely, pessimistic = estimate_hours(frame)
    expected = (optimistic + 4 * most_likely + pessimistic) / 6
    variance = ((pessimistic - optimistic) / 6) ** 2
    estimated = outline.is_leaf & ~np.isnan(expected)

    values = {
        "expected_hours": np.where(estimated, expected, 0.0),
        "variance": np.where(estimated, variance, 0.0),
        "estimated": estimated.astype(np.float64),
        "unestimated": (outline.is_leaf & ~estimated).astype(np.float64),
    }
    if rates is not None:
        rate = role_rates(frame, rates)
        priced = estimated & ~np.isnan(rate)
        values["cost"] = np.where(priced, expected * rate, 0.0)
        values["cost_variance"] = np.where(priced, variance * rate**2, 0.0)
        values["unpriced"] = (estimated & ~priced).astype(np.float64)
    return values


def role_rates(frame: pd.DataFrame, rates: Mapping[str, float]) -> np.ndarray:
    """Each row's hourly rate from its role; NaN where the role has none."""
    import numpy as np

    roles = column_texts(frame, "role")
    return np.array([rates.get(role, np.nan) for role in roles], dtype=np.float64)


def _sum_up(outline: Outline, leaf_values: np.ndarray) -> np.ndarray:
    import numpy as np

    sums = leaf_values.copy()
    for rows in levels_deepest_first(outline):
        np.add.at(sums, outline.parent[rows], sums[rows])
    return sums


def _quantiles(
    frame: pd.DataFrame,
    levels: Sequence[float],
    method: Method,
    seed: int,
    trials: int,
    rates: Mapping[str, float] | None,
    *,
    by_phase: bool,
) -> dict[str, np.ndarray]:
    """Quantiles per group (phases then the total, or the total alone).

    Returns "hours" (and "cost") shaped (levels, groups) and "phases", the
    rows of the top-level items, in the order of the group columns.
    """
    import numpy as np

    from ptah_kernel.wbs._outline import outline_of

    outline = outline_of(frame)
    leaves = _leaf_values(frame, outline, rates)
    phases = np.flatnonzero(outline.depth == 1) if by_phase else np.zeros(0, int)
    in_phase = (outline.top >= 0) & by_phase
    group = np.where(in_phase, np.searchsorted(phases, outline.top), phases.size)
    if method == "normal":
        result = _normal_quantiles(leaves, group, phases.size + 1, levels)
    else:
        rate = role_rates(frame, rates) if rates is not None else None
        estimated = leaves["estimated"] > 0
        runs = _simulate(frame, estimated, rate, (group, phases.size + 1), trials, seed)
        result = {
            name: np.quantile(_phases_and_total(totals), levels, axis=0)
            for name, totals in runs.items()
        }
    result["phases"] = phases
    return result


def _phases_and_total(sums: np.ndarray) -> np.ndarray:
    """Per-group sums with the last group (no phase) swapped for the total."""
    import numpy as np

    return np.concatenate([sums[..., :-1], sums.sum(axis=-1, keepdims=True)], axis=-1)


def _simulate(
    frame: pd.DataFrame,
    estimated: np.ndarray,
    rate: np.ndarray | None,
    grouping: tuple[np.ndarray, int],
    trials: int,
    seed: int,
) -> dict[str, np.ndarray]:
    """Per-trial sums of PERT-Beta draws by group, shaped (trials, groups).

    Leaves are sorted by group so each block of draws is summed per group
    with one `np.add.reduceat`; memory stays at `_DRAWS_PER_BLOCK` floats.
    """
    import numpy as np

    group, groups = grouping
    rows = np.flatnonzero(estimated)
    rows = rows[np.argsort(group[rows], kind="stable")]
    low, mode, high = (hours[rows] for hours in estimate_hours(frame))
    span = high - low
    flat = span == 0
    safe = np.where(flat, 1.0, span)
    alpha = np.where(flat, 1.0, 1 + 4 * (mode - low) / safe)
    beta = np.where(flat, 1.0, 1 + 4 * (high - mode) / safe)
    priced = np.nan_to_num(rate[rows]) if rate is not None else None

    sums = {"hours": np.zeros((trials, groups))}
    if priced is not None:
        sums["cost"] = np.zeros((trials, groups))
    generator = np.random.default_rng(seed)
    block = max(1, _DRAWS_PER_BLOCK // max(trials, 1))
    for start in range(0, rows.size, block):
        part = slice(start, start + block)
        draws = low[part] + span[part] * generator.beta(
            alpha[part], beta[part], size=(trials, len(alpha[part]))
        )
        owners = group[rows[part]]
        cuts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        sums["hours"][:, owners[cuts]] += np.add.reduceat(draws, cuts, axis=1)
        if priced is not None:
            costs = draws * priced[part]
            sums["cost"][:, owners[cuts]] += np.add.reduceat(costs, cuts, axis=1)
    return sums


def _normal_quantiles(
    leaves: dict[str, np.ndarray],
    group: np.ndarray,
    groups: int,
    levels: Sequence[float],
) -> dict[str, np.ndarray]:
    import numpy as np

    z = np.array([NormalDist().inv_cdf(level) for level in levels])[:, None]
    result = {}
    for name, mean_key, variance_key in (
        ("hours", "expected_hours", "variance"),
        ("cost", "cost", "cost_variance"),
    ):
        if mean_key not in leaves:
            continue
        mean = np.bincount(group, weights=leaves[mean_key], minlength=groups)
        variance = np.bincount(group, weights=leaves[variance_key], minlength=groups)
        mean = _phases_and_total(mean)
        variance = _phases_and_total(variance)
        result[name] = mean + z * np.sqrt(variance)
    return result


def _check_arguments(levels: Sequence[float], method: str) -> None:
    if method not in METHODS:
        raise ValueError(
            f"The method {method!r} is unknown; use one of {', '.join(METHODS)}."
        )
    outside = [level for level in levels if not 0 < level < 1]
    if outside:
        raise ValueError(
            f"The confidence level {outside[0]!r} is outside 0 to 1; write 0.8 for P80."
        )


def _labels(levels: Sequence[float]) -> list[str]:
    return [f"P{100 * level:g}" for level in levels]
