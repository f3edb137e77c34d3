"""What changed in the requirements between two versions of a document.

Requirements are paired first by reference id, then by identical text, then
by text similarity (at least `SIMILAR` by difflib's ratio over the words,
so that a shared "The system shall" does not make two sentences alike),
best pairs first. A pair whose text differs is `changed`; one whose text is the same is
`unchanged` (its anchor may have moved). What is left over is `removed`
from the old version or `added` in the new one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ptah_kernel.pairing import pair_by

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.documents.document import Document

__all__ = ["CHANGE_COLUMNS", "RequirementChanges", "compare_requirements"]

SIMILAR = 0.6
CHANGE_COLUMNS = [
    "change",
    "old_id",
    "new_id",
    "ref",
    "old_text",
    "new_text",
    "old_anchor",
    "new_anchor",
    "similarity",
]
ORDER = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}


@dataclass
class RequirementChanges:
    """The requirement changes between two document versions."""

    old: Document
    new: Document
    frame: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """How many requirements were added, removed, changed, unchanged."""
        counted = self.frame["change"].value_counts()
        return {change: int(counted.get(change, 0)) for change in ORDER}

    def of(self, change: str) -> pd.DataFrame:
        """The rows of one kind of change."""
        return self.frame[self.frame["change"] == change].reset_index(drop=True)

    def summary(self) -> str:
        """One line: the two versions and the counts."""
        counts = ", ".join(f"{n} {change}" for change, n in self.counts().items())
        return f"{self.old.filename} → {self.new.filename}: {counts}"

    def _repr_html_(self) -> str:
        shown = self.frame[self.frame["change"] != "unchanged"]
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        return head + shown.to_html(index=False, escape=True, na_rep="")


def compare_requirements(old: Document, new: Document) -> RequirementChanges:
    """Pair the requirements of two versions and classify each pair."""
    import pandas as pd

    before = old.requirements.to_dict("records")
    after = new.requirements.to_dict("records")
    rows = _pair(before, after)
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS, dtype=object)
    frame = frame.sort_values("change", key=lambda s: s.map(ORDER), kind="stable")
    return RequirementChanges(old, new, frame.reset_index(drop=True))


def _pair(before: list[dict], after: list[dict]) -> list[dict]:
    rows: list[dict] = []
    left, right = list(before), list(after)
    for match in (_same_ref, _same_text):
        pairs, left, right = pair_by(left, right, match)
        rows += [_row(a, b) for a, b in pairs]
    pairs, left, right = _match_similar(left, right)
    rows += [_row(a, b) for a, b in pairs]
    rows += [_row(a, None) for a in left]
    rows += [_row(None, b) for b in right]
    return rows


def _same_ref(requirement: dict) -> str | None:
    return requirement["ref"] or None


def _same_text(requirement: dict) -> str | None:
    from ptah_kernel.requirements._identity import normalise_text

    return normalise_text(requirement["text"])


def _match_similar(
    left: list[dict], right: list[dict]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    scored = [
        (ratio, i, j)
        for i, a in enumerate(left)
        for j, b in enumerate(right)
        if (ratio := _similarity(a, b, at_least=SIMILAR)) >= SIMILAR
    ]
    used_left, used_right, pairs = set(), set(), []
    for _ratio, i, j in sorted(scored, reverse=True):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((left[i], right[j]))
    rest_left = [a for i, a in enumerate(left) if i not in used_left]
    rest_right = [b for j, b in enumerate(right) if j not in used_right]
    return pairs, rest_left, rest_right


def _similarity(old: dict, new: dict, at_least: float = 0.0) -> float:
    """Difflib's ratio over the two texts' words; 0 when cheaply below `at_least`."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, _words(old), _words(new), autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def _words(requirement: dict) -> list[str]:
    return _same_text(requirement).split()


def _row(old: dict | None, new: dict | None) -> dict:
    if old is None or new is None:
        return _one_sided(old, new)
    same = _same_text(old) == _same_text(new)
    ratio = 1.0 if same else _similarity(old, new)
    return {
        "change": "unchanged" if same else "changed",
        "old_id": old["id"],
        "new_id": new["id"],
        "ref": new["ref"] or old["ref"],
        "old_text": old["text"],
        "new_text": new["text"],
        "old_anchor": old["anchor"],
        "new_anchor": new["anchor"],
        "similarity": round(ratio, 3),
    }


def _one_sided(old: dict | None, new: dict | None) -> dict:
    def value(side: dict | None, key: str) -> Any:
        return side[key] if side else None

    only = old or new or {}
    return {
        "change": "removed" if new is None else "added",
        "old_id": value(old, "id"),
        "new_id": value(new, "id"),
        "ref": only.get("ref", ""),
        "old_text": value(old, "text"),
        "new_text": value(new, "text"),
        "old_anchor": value(old, "anchor"),
        "new_anchor": value(new, "anchor"),
        "similarity": None,
    }
