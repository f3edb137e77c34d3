"""Traceability: requirements on the left, the work that covers them on the right.

A requirement no item names stands out in red. Work packages naming no
requirement are shown greyed and dashed (work nobody asked for, or a
missing link); ids an item names that the project does not have are shown
as dashed red boxes, so a typo cannot hide.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ptah_kernel.diagrams import _labels
from ptah_kernel.diagrams._diagram import Diagram
from ptah_kernel.diagrams._inputs import (
    Items,
    parent_codes,
    require_columns,
    wbs_frame,
)

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

__all__ = ["traceability"]

log = logging.getLogger(__name__)

UNCOVERED = "#c0392b"
REQUIREMENT_COLUMNS = ("id", "text")
_SEPARATOR = ";"


def traceability(items: Items, requirements: pd.DataFrame) -> Diagram:
    """Arrows from each requirement to the items that name it.

    `requirements` is the project's requirements frame (id, ref, text,
    kind, ...). Items are shown when they name a requirement; work
    packages are shown in any case.
    """
    require_columns(requirements, REQUIREMENT_COLUMNS, "requirements table")
    frame = wbs_frame(items)
    covers = _covers(frame)
    known = [str(value) for value in requirements["id"]]
    named = {rid for ids in covers.values() for rid in ids}
    uncovered = [rid for rid in known if rid not in named]
    unknown = sorted(named - set(known))

    # Requirement ids are client text; nodes get their place in the table.
    nodes = {rid: f"requirement {n}" for n, rid in enumerate([*known, *unknown], 1)}
    graph = _graph(len(known), len(uncovered))
    _add_requirements(graph, requirements, nodes, set(uncovered), unknown)
    _add_items(graph, frame, covers)
    for code, ids in covers.items():
        for rid in ids:
            graph.edge(nodes[rid], _labels.node_id(code))

    notes = [f"{_labels.count(len(uncovered), 'requirement')} not covered"]
    return Diagram(graph=graph, notes=notes if uncovered else [])


def _covers(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Each item's code with the requirement ids it names, in frame order."""
    codes = [str(code).strip() for code in frame["code"]]
    cells = (
        frame["requirements"] if "requirements" in frame.columns else [""] * len(codes)
    )
    leaves = set(codes) - parent_codes(codes)
    covers = {}
    for code, cell in zip(codes, cells, strict=True):
        ids = _ids(cell)
        if ids or code in leaves:
            covers[code] = ids
    return covers


def _ids(cell: Any) -> list[str]:
    if isinstance(cell, list | tuple):
        parts = [str(part) for part in cell]
    else:
        parts = _labels.clean(cell).split(_SEPARATOR)
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def _graph(requirements: int, uncovered: int) -> graphviz.Digraph:
    import graphviz

    graph = graphviz.Digraph("traceability")
    title = (
        f"Traceability: {_labels.count(requirements, 'requirement')}, "
        f"{uncovered:,} not covered (red)"
    )
    graph.attr(rankdir="LR", newrank="true", ranksep="1.6", nodesep="0.12")
    graph.attr(label=title, labelloc="t", labeljust="l", fontname=_labels.FONT)
    graph.attr(fontsize="13")
    graph.attr("node", shape="box", style="rounded,filled", fontname=_labels.FONT)
    graph.attr("node", fontsize="10", margin="0.1,0.04", fillcolor="white")
    graph.attr("edge", color="#7f929e", arrowsize="0.6")
    return graph


def _add_requirements(
    graph: graphviz.Digraph,
    requirements: pd.DataFrame,
    nodes: dict[str, str],
    uncovered: set[str],
    unknown: list[str],
) -> None:
    with graph.subgraph(name="cluster_requirements") as side:
        side.attr(label="Requirements", style="rounded", color="#b8c4cc")
        side.attr(rank="same")
        for record in requirements.to_dict("records"):
            rid = str(record["id"])
            style = {"color": "#5f7380", "class": "requirement"}
            notice = ""
            if rid in uncovered:
                style.update(color=UNCOVERED, fillcolor="#fbe4e1", penwidth="2.5")
                style["class"] += " uncovered"
                notice = f'<FONT COLOR="{UNCOVERED}"><B>not covered</B></FONT>'
            side.node(nodes[rid], label=_requirement_label(record, notice), **style)
        for rid in unknown:
            label = _labels.table(
                [f"<B>{_labels.escape(rid)}</B>", _labels.small("no such requirement")]
            )
            side.node(
                nodes[rid],
                label=label,
                color=UNCOVERED,
                style="rounded,dashed",
                **{"class": "requirement unknown"},
            )


def _add_items(
    graph: graphviz.Digraph, frame: pd.DataFrame, covers: dict[str, list[str]]
) -> None:
    names = dict(
        zip((str(code).strip() for code in frame["code"]), frame["name"], strict=True)
    )
    with graph.subgraph(name="cluster_items") as side:
        side.attr(label="Work", style="rounded", color="#b8c4cc")
        side.attr(rank="same")
        for code, ids in covers.items():
            style = {"color": "#5f7380", "class": "item"}
            rows = [
                f"<B>{_labels.escape(code)}</B>",
                _labels.wrapped(names.get(code, ""), width=30),
            ]
            if not ids:
                style.update(style="rounded,dashed", fontcolor="#6b7b86")
                style["class"] += " untraced"
                rows.append(_labels.small("names no requirement"))
            side.node(_labels.node_id(code), label=_labels.table(rows), **style)


def _requirement_label(record: dict[str, Any], notice: str) -> str:
    ref = _labels.clean(record.get("ref")) or _labels.clean(record["id"])
    rows = [
        f"<B>{_labels.escape(_labels.shorten(ref, 30))}</B>",
        _labels.wrapped(record["text"], width=40, lines=2),
    ]
    kind = _labels.clean(record.get("kind"))
    if kind:
        rows.append(_labels.small(kind))
    if notice:
        rows.append(notice)
    return _labels.table(rows)
