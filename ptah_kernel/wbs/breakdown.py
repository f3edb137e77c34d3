"""A project's stored WBS: load it, replace it, show it, export it."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project

__all__ = ["NEEDS_REVIEW", "WBS"]

NEEDS_REVIEW = "needs review"


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
    def replace(cls, project: Project, items: list[WorkItem]) -> WBS:
        """Store `items` as the project's WBS, in one transaction."""
        from sqlalchemy import delete, insert, select

        from ptah_kernel.store.models import WBSRow, WorkItemRow, now

        owned = project.workspace.owned()
        with project.workspace.session() as session:
            wbs = session.scalar(select(WBSRow).where(WBSRow.project_id == project.id))
            if wbs is None:
                wbs = WBSRow(project_id=project.id, version=0, **owned)
                session.add(wbs)
                session.flush()
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
