"""The WBS as an Excel workbook a client opens: one styled, outlined sheet.

The "WBS" sheet has a styled header (frozen, with filters), one row per
item, rows grouped by depth so Excel's outline buttons fold phases and
deliverables, names indented by level, and a list check on the kind.
Every text goes in as a string cell, so a requirement that starts with
"=" is never run as a formula.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs.frame import ESTIMATE_COLUMNS, WBS_COLUMNS
from ptah_kernel.wbs.model import ITEM_KINDS

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEET", "read_workbook", "write_workbook"]

log = logging.getLogger(__name__)

SHEET = "WBS"
LABELS = {
    "code": "Code",
    "name": "Name",
    "kind": "Kind",
    "role": "Role",
    "optimistic_hours": "Optimistic (h)",
    "most_likely_hours": "Most likely (h)",
    "pessimistic_hours": "Pessimistic (h)",
    "depends_on": "Depends on",
    "requirements": "Requirements",
    "description": "Description",
    "status": "Status",
    "notes": "Notes",
}
WIDTHS = {"kind": 14, "role": 14, "depends_on": 12, "description": 80, "notes": 40}
WIDTHS |= dict.fromkeys(ESTIMATE_COLUMNS, 14)
HOURS_FORMAT = "#,##0.0"

# Excel keeps at most 32,767 characters in a cell.
CELL_LIMIT = 32_767

HEADER_FILL = "1F3864"
PHASE_FILL = "D9E2F3"
DELIVERABLE_FILL = "EEF3FA"


def write_workbook(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame in the stable WBS layout as a workbook at `path`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    fill_wbs_sheet(sheet, frame)
    # Roll-up formulas and summary sheets belong here, after the WBS sheet:
    # `fill_wbs_sheet` returns the row of every code for them to refer to.
    book.save(path)
    log.debug("Wrote %d WBS rows to %s", len(frame), path)


def fill_wbs_sheet(sheet: Worksheet, frame: pd.DataFrame) -> dict[str, int]:
    """Fill an empty sheet with the WBS; return the sheet row of each code."""
    _write_header(sheet)

    rows = {}
    for row, record in enumerate(frame.to_dict("records"), start=2):
        _write_item(sheet, row, record)
        rows[record["code"]] = row

    _finish_sheet(sheet, frame, last_row=len(frame) + 1)
    return rows


def read_workbook(path: Path) -> pd.DataFrame:
    """The "WBS" sheet as a frame in the stable layout (values as Excel has them)."""
    import pandas as pd
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in book.sheetnames:
            raise WBSError(
                f"The workbook {describe_name(path.name)} has no sheet named "
                f"{SHEET!r}; write it with `write_wbs_xlsx` or rename the sheet."
            )
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()

    columns = [_column_of(label) for label in rows[0]] if rows else []
    body = [row for row in rows[1:] if any(v not in (None, "") for v in row)]
    return pd.DataFrame(body, columns=columns, dtype=object)


def _write_header(sheet: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    align = Alignment(vertical="center", wrap_text=True)
    for column, name in enumerate(WBS_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=LABELS[name])
        cell.font, cell.fill, cell.alignment = font, fill, align
    sheet.row_dimensions[1].height = 30


def _write_item(sheet: Worksheet, row: int, record: dict[str, Any]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    level = record["code"].count(".") + 1
    for column, name in enumerate(WBS_COLUMNS, start=1):
        cell = sheet.cell(row=row, column=column)
        value = record[name]
        if name in ESTIMATE_COLUMNS:
            cell.value = None if value != value else float(value)
            cell.number_format = HOURS_FORMAT
        else:
            _put_text(cell, value)
        cell.alignment = Alignment(
            vertical="top",
            wrap_text=name in ("description", "notes"),
            indent=level - 1 if name == "name" else 0,
        )

    sheet.row_dimensions[row].outline_level = level - 1
    fill = {"phase": PHASE_FILL, "deliverable": DELIVERABLE_FILL}.get(record["kind"])
    if fill:
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=fill)


def _put_text(cell: Any, value: Any) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    cell.value = text
    # openpyxl turns text that starts with "=" into a formula; text stays text.
    cell.data_type = "s"


def _finish_sheet(sheet: Worksheet, frame: pd.DataFrame, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for column, name in enumerate(WBS_COLUMNS, start=1):
        width = WIDTHS.get(name) or _fitting_width(frame, name)
        sheet.column_dimensions[get_column_letter(column)].width = width

    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WBS_COLUMNS))}{last_row}"
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
    longest = max((len(str(v)) for v in frame[name]), default=0)
    if name == "name":
        longest += 2 * max((code.count(".") for code in frame["code"]), default=0)
    return min(max(longest + 2, len(LABELS[name]) + 4), 60)


def _column_of(label: Any) -> str:
    text = str(label or "").strip()
    for name, shown in LABELS.items():
        if text in (name, shown):
            return name
    return text
