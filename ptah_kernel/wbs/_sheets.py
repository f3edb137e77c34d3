"""The client workbook's other sheets: Summary, Roles, Traceability, Assumptions.

The Summary is formulas over the WBS sheet's helper columns, so it follows
the client's edits: expected hours and cost are sums over leaves, P50/P80/
P90 add z times the root of the summed variances (the normal method of
`estimates.confidence`), and cost per role sums the leaves of each role.
Roles holds the hourly rates the WBS sheet's costs look up. Traceability
lists each requirement with the items that cover it; Assumptions lists the
annotations tagged assumption or question.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from ptah_kernel.wbs._workbook import (
    LETTERS,
    MONEY_FORMAT,
    SHEET,
    Extras,
    Layout,
    cell_text,
)

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "add_assumptions",
    "add_roles",
    "add_summary",
    "add_traceability",
    "role_names",
]

LEVELS = (0.5, 0.8, 0.9)
ASSUMPTION_TAGS = ("assumption", "question")
HEADER_FILL = "1F3864"
MISSING_FILL = "FBE5D6"


def role_names(frame: pd.DataFrame, rates: Mapping[str, float]) -> list[str]:
    """Roles with a rate first, then the other roles of the WBS, each once."""
    roles = dict.fromkeys(str(role) for role in rates)
    roles |= dict.fromkeys(str(role).strip() for role in frame["role"])
    return [role for role in roles if role]


def add_summary(
    book: Workbook, layout: Layout, roles: list[str], extras: Extras
) -> None:
    """The Summary sheet: totals, confidence levels, contingency, cost per role."""
    sheet = book.create_sheet("Summary")
    money = f"Cost ({extras.currency})" if extras.currency else "Cost"
    sheet["A1"] = "Estimate summary"
    sheet["A2"] = cell_text(extras.project_name)
    sheet["A1"].font = _font(bold=True, size=14)

    column = _ranges(layout)
    _header(sheet, 4, ["", "Hours", money])
    leaves = f"{column['leaf']},1"
    sheet.append(
        [
            "Expected",
            f"=SUMIFS({column['expected_hours']},{leaves})",
            f"=SUMIFS({column['cost']},{leaves})",
        ]
    )
    sheet.append(
        [
            "Standard deviation",
            f"=SQRT(SUM({column['variance']}))",
            f"=SQRT(SUM({column['cost_variance']}))",
        ]
    )

    _header(sheet, 8, ["Confidence", "z", "Hours", money])
    for row, level in enumerate(LEVELS, start=9):
        z = NormalDist().inv_cdf(level)
        sheet.append(
            [f"P{100 * level:g}", z, f"=$B$5+B{row}*$B$6", f"=$C$5+B{row}*$C$6"]
        )
    sheet.append(["Contingency (P80 − P50)", None, "=C10-C9", "=D10-D9"])

    _header(sheet, 14, ["Role", "Rate (per hour)", "Expected hours", money])
    for row, role in enumerate(roles, start=15):
        sheet.append(
            [
                cell_text(role),
                f"=Roles!B{row - 13}",
                f"=SUMIFS({column['expected_hours']},{column['role']},A{row},{leaves})",
                f"=SUMIFS({column['cost']},{column['role']},A{row},{leaves})",
            ]
        )
    _format_summary(sheet, last_row=14 + len(roles))


def add_roles(book: Workbook, roles: list[str], extras: Extras) -> None:
    """The Roles sheet: each role's hourly rate, which the WBS costs look up."""
    sheet = book.create_sheet("Roles")
    unit = f"{extras.currency}/h" if extras.currency else "per hour"
    _header(sheet, 1, ["Role", f"Rate ({unit})"])
    for role in roles:
        sheet.append([cell_text(role), extras.rates.get(role)])
    for row in sheet.iter_rows(min_row=2, max_col=2):
        row[0].data_type = "s"
        row[1].number_format = MONEY_FORMAT
    sheet["D1"] = "Edit a rate and every cost in the WBS sheet follows."
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 16


def add_traceability(
    book: Workbook, frame: pd.DataFrame, requirements: pd.DataFrame | None
) -> None:
    """The Traceability sheet: each requirement and the items that cover it."""
    sheet = book.create_sheet("Traceability")
    _header(sheet, 1, ["Requirement", "Text", "Document", "Anchor", "Covered by"])
    covering = _covering(frame)
    known = _requirement_records(requirements)
    for rid in covering:
        known.setdefault(rid, {"text": "(not among the project's requirements)"})

    missing = _fill(MISSING_FILL)
    # Row numbers are counted here: openpyxl's max_row scans every cell.
    for row, (rid, record) in enumerate(known.items(), start=2):
        codes = ", ".join(covering.get(rid, []))
        values = [rid, record.get("text"), record.get("document"), record.get("anchor")]
        _append_text(sheet, [*values, codes])
        if not codes:
            sheet.cell(row=row, column=5).fill = missing
    _widths(sheet, [18, 80, 24, 16, 30])


def add_assumptions(book: Workbook, annotations: pd.DataFrame | None) -> None:
    """The Assumptions sheet: annotations tagged assumption or question."""
    sheet = book.create_sheet("Assumptions")
    columns = ["document", "anchor", "quote", "comment", "tags", "status"]
    _header(sheet, 1, ["Kind", *(name.capitalize() for name in columns)])
    records = [] if annotations is None else annotations.to_dict("records")
    kept = [(kind, r) for r in records if (kind := _annotation_kind(r))]
    kept.sort(key=lambda pair: pair[0] != "Assumption")
    for kind, record in kept:
        _append_text(sheet, [kind, *(_joined(record.get(c)) for c in columns)])
    if not kept:
        sheet["A2"] = "No assumptions or open questions were recorded."
    _widths(sheet, [16, 24, 16, 60, 60, 20, 12])


def _append_text(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row of text cells; text that starts with "=" stays text."""
    from openpyxl.cell.cell import Cell

    cells = [Cell(sheet, value=cell_text(value)) for value in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    sheet.append(cells)


def _ranges(layout: Layout) -> dict[str, str]:
    last = max(layout.rows + 1, 2)
    return {
        name: f"{SHEET}!${letter}$2:${letter}${last}"
        for name, letter in LETTERS.items()
    }


def _covering(frame: pd.DataFrame) -> dict[str, list[str]]:
    covering: dict[str, list[str]] = {}
    for code, cell in zip(frame["code"], frame["requirements"], strict=True):
        for rid in str(cell or "").split(";"):
            if rid.strip():
                covering.setdefault(rid.strip(), []).append(code)
    return covering


def _requirement_records(requirements: pd.DataFrame | None) -> dict[str, Any]:
    if requirements is None or "id" not in requirements.columns:
        return {}
    return {
        str(record["id"]): record
        for record in requirements.to_dict("records")
        if record.get("id")
    }


def _annotation_kind(record: dict[str, Any]) -> str:
    tags = _joined(record.get("tags"))
    if "assumption" in tags:
        return "Assumption"
    if "question" in tags:
        open_ = str(record.get("status") or "open") == "open"
        return "Open question" if open_ else "Question"
    return ""


def _joined(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value)
    return "" if value is None or value != value else str(value)


def _header(sheet: Worksheet, row: int, labels: list[str]) -> None:
    font, fill = _font(bold=True, color="FFFFFF"), _fill(HEADER_FILL)
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font, cell.fill = font, fill


def _format_summary(sheet: Worksheet, last_row: int) -> None:
    for row in sheet.iter_rows(min_row=5, max_row=last_row, min_col=2, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    for row in range(9, 12):
        sheet.cell(row=row, column=2).number_format = "0.000"
    for row in range(15, last_row + 1):
        sheet.cell(row=row, column=1).data_type = "s"
    sheet["A" + str(last_row + 2)] = (
        "P80 and P90 assume independent estimates (normal approximation); "
        "correlated work spreads wider."
    )
    _widths(sheet, [28, 16, 16, 16])


def _widths(sheet: Worksheet, widths: list[float]) -> None:
    for column, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + column)].width = width


def _font(**style: Any) -> Any:
    from openpyxl.styles import Font

    return Font(**style)


def _fill(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=color)
