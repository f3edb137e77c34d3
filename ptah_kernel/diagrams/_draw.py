"""One entry point that draws any diagram by name, for the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from ptah_kernel.diagrams._diagram import Diagram, DiagramError
from ptah_kernel.diagrams._inputs import Items, project_schedule, wbs_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "draw"]

Kind = Literal["tree", "network", "gantt", "trace"]
KINDS: tuple[Kind, ...] = ("tree", "network", "gantt", "trace")


def draw(
    kind: str,
    project_items: Items,
    *,
    requirements: pd.DataFrame | None = None,
    schedule: pd.DataFrame | None = None,
    baseline: pd.DataFrame | None = None,
    rates: Mapping[str, float] | None = None,
    start: dt.date | str | None = None,
    depth: int | None = None,
) -> Diagram:
    """The diagram `kind` (tree, network, gantt or trace) of the project's items.

    `requirements` is needed for trace. network and gantt schedule the
    items from `start` (today when None) unless `schedule` is given;
    `baseline` adds a baseline to the Gantt chart. `rates` prices the tree;
    `depth` limits the tree's and the Gantt chart's levels.
    """
    from ptah_kernel.diagrams import gantt_chart, network, trace, tree

    if kind not in KINDS:
        raise DiagramError(
            f"There is no diagram of kind {kind!r}; choose one of {', '.join(KINDS)}."
        )
    if kind == "trace" and requirements is None:
        raise DiagramError(
            "A traceability diagram needs the project's requirements; pass "
            "requirements=project.requirements() or draw another kind."
        )

    if kind == "tree":
        return tree.wbs_tree(project_items, depth, rates)
    if kind == "network":
        return network.dependency_network(project_items, schedule, start=start)
    if kind == "trace":
        return trace.traceability(project_items, requirements)
    if schedule is None:
        schedule = project_schedule(wbs_frame(project_items), start)
    return gantt_chart.gantt(schedule, baseline, depth=depth)
