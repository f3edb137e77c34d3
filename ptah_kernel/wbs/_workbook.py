"""The WBS as the Excel workbook a client opens, with live totals.

The "WBS" sheet has a styled header (frozen, with filters), one row per
item in outline order, rows grouped by depth so Excel's outline buttons
fold phases and deliverables, names indented by level, and a list check
on the kind. Its totals are formulas, so a client who edits an estimate
sees every total change:

- a leaf (an item without children, normally a work package) holds its
  optimistic, most likely and pessimistic hours as numbers; its expected
  hours are ``=(O+4*M+P)/6`` once all three are given, and its cost is the
  expected hours times its role's rate, looked up on the "Roles" sheet;
- a parent's O, M, P, expected and cost cells are ``=SUM(...)`` of its
  children's cells (runs of adjacent children as ranges);
- hidden helper columns hold 1 on leaves, each leaf's variance
  ``((P-O)/6)^2`` and its cost variance, for the "Summary" sheet's
  P50/P80/P90 (sum of expected plus z times the root of summed variances,
  as `estimates.confidence` does with the normal method) and its cost per
  role.

`_workbook_reader` takes the WBS sheet back; `_sheets` writes the
Summary, Roles, Traceability and Assumptions sheets.
Every text goes in as a string cell, so a requirement that starts with
"=" is never run as a formula.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.frame import (
    ESTIMATE_COLUMNS,
    WBS_COLUMNS,
)
from ptah_kernel.wbs.model import ITEM_KINDS

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEET", "Extras", "cell_text", "write_workbook"]

log = logging.getLogger(__name__)

SHEET = "WBS"
COMPUTED = ("expected_hours", "cost", "leaf", "variance", "cost_variance")
SHEET_COLUMNS = (
    *("code", "name", "kind", "role", *ESTIMATE_COLUMNS, "expected_hours", "cost"),
    *("description", "requirements", "depends_on", "status", "notes"),
    *("leaf", "variance", "cost_variance"),
)
LETTERS = {name: chr(ord("A") + i) for i, name in enumerate(SHEET_COLUMNS)}
LABELS = {
    "code": "Code",
    "name": "Name",
    "kind": "Kind",
    "role": "Role",
    "optimistic_hours": "Optimistic (h)",
    "most_likely_hours": "Most likely (h)",
    "pessimistic_hours": "Pessimistic (h)",
    "expected_hours": "Expected (h)",
    "cost": "Cost",
    "depends_on": "Depends on",
    "requirements": "Requirements",
    "description": "Description",
    "status": "Status",
    "notes": "Notes",
    "leaf": "Leaf",
    "variance": "Variance (h²)",
    "cost_variance": "Cost variance",
}
SUMMED = (*ESTIMATE_COLUMNS, "expected_hours", "cost")
HIDDEN = ("leaf", "variance", "cost_variance")
WIDTHS = {"kind": 14, "role": 14, "depends_on": 14, "description": 80, "notes": 40}
WIDTHS |= dict.fromkeys(SUMMED, 14)
WRAPPED = ("description", "notes")
HOURS_FORMAT = "#,##0.0"
MONEY_FORMAT = "#,##0.00"

# Excel keeps at most 32,767 characters in a cell, 8,192 in a formula and
# 255 arguments in a function.
CELL_LIMIT = 32_767
FORMULA_LIMIT = 8_192
ARGUMENT_LIMIT = 255

HEADER_FILL = "1F3864"
ROW_FILLS = {"phase": "D9E2F3", "deliverable": "EEF3FA"}


@dataclass(frozen=True)
class Extras:
    """What the client's workbook shows beside the WBS: rates, sources, notes."""

    rates: Mapping[str, float] = field(default_factory=dict)
    currency: str = ""
    requirements: pd.DataFrame | None = None
    annotations: pd.DataFrame | None = None
    project_name: str = ""


@dataclass(frozen=True)
class Layout:
    """How many item rows the WBS sheet has; where costs look their rates up."""

    rows: int
    roles: str


def write_workbook(
    frame: pd.DataFrame, path: Path, extras: Extras | None = None
) -> None:
    """Write a frame in the stable WBS layout as the client's workbook."""
    from openpyxl import Workbook

    from ptah_kernel.wbs import _sheets

    extras = extras or Extras()
    roles = _sheets.role_names(frame, extras.rates)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    layout = Layout(rows=len(frame), roles=f"Roles!$A$2:$B${len(roles) + 1}")
    fill_wbs_sheet(sheet, frame, layout, extras.currency)

    _sheets.add_summary(book, layout, roles, extras)
    _sheets.add_roles(book, roles, extras)
    _sheets.add_traceability(book, frame, extras.requirements)
    _sheets.add_assumptions(book, extras.annotations)
    # Excel recomputes every formula on opening; openpyxl saves no results.
    book.calculation.fullCalcOnLoad = True
    book.save(path)
    log.debug("Wrote %d WBS rows to %s", len(frame), path)


def fill_wbs_sheet(
    sheet: Worksheet, frame: pd.DataFrame, layout: Layout, currency: str = ""
) -> None:
    """Fill an empty sheet with the WBS, its formulas and its outline."""
    _write_header(sheet, currency)

    records = frame.to_dict("records")
    codes = [record["code"] for record in records]
    children = _children_rows(codes)
    _warn_of_parent_estimates(records, children)
    styles = _Styles(sheet.parent)
    for row, record in enumerate(records, start=2):
        below = children.get(record["code"], [])
        _write_item(sheet, row, record, below, layout, styles)

    _finish_sheet(sheet, frame, last_row=len(frame) + 1)


def _write_header(sheet: Worksheet, currency: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    align = Alignment(vertical="center", wrap_text=True)
    for column, name in enumerate(SHEET_COLUMNS, start=1):
        label = LABELS[name]
        if name == "cost" and currency:
            label = f"Cost ({currency})"
        cell = sheet.cell(row=1, column=column, value=label)
        cell.font, cell.fill, cell.alignment = font, fill, align
    sheet.row_dimensions[1].height = 30


class _Styles:
    """Named cell styles, each made once on first use.

    A named style is one lookup per cell, where setting font, fill,
    alignment and number format one by one makes openpyxl hash each
    object again (about three times slower on a 10,000-row WBS).
    """

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: set[str] = set()

    def name_for(self, column: str, kind: str, level: int, parent: bool) -> str | None:
        """The style of a cell in `column` on a row of `kind`, None for none."""
        if column in SUMMED and (parent or column not in ESTIMATE_COLUMNS):
            # A leaf's own estimates are typed numbers; General shows them.
            part = "cost" if column == "cost" else "hours"
        elif column == "name":
            part = f"name {min(level - 1, 15)}"
        elif column in WRAPPED:
            part = "wrapped"
        elif kind in ROW_FILLS and column not in HIDDEN:
            part = "text"
        else:
            return None
        name = f"WBS {kind if kind in ROW_FILLS else 'item'} {part}"
        if name not in self.made:
            self.book.add_named_style(_named_style(name, kind, part))
            self.made.add(name)
        return name


def _named_style(name: str, kind: str, part: str) -> Any:
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

    style = NamedStyle(name=name)
    style.alignment = Alignment(
        vertical="top",
        wrap_text=part == "wrapped",
        indent=int(part.split()[1]) if part.startswith("name ") else 0,
    )
    if part in ("hours", "cost"):
        style.number_format = MONEY_FORMAT if part == "cost" else HOURS_FORMAT
    if kind in ROW_FILLS:
        style.font = Font(bold=True)
        style.fill = PatternFill("solid", fgColor=ROW_FILLS[kind])
    return style


def _write_item(
    sheet: Worksheet,
    row: int,
    record: dict[str, Any],
    children: list[int],
    layout: Layout,
    styles: _Styles,
) -> None:
    """Write the item's row, making only the cells that hold a value or a style."""
    level = record["code"].count(".") + 1
    kind, parent = record["kind"], bool(children)
    values = _formulas(row, children, layout) | {
        name: cell_text(record[name]) for name in WBS_COLUMNS if name not in SUMMED
    }
    if not children:
        for name in ESTIMATE_COLUMNS:
            value = record[name]
            values[name] = None if value != value else float(value)

    for column, name in enumerate(SHEET_COLUMNS, start=1):
        value, style = values.get(name), styles.name_for(name, kind, level, parent)
        if value is None and style is None:
            continue
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str) and name not in SUMMED and name not in HIDDEN:
            # openpyxl turns text that starts with "=" into a formula.
            cell.data_type = "s"
        if style is not None:
            cell.style = style
    sheet.row_dimensions[row].outline_level = min(level - 1, 7)


def _formulas(row: int, children: list[int], layout: Layout) -> dict[str, Any]:
    """The computed cells of one row: roll-up sums on a parent, PERT on a leaf."""
    letter = LETTERS
    if children:
        sums = {name: _sum_formula(letter[name], children) for name in SUMMED}
        return sums | {"leaf": 0}

    o, m, p = (f"{letter[name]}{row}" for name in ESTIMATE_COLUMNS)
    given = f"COUNT({o}:{p})=3"
    rate = f"VLOOKUP({letter['role']}{row},{layout.roles},2,FALSE)"
    expected, variance = (
        f"{letter['expected_hours']}{row}",
        f"{letter['variance']}{row}",
    )
    return {
        "expected_hours": f'=IF({given},({o}+4*{m}+{p})/6,"")',
        "cost": f'=IFERROR({expected}*{rate},"")',
        "leaf": 1,
        "variance": f'=IF({given},(({p}-{o})/6)^2,"")',
        "cost_variance": f'=IFERROR({variance}*{rate}^2,"")',
    }


def _sum_formula(letter: str, rows: list[int]) -> str:
    """``=SUM(E3:E9,E12)`` over the rows, adjacent rows as one range.

    Past Excel's 255 arguments the references are summed in groups.
    """
    runs, start = [], rows[0]
    for before, after in zip(rows, [*rows[1:], 0], strict=True):
        if after != before + 1:
            runs.append(
                f"{letter}{start}"
                if start == before
                else f"{letter}{start}:{letter}{before}"
            )
            start = after
    groups = [runs[i : i + ARGUMENT_LIMIT] for i in range(0, len(runs), ARGUMENT_LIMIT)]
    if len(groups) == 1:
        return f"=SUM({','.join(runs)})"
    return "=SUM(" + ",".join(f"SUM({','.join(group)})" for group in groups) + ")"


def _children_rows(codes: list[str]) -> dict[str, list[int]]:
    """The sheet rows of each code's children (the sheet starts at row 2)."""
    children: dict[str, list[int]] = {}
    for row, code in enumerate(codes, start=2):
        parent = code.rpartition(".")[0]
        if parent:
            children.setdefault(parent, []).append(row)
    for parent, rows in children.items():
        if len(_sum_formula("E", rows)) > FORMULA_LIMIT - 16:
            raise WBSError(
                f"Item {parent} has {len(rows)} children spread over the sheet, "
                "more than an Excel SUM formula can hold; group them under "
                "deliverables, or export to CSV."
            )
    return children


def _warn_of_parent_estimates(
    records: list[dict[str, Any]], children: dict[str, list[int]]
) -> None:
    """Say when a parent's own estimate gives way to its children's sum."""
    own = [
        record["code"]
        for record in records
        if record["code"] in children
        and any(record[name] == record[name] for name in ESTIMATE_COLUMNS)
    ]
    if own:
        log.warning(
            "Items %s have children and an estimate of their own; the workbook "
            "shows the sum of their children instead (the 100%% rule)",
            ", ".join(own[:5]),
        )


def _finish_sheet(sheet: Worksheet, frame: pd.DataFrame, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for name, letter in LETTERS.items():
        dimension = sheet.column_dimensions[letter]
        dimension.width = WIDTHS.get(name) or _fitting_width(frame, name)
        dimension.hidden = name in HIDDEN

    sheet.freeze_panes = "C2"
    last_shown = get_column_letter(len(SHEET_COLUMNS) - len(HIDDEN))
    sheet.auto_filter.ref = f"A1:{last_shown}{last_row}"
    sheet.sheet_properties.outlinePr.summaryBelow = False
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    kinds = DataValidation(type="list", formula1=f'"{",".join(ITEM_KINDS)}"')
    kinds.error = f"Use one of: {', '.join(ITEM_KINDS)}."
    sheet.add_data_validation(kinds)
    kinds.add(f"C2:C{max(last_row, 2) + 500}")


def _fitting_width(frame: pd.DataFrame, name: str) -> float:
    """Wide enough for the longest value (names count their indent), capped."""
    if name not in frame.columns:
        return len(LABELS[name]) + 4
    longest = max((len(str(v)) for v in frame[name]), default=0)
    if name == "name":
        longest += 2 * max((code.count(".") for code in frame["code"]), default=0)
    return min(max(longest + 2, len(LABELS[name]) + 4), 60)


def cell_text(value: Any) -> str | None:
    """Text for a string cell, None when empty; cut to what a cell holds."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value != value:
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return text or None
