"""Named snapshots of a WBS, and what changed since one was taken."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project
    from ptah_kernel.wbs.changes import WBSChanges

__all__ = ["baselines_frame", "compare_baseline", "load_baseline", "save_baseline"]


def save_baseline(project: Project, name: str, *, replace: bool = False) -> None:
    """Keep the current WBS under `name`; an existing name needs `replace`."""
    from sqlalchemy import select

    from ptah_kernel.store.models import BaselineRow

    name = _checked_name(name)
    wbs = project.wbs
    snapshot = [asdict(item) for item in wbs.items]
    with project.workspace.session() as session:
        query = select(BaselineRow).where(
            BaselineRow.project_id == project.id, BaselineRow.name == name
        )
        row = session.scalar(query)
        if row is not None and not replace:
            raise WBSError(
                f"Project {project.code!r} has a baseline {name!r} already; "
                "choose another name, or replace it (replace=True; "
                "--replace in the CLI)."
            )
        if row is None:
            row = BaselineRow(
                project_id=project.id, name=name, **project.workspace.owned()
            )
            session.add(row)
        row.items, row.wbs_version = snapshot, wbs.version


def _checked_name(name: str) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 100:
        raise WBSError(
            "A baseline needs a name of 1 to 100 characters, such as 'quote'."
        )
    return name


def load_baseline(project: Project, name: str) -> list[WorkItem]:
    """The items of a saved baseline."""
    from sqlalchemy import select

    from ptah_kernel.store.models import BaselineRow

    query = select(BaselineRow).where(
        BaselineRow.project_id == project.id, BaselineRow.name == name
    )
    with project.workspace.session() as session:
        row = session.scalar(query)
    if row is None:
        known = ", ".join(baselines_frame(project)["name"]) or "none yet"
        raise WBSError(
            f"Project {project.code!r} has no baseline {name!r} (saved: {known})."
        )
    return [WorkItem(**values) for values in row.items]


def compare_baseline(project: Project, name: str) -> WBSChanges:
    """The current WBS against a baseline: items and totals that changed."""
    from ptah_kernel.wbs.changes import compare_items

    return compare_items(load_baseline(project, name), project.wbs.items)


def baselines_frame(project: Project) -> pd.DataFrame:
    """Every baseline with its WBS version, author and date."""
    import pandas as pd
    from sqlalchemy import select

    from ptah_kernel.store.models import BaselineRow

    query = (
        select(BaselineRow)
        .where(BaselineRow.project_id == project.id)
        .order_by(BaselineRow.created_at)
    )
    with project.workspace.session() as session:
        rows = [
            (r.name, r.wbs_version, len(r.items), r.created_by, r.created_at)
            for r in session.scalars(query)
        ]
    columns = ["name", "wbs_version", "items", "created_by", "created_at"]
    return pd.DataFrame(rows, columns=columns)
