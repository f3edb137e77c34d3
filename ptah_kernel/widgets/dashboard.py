"""The stakeholder dashboard of one project, as HTML sections.

`notebooks/dashboard.ipynb` calls `show_dashboard()`, which reads the
project code from the page's query string (`?project=CODE`) and displays
read-only sections: header, totals, WBS, charts, diagrams, coverage and
open questions. Nothing here prints a traceback into the page: problems
become a friendly page, and details go to the server's log.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from ptah_kernel.errors import InvalidProjectCode, ProjectNotFound, PtahError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project
    from ptah_kernel.widgets._numbers import Estimate
    from ptah_kernel.workspace import Workspace

logger = logging.getLogger(__name__)

__all__ = [
    "dashboard_sections",
    "prepare",
    "not_found_page",
    "portfolio_page",
    "project_code",
    "show_dashboard",
    "show_portfolio",
    "wait_for_visit",
]

E = html.escape
STYLE = """<style>
.ptah { font-family: var(--jp-ui-font-family, sans-serif); color: #1d2b33;
  max-width: 1100px; }
.ptah h1 { font-size: 1.7em; margin: 0.2em 0; }
.ptah h2 { font-size: 1.2em; margin: 1.2em 0 0.4em; border-bottom: 1px solid #d8e2e8; }
.ptah .ptah-meta { color: #4a5d68; }
.ptah .ptah-cards { display: flex; gap: 12px; flex-wrap: wrap; }
.ptah .ptah-card { border: 1px solid #c9d8e0; border-radius: 6px; padding: 8px 14px;
  min-width: 130px; background: #f6fafc; }
.ptah .ptah-card b { display: block; font-size: 1.4em; }
.ptah table { border-collapse: collapse; font-size: 0.92em; margin: 4px 0; }
.ptah table th, .ptah table td,
.jp-RenderedHTMLCommon .ptah table th, .jp-RenderedHTMLCommon .ptah table td {
  border-bottom: 1px solid #e2e9ed; padding: 3px 8px; text-align: left;
  vertical-align: top; }
.ptah table .num, .jp-RenderedHTMLCommon .ptah table .num { text-align: right;
  font-variant-numeric: tabular-nums; }
.ptah details { margin: 4px 0; }
.ptah summary { cursor: pointer; font-weight: 600; }
.ptah .ptah-note { color: #6b4e16; background: #fff6e0; padding: 4px 8px;
  border-radius: 4px; display: inline-block; }
.ptah img { max-width: 100%; }
</style>"""


def project_code(query_string: str | None = None) -> str:
    """The `project` parameter of the page's query string ("" when absent).

    Voila hands the query string to the kernel as `QUERY_STRING`.
    """
    if query_string is None:
        query_string = os.environ.get("QUERY_STRING", "")
    values = parse_qs(query_string).get("project", [""])
    return values[0].strip()


def prepare() -> Workspace:
    """Load the heavy libraries and open the workspace; call before the visit.

    With preheated kernels Voila runs this before anyone asks for the page,
    so the visitor waits only for the project's own figures. Warnings go to
    the server's log instead of the page.
    """
    import warnings

    import graphviz  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import pandas  # noqa: F401
    from IPython.display import HTML  # noqa: F401

    import ptah_kernel.diagrams  # noqa: F401
    import ptah_kernel.wbs.estimates  # noqa: F401
    import ptah_kernel.wbs.schedule  # noqa: F401
    from ptah_kernel.widgets import figures

    warnings.showwarning = _warning_to_server
    figures.warm_up()
    return _open_workspace()


def wait_for_visit() -> None:
    """In a preheated Voila kernel, wait for the visitor's request.

    Voila then puts the page's query string in `QUERY_STRING`. Elsewhere
    (a fresh Voila kernel, JupyterLab) this returns at once, without
    importing Voila, which alone takes seconds.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request

    wait_for_request()


def _warning_to_server(  # type: ignore[no-untyped-def]
    message, category, filename, lineno, file=None, line=None
):
    import warnings

    text = warnings.formatwarning(message, category, filename, lineno, line)
    print(f"ptah dashboard: {text}", file=sys.__stderr__, end="")


def show_dashboard(workspace: Workspace | None = None, code: str | None = None) -> None:
    """Display the dashboard of the project named in the query string."""
    from IPython.display import HTML, display

    for section in _safe_sections(workspace, project_code() if code is None else code):
        display(HTML(section))  # type: ignore[no-untyped-call]


def show_portfolio(workspace: Workspace | None = None) -> None:
    """Display every project with its totals, each linking to its dashboard."""
    from IPython.display import HTML, display

    try:
        page = portfolio_page(workspace or _open_workspace())
    except Exception:
        _log_to_server("The portfolio could not be drawn")
        page = _message_page("The portfolio cannot be shown", _TRY_LATER)
    display(HTML(page))  # type: ignore[no-untyped-call]


def _safe_sections(workspace: Workspace | None, code: str) -> list[str]:
    if not code:
        return [not_found_page(code)]
    try:
        project = (workspace or _open_workspace()).project(code)
        return dashboard_sections(project)
    except (ProjectNotFound, InvalidProjectCode):
        return [not_found_page(code)]
    except PtahError as exc:
        return [_message_page("This dashboard cannot be shown", str(exc))]
    except Exception:
        _log_to_server(f"The dashboard of {code!r} could not be drawn")
        return [_message_page("This dashboard cannot be shown", _TRY_LATER)]


_TRY_LATER = (
    "Something went wrong while drawing it. Try again in a minute; if it "
    "persists, tell the analyst who sent you the link."
)


def _open_workspace() -> Workspace:
    from ptah_kernel.workspace import open_workspace

    return open_workspace()


def _log_to_server(what: str) -> None:
    # The kernel's own stderr is the page; the process's original stderr is
    # the server's terminal log, where an operator can read the traceback.
    import traceback

    print(f"ptah dashboard: {what}:", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)


# Pages


def not_found_page(code: str) -> str:
    """The friendly page for a missing or unknown project code."""
    if not code:
        title = "Which project?"
        text = (
            "This dashboard shows one project. Open it from the link the "
            "analyst sent you, which ends in <code>?project=</code> and the "
            'project code, or pick a project in the <a href="portfolio.ipynb">'
            "portfolio</a>."
        )
        return _page(title, text)
    text = (
        f"There is no project with the code <code>{E(code)}</code>. Check the "
        "link the analyst sent you, or pick a project in the "
        '<a href="portfolio.ipynb">portfolio</a>.'
    )
    return _page("Project not found", text)


def _message_page(title: str, text: str) -> str:
    return _page(title, E(text))


def _page(title: str, body_html: str) -> str:
    return (
        f'{STYLE}<div class="ptah ptah-message"><h1>{E(title)}</h1>'
        f"<p>{body_html}</p></div>"
    )


def dashboard_sections(project: Project) -> list[str]:
    """The dashboard of one project, as HTML fragments in display order."""
    from ptah_kernel.widgets import _numbers

    data = _collect(project)
    estimate = _numbers.estimate_of(data.wbs, data.rates or None)
    sections = [STYLE + header_section(project)]
    sections.append(totals_section(estimate, data.currency))
    sections.append(wbs_section(estimate))
    if estimate.has_estimates:
        sections.append(charts_section(estimate))
        sections.append(diagrams_section(project, data))
    sections.append(coverage_section(data.requirements, data.wbs))
    sections.append(questions_section(data.annotations))
    return [f'<div class="ptah">{section}</div>' for section in sections]


@dataclass(frozen=True)
class _Data:
    wbs: pd.DataFrame
    requirements: pd.DataFrame
    annotations: pd.DataFrame
    rates: dict[str, float]
    currency: str | None


def _collect(project: Project) -> _Data:
    from ptah_kernel.wbs.rates import rates_of

    rates, currency = rates_of(project)
    return _Data(
        wbs=project.wbs.to_frame(),
        requirements=project.requirements,
        annotations=project.annotations,
        rates=rates,
        currency=currency,
    )


# Sections


def header_section(project: Project) -> str:
    """Name, code, client, stack, status and the demo link."""
    facts = [
        ("Client", project.client or "—"),
        ("Stack", project.tech_stack or "—"),
        ("Status", project.status or "—"),
    ]
    meta = " · ".join(f"{label}: <b>{E(value)}</b>" for label, value in facts)
    return (
        f'<header class="ptah-header"><h1>{E(project.name)} '
        f"<small>({E(project.code)})</small></h1>"
        f'<p class="ptah-meta">{meta}</p></header>'
    )


def totals_section(estimate: Estimate, currency: str | None = None) -> str:
    """P50, P80 and P90 hours and cost, contingency, or why there is no cost."""
    if not estimate.has_estimates:
        return (
            "<h2>Estimate</h2><p class='ptah-note'>No work package has "
            "optimistic, most likely and pessimistic hours yet.</p>"
        )
    notes = {
        0.5: "half the time it takes less",
        0.8: "four times in five it takes less",
        0.9: "nine times in ten it takes less",
    }
    cards = [
        _card(
            f"P{round(level * 100)}",
            estimate.totals[level],
            estimate.costs.get(level),
            currency,
            note,
        )
        for level, note in notes.items()
    ]
    cards.append(
        _card(
            "Contingency",
            estimate.contingency,
            estimate.contingency_cost,
            currency,
            "from P50 up to P80",
        )
    )
    return (
        f'<h2>Estimate</h2><div class="ptah-cards ptah-totals">{"".join(cards)}</div>'
        f"<p>{_cost_note(estimate)} {_unestimated_note(estimate)}</p>"
    )


def _card(
    label: str, hours: float, cost: float | None, currency: str | None, note: str
) -> str:
    money = ""
    if cost is not None and cost == cost:
        money = f'<span class="ptah-cost">{E(currency or "")} {cost:,.0f}</span>'
    return (
        f'<div class="ptah-card ptah-total-{label.lower()}">{label}'
        f'<b data-hours="{hours:.2f}">{hours:,.1f} h</b>{money}'
        f"<small>{E(note)}</small></div>"
    )


def _cost_note(estimate: Estimate) -> str:
    if estimate.costs:
        return ""
    return (
        "<span class='ptah-note ptah-no-rates'>No rates set: the estimate "
        "is shown in hours, without cost.</span>"
    )


def _unestimated_note(estimate: Estimate) -> str:
    if not estimate.unestimated:
        return ""
    count = len(estimate.unestimated)
    return (
        f"<span class='ptah-note'>{count} work package(s) have no complete "
        "estimate yet and are not counted.</span>"
    )


def wbs_section(estimate: Estimate) -> str:
    """The WBS as one collapsible table per phase."""
    items = estimate.items
    if items.empty:
        return "<h2>Work breakdown</h2><p>No WBS yet.</p>"
    parts = [
        _phase_details(items[items["phase"] == phase])
        for phase in items["phase"].unique()
    ]
    return '<h2>Work breakdown</h2><div class="ptah-wbs">' + "".join(parts) + "</div>"


_COLUMNS = (
    ("code", "Code", ""),
    ("name", "Item", ""),
    ("role", "Role", ""),
    ("optimistic_hours", "O", "num"),
    ("most_likely_hours", "M", "num"),
    ("pessimistic_hours", "P", "num"),
    ("expected_hours", "Expected", "num"),
)


def _phase_details(rows: pd.DataFrame) -> str:
    top = rows.iloc[0]
    head = "".join(f'<th class="{css}">{title}</th>' for _, title, css in _COLUMNS)
    body = "".join(_wbs_row(row) for row in rows.to_dict("records"))
    summary = f"{E(top['code'])} {E(top['name'])} · {_hours(top['expected_hours'])}"
    return (
        f"<details><summary>{summary}</summary><table><thead><tr>{head}</tr>"
        f"</thead><tbody>{body}</tbody></table></details>"
    )


def _wbs_row(row: dict[str, Any]) -> str:
    cells = []
    for column, _, css in _COLUMNS:
        value = row[column]
        text = _hours(value, unit="") if css else E(str(value or ""))
        if column == "name":
            indent = (row["level"] - 1) * 1.2
            text = f'<span style="padding-left:{indent}em">{text}</span>'
        cells.append(f'<td class="{css}">{text}</td>')
    weight = "" if row["is_leaf"] else ' style="font-weight:600"'
    return f"<tr{weight}>{''.join(cells)}</tr>"


def _hours(value: Any, unit: str = " h") -> str:
    if value is None or value != value:
        return ""
    return f"{float(value):,.1f}{unit}"


def charts_section(estimate: Estimate) -> str:
    """Expected hours by phase and by role, as bar charts."""
    from ptah_kernel.widgets import _numbers, figures

    items = estimate.items
    names = dict(zip(items["code"], items["name"], strict=True))
    by_phase = _numbers.effort_by(estimate, "phase")
    by_phase.index = [f"{code} {names.get(code, '')}" for code in by_phase.index]
    phase = figures.bar_chart(by_phase, "Effort by phase", "ptah-chart-phase")
    role = figures.bar_chart(
        _numbers.effort_by(estimate, "role"), "Effort by role", "ptah-chart-role"
    )
    return f"<h2>Effort</h2><div>{phase}</div><div>{role}</div>"


def diagrams_section(project: Project, data: _Data) -> str:
    """The WBS tree and the Gantt chart of the critical-path schedule."""
    import datetime as dt

    from ptah_kernel.diagrams import gantt, wbs_tree
    from ptah_kernel.wbs.schedule import schedule
    from ptah_kernel.widgets import _numbers, figures

    frame = _numbers.usable_frame(data.wbs)
    drawn = wbs_tree(frame, rates=data.rates or None, title=project.name)
    tree = figures.svg_image(drawn.render("svg"), "WBS tree", "ptah-wbs-tree")
    try:
        plan = gantt(schedule(frame, dt.date.today()), title="Schedule from today")
    except PtahError as exc:
        chart = f"<p class='ptah-note'>No schedule: {E(str(exc))}</p>"
    else:
        chart = figures.svg_image(plan.render("svg"), "Gantt chart", "ptah-gantt")
    return f"<h2>Diagrams</h2><div>{tree}</div><div>{chart}</div>"


def coverage_section(requirements: pd.DataFrame, wbs: pd.DataFrame) -> str:
    """How many requirements a WBS item covers, and which do not."""
    ids = list(requirements["id"])
    if not ids:
        return "<h2>Requirement coverage</h2><p>No requirements found yet.</p>"
    covered = _covered_ids(wbs)
    missing = requirements[~requirements["id"].isin(covered)]
    done = len(ids) - len(missing)
    share = done / len(ids)
    head = (
        f'<h2>Requirement coverage</h2><p class="ptah-coverage">{done} of '
        f"{len(ids)} requirements ({share:.0%}) are covered by the WBS.</p>"
    )
    if missing.empty:
        return head
    rows = "".join(
        f"<tr><td>{E(r.id)}</td><td>{E(_clip(r.text))}</td><td>{E(r.anchor)}</td></tr>"
        for r in missing.itertuples()
    )
    return (
        f"{head}<details><summary>{len(missing)} not covered</summary><table>"
        f"<tr><th>Requirement</th><th>Text</th><th>Where</th></tr>{rows}</table>"
        "</details>"
    )


def questions_section(annotations: pd.DataFrame) -> str:
    """Open annotations tagged `question`, with their place in the documents."""
    is_question = annotations["tags"].str.split(", ").apply(lambda t: "question" in t)
    open_questions = annotations[is_question & (annotations["status"] == "open")]
    if open_questions.empty:
        return "<h2>Open questions</h2><p>No open questions.</p>"
    rows = "".join(
        f"<tr><td>{E(q.comment)}</td><td><q>{E(_clip(q.quote))}</q></td>"
        f"<td>{E(q.document)} {E(q.anchor)}</td></tr>"
        for q in open_questions.itertuples()
    )
    return (
        f"<h2>Open questions ({len(open_questions)})</h2>"
        '<table class="ptah-questions"><tr><th>Question</th><th>About</th>'
        f"<th>Where</th></tr>{rows}</table>"
    )


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# Portfolio


def portfolio_page(workspace: Workspace) -> str:
    """Every project with status, totals and coverage, linking to dashboards."""
    projects = workspace.projects()
    if not projects:
        return _page("Portfolio", "No projects yet.")
    rows = "".join(_portfolio_row(project) for project in projects)
    head = (
        "<tr><th>Project</th><th>Client</th><th>Status</th><th class='num'>P50</th>"
        "<th class='num'>P80</th><th class='num'>P90</th><th>Coverage</th></tr>"
    )
    return (
        f'{STYLE}<div class="ptah"><h1>Portfolio</h1>'
        f'<table class="ptah-portfolio">{head}{rows}</table></div>'
    )


def _portfolio_row(project: Project) -> str:
    from ptah_kernel.widgets import _numbers

    wbs = project.wbs.to_frame()
    estimate = _numbers.estimate_of(wbs)
    link = f"dashboard.ipynb?project={quote(project.code)}"
    totals = [
        _hours(estimate.totals[level]) if estimate.has_estimates else "—"
        for level in (0.5, 0.8, 0.9)
    ]
    cells = "".join(f'<td class="num">{value}</td>' for value in totals)
    return (
        f'<tr><td><a href="{E(link)}">{E(project.name)}</a> '
        f"<small>({E(project.code)})</small></td><td>{E(project.client or '—')}</td>"
        f"<td>{E(project.status or '—')}</td>{cells}"
        f"<td>{_coverage_share(project.requirements, wbs)}</td></tr>"
    )


def _coverage_share(requirements: pd.DataFrame, wbs: pd.DataFrame) -> str:
    if requirements.empty:
        return "—"
    share = requirements["id"].isin(_covered_ids(wbs)).mean()
    return f"{share:.0%}"


def _covered_ids(wbs: pd.DataFrame) -> set[str]:
    cells = wbs["requirements"].fillna("")
    return {part.strip() for cell in cells for part in str(cell).split(";")}
