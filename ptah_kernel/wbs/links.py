"""Dependencies between WBS items: read `depends_on` entries, write them back.

An entry names the predecessor by its code, then optionally the link type
and a lag, as in Microsoft Project's Predecessors column::

    1.2          finish-to-start (the default), no lag
    1.2FS+2d     starts two working days after 1.2 finishes
    1.3SS-4h     starts four working hours before 1.3 starts (a lead)
    2FF+1.5d     finishes a day and a half after 2 finishes

Entries in one cell are separated by ";". Types and units are read in any
case and written as `FS` and `h`/`d`.

Lags keep the unit they were written in (`lag`, `lag_unit`), so a link
written back is the entry the analyst typed, in canonical form, whatever
the calendar. The schedule turns days into hours with its calendar's
hours per day (`Link.lag_hours`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Literal, NamedTuple

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs._outline import CODE

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    import pandas as pd

    from ptah_kernel.wbs._outline import Outline

__all__ = [
    "LINK_TYPES",
    "IndexedLinks",
    "Link",
    "find_cycles",
    "format_depends_on",
    "format_link",
    "index_links",
    "links_of",
    "parse_depends_on",
    "parse_link",
    "rows_in_cycles",
    "topological_order",
]

LinkType = Literal["FS", "SS", "FF", "SF"]
LagUnit = Literal["h", "d"]
LINK_TYPES: tuple[LinkType, ...] = ("FS", "SS", "FF", "SF")
ENTRY_SEPARATOR = ";"
ACCEPTED_FORM = (
    "write a predecessor's code, then optionally FS, SS, FF or SF and a lag "
    "in working hours or days, such as 1.2, 1.2FS+2d or 1.3SS-4h"
)

# What follows the predecessor's code: the type, then the lag.
_SUFFIX = re.compile(
    r"\s*(?P<type>FS|SS|FF|SF)?"
    r"\s*(?:(?P<sign>[+-])\s*(?P<amount>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[HD]))?\s*",
    re.IGNORECASE,
)
_CODE_CHARACTERS = "0123456789."
_WHITESPACE = (" ", "\t", "\r", "\n", "\xa0")


@dataclass(frozen=True, slots=True)
class Link:
    """`successor` depends on `predecessor` by `type`, `lag` hours or days later.

    A negative lag is a lead. `lag_unit` is "h" for working hours or "d"
    for working days; a link without lag has lag 0 in hours.
    """

    predecessor: str
    successor: str
    type: LinkType = "FS"
    lag: float = 0.0
    lag_unit: LagUnit = "h"

    def lag_hours(self, hours_per_day: float = 8.0) -> float:
        """The lag in working hours, a day being `hours_per_day` hours."""
        return self.lag * hours_per_day if self.lag_unit == "d" else self.lag


class IndexedLinks(NamedTuple):
    """The links of a whole frame as arrays of row positions, for fast passes.

    The arrays hold the links between rows; `type` indexes LINK_TYPES and
    `lag_hours` uses the hours per day given to `index_links`. Set aside:
    `missing`, (successor row, code) for codes no row has, and `malformed`,
    (successor row, entry) for entries that could not be read.
    """

    predecessor: np.ndarray
    successor: np.ndarray
    type: np.ndarray
    lag_hours: np.ndarray
    missing: list[tuple[int, str]]
    malformed: list[tuple[int, str]]


def parse_link(entry: str, successor: str) -> Link:
    """The link one `depends_on` entry of item `successor` describes.

    >>> parse_link("1.3SS-4h", "1.4")
    Link(predecessor='1.3', successor='1.4', type='SS', lag=-4.0, lag_unit='h')
    """
    code, suffix = _split(entry.strip())
    parts = _suffix_of(suffix)
    if parts is None or not CODE.fullmatch(code):
        raise WBSError(malformed_dependency(successor, entry))
    return Link(code, successor, *parts)


def parse_depends_on(cell: str, successor: str) -> list[Link]:
    """The links of one `depends_on` cell, entries separated by ";"."""
    entries = (part.strip() for part in cell.split(ENTRY_SEPARATOR))
    return [parse_link(entry, successor) for entry in entries if entry]


def links_of(frame: pd.DataFrame) -> list[Link]:
    """Every link of a WBS frame, row by row; WBSError on a malformed entry."""
    from ptah_kernel.wbs._outline import column_texts

    codes = column_texts(frame, "code")
    cells = column_texts(frame, "depends_on")
    return [
        link
        for code, cell in zip(codes, cells, strict=True)
        if cell
        for link in parse_depends_on(cell, code)
    ]


def format_link(link: Link) -> str:
    """The canonical `depends_on` entry of a link: `1.2`, `1.3SS-4h`, `2FF+1.5d`.

    FS is left out when there is no lag; `parse_link` reads it back equal.
    """
    if link.lag == 0:
        return link.predecessor if link.type == "FS" else link.predecessor + link.type
    sign = "-" if link.lag < 0 else "+"
    return f"{link.predecessor}{link.type}{sign}{_number(abs(link.lag))}{link.lag_unit}"


def format_depends_on(links: Iterable[Link]) -> str:
    """A `depends_on` cell holding the links, canonical, separated by ";"."""
    return ENTRY_SEPARATOR.join(format_link(link) for link in links)


def index_links(
    frame: pd.DataFrame, outline: Outline, hours_per_day: float = 8.0
) -> IndexedLinks:
    """Every link of the frame by row positions; malformed entries set aside.

    The cells are split in one join and one split; plain codes (finish to
    start, no lag: most entries) resolve with a dict lookup each, and only
    the rest go through the regular expression.
    """
    import numpy as np

    from ptah_kernel.wbs._outline import column_texts

    cells = column_texts(frame, "depends_on")
    rows = [row for row, cell in enumerate(cells) if cell]
    joined = ENTRY_SEPARATOR.join([cells[row] for row in rows])
    entries = joined.split(ENTRY_SEPARATOR) if rows else []
    if any(space in joined for space in _WHITESPACE):
        entries = [entry.strip() for entry in entries]
    counts = np.fromiter(
        map(str.count, map(cells.__getitem__, rows), repeat(ENTRY_SEPARATOR)),
        np.int64,
        len(rows),
    )
    successor = np.repeat(np.array(rows, dtype=np.int64), counts + 1)

    get = outline.position.get
    predecessor = np.fromiter(map(get, entries, repeat(-1)), np.int64, len(entries))
    link_type = np.zeros(len(entries), dtype=np.int8)
    lag = np.zeros(len(entries))
    others = np.flatnonzero(predecessor < 0).tolist()
    missing, malformed = [], []
    if others:
        written = [entries[i] for i in others]
        codes, kinds, hours = _read_others(written, hours_per_day)
        found = [get(code, -1) for code in codes]
        link_type[others], lag[others], predecessor[others] = kinds, hours, found
        rows = successor[others].tolist()
        for row, entry, code, kind, place in zip(
            rows, written, codes, kinds, found, strict=True
        ):
            if kind < 0 or (place < 0 and not CODE.fullmatch(code)):
                malformed.append((row, entry))
            elif place < 0:
                missing.append((row, code))

    keep = predecessor >= 0
    return IndexedLinks(
        predecessor[keep],
        successor[keep],
        link_type[keep],
        lag[keep],
        missing,
        [(row, entry) for row, entry in malformed if entry],
    )


def topological_order(
    size: int, predecessor: np.ndarray, successor: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """Kahn's algorithm over row positions: an order where links point forward.

    Returns the order and a mask of the rows left out, which lie on or
    behind a cycle. Linear in rows plus links, whatever the network's
    depth: each link is counted down once, in plain lists of ints.
    """
    import numpy as np

    if (predecessor < successor).all():
        # Every link points down the frame, as analysts mostly write them:
        # the frame's own order is topological.
        return list(range(size)), np.zeros(size, dtype=bool)

    targets, starts = _out_links(size, predecessor, successor)
    waiting = np.bincount(successor, minlength=size).tolist()
    order = [row for row in range(size) if not waiting[row]]
    for row in order:
        for link in range(starts[row], starts[row + 1]):
            target = targets[link]
            waiting[target] -= 1
            if not waiting[target]:
                order.append(target)

    left_over = np.ones(size, dtype=bool)
    left_over[order] = False
    return order, left_over


def rows_in_cycles(
    size: int, predecessor: np.ndarray, successor: np.ndarray
) -> np.ndarray:
    """A mask of rows that Kahn's algorithm cannot order: on or behind a cycle.

    A cycle must climb back up the frame, and only links to an earlier row
    (or to the row itself) do that; each row of a cycle lies between the two
    ends of such a link. So Kahn's algorithm runs on the rows those spans
    cover, often a small part of the WBS, and is exact there. `find_cycles`
    names the cycles from this mask.
    """
    import numpy as np

    upward = predecessor >= successor
    if not upward.any():
        return np.zeros(size, dtype=bool)

    cover = np.zeros(size + 1, dtype=np.int64)
    np.add.at(cover, successor[upward], 1)
    np.add.at(cover, predecessor[upward] + 1, -1)
    spanned = np.cumsum(cover[:-1]) > 0
    rows = np.flatnonzero(spanned)
    renumbered = np.full(size, -1, dtype=np.int64)
    renumbered[rows] = np.arange(rows.size)
    inside = spanned[predecessor] & spanned[successor]
    _, left_over = topological_order(
        rows.size, renumbered[predecessor[inside]], renumbered[successor[inside]]
    )

    result = np.zeros(size, dtype=bool)
    result[rows[left_over]] = True
    return result


def _out_links(
    size: int, predecessor: np.ndarray, successor: np.ndarray
) -> tuple[list[int], list[int]]:
    """The links sorted by predecessor, as successor list and start offsets.

    The links of row r are `targets[starts[r]:starts[r + 1]]`; they come in
    the order `np.argsort(predecessor, kind="stable")` gives.
    """
    import numpy as np

    by_predecessor = np.argsort(predecessor, kind="stable")
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(predecessor, minlength=size), out=starts[1:])
    return successor[by_predecessor].tolist(), starts.tolist()


def find_cycles(
    left_over: np.ndarray, predecessor: np.ndarray, successor: np.ndarray
) -> list[list[int]]:
    """Distinct cycles among the rows Kahn's algorithm left over, in link order.

    Every left-over row has a left-over predecessor, so walking back from
    one always closes a cycle or meets an earlier walk; each row is walked
    once. A cycle is listed from its first row in the frame back to that
    row: [a, b, a].
    """
    import numpy as np

    inside = left_over[predecessor] & left_over[successor]
    back = np.full(left_over.size, -1, dtype=np.int64)
    back[successor[inside]] = predecessor[inside]
    back_list = back.tolist()

    walked = [0] * left_over.size
    cycles = []
    for walk, start in enumerate(np.flatnonzero(left_over).tolist(), start=1):
        row, path = start, []
        while not walked[row]:
            walked[row] = walk
            path.append(row)
            row = back_list[row]
        if walked[row] == walk:
            loop = path[path.index(row) :][::-1]
            first = loop.index(min(loop))
            loop = loop[first:] + loop[:first]
            cycles.append([*loop, loop[0]])
    return cycles


def malformed_dependency(code: str, entry: str) -> str:
    """The sentence for a `depends_on` entry that cannot be read."""
    return f"Item {code} has the dependency {describe_name(entry)}; {ACCEPTED_FORM}."


def missing_predecessor(code: str, predecessor: str) -> str:
    """The sentence for a dependency on a code no item has."""
    return (
        f"Item {code} depends on {predecessor}, which no item has; correct the "
        "code or remove the dependency."
    )


def summary_dependency(code: str, predecessor: str) -> str:
    """The sentence for a dependency from or to an item with children."""
    return (
        f"Item {code} depends on {predecessor}, and one of them has children; "
        "the schedule links items without children only, so link the work "
        "packages themselves."
    )


def dependency_cycle(codes: list[str]) -> str:
    """The sentence for a cycle, given its codes from a row back to itself."""
    return (
        f"Items {' → '.join(codes)} depend on each other in a cycle; remove one "
        "of these dependencies."
    )


def _read_others(
    entries: list[str], hours_per_day: float
) -> tuple[list[str], list[int], list[float]]:
    """Codes, type indexes and lag hours of entries that are not bare codes.

    The type index is -1 where what follows the code cannot be read; the
    code is then the whole entry, so a finding can quote it. Suffixes
    repeat (`FS+1d`), so each distinct one is parsed once.
    """
    suffixes = [entry.lstrip(_CODE_CHARACTERS) for entry in entries]
    parsed = {
        suffix: _suffix_in_hours(suffix, hours_per_day) for suffix in set(suffixes)
    }
    kinds = [parsed[suffix][0] for suffix in suffixes]
    hours = [parsed[suffix][1] for suffix in suffixes]
    codes = [
        entry[: len(entry) - len(suffix)] if kind >= 0 else entry
        for entry, suffix, kind in zip(entries, suffixes, kinds, strict=True)
    ]
    return codes, kinds, hours


def _suffix_in_hours(suffix: str, hours_per_day: float) -> tuple[int, float]:
    parts = _suffix_of(suffix)
    if parts is None:
        return -1, 0.0
    kind, lag, unit = parts
    return LINK_TYPES.index(kind), lag * hours_per_day if unit == "d" else lag


def _split(entry: str) -> tuple[str, str]:
    """The leading code of an entry and the rest (`1.3`, `SS-4h`)."""
    rest = entry.lstrip(_CODE_CHARACTERS)
    return entry[: len(entry) - len(rest)], rest


@functools.lru_cache(maxsize=1024)
def _suffix_of(suffix: str) -> tuple[LinkType, float, LagUnit] | None:
    """Type, lag and unit from what follows a code; None when unreadable.

    Cached: a WBS repeats a handful of suffixes (`FS+1d`, `SS`) many times.
    """
    match = _SUFFIX.fullmatch(suffix)
    if match is None:
        return None
    kind = (match["type"] or "FS").upper()
    lag = float(match["amount"] or 0) * (-1 if match["sign"] == "-" else 1) or 0.0
    unit = (match["unit"] or "h").lower() if lag else "h"
    return kind, lag, unit  # type: ignore[return-value]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
