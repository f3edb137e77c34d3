"""A project's stored WBS: load it, replace it, show it, export it."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import ConflictError, WBSError
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project
    from ptah_kernel.wbs.changes import WBSChanges

__all__ = ["NEEDS_REVIEW", "WBS", "check_estimates", "check_links"]

NEEDS_REVIEW = "needs review"
LINK_ERRORS = ("malformed dependency", "missing predecessor", "dependency cycle")


class WBS:
    """The work breakdown structure of one project, in outline order.

    `version` rises with every saved change, so an edit made on an older
    copy can be refused instead of overwriting someone else's work.
    """

    def __init__(self, project: Project, items: list[WorkItem], version: int) -> None:
        self.project = project
        self.items = items
        self.version = version

    def __repr__(self) -> str:
        return (
            f"<WBS of {self.project.code!r}: {len(self.items)} items, v{self.version}>"
        )

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    @classmethod
    def load(cls, project: Project) -> WBS:
        """The WBS as stored; an empty one when none was saved yet."""
        from sqlalchemy import select

        from ptah_kernel.store.models import WBSRow, WorkItemRow

        with project.workspace.session() as session:
            wbs = session.scalar(select(WBSRow).where(WBSRow.project_id == project.id))
            if wbs is None:
                return cls(project, [], 0)
            query = (
                select(WorkItemRow)
                .where(WorkItemRow.wbs_id == wbs.id)
                .order_by(WorkItemRow.position)
            )
            items = [_item_from(row) for row in session.scalars(query)]
        return cls(project, items, wbs.version)

    @classmethod
    def replace(
        cls,
        project: Project,
        items: list[WorkItem],
        *,
        expected_version: int | None = None,
    ) -> WBS:
        """Store `items` as the project's WBS, in one transaction.

        With `expected_version`, the save is refused with a ConflictError
        when someone else saved a newer version since that one was read.
        """
        from sqlalchemy import delete, insert, select

        from ptah_kernel.store.models import WBSRow, WorkItemRow, now

        check_estimates(items)
        owned = project.workspace.owned()
        with project.workspace.session() as session:
            wbs = session.scalar(select(WBSRow).where(WBSRow.project_id == project.id))
            if wbs is None:
                wbs = WBSRow(project_id=project.id, version=0, **owned)
                session.add(wbs)
                session.flush()
            _check_version(project, wbs.version, expected_version)
            session.execute(delete(WorkItemRow).where(WorkItemRow.wbs_id == wbs.id))
            values = [
                _item_values(wbs.id, i, item, owned) for i, item in enumerate(items)
            ]
            if values:
                session.execute(insert(WorkItemRow), values)
            wbs.version += 1
            wbs.updated_at = now()
            version = wbs.version
        return cls(project, list(items), version)

    def _save(self, items: list[WorkItem]) -> None:
        saved = WBS.replace(self.project, items, expected_version=self.version)
        self.items, self.version = saved.items, saved.version

    # Editing the tree

    def add(
        self,
        name: str,
        *,
        parent: str | None = None,
        kind: str = "work package",
        **fields: Any,
    ) -> WorkItem:
        """Add an item as the last child of `parent` and save; return it."""
        from ptah_kernel.wbs.tree import add_item

        items, item = add_item(self.items, name, parent=parent, kind=kind, **fields)
        self._save(items)
        return item

    def delete(self, code: str) -> None:
        """Delete an item and its subtree; other codes stay as they are."""
        from ptah_kernel.wbs.tree import delete_item

        self._save(delete_item(self.items, code))

    def move(self, code: str, parent: str | None) -> dict[str, str]:
        """Move an item under `parent`; return the codes that changed."""
        from ptah_kernel.wbs.tree import move_item

        items, renames = move_item(self.items, code, parent)
        self._save(items)
        return renames

    def indent(self, code: str) -> dict[str, str]:
        """Put an item under the sibling above it; return the codes that changed."""
        from ptah_kernel.wbs.tree import indent_item

        items, renames = indent_item(self.items, code)
        self._save(items)
        return renames

    def outdent(self, code: str) -> dict[str, str]:
        """Lift an item beside its parent; return the codes that changed."""
        from ptah_kernel.wbs.tree import outdent_item

        items, renames = outdent_item(self.items, code)
        self._save(items)
        return renames

    def reorder(self, code: str, position: int) -> None:
        """Move an item among its siblings; codes stay until `renumber()`."""
        from ptah_kernel.wbs.tree import reorder_item

        self._save(reorder_item(self.items, code, position))

    def renumber(self) -> dict[str, str]:
        """Give every item the code its position says; return what changed."""
        from ptah_kernel.wbs.tree import renumber

        items, renames = renumber(self.items)
        if renames:
            self._save(items)
        return renames

    def set_estimate(
        self, code: str, optimistic: float, most_likely: float, pessimistic: float
    ) -> WorkItem:
        """Give a work package its three-point estimate in hours, and save."""
        from dataclasses import replace

        from ptah_kernel.wbs.frame import frame_to_items, items_to_frame

        items = [
            replace(
                i,
                optimistic_hours=optimistic,
                most_likely_hours=most_likely,
                pessimistic_hours=pessimistic,
            )
            if i.code == code
            else i
            for i in self.items
        ]
        if items == self.items and code not in {i.code for i in items}:
            raise WBSError(f"The WBS has no item {code}; check the code in to_frame().")
        frame_to_items(items_to_frame(items))
        self._save(items)
        return next(i for i in self.items if i.code == code)

    # Frames

    def apply_frame(self, frame: pd.DataFrame) -> WBSChanges:
        """Validate an edited frame as a whole, store it, return the changes.

        The frame carries the version it was read from (`attrs["wbs_version"]`
        from `to_frame()`); if someone saved a newer version since, the edit
        is refused with a ConflictError and nothing changes.
        """
        from ptah_kernel.wbs.changes import compare_items
        from ptah_kernel.wbs.frame import frame_to_items

        items = frame_to_items(frame)
        check_links(items)
        read_from = frame.attrs.get("wbs_version", self.version)
        changes = compare_items(self.items, items)
        saved = WBS.replace(self.project, items, expected_version=read_from)
        self.items, self.version = saved.items, saved.version
        return changes

    def preview_frame(self, frame: pd.DataFrame) -> WBSChanges:
        """The changes `apply_frame(frame)` would make, without saving."""
        from ptah_kernel.wbs.changes import compare_items
        from ptah_kernel.wbs.frame import frame_to_items

        items = frame_to_items(frame)
        check_links(items)
        return compare_items(self.items, items)

    def mark_for_review(
        self, requirement_ids: set[str], renamed: dict[str, str]
    ) -> WBS:
        """Flag the items covering these requirements `needs review`.

        `renamed` maps old requirement ids to the ids they have in a new
        version of their document, so the items keep covering them.
        """
        touched = False
        for item in self.items:
            if requirement_ids.intersection(item.requirements):
                item.status = NEEDS_REVIEW
                touched = True
            if renamed.keys() & set(item.requirements):
                item.requirements = [renamed.get(r, r) for r in item.requirements]
                touched = True
        if not touched:
            return self
        return WBS.replace(self.project, self.items)

    def to_frame(self) -> pd.DataFrame:
        """The WBS in the documented CSV layout, one row per item."""
        from ptah_kernel.wbs.frame import items_to_frame

        frame = items_to_frame(self.items)
        frame.attrs["wbs_version"] = self.version
        return frame

    def to_csv(self, path: str | Path) -> Path:
        """Write the WBS as CSV (the documented layout)."""
        from ptah_kernel.wbs.frame import write_wbs_csv

        return write_wbs_csv(self.items, Path(path))

    def to_xlsx(self, path: str | Path) -> Path:
        """Write the WBS as an XLSX workbook a client opens in Excel."""
        from ptah_kernel.wbs.frame import write_wbs_xlsx

        return write_wbs_xlsx(self.items, Path(path))

    def _repr_html_(self) -> str:
        title = html.escape(self.project.name)
        head = f"<p><b>WBS of {title}</b> · {len(self.items)} items</p>"
        return head + self.to_frame().to_html(index=False, escape=True, na_rep="")


def _check_version(project: Project, stored: int, expected: int | None) -> None:
    if expected is not None and stored != expected:
        raise ConflictError(
            f"The WBS of {project.code!r} changed since you read it (version "
            f"{expected}, now {stored}). Read it again with project.wbs, redo "
            "your edit, and apply it."
        )


def check_estimates(items: list[WorkItem]) -> None:
    """Refuse a partial, negative or unordered three-point estimate."""
    from ptah_kernel.wbs.estimates import estimate_problem

    for item in items:
        hours = (item.optimistic_hours, item.most_likely_hours, item.pessimistic_hours)
        if all(h is None for h in hours):
            continue
        given = [h for h in hours if h is not None]
        if len(given) == 3 and given[0] >= 0 and given[0] <= given[1] <= given[2]:
            continue
        shown = [float("nan") if h is None else h for h in hours]
        raise WBSError(f"Item {item.code} {estimate_problem(*shown)}")


def check_links(items: list[WorkItem]) -> None:
    """Refuse dependency cycles and links to missing items before saving."""
    from ptah_kernel.wbs.checks import check
    from ptah_kernel.wbs.frame import items_to_frame

    findings = check(items_to_frame(items))
    broken = findings[findings["check"].isin(LINK_ERRORS)]
    if not broken.empty:
        raise WBSError(str(broken.iloc[0]["message"]))


def _item_from(row: Any) -> WorkItem:
    return WorkItem(
        code=row.code,
        name=row.name,
        kind=row.kind,
        requirements=list(row.requirements),
        description=row.description,
        role=row.role,
        optimistic_hours=row.optimistic_hours,
        most_likely_hours=row.most_likely_hours,
        pessimistic_hours=row.pessimistic_hours,
        status=row.status,
        notes=row.notes,
        depends_on=list(row.depends_on),
    )


def _item_values(wbs_id: int, position: int, item: WorkItem, owned: dict) -> dict:
    return {
        "wbs_id": wbs_id,
        "position": position,
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "description": item.description,
        "role": item.role,
        "optimistic_hours": item.optimistic_hours,
        "most_likely_hours": item.most_likely_hours,
        "pessimistic_hours": item.pessimistic_hours,
        "requirements": list(item.requirements),
        "status": item.status,
        "notes": item.notes,
        "depends_on": list(item.depends_on),
        **owned,
    }
