"""What each cell of the client report notebook shows, run inside its kernel.

Every function takes the project and returns HTML for one section; every
text that comes from the client's documents is escaped. Diagrams are
embedded as SVG data, so the report needs no network and no other file.
"""

from __future__ import annotations

import base64
import html
from datetime import date
from typing import TYPE_CHECKING, Any

from ptah_kernel.exports import _report_sections as sections

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project

__all__ = ["SECTIONS", "open_project", "show"]

SECTIONS = {
    "summary": "Summary",
    "wbs": "Work breakdown structure",
    "schedule": "Schedule",
    "requirements": "Requirements",
    "traceability": "Traceability",
    "questions": "Assumptions and open questions",
    "documents": "Documents read",
}


def open_project(workspace: str, code: str) -> Project:
    """The project the report is about."""
    from ptah_kernel.workspace import open_workspace

    return open_workspace(workspace).project(code)


def show(name: str, project: Project, start: str | None = None) -> Any:
    """Display one section (`cover`, `contents` or a key of SECTIONS)."""
    from IPython.display import HTML

    if name == "cover":
        return HTML(cover(project))
    if name == "contents":
        return HTML(contents())
    body = BUILDERS[name](project, start)
    return HTML(f'<h2 id="ptah-{name}">{SECTIONS[name]}</h2>{body}')


def cover(project: Project) -> str:
    """The cover page: project, client, stack, date and counts."""
    counts = {
        "documents": len(project.documents),
        "requirements": len(project.requirements),
        "work items": len(project.wbs),
    }
    header = sections.project_header(_header(project), counts, date.today())
    return f'<section class="ptah-cover">{header}</section>'


def contents() -> str:
    """A table of contents that links to each section."""
    links = "".join(
        f'<li><a href="#ptah-{key}">{title}</a></li>' for key, title in SECTIONS.items()
    )
    return f'<nav class="ptah-contents"><h2>Contents</h2><ol>{links}</ol></nav>'


def summary(project: Project, _start: str | None) -> str:
    """Totals at P50/P80/P90 by both methods, with cost and contingency."""
    from ptah_kernel.wbs.estimates import confidence, contingency, total

    frame = project.wbs.to_frame()
    rates = project.rates or None
    sums = total(frame, rates)
    if not sums["estimated"]:
        return sections._empty("No work package has an estimate yet.")
    normal = confidence(frame, rates=rates)
    simulated = confidence(frame, method="monte carlo", rates=rates)
    reserve = contingency(frame, rates=rates)
    priced = rates is not None and sums["unpriced"] < sums["estimated"]
    currency = project.currency if priced else None
    return (
        _levels_table(normal, simulated, currency)
        + _reserve_table(reserve, currency)
        + _unestimated_note(sums)
    )


def _levels_table(
    normal: pd.DataFrame, simulated: pd.DataFrame, currency: str | None
) -> str:
    head = ["Confidence", "Hours (normal)", "Hours (Monte Carlo)"]
    if currency:
        head.append(f"Cost ({currency})")
    rows = []
    for label in normal.index:
        row = [label, _hours(normal.loc[label, "hours"])]
        row.append(_hours(simulated.loc[label, "hours"]))
        if currency:
            row.append(_hours(normal.loc[label, "cost"]))
        rows.append(tuple(row))
    return _rows_html(head, rows, "ptah-summary")


def _reserve_table(reserve: pd.DataFrame, currency: str | None) -> str:
    head = ["Phase", "P50 hours", "P80 hours", "Contingency hours"]
    columns = ["p50_hours", "p80_hours", "contingency_hours"]
    if currency:
        head.append(f"Contingency ({currency})")
        columns.append("contingency_cost")
    rows = [
        (r["name"], *(_hours(r[c]) for c in columns))
        for r in reserve.to_dict("records")
    ]
    return _rows_html(head, rows, "ptah-reserve")


def _hours(value: float) -> str:
    return f"{value:,.1f}"


def _unestimated_note(sums: pd.Series) -> str:
    missing = int(sums["unestimated"])
    if not missing:
        return ""
    return sections._empty(
        f"{missing} work package(s) have no estimate yet and are not in these totals.",
        "ptah-footnote",
    )


def wbs(project: Project, _start: str | None) -> str:
    """The WBS table and its tree diagram."""
    from ptah_kernel.diagrams import DiagramError, wbs_tree

    items = project.wbs.items
    table = sections.wbs_table(project.wbs.to_frame())
    if not items:
        return table
    try:
        svg = wbs_tree(items, rates=project.rates or None).svg()
    except DiagramError as exc:
        return table + sections._empty(str(exc), "ptah-footnote")
    return table + _figure(svg, "WBS")


def schedule(project: Project, start: str | None) -> str:
    """The Gantt chart from the start date, with the critical path."""
    from ptah_kernel.diagrams import gantt
    from ptah_kernel.wbs.schedule import schedule as plan

    frame = project.wbs.to_frame()
    if frame.empty:
        return sections._empty("There is no WBS to schedule yet.")
    planned = plan(frame, start or date.today().isoformat())
    return _figure(gantt(planned).svg(), "Gantt chart")


def requirements(project: Project, _start: str | None) -> str:
    """The requirements of each document with their anchors."""
    return sections.requirements_by_document(project.requirements)


def traceability(project: Project, _start: str | None) -> str:
    """Each requirement and the work packages that cover it."""
    covering: dict[str, list[str]] = {}
    for item in project.wbs.items:
        for rid in item.requirements:
            covering.setdefault(rid, []).append(item.code)
    rows = [
        (r["id"], r["text"], ", ".join(covering.get(r["id"], [])) or "not covered")
        for r in project.requirements.to_dict("records")
    ]
    return _rows_html(["Requirement", "Text", "Covered by"], rows, "ptah-trace")


def questions(project: Project, _start: str | None) -> str:
    """Open annotations tagged question or assumption."""
    frame = project.annotations
    if frame.empty:
        return sections._empty("No assumptions or open questions were recorded.")
    wanted = frame["tags"].str.contains("question|assumption") & (
        frame["status"] == "open"
    )
    rows = [
        (r["tags"], f"{r['document']} {r['anchor']}", r["quote"], r["comment"])
        for r in frame[wanted].to_dict("records")
    ]
    if not rows:
        return sections._empty("Every question and assumption has been resolved.")
    return _rows_html(
        ["Kind", "Where", "Quote", "Question or assumption"], rows, "ptah-questions"
    )


def documents(project: Project, _start: str | None) -> str:
    """The documents read, with their counts."""
    frame = project.documents_frame()
    frame["status"] = "read"
    return sections.documents_table(frame)


BUILDERS = {
    "summary": summary,
    "wbs": wbs,
    "schedule": schedule,
    "requirements": requirements,
    "traceability": traceability,
    "questions": questions,
    "documents": documents,
}


def _header(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "client": project.client,
        "tech_stack": project.tech_stack,
    }


def _figure(svg: str, title: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(title)
    return (
        f'<figure class="ptah-figure"><img alt="{alt}" '
        f'src="data:image/svg+xml;base64,{data}"><figcaption>{alt}</figcaption></figure>'
    )


def _rows_html(head: list[str], rows: list[tuple[Any, ...]], css: str) -> str:
    heading = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    head_row = f"<thead><tr>{heading}</tr></thead>"
    return f'<table class="{css}">{head_row}<tbody>{body}</tbody></table>'
