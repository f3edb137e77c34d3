"""What changed between two versions of a WBS: the stuff of a change request.

Items are matched by code. A code that disappeared and a new code with the
same name and kind are one item that `moved`. A matched item whose three
estimates differ is `re-estimated`; one whose other fields differ is
`edited`. What is left is `added` or `removed`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ptah_kernel.pairing import pair_by
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["WBSChanges", "compare_items"]

ESTIMATES = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")
COLUMNS = ["change", "code", "old_code", "name", "detail"]
ORDER = ("added", "removed", "re-estimated", "moved", "edited")


@dataclass
class WBSChanges:
    """The item changes between two WBS versions, and the change in totals."""

    frame: pd.DataFrame
    totals: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        """True when the two versions hold the same items."""
        return self.frame.empty

    def counts(self) -> dict[str, int]:
        """How many items were added, removed, re-estimated, moved, edited."""
        counted = self.frame["change"].value_counts()
        return {change: int(counted.get(change, 0)) for change in ORDER}

    def summary(self) -> str:
        """One line of counts and the change in expected hours."""
        counts = ", ".join(f"{n} {c}" for c, n in self.counts().items() if n)
        delta = self.totals.loc["expected_hours", "change"]
        return f"{counts or 'no changes'}; expected hours {delta:+.1f}"

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        body = self.frame.to_html(index=False, escape=True, na_rep="")
        return head + body + self.totals.to_html(escape=True, na_rep="")


def compare_items(old: list[WorkItem], new: list[WorkItem]) -> WBSChanges:
    """Compare two item lists (old first) and total both sides."""
    import pandas as pd

    rows = _changes(old, new)
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    return WBSChanges(frame, _totals(old, new))


def _changes(old: list[WorkItem], new: list[WorkItem]) -> list[dict]:
    before = {i.code: i for i in old}
    after = {i.code: i for i in new}
    rows = [_matched(before[c], after[c]) for c in after if c in before]
    gone = [before[c] for c in before if c not in after]
    came = [after[c] for c in after if c not in before]
    moved, gone, came = pair_by(gone, came, lambda i: (i.name, i.kind))
    rows += [_row("moved", b.code, a.code, b.name, "") for a, b in moved]
    rows += [_row("added", i.code, None, i.name, _hours(i)) for i in came]
    rows += [_row("removed", None, i.code, i.name, _hours(i)) for i in gone]
    return [r for r in rows if r is not None]


def _matched(old: WorkItem, new: WorkItem) -> dict | None:
    if _estimates(old) != _estimates(new):
        detail = f"{_hours(old)} → {_hours(new)}"
        return _row("re-estimated", new.code, old.code, new.name, detail)
    edited = [
        f.name
        for f in fields(WorkItem)
        if f.name not in ESTIMATES and getattr(old, f.name) != getattr(new, f.name)
    ]
    if edited:
        return _row("edited", new.code, old.code, new.name, ", ".join(edited))
    return None


def _row(change: str, code: str | None, old_code: str | None, name: str, detail: str):
    return {
        "change": change,
        "code": code,
        "old_code": old_code,
        "name": name,
        "detail": detail,
    }


def _estimates(item: WorkItem) -> tuple[float | None, ...]:
    return tuple(getattr(item, name) for name in ESTIMATES)


def _hours(item: WorkItem) -> str:
    values = _estimates(item)
    if all(v is None for v in values):
        return "no estimate"
    return "/".join("–" if v is None else f"{v:g}" for v in values) + " h"


def _totals(old: list[WorkItem], new: list[WorkItem]) -> pd.DataFrame:
    import pandas as pd

    from ptah_kernel.wbs.estimates import confidence, total
    from ptah_kernel.wbs.frame import items_to_frame

    rows = {}
    for side, items in (("before", old), ("after", new)):
        frame = items_to_frame(items)
        sums = total(frame)
        levels = confidence(frame)["hours"]
        rows[side] = {"expected_hours": sums["expected_hours"], **levels.to_dict()}
    table = pd.DataFrame(rows)
    table["change"] = table["after"] - table["before"]
    return table
