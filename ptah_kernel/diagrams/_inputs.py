"""What the diagrams take in: WBS items or frames, and how deep to show them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Union

from ptah_kernel.diagrams._diagram import DiagramError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.wbs.model import WorkItem

Items = Union[Iterable["WorkItem"], "pd.DataFrame"]


def wbs_frame(items: Items) -> pd.DataFrame:
    """A WBS frame from WorkItems (dependencies kept), or the frame given.

    `items_to_frame` leaves `depends_on` empty, so the items' links are
    written into it here, joined as a CSV cell holds them.
    """
    import pandas as pd

    from ptah_kernel.wbs.frame import items_to_frame
    from ptah_kernel.wbs.links import ENTRY_SEPARATOR

    if isinstance(items, pd.DataFrame):
        return items.reset_index(drop=True)
    items = list(items)
    frame = items_to_frame(items)
    frame["depends_on"] = [ENTRY_SEPARATOR.join(item.depends_on) for item in items]
    return frame


def project_schedule(frame: pd.DataFrame, start: dt.date | str | None) -> pd.DataFrame:
    """The critical-path schedule of the frame from `start` (today when None)."""
    from ptah_kernel.wbs.schedule import schedule

    return schedule(frame, start if start is not None else dt.date.today())


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Refuse a frame that lacks any of `columns`, naming the missing ones."""
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise DiagramError(
            f"The {what} has no {', '.join(missing)} column; it needs "
            f"{', '.join(columns)}."
        )


def level_of(code: str) -> int:
    """Depth of a code in the tree, 1 for a top-level item."""
    return code.count(".") + 1


def ancestor_at(code: str, depth: int) -> str:
    """The code of the item's ancestor at `depth`, or the code itself above it."""
    return ".".join(code.split(".")[:depth])


def parent_codes(codes: Iterable[str]) -> set[str]:
    """The codes that have children among `codes`."""
    return {code.rpartition(".")[0] for code in codes} - {""}


def fold_depth(codes: Iterable[str], limit: int) -> int:
    """The deepest level to show so that at most `limit` items are shown.

    Always at least 1: the top level is shown however many items it has.
    """
    per_level = Counter(level_of(code) for code in codes)
    shown, depth = 0, 0
    for level in sorted(per_level):
        shown += per_level[level]
        if shown > limit and depth:
            break
        depth = level
    return max(depth, 1)


def check_depth(depth: int | None) -> None:
    """Refuse a depth that is not a whole number from 1."""
    if depth is not None and (not isinstance(depth, int) or depth < 1):
        raise DiagramError(
            f"The depth {depth!r} cannot be shown; give a whole number from 1 "
            "(1 shows the phases only) or None to choose it from the size."
        )
