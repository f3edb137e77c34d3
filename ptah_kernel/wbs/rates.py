"""Roles on a project and their hourly rates, in one currency per project."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ptah_kernel.errors import WBSError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project

__all__ = ["rates_frame", "rates_of", "set_rate"]

CURRENCY = re.compile(r"[A-Z]{3}")


def set_rate(project: Project, role: str, rate: float, currency: str) -> None:
    """Set a role's hourly rate; every role of a project shares one currency."""
    from sqlalchemy import select

    from ptah_kernel.store.models import RoleRow

    role, currency = _checked(role, rate, currency)
    with project.workspace.session() as session:
        rows = {
            r.role: r
            for r in session.scalars(
                select(RoleRow).where(RoleRow.project_id == project.id)
            )
        }
        others = {r.currency for name, r in rows.items() if name != role}
        if others and currency not in others:
            raise WBSError(
                f"Project {project.code!r} prices its roles in {others.pop()}; "
                f"give {role!r} a rate in that currency too."
            )
        row = rows.get(role)
        if row is None:
            owned = project.workspace.owned()
            session.add(
                RoleRow(
                    project_id=project.id,
                    role=role,
                    rate=rate,
                    currency=currency,
                    **owned,
                )
            )
        else:
            row.rate, row.currency = rate, currency


def _checked(role: str, rate: float, currency: str) -> tuple[str, str]:
    role = role.strip() if isinstance(role, str) else ""
    if not role:
        raise WBSError("A role needs a name, such as 'developer'.")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
        raise WBSError(f"The rate of {role!r} must be a number of zero or more.")
    currency = currency.upper() if isinstance(currency, str) else ""
    if not CURRENCY.fullmatch(currency):
        raise WBSError(
            f"{currency!r} is not a currency code; use three letters, such as EUR."
        )
    return role, currency


def rates_of(project: Project) -> tuple[dict[str, float], str | None]:
    """The project's `{role: hourly rate}` and its currency (None if unset)."""
    frame = rates_frame(project)
    currency = str(frame["currency"].iloc[0]) if len(frame) else None
    return dict(zip(frame["role"], frame["rate"], strict=True)), currency


def rates_frame(project: Project) -> pd.DataFrame:
    """Roles, rates and currency, by role."""
    import pandas as pd
    from sqlalchemy import select

    from ptah_kernel.store.models import RoleRow

    query = (
        select(RoleRow).where(RoleRow.project_id == project.id).order_by(RoleRow.role)
    )
    with project.workspace.session() as session:
        rows = [(r.role, r.rate, r.currency) for r in session.scalars(query)]
    return pd.DataFrame(rows, columns=["role", "rate", "currency"])
