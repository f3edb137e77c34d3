"""The WBS tree: every item with its rolled-up hours and cost, big trees folded.

Totals come from `ptah_kernel.wbs.estimates.roll_up`. A tree with more
than `TREE_LIMIT` items is shown down to the deepest level that keeps it
under the limit; each item at that level says how many items are folded
into it and how many of those need review.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ptah_kernel.diagrams import _labels
from ptah_kernel.diagrams._diagram import Diagram
from ptah_kernel.diagrams._inputs import (
    Items,
    ancestor_at,
    check_depth,
    fold_depth,
    level_of,
    wbs_frame,
)

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

__all__ = ["TREE_LIMIT", "wbs_tree"]

log = logging.getLogger(__name__)

# More boxes than this make a picture nobody reads, and dot slows down.
TREE_LIMIT = 120
NEEDS_REVIEW = "needs review"
REVIEW_COLOUR = "#c75000"
FILLS = {"phase": "#cfe0ee", "deliverable": "#e9f1f7", "work package": "#ffffff"}


def wbs_tree(
    items: Items,
    depth: int | None = None,
    rates: Mapping[str, float] | None = None,
    *,
    title: str = "Project",
    limit: int = TREE_LIMIT,
) -> Diagram:
    """The WBS as a tree, each item with its expected hours (and cost with rates).

    `items` are WorkItems or a WBS frame. `depth` is the deepest level shown
    (1 for phases only); by default every level that keeps the picture at
    `limit` items or fewer. Items with children below the cut say how many
    items they fold. Items whose status is "needs review" get an orange
    frame. `rates` maps a role to its hourly rate.
    """
    from ptah_kernel.wbs.estimates import roll_up, total

    check_depth(depth)
    frame = wbs_frame(items)
    totals = roll_up(frame, rates)
    codes = totals["code"].tolist()
    shown_depth = depth or fold_depth(codes, limit)

    review = _needs_review(frame)
    folded = _folded(codes, review, shown_depth)
    graph = _graph(title)
    graph.node("root", label=_root_label(title, total(frame, rates)), **_ROOT_STYLE)
    for row, values in enumerate(totals.itertuples(index=False)):
        if level_of(values.code) <= shown_depth:
            _add_item(graph, values, review[row], folded.get(values.code))

    notes = _notes(folded, shown_depth)
    log.debug("WBS tree of %d items shown to depth %d", len(codes), shown_depth)
    return Diagram(graph=graph, notes=notes)


_ROOT_STYLE = {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#2f6f8f"}


def _graph(title: str) -> graphviz.Digraph:
    import graphviz

    graph = graphviz.Digraph("wbs_tree")
    # Straight lines from the right side of a parent to the left side of
    # each child stay clear of the boxes even when one parent has a hundred
    # children; ortho routing crossed boxes and splines looped (dot 2.43).
    graph.attr(rankdir="LR", splines="polyline", nodesep="0.15", ranksep="0.6")
    graph.attr("node", shape="box", style="rounded,filled", fontname=_labels.FONT)
    graph.attr("node", fontsize="10", margin="0.1,0.05")
    graph.attr("edge", arrowhead="none", color="#8a9aa6", tailport="e", headport="w")
    return graph


def _add_item(
    graph: graphviz.Digraph,
    values: Any,
    needs_review: bool,
    folded: tuple[int, int] | None,
) -> None:
    style = {"fillcolor": FILLS.get(values.kind, "#ffffff"), "class": "item"}
    if needs_review:
        style.update(color=REVIEW_COLOUR, penwidth="3")
        style["class"] += " needs-review"
    if folded:
        style.update(peripheries="2")
        style["class"] += " folded"
    name = _labels.node_id(values.code)
    graph.node(name, label=_item_label(values, needs_review, folded), **style)
    parent = values.code.rpartition(".")[0]
    graph.edge(_labels.node_id(parent) if parent else "root", name)


def _item_label(values: Any, needs_review: bool, folded: tuple[int, int] | None) -> str:
    rows = [
        f"<B>{_labels.escape(values.code)}</B>",
        _labels.wrapped(values.name, width=30),
        _labels.small(_effort(values)),
    ]
    if getattr(values, "cost", None) is not None and values.estimated:
        rows.append(_labels.small(_cost(values)))
    if folded:
        items, reviews = folded
        rows.append(_labels.small(f"+ {_labels.count(items, 'item')} folded below"))
        if reviews:
            verb = "needs" if reviews == 1 else "need"
            rows.append(
                _labels.small(f"{reviews:,} of them {verb} review", REVIEW_COLOUR)
            )
    if needs_review:
        rows.append(f'<FONT COLOR="{REVIEW_COLOUR}"><B>needs review</B></FONT>')
    return _labels.table(rows)


def _root_label(title: str, totals: pd.Series) -> str:
    rows = [f"<B>{_labels.wrapped(title, width=30)}</B>", _effort_text(totals)]
    if "cost" in totals:
        rows.append(f"cost {_labels.money(totals['cost'])}")
    cells = "".join(
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows
    )
    table = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>'
    return f'<<FONT COLOR="white" POINT-SIZE="11">{table}</FONT>>'


def _effort(values: Any) -> str:
    return _effort_text(
        {
            "expected_hours": values.expected_hours,
            "sd_hours": values.sd_hours,
            "estimated": values.estimated,
            "unestimated": values.unestimated,
        }
    )


def _effort_text(totals: Mapping[str, Any]) -> str:
    if not totals["estimated"]:
        return "not estimated"
    text = (
        f"{_labels.hours(totals['expected_hours'])} ± "
        f"{_labels.hours(totals['sd_hours'])}"
    )
    if totals["unestimated"]:
        text += f" ({totals['unestimated']:,} not estimated)"
    return text


def _cost(values: Any) -> str:
    if values.unpriced == values.estimated:
        return "cost unknown: no rate for the role"
    text = f"cost {_labels.money(values.cost)}"
    if values.unpriced:
        text += f" ({values.unpriced:,} without a rate)"
    return text


def _needs_review(frame: pd.DataFrame) -> list[bool]:
    if "status" not in frame.columns:
        return [False] * len(frame)
    statuses = frame["status"].fillna("").astype(str).str.strip().str.lower()
    return [bool(flag) for flag in statuses == NEEDS_REVIEW]


def _folded(
    codes: list[str], review: list[bool], depth: int
) -> dict[str, tuple[int, int]]:
    """For each shown item with hidden descendants: (items hidden, needing review)."""
    items: Counter[str] = Counter()
    reviews: Counter[str] = Counter()
    for code, needs_review in zip(codes, review, strict=True):
        if level_of(code) > depth:
            ancestor = ancestor_at(code, depth)
            items[ancestor] += 1
            reviews[ancestor] += needs_review
    return {code: (items[code], reviews[code]) for code in items}


def _notes(folded: dict[str, tuple[int, int]], depth: int) -> list[str]:
    if not folded:
        return []
    hidden = sum(items for items, _ in folded.values())
    return [
        f"{_labels.count(hidden, 'item')} below level {depth} folded into "
        f"{_labels.count(len(folded), 'item')}"
    ]
