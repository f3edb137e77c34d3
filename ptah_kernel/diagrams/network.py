"""The dependency network of the work packages, with the critical path marked.

Critical flags, dates and float come from `ptah_kernel.wbs.schedule`. An
arrow is drawn red when it drives the critical path: both ends are
critical and the link has no slack (the successor's linked end sits
exactly the lag after the predecessor's).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ptah_kernel.diagrams import _labels
from ptah_kernel.diagrams._diagram import Diagram
from ptah_kernel.diagrams._inputs import (
    Items,
    parent_codes,
    project_schedule,
    require_columns,
    wbs_frame,
)

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

    from ptah_kernel.wbs.links import Link

__all__ = ["NETWORK_LIMIT", "dependency_network"]

log = logging.getLogger(__name__)

# Past this many work packages only the critical path and its neighbours
# are drawn: a network of hundreds of boxes is a hairball.
NETWORK_LIMIT = 150
CRITICAL = "#c0392b"
NORMAL = "#5f7380"
SCHEDULE_COLUMNS = (
    "code",
    "critical",
    "early_start_hours",
    "early_finish_hours",
    "total_float_hours",
)
# Float below this many hours counts as none, as in the schedule.
_TOLERANCE = 1e-6


def dependency_network(
    items: Items,
    schedule: pd.DataFrame | None = None,
    *,
    start: dt.date | str | None = None,
    hours_per_day: float = 8.0,
    limit: int = NETWORK_LIMIT,
) -> Diagram:
    """Work packages as boxes, dependencies as arrows, the critical path in red.

    `schedule` is a frame from `ptah_kernel.wbs.schedule.schedule`; without
    one the items are scheduled here (from `start`, else today) and the
    boxes show hours rather than dates. Boxes sit in one frame per phase.
    `hours_per_day` must match the schedule's calendar; it turns lags in
    days into hours to find the driving links. Past `limit` work packages
    only the critical ones and their direct neighbours are drawn.
    """
    from ptah_kernel.wbs.links import links_of

    frame = wbs_frame(items)
    dated = schedule is not None or start is not None
    plan = schedule if schedule is not None else project_schedule(frame, start)
    require_columns(plan, SCHEDULE_COLUMNS, "schedule")
    facts = {row["code"]: row for row in plan.to_dict("records")}
    links = links_of(frame)

    codes = [str(code).strip() for code in frame["code"]]
    names = dict(zip(codes, frame["name"], strict=True))
    parents = parent_codes(codes)
    leaves = [code for code in codes if code not in parents]
    driving = {
        (link.predecessor, link.successor)
        for link in links
        if _is_driving(link, facts, hours_per_day)
    }
    shown, notes = _shown(leaves, links, facts, driving, limit)

    graph = _graph(_title(plan, dated))
    _add_phases(graph, shown, names, facts, dated, hours_per_day)
    visible = set(shown)
    for link in links:
        if link.predecessor in visible and link.successor in visible:
            ends = (link.predecessor, link.successor)
            _add_link(graph, link, ends in driving)
    return Diagram(graph=graph, notes=notes)


def _shown(
    leaves: list[str],
    links: list[Link],
    facts: dict[str, Any],
    driving: set[tuple[str, str]],
    limit: int,
) -> tuple[list[str], list[str]]:
    """All work packages, or past `limit` the critical ones and their neighbours.

    When even those are too many (many parallel critical chains), one
    critical path is drawn, cut at `limit` boxes.
    """
    if len(leaves) <= limit:
        return leaves, []

    critical = {code for code in leaves if _critical(facts, code)}
    near = set(critical)
    for link in links:
        if link.predecessor in critical or link.successor in critical:
            near.update((link.predecessor, link.successor))
    what = "the critical path and its neighbours are shown"
    if len(near) > limit:
        near = _one_critical_path(critical, facts, driving)
        what = "one critical path is shown"
    shown = [code for code in leaves if code in near][:limit]

    left_out = len(leaves) - len(shown)
    log.debug("Network of %d work packages cut to %d", len(leaves), len(shown))
    if not left_out:
        return shown, []
    return shown, [f"{_labels.count(left_out, 'work package')} left out; {what}"]


def _one_critical_path(
    critical: set[str], facts: dict[str, Any], driving: set[tuple[str, str]]
) -> set[str]:
    """The chain of driving links back from a critical item finishing last.

    The chain starts at an item that drives nothing, so a zero-length item
    at the end (a milestone) is not left off.
    """
    if not critical:
        return set()
    before: dict[str, str] = {}
    for predecessor, successor in sorted(driving):
        before.setdefault(successor, predecessor)

    ends = critical - {predecessor for predecessor, _ in driving} or critical
    code = max(sorted(ends), key=lambda code: facts[code]["early_finish_hours"])
    path = {code}
    while code in before and before[code] not in path:
        code = before[code]
        path.add(code)
    return path


def _graph(title: str) -> graphviz.Digraph:
    import graphviz

    graph = graphviz.Digraph("dependency_network")
    graph.attr(rankdir="LR", nodesep="0.25", ranksep="0.6", newrank="true")
    graph.attr(label=title, labelloc="t", labeljust="l", fontname=_labels.FONT)
    graph.attr(fontsize="13")
    graph.attr("node", shape="box", style="rounded,filled", fontname=_labels.FONT)
    graph.attr("node", fontsize="10", margin="0.1,0.05")
    graph.attr("edge", fontname=_labels.FONT, fontsize="9", color=NORMAL)
    return graph


def _title(plan: pd.DataFrame, dated: bool) -> str:
    text = "Dependency network: the critical path is drawn thick and red"
    if dated and "early_finish" in plan.columns and len(plan):
        finish = plan["early_finish"].max()
        text += f"; expected finish {_labels.day(finish)}"
    return text


def _add_phases(
    graph: graphviz.Digraph,
    shown: Iterable[str],
    names: dict[str, Any],
    facts: dict[str, Any],
    dated: bool,
    hours_per_day: float,
) -> None:
    by_phase: dict[str, list[str]] = {}
    for code in shown:
        by_phase.setdefault(code.split(".")[0], []).append(code)

    for phase, codes in by_phase.items():
        if codes == [phase]:
            _add_item(graph, phase, names, facts, dated, hours_per_day)
            continue
        with graph.subgraph(name=f"cluster_{phase}") as cluster:
            label = f"{phase} {_labels.shorten(names.get(phase, ''), 60)}"
            cluster.attr(label=label, style="rounded", color="#b8c4cc")
            cluster.attr(fontcolor="#3d4a52", fontsize="11")
            for code in codes:
                _add_item(cluster, code, names, facts, dated, hours_per_day)


def _add_item(
    graph: graphviz.Digraph,
    code: str,
    names: dict[str, Any],
    facts: dict[str, Any],
    dated: bool,
    hours_per_day: float,
) -> None:
    fact = facts.get(code, {})
    critical = _critical(facts, code)
    style = {"color": NORMAL, "fillcolor": "white", "class": "item"}
    if critical:
        style.update(color=CRITICAL, fillcolor="#fbe4e1", penwidth="2.5")
        style["class"] += " critical"
    if fact.get("estimated") is False:
        style.update(style="rounded,filled,dashed")

    rows = [
        f"<B>{_labels.escape(code)}</B>",
        _labels.wrapped(names.get(code, ""), width=26),
        _labels.small(_timing(fact, dated, hours_per_day)),
    ]
    graph.node(_labels.node_id(code), label=_labels.table(rows), **style)


def _timing(fact: dict[str, Any], dated: bool, hours_per_day: float) -> str:
    if not fact:
        return "not in the schedule"
    if fact.get("estimated") is False:
        return "not estimated"
    duration = fact["early_finish_hours"] - fact["early_start_hours"]
    float_days = max(fact["total_float_hours"], 0.0) / hours_per_day
    text = f"{_labels.hours(duration)} · float {_labels.days(float_days)}"
    if dated and "early_start" in fact:
        start, finish = (
            _labels.day(fact["early_start"]),
            _labels.day(fact["early_finish"]),
        )
        text += f"\n{start} → {finish}"
    return text


def _add_link(graph: graphviz.Digraph, link: Link, driving: bool) -> None:
    from ptah_kernel.wbs.links import format_link

    style = {"class": "link"}
    if driving:
        style.update({"color": CRITICAL, "penwidth": "3", "class": "link critical"})
    kind = format_link(link)[len(link.predecessor) :]
    if kind:
        # `decorate` underlines the label and ties it to its arrow, which
        # dot may otherwise place beside another one.
        style.update(label=f"<{_labels.escape(kind)}>", decorate="true")
    graph.edge(
        _labels.node_id(link.predecessor), _labels.node_id(link.successor), **style
    )


def _is_driving(link: Link, facts: dict[str, Any], hours_per_day: float) -> bool:
    """Whether the link is on the critical path: no slack between critical ends."""
    if not (_critical(facts, link.predecessor) and _critical(facts, link.successor)):
        return False

    before, after = facts[link.predecessor], facts[link.successor]
    from_end = (
        "early_finish_hours" if link.type in ("FS", "FF") else "early_start_hours"
    )
    to_end = "early_start_hours" if link.type in ("FS", "SS") else "early_finish_hours"
    slack = after[to_end] - before[from_end] - link.lag_hours(hours_per_day)
    return bool(abs(slack) <= _TOLERANCE)


def _critical(facts: dict[str, Any], code: str) -> bool:
    return bool(facts.get(code, {}).get("critical", False))
