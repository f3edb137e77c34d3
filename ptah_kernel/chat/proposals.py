"""What structured answers become: a WBS to review, questions, a classification.

Nothing here changes the workspace until the analyst says so: a proposed
WBS is applied by `apply()`, and only if nobody changed the WBS since the
proposal was made.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import ConflictError, WBSError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.annotations import Annotation
    from ptah_kernel.chat.turns import Turn
    from ptah_kernel.documents.content import Block
    from ptah_kernel.projects import Project
    from ptah_kernel.wbs.breakdown import WBS
    from ptah_kernel.wbs.model import WorkItem

__all__ = [
    "Classification",
    "OpenQuestions",
    "WBSProposal",
    "make_classification",
    "make_open_questions",
    "make_wbs_proposal",
]

DIFF_COLUMNS = ["change", "code", "name", "kind", "requirements", "before"]
COMPARED = ("name", "kind", "requirements", "description", "role")


def _known_ids(project: Project) -> set[str]:
    return set(project.requirements["id"])


class WBSProposal:
    """A WBS Claude proposed, checked, shown as a diff against the current one."""

    turn: Turn | None = None

    def __init__(
        self,
        project: Project,
        items: list[WorkItem],
        base_version: int,
        notes: list[str],
    ) -> None:
        self.project = project
        self.items = items
        self.base_version = base_version
        self.notes = notes
        self.current = list(project.wbs.items)
        self.applied = False

    def __repr__(self) -> str:
        return f"<WBSProposal {len(self.items)} items on v{self.base_version}>"

    @property
    def diff(self) -> pd.DataFrame:
        """Items added, removed and changed against the WBS it was made on."""
        import pandas as pd

        before = {item.code: item for item in self.current}
        after = {item.code: item for item in self.items}
        rows = [_diff_row(before.get(c), after.get(c)) for c in _codes(before, after)]
        frame = pd.DataFrame([r for r in rows if r], columns=DIFF_COLUMNS)
        return frame

    def to_frame(self) -> pd.DataFrame:
        """The proposed WBS in the stable layout."""
        from ptah_kernel.wbs.frame import items_to_frame

        return items_to_frame(self.items)

    def apply(self) -> WBS:
        """Store the proposal as the project's WBS; estimates of kept items stay.

        Refused with ConflictError when the WBS changed since the proposal.
        """
        from ptah_kernel.wbs.breakdown import WBS

        if self.applied:
            raise ConflictError("This proposal was applied already; ask for a new one.")
        version = self.project.wbs.version
        if version != self.base_version:
            raise ConflictError(
                f"The WBS changed since this proposal was made (version "
                f"{self.base_version}, now {version}); ask for a new proposal."
            )
        items = _keep_estimates(self.items, self.current)
        # The version check above gives the clearer message; this one closes
        # the gap between the check and the save.
        wbs = WBS.replace(self.project, items, expected_version=self.base_version)
        self.applied = True
        return wbs

    def _repr_html_(self) -> str:
        diff = self.diff
        counts = diff["change"].value_counts().to_dict() if len(diff) else {}
        summary = ", ".join(f"{n} {change}" for change, n in counts.items())
        head = (
            f"<p><b>Proposed WBS</b>: {len(self.items)} items "
            f"({html.escape(summary or 'no change')}). "
            "Call <code>.apply()</code> to store it.</p>"
        )
        notes = "".join(f"<p><i>{html.escape(n)}</i></p>" for n in self.notes)
        return head + notes + diff.to_html(index=False, escape=True)


def _codes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    codes = set(before) | set(after)
    return sorted(codes, key=lambda code: tuple(int(p) for p in code.split(".")))


def _diff_row(old: WorkItem | None, new: WorkItem | None) -> dict[str, Any] | None:
    if old is None and new is not None:
        return _row("added", new, "")
    if new is None and old is not None:
        return _row("removed", old, "")
    assert old is not None and new is not None
    changed = [f for f in COMPARED if getattr(old, f) != getattr(new, f)]
    if not changed:
        return None
    was = "; ".join(f"{f}: {_value(getattr(old, f))}" for f in changed)
    return _row("changed", new, was)


def _row(change: str, item: WorkItem, before: str) -> dict[str, Any]:
    return {
        "change": change,
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "requirements": ";".join(item.requirements),
        "before": before,
    }


def _value(value: Any) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


def _keep_estimates(items: list[WorkItem], current: list[WorkItem]) -> list[WorkItem]:
    from dataclasses import replace

    before = {(item.code, item.name): item for item in current}
    kept = []
    for item in items:
        old = before.get((item.code, item.name))
        if old is not None:
            item = replace(
                item,
                optimistic_hours=old.optimistic_hours,
                most_likely_hours=old.most_likely_hours,
                pessimistic_hours=old.pessimistic_hours,
                status=old.status,
                notes=old.notes,
            )
        kept.append(item)
    return kept


def make_wbs_proposal(
    project: Project, data: dict[str, Any], base_version: int
) -> WBSProposal:
    """Check Claude's items against the WBS model; unknown requirement ids go."""
    import pandas as pd

    from ptah_kernel.wbs.frame import frame_to_items

    records = data["items"]
    if not records:
        raise WBSError("Claude proposed an empty WBS.")
    items = frame_to_items(pd.DataFrame(records))
    known, notes = _known_ids(project), []
    unknown = sorted({r for i in items for r in i.requirements} - known)
    if unknown:
        notes.append(
            f"Dropped {len(unknown)} requirement id(s) that the project does not "
            f"have: {', '.join(unknown[:5])}."
        )
        for item in items:
            item.requirements = [r for r in item.requirements if r in known]
    missed = sorted(known - {r for i in items for r in i.requirements})
    if missed:
        notes.append(f"{len(missed)} requirement(s) are not covered by any item.")
    return WBSProposal(project, items, base_version, notes)


class OpenQuestions:
    """Questions for the client, each tied to requirements and an anchor."""

    turn: Turn | None = None

    def __init__(self, project: Project, rows: list[dict[str, Any]]) -> None:
        self.project = project
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> pd.DataFrame:
        """question, why, requirements, document, anchor, quote."""
        import pandas as pd

        columns = ["question", "why", "requirements", "document", "anchor", "quote"]
        return pd.DataFrame(self.rows, columns=columns)

    def save_as_annotations(self) -> list[Annotation]:
        """Store each question tied to a passage as a `question` annotation."""
        from ptah_kernel.annotations import annotate

        saved = []
        for row in self.rows:
            if not row["anchor"]:
                continue
            document = self.project.document(row["document"])
            comment = row["question"] + (f" ({row['why']})" if row["why"] else "")
            saved.append(
                annotate(
                    document,
                    row["quote"],
                    comment,
                    tags=("question",),
                    anchor=row["anchor"],
                )
            )
        return saved

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True)


def make_open_questions(project: Project, data: dict[str, Any]) -> OpenQuestions:
    """Tie each question to a passage, through its requirements if needed.

    The quote is Claude's when its words stand in the passage, else the
    passage's opening words, so the question can become an annotation.
    """
    frame = project.requirements
    where = {r.id: (r.document, r.anchor) for r in frame.itertuples()}
    rows = []
    for entry in data["questions"]:
        ids = [i for i in entry["requirements"] if i in where]
        block = _passage(project, entry["document"], entry["anchor"])
        if block is None and ids:
            block = _passage(project, *where[ids[0]])
        rows.append(
            {
                "question": entry["question"],
                "why": entry["why"],
                "requirements": ";".join(ids),
                "document": block[0] if block else "",
                "anchor": block[1].anchor if block else "",
                "quote": _quote(block[1], entry["quote"]) if block else "",
            }
        )
    return OpenQuestions(project, rows)


def _passage(project: Project, filename: str, anchor: str) -> tuple[str, Block] | None:
    from ptah_kernel.errors import DocumentNotFound

    try:
        document = project.document(filename)
    except DocumentNotFound:
        return None
    found = [block for block in document.blocks if block.anchor == anchor]
    return (document.filename, found[0]) if found else None


def _quote(block: Block, wanted: str) -> str:
    if wanted and wanted in block.text:
        return wanted
    words = block.text.split()
    for size in range(min(len(words), 12), 0, -1):
        opening = " ".join(words[:size])
        if opening in block.text:
            return opening
    return block.text[:80]


class Classification:
    """Claude's kind for each requirement beside the offline guess."""

    turn: Turn | None = None

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    @property
    def agreement(self) -> float:
        """The share of requirements where Claude and the offline guess agree."""
        return float(self.frame["agree"].mean()) if len(self.frame) else 1.0

    def to_frame(self) -> pd.DataFrame:
        """id, text, offline, claude, agree, reason."""
        return self.frame.copy()

    def _repr_html_(self) -> str:
        head = f"<p>Claude agrees with the offline guess on {self.agreement:.0%}.</p>"
        return head + self.frame.to_html(index=False, escape=True)


def make_classification(project: Project, data: dict[str, Any]) -> Classification:
    """Join Claude's kinds to the requirements; ids Claude made up are refused."""
    import pandas as pd

    requirements = project.requirements[["id", "text", "kind"]]
    answers = pd.DataFrame(data["requirements"], columns=["id", "kind", "reason"])
    unknown = sorted(set(answers["id"]) - set(requirements["id"]))
    if unknown:
        raise ValueError(f"it classifies unknown requirement ids {unknown[:3]}")
    answers = answers.drop_duplicates("id").rename(columns={"kind": "claude"})
    frame = requirements.rename(columns={"kind": "offline"}).merge(
        answers, on="id", how="left"
    )
    frame["agree"] = frame["offline"] == frame["claude"]
    return Classification(frame[["id", "text", "offline", "claude", "agree", "reason"]])
