"""Reading the client workbook's WBS sheet back into the table layout.

Numbers typed on leaves come back as estimates and text as it is. A
formula in an estimate cell of a parent is the roll-up and is skipped: a
parent's hours are its children's. A formula on a leaf's hours (a client
typing ``=2*8``) is taken at the result Excel saved for it. The computed
columns (expected hours, cost and the hidden helpers) are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs._workbook import COMPUTED, LABELS, SHEET
from ptah_kernel.wbs.frame import (
    ESTIMATE_COLUMNS,
    check_columns,
    column_name,
    refuse_too_many_rows,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_workbook"]


def read_workbook(path: Path, max_rows: int) -> pd.DataFrame:
    """The "WBS" sheet as a frame in the stable layout, roll-up formulas skipped.

    Raises WBSError without a WBS sheet, with more than `max_rows` items, an
    unknown column, or a formula on a leaf's hours that has no saved result.
    """
    import pandas as pd

    rows, formulas = _sheet_rows(path, max_rows)
    columns = [_column_of(label) for label in rows[0]] if rows else []
    frame = pd.DataFrame(rows[1:], columns=columns, dtype=object)
    check_columns(frame, path.name, also=COMPUTED)
    keep = [name for name in frame.columns if name not in COMPUTED]

    estimates = [i for i, name in enumerate(columns) if name in ESTIMATE_COLUMNS]
    formulas = [(row, column) for row, column in formulas if column in estimates]
    if formulas:
        _replace_formulas(frame, formulas, path)
    return frame[keep]


def _sheet_rows(
    path: Path, max_rows: int
) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """The WBS sheet's non-empty rows, and the (body row, column) of each formula."""
    book = _open(path)
    try:
        if SHEET not in book.sheetnames:
            raise WBSError(
                f"The workbook {describe_name(path.name)} has no sheet named "
                f"{SHEET!r}; write it with `write_wbs_xlsx` or rename the sheet."
            )
        sheet = book[SHEET]
        rows: list[list[Any]] = []
        formulas: list[tuple[int, int]] = []
        for cells in sheet.iter_rows():
            values = [cell.value for cell in cells]
            if not any(value not in (None, "") for value in values):
                continue
            for column, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.append((len(rows) - 1, column))
            rows.append(values)
            refuse_too_many_rows(len(rows) - 1, path.name, max_rows)
    finally:
        book.close()
    return rows, formulas


def _open(path: Path, *, data_only: bool = False) -> Any:
    import io
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # From bytes, so a workbook saved under another extension still opens.
        data = io.BytesIO(path.read_bytes())
        return load_workbook(data, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise WBSError(
            f"The file {describe_name(path.name)} cannot be read as an Excel "
            f"workbook ({exc}); save it from Excel as .xlsx and import it again."
        ) from exc


def _replace_formulas(
    frame: pd.DataFrame, formulas: list[tuple[int, int]], path: Path
) -> None:
    """Empty the roll-up sums on parents; take a leaf formula's saved result."""
    codes = [str(code or "").strip() for code in frame["code"]]
    parents = {code.rpartition(".")[0] for code in codes}
    on_leaves = [(row, col) for row, col in formulas if codes[row] not in parents]
    for row, column in formulas:
        frame.iat[row, column] = None
    if not on_leaves:
        return

    saved = _saved_results(path, {row for row, _ in on_leaves})
    for row, column in on_leaves:
        value = saved[row][column] if column < len(saved[row]) else None
        if not isinstance(value, int | float):
            label = frame.columns[column].removesuffix("_hours").replace("_", " ")
            raise WBSError(
                f"Row {row + 2} of the WBS has a formula as {label} hours and no "
                "saved result; type the number of hours, or open and save the "
                "workbook in Excel first."
            )
        frame.iat[row, column] = value


def _saved_results(path: Path, wanted: set[int]) -> dict[int, list[Any]]:
    """The values Excel saved for some body rows (counted like `_sheet_rows`)."""
    book = _open(path, data_only=True)
    try:
        found, body_row = {}, -1
        for values in book[SHEET].iter_rows(values_only=True):
            if not any(value not in (None, "") for value in values):
                continue
            if body_row in wanted:
                found[body_row] = list(values)
            body_row += 1
    finally:
        book.close()
    return found


def _column_of(label: Any) -> str:
    text = str(label or "").strip()
    for name, shown in LABELS.items():
        if text in (name, shown) or (name == "cost" and text.startswith("Cost (")):
            return name
    return column_name(text)
