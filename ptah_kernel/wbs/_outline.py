"""Where each row of a WBS frame sits in the tree, as integer arrays.

Estimates, checks and the schedule all walk the same tree: a row's parent
is the row whose code is its own code minus the last part. Building the
positions once with plain dicts keeps 100,000 rows to a few tens of
milliseconds, where pandas string methods (no pyarrow here) take longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CODE = re.compile(r"[1-9][0-9]*(?:\.[1-9][0-9]*)*")
_CODE_TEXT = re.compile(r"[0-9.\n]*")
# The last tree built, by its codes; see `outline_of`.
_last_outline: dict[tuple[str, ...], Outline] = {}
_NOT_IN_CODES = ("..", "\n.", ".\n", "\n\n", ".0", "\n0")


@dataclass(frozen=True, slots=True)
class Outline:
    """The tree of a WBS frame by row position (0 for the frame's first row).

    `position` maps a code to the first row holding it; `parent` is -1 for
    a top-level row and for a row whose parent code is missing; `depth` is
    1 at the top; `top` is the top-level ancestor (-1 when the chain up is
    broken); `is_leaf` marks rows without children.
    """

    codes: list[str]
    position: dict[str, int]
    parent: np.ndarray
    depth: np.ndarray
    top: np.ndarray
    is_leaf: np.ndarray

    @property
    def size(self) -> int:
        """The number of rows."""
        return len(self.codes)


def outline_of(frame: pd.DataFrame) -> Outline:
    """The tree of `frame`, which needs a `code` column; codes are stripped.

    The tree depends on the codes alone, so the last one built is kept and
    handed out again for the same codes (roll-up, checks and schedule of
    one frame build it once). Its arrays are read-only.
    """
    key = tuple(frame["code"].tolist())
    outline = _last_outline.get(key)
    if outline is None:
        outline = _build(column_texts(frame, "code"))
        _last_outline.clear()
        _last_outline[key] = outline
    return outline


def _build(codes: list[str]) -> Outline:
    import numpy as np

    size = len(codes)
    # Built from the end so that a repeated code keeps its first row.
    position = dict(zip(reversed(codes), range(size - 1, -1, -1), strict=True))

    # An empty code is no one's parent (a top-level code's head is empty).
    position.pop("", None)
    heads = map(itemgetter(0), map(str.rpartition, codes, repeat(".", size)))
    parent = np.fromiter(map(position.get, heads, repeat(-1)), np.int64, size)
    dots = np.fromiter(map(str.count, codes, repeat(".", size)), np.int64, size)
    depth = dots + 1
    is_leaf = np.ones(len(codes), dtype=bool)
    is_leaf[parent[parent >= 0]] = False
    arrays = (parent, depth, _tops(parent, depth), is_leaf)
    for array in arrays:
        array.flags.writeable = False
    return Outline(codes, position, *arrays)


def levels_deepest_first(outline: Outline) -> list[np.ndarray]:
    """Rows that have a parent, grouped by depth, the deepest group first.

    Adding each group into its parents in this order rolls a value up the
    whole tree in as many numpy steps as the tree has levels.
    """
    import numpy as np

    rows = np.flatnonzero(outline.parent >= 0)
    if rows.size == 0:
        return []
    order = rows[np.argsort(-outline.depth[rows], kind="stable")]
    depths = outline.depth[order]
    cuts = np.flatnonzero(np.diff(depths)) + 1
    return np.split(order, cuts)


def has_valid_codes(codes: list[str]) -> bool:
    """Whether every code is whole numbers from 1 joined by dots.

    Checked on one joined string: only digits, dots and separators, and no
    empty part, no part starting with 0.
    """
    if not codes:
        return True
    joined = "\n" + "\n".join(codes) + "\n"
    if not _CODE_TEXT.fullmatch(joined):
        return False
    return not any(wrong in joined for wrong in _NOT_IN_CODES)


def shown(frame: pd.DataFrame, column: str) -> Any:
    """A column's values for display as they are, or blanks when it is missing."""
    return frame[column].array if column in frame.columns else [""] * len(frame)


def column_texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column's cells as stripped text, empty for missing cells or column."""
    if column not in frame.columns:
        return [""] * len(frame)
    return [
        cell.strip() if type(cell) is str else _text(cell)
        for cell in frame[column].tolist()
    ]


def _text(cell: Any) -> str:
    if cell is None or isinstance(cell, float) and cell != cell:
        return ""
    text = str(cell)
    return "" if text in ("<NA>", "NaT") else text.strip()  # pd.NA, pd.NaT


def _tops(parent: np.ndarray, depth: np.ndarray) -> np.ndarray:
    import numpy as np

    top = np.where(depth == 1, np.arange(parent.size), -1)
    for level in range(2, int(depth.max(initial=1)) + 1):
        rows = np.flatnonzero((depth == level) & (parent >= 0))
        top[rows] = top[parent[rows]]
    return top
