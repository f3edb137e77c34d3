"""The client report's sections as HTML fragments, every client text escaped.

Everything shown here comes from the project or its documents, so it is
client content: each value goes through `_text` (HTML-escaped, quotes
included) before it reaches a tag. Only the markup around it is ours.
"""

from __future__ import annotations

import html
import math
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["documents_table", "project_header", "requirements_by_document", "wbs_table"]

MISSING = "—"
HOURS = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")
HOURS_NOTE = "Hours are optimistic / most likely / pessimistic."
DOCUMENT_COLUMNS = (
    ("file", "File", False),
    ("format", "Format", False),
    ("pages", "Pages", True),
    ("blocks", "Blocks", True),
    ("requirements", "Requirements", True),
    ("status", "Status", False),
)


def project_header(project: dict[str, Any], counts: dict[str, int], today: date) -> str:
    """The title block: project name, then code, client, stack, date, counts."""
    facts = (
        ("Project code", project.get("code")),
        ("Client", project.get("client")),
        ("Technology stack", project.get("tech_stack")),
        ("Date", today.isoformat()),
        ("Scope", _counts_line(counts)),
    )
    rows = "".join(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in facts)
    return (
        '<header class="ptah-header">'
        '<p class="ptah-kicker">Requirements and work breakdown</p>'
        f"<h1>{_text(project.get('name'))}</h1>"
        f'<table class="ptah-facts"><tbody>{rows}</tbody></table>'
        "</header>"
    )


def documents_table(documents: pd.DataFrame) -> str:
    """One row per document read: file, format, pages, blocks, count, status."""
    if documents.empty:
        return _empty("No documents have been read.")

    head = "".join(_cell("th", label, number) for _, label, number in DOCUMENT_COLUMNS)
    body = "".join(_document_row(r) for r in documents.to_dict("records"))
    return _table("ptah-documents", head, body)


def requirements_by_document(requirements: pd.DataFrame) -> str:
    """A heading and a table per document: reference, text, kind and anchor."""
    if requirements.empty:
        return _empty("No requirements were found in the documents.")

    by_document: dict[str, list[dict[str, Any]]] = {}
    for record in requirements.to_dict("records"):
        document = _plain(record.get("document"))
        by_document.setdefault(document, []).append(record)

    parts = []
    for document, found in by_document.items():
        title = document or "Requirements without a document"
        parts.append(f"<h3>{_text(title)} <small>({len(found)})</small></h3>")
        parts.append(_requirements_table(found))
    return "".join(parts)


def wbs_table(wbs: pd.DataFrame) -> str:
    """The WBS, names indented by level; an hours column once estimated."""
    if wbs.empty:
        return _empty("No work breakdown structure has been drafted yet.")

    records = wbs.to_dict("records")
    estimated = any(_has_value(r.get(name)) for r in records for name in HOURS)
    head = "<th>Code</th><th>Name</th><th>Kind</th><th>Requirements</th>"
    if estimated:
        head += '<th class="ptah-number">Hours</th>'
    body = "".join(_wbs_row(record, estimated) for record in records)
    note = HOURS_NOTE if estimated else "No estimates have been entered yet."
    return _table("ptah-wbs", head, body) + _empty(note, "ptah-footnote")


def _document_row(record: dict[str, Any]) -> str:
    cells = (
        _cell("td", record.get(name), number) for name, _, number in DOCUMENT_COLUMNS
    )
    return f"<tr>{''.join(cells)}</tr>"


def _requirements_table(records: list[dict[str, Any]]) -> str:
    head = "<th>Ref</th><th>Requirement</th><th>Kind</th><th>Where</th>"
    body = "".join(
        "<tr>"
        f'<td class="ptah-nowrap">{_text(_plain(r.get("ref")) or r.get("id"))}</td>'
        f"<td>{_text(r.get('text'))}</td>"
        f'<td class="ptah-nowrap">{_text(_kind_line(r))}</td>'
        f"<td>{_where(r)}</td>"
        "</tr>"
        for r in records
    )
    return _table("ptah-requirements", head, body)


def _wbs_row(record: dict[str, Any], estimated: bool) -> str:
    code = _plain(record.get("code"))
    level = code.count(".") + 1
    requirements = _plain(record.get("requirements")).replace(";", "; ")
    cells = (
        f'<td class="ptah-nowrap">{_text(code)}</td>'
        f'<td class="ptah-name">{_text(record.get("name"))}</td>'
        f'<td class="ptah-nowrap">{_text(record.get("kind"))}</td>'
        f"<td>{_text(requirements)}</td>"
    )
    if estimated:
        values = [record.get(name) for name in HOURS]
        hours = (
            " / ".join(map(_number, values))
            if any(map(_has_value, values))
            else MISSING
        )
        cells += f'<td class="ptah-number">{hours}</td>'
    style = f"--ptah-level: {level}"
    return f'<tr class="ptah-level-{min(level, 9)}" style="{style}">{cells}</tr>'


def _where(record: dict[str, Any]) -> str:
    anchor = _text(record.get("anchor"))
    section = _plain(record.get("section"))
    if not section:
        return f'<span class="ptah-anchor">{anchor}</span>'
    return (
        f'<span class="ptah-anchor">{anchor}</span>'
        f'<small class="ptah-section">{_text(section)}</small>'
    )


def _kind_line(record: dict[str, Any]) -> str:
    kind = _plain(record.get("kind"))
    modality = _plain(record.get("modality"))
    return f"{kind} ({modality})" if kind and modality else kind or modality


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{number:,} {label}" for label, number in counts.items())


def _table(kind: str, head: str, body: str) -> str:
    return (
        f'<table class="ptah-table {kind}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _cell(tag: str, value: Any, number: bool) -> str:
    shown = _number(value) if number else _text(value)
    css = ' class="ptah-number"' if number else ""
    return f"<{tag}{css}>{shown}</{tag}>"


def _empty(sentence: str, css: str = "ptah-empty") -> str:
    return f'<p class="{css}">{_text(sentence)}</p>'


def _number(value: Any) -> str:
    if not _has_value(value):
        return MISSING
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.1f}".removesuffix(".0")
    return _text(value)


def _has_value(value: Any) -> bool:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(str(value).strip())


def _plain(value: Any) -> str:
    return str(value).strip() if _has_value(value) else ""


def _text(value: Any) -> str:
    if not _has_value(value):
        return MISSING
    return html.escape(str(value), quote=True)
