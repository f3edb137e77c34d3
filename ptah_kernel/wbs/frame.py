"""The WBS as a table: a DataFrame, a CSV file, an Excel workbook, and back.

The CSV layout is stable: a header, then one row per item in outline order,
UTF-8 (Ptah writes a byte-order mark so Excel reads accents right)::

    code, name, kind, role, optimistic_hours, most_likely_hours,
    pessimistic_hours, depends_on, requirements, description, status, notes

==================  =========================================================
column              what it holds
==================  =========================================================
code                the outline number: whole numbers from 1 joined by dots
                    (1, 1.2, 1.2.3); every parent code must have its own row.
                    Keep it text: a spreadsheet that reads 1.10 as a number
                    turns it into 1.1.
name                what the item delivers; required.
kind                phase, deliverable or work package (any case; "_" or "-"
                    for the space are accepted).
role                who does the work (analyst, developer, ...); the rate
                    table prices hours by role.
optimistic_hours,   the three-point estimate in working hours: numbers of
most_likely_hours,  zero or more, or empty while unknown. Parents are left
pessimistic_hours   empty: their totals are the sum of their children.
depends_on          predecessors separated by ";". Each is a code, then a
                    link type FS, SS, FF or SF (FS when left out), then an
                    optional lag (+) or lead (-) in working hours (h) or
                    working days (d): ``1.2``, ``1.2FS+2d``, ``1.3SS-4h``.
                    Every code must be in the file, and the links must not
                    go round in a cycle.
requirements        requirement ids the item covers, separated by ";".
description         free text: the scope, often quoted from the client's
                    document.
status              "needs review" after a new document version, else empty.
notes               the analyst's notes.
==================  =========================================================

For example::

    code,name,kind,role,optimistic_hours,most_likely_hours,pessimistic_hours,depends_on
    1,Ordering,phase,,,,,
    1.1,Order history,work package,developer,4,6,14,
    1.2,Test the history,work package,tester,2,3,4,1.1FS+2d

Only `code`, `name` and `kind` are required; a column may be left out, but
a column Ptah does not know is refused, so a misspelt header never drops
data silently. Headers may also be written as a spreadsheet shows them
(`Most likely hours`). The reader takes "," or, as Excel saves CSV in many
European locales, ";" between fields. Text that a spreadsheet would run
as a formula (starting with =, +, -, @ or a quote) is written with a
leading quote, which the reader takes off. Files of more than `MAX_ROWS`
rows are refused before any item is built; pass `max_rows` to read a
larger one.
"""

from __future__ import annotations

import logging
import math
import numbers
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs.model import ITEM_KINDS, ItemKind, WorkItem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

__all__ = [
    "ESTIMATE_COLUMNS",
    "MAX_ROWS",
    "WBS_COLUMNS",
    "check_columns",
    "column_name",
    "frame_to_items",
    "items_to_frame",
    "outline_order",
    "read_wbs_csv",
    "read_wbs_xlsx",
    "refuse_too_many_rows",
    "write_wbs_csv",
    "write_wbs_xlsx",
]

log = logging.getLogger(__name__)

ESTIMATE_COLUMNS = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")
WBS_COLUMNS = (
    *("code", "name", "kind", "role"),
    *ESTIMATE_COLUMNS,
    *("depends_on", "requirements", "description", "status", "notes"),
)
TEXT_COLUMNS: tuple[str, ...] = ("name", "role", "depends_on", "requirements")
TEXT_COLUMNS += ("description", "status", "notes")
REQUIRED_COLUMNS = ("code", "name", "kind")
REQUIREMENT_SEPARATOR = ";"
DEPENDENCY_SEPARATOR = ";"
MAX_ROWS = 200_000

_CODE = re.compile(r"[1-9][0-9]*(?:\.[1-9][0-9]*)*")

# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"). The CSV writer puts a quote before such text and
# before text that starts with a quote, and the reader takes one quote off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def items_to_frame(items: Iterable[WorkItem]) -> pd.DataFrame:
    """The items as a DataFrame in the stable layout, in the order given.

    Estimates are floats (NaN when not given); the other columns are text,
    `requirements` and `depends_on` joined by ";".
    """
    import pandas as pd

    rows = [_row_of(item) for item in items]
    frame = pd.DataFrame(rows, columns=list(WBS_COLUMNS))
    return frame.astype({name: "float64" for name in ESTIMATE_COLUMNS})


def frame_to_items(frame: pd.DataFrame, *, first_row: int = 1) -> list[WorkItem]:
    """Items from a DataFrame in the stable layout, checked, in outline order.

    `code`, `name` and `kind` are required columns; the others may be
    missing. Codes must be text (`1.10` read as a number becomes `1.1`),
    unique, and every parent code must be present. Kinds are phase,
    deliverable or work package, in any case. Hours are empty or numbers
    of zero or more. Dependencies must be readable, name codes of the
    table and form no cycle; they come back in canonical form (`1.2fs`
    becomes `1.2`). Raises WBSError naming the first bad row; rows are
    numbered from `first_row` (the file readers pass 2, the line a
    spreadsheet shows under its header).
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise WBSError(
            f"The WBS table has no {', '.join(missing)} column. Its header "
            f"needs at least {', '.join(REQUIRED_COLUMNS)}; see `WBS_COLUMNS`."
        )

    records = frame.reindex(columns=list(WBS_COLUMNS)).to_dict("records")
    items: list[WorkItem] = []
    rows_by_code: dict[str, int] = {}
    for number, record in enumerate(records, start=first_row):
        item = _item_of(record, number)
        if item.code in rows_by_code:
            raise _row_error(
                number,
                f"repeats the code {describe_name(item.code)} of row "
                f"{rows_by_code[item.code]}; give each item its own code.",
            )
        rows_by_code[item.code] = number
        items.append(item)

    _check_parents(items, rows_by_code)
    _check_links(items, rows_by_code)
    return sorted(items, key=_outline_key)


def outline_order(items: Iterable[WorkItem]) -> list[WorkItem]:
    """The items sorted by code as numbers: 1, 1.2, 1.10, 2."""
    return sorted(items, key=_outline_key)


def check_columns(
    frame: pd.DataFrame, file_name: str, *, also: Iterable[str] = ()
) -> None:
    """Refuse a table with a column that is not in `WBS_COLUMNS` (nor `also`).

    A misspelt header (`optimistic`, `depends on`) would otherwise drop its
    column's data without a word.
    """
    known = {*WBS_COLUMNS, *also}
    for number, name in enumerate(frame.columns, start=1):
        if name not in known:
            raise WBSError(
                f"Column {number} of {describe_name(file_name)} is "
                f"{describe_name(str(name))}, which is not a WBS column; rename "
                f"it to one of {', '.join(WBS_COLUMNS)} or remove it."
            )


def column_name(label: Any) -> str:
    """A header cell as a WBS column name: `Most likely hours` → `most_likely_hours`."""
    text = str(label if label is not None else "").strip()
    snake = "_".join(text.lower().replace("-", " ").split())
    return snake if snake in WBS_COLUMNS else text


def refuse_too_many_rows(rows: int, file_name: str, max_rows: int) -> None:
    """Refuse a file of more than `max_rows` items, before any item is built."""
    if rows > max_rows:
        raise WBSError(
            f"The WBS file {describe_name(file_name)} has more than {max_rows:,} "
            f"rows; the limit is {max_rows:,}. Split the WBS, or pass a larger "
            "`max_rows` to read it."
        )


def write_wbs_csv(items: Iterable[WorkItem], path: str | Path) -> Path:
    """Write the items as CSV in the stable layout, UTF-8 with a BOM for Excel."""
    path = Path(path)
    frame = items_to_frame(items)
    for name in TEXT_COLUMNS:
        frame[name] = frame[name].map(_guard_formula)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_wbs_csv(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[WorkItem]:
    """Read a CSV in the stable layout (written by `write_wbs_csv`), checked.

    Reads at most `max_rows` + 1 rows, so a huge file is refused quickly.
    """
    import pandas as pd

    path = Path(path)
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            nrows=max_rows + 1,
            sep=_separator(path),
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise WBSError(
            f"The file {describe_name(path.name)} cannot be read as a WBS CSV "
            f"({exc}); save it as CSV, UTF-8, with the header of `WBS_COLUMNS`."
        ) from exc

    refuse_too_many_rows(len(frame), path.name, max_rows)
    frame.columns = [column_name(label) for label in frame.columns]
    check_columns(frame, path.name)
    for name in TEXT_COLUMNS:
        if name in frame.columns:
            frame[name] = frame[name].map(_unguard_formula)
    return frame_to_items(frame, first_row=2)


def _separator(path: Path) -> str:
    """The header's separator: Excel in many European locales saves CSV with ";"."""
    with path.open("rb") as file:
        header = file.readline(65_536)
    return max((b",", b";", b"\t"), key=header.count).decode()


def write_wbs_xlsx(
    items: Iterable[WorkItem],
    path: str | Path,
    *,
    rates: Mapping[str, float] | None = None,
    currency: str | None = None,
    requirements: pd.DataFrame | None = None,
    annotations: pd.DataFrame | None = None,
    project_name: str | None = None,
) -> Path:
    """Write the items as the client's Excel workbook; see `_workbook`.

    Sheets: WBS (live roll-up formulas), Summary (P50/P80/P90, cost per
    role), Roles (the rates the costs look up), Traceability and
    Assumptions. `rates` is {role: hourly rate} in `currency`.
    """
    from ptah_kernel.wbs import _workbook

    path = Path(path)
    extras = _workbook.Extras(
        rates=dict(rates or {}),
        currency=currency or "",
        requirements=requirements,
        annotations=annotations,
        project_name=project_name or "",
    )
    _workbook.write_workbook(items_to_frame(outline_order(items)), path, extras)
    return path


def read_wbs_xlsx(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[WorkItem]:
    """Read the "WBS" sheet of a workbook written by `write_wbs_xlsx`, checked.

    Roll-up formulas are skipped: a parent's hours are its children's.
    """
    from ptah_kernel.wbs._workbook_reader import read_workbook

    return frame_to_items(read_workbook(Path(path), max_rows), first_row=2)


def item_values(item: WorkItem) -> dict[str, Any]:
    """An item's fields in the stable column order, lists kept as lists."""
    return {
        column: list(value) if isinstance(value, list) else value
        for column in WBS_COLUMNS
        for value in [getattr(item, column)]
    }


def _row_of(item: WorkItem) -> dict[str, Any]:
    row = item_values(item)
    row["depends_on"] = DEPENDENCY_SEPARATOR.join(item.depends_on)
    row["requirements"] = REQUIREMENT_SEPARATOR.join(item.requirements)
    return row


def _item_of(record: dict[str, Any], number: int) -> WorkItem:
    code = _code_of(record["code"], number)
    name = _text(record["name"])
    if not name:
        raise _row_error(number, f"(code {code}) has no name; give the item one.")

    hours = {
        column: _hours(record[column], column, number) for column in ESTIMATE_COLUMNS
    }
    return WorkItem(
        code=code,
        name=name,
        kind=_kind_of(record["kind"], number),
        requirements=_requirement_ids(record["requirements"]),
        description=_text(record["description"]),
        role=_text(record["role"]),
        status=_text(record["status"]),
        notes=_text(record["notes"]),
        depends_on=_dependencies(record["depends_on"], code, number),
        **hours,
    )


def _code_of(value: Any, number: int) -> str:
    if isinstance(value, float) and not math.isnan(value):
        raise _row_error(
            number,
            f"has the code {value!r} as a number, which loses trailing zeros "
            "(1.10 reads as 1.1). Read the file with `read_wbs_csv` or "
            "`read_wbs_xlsx`, or pass dtype=str to pandas.",
        )
    code = str(value) if isinstance(value, numbers.Integral) else _text(value)
    if not _CODE.fullmatch(code):
        raise _row_error(
            number,
            f"has the code {describe_name(code)}; a code is whole numbers from 1 "
            "joined by dots, such as 1, 1.2 or 1.2.3.",
        )
    return code


def _kind_of(value: Any, number: int) -> ItemKind:
    words = _text(value).lower().replace("_", " ").replace("-", " ").split()
    for kind in ITEM_KINDS:
        if kind == " ".join(words):
            return kind

    raise _row_error(
        number,
        f"has the kind {describe_name(_text(value))}; use one of "
        f"{', '.join(ITEM_KINDS)}.",
    )


def _hours(value: Any, column: str, number: int) -> float | None:
    label = column.removesuffix("_hours").replace("_", " ")
    if _is_empty(value):
        return None
    try:
        hours = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        hours = math.nan
    if math.isnan(hours) or math.isinf(hours) or hours < 0:
        raise _row_error(
            number,
            f"has {describe_name(str(value))} as {label} hours; write a number "
            "of hours, zero or more, or leave the cell empty.",
        )
    return hours


def _requirement_ids(value: Any) -> list[str]:
    return _parts(value, REQUIREMENT_SEPARATOR)


def _dependencies(value: Any, code: str, number: int) -> list[str]:
    """The `depends_on` entries of one row, each checked and made canonical."""
    from ptah_kernel.wbs.links import ACCEPTED_FORM, format_link, parse_link

    entries = []
    for entry in _parts(value, DEPENDENCY_SEPARATOR):
        try:
            link = parse_link(entry, code)
        except WBSError as exc:
            raise _row_error(
                number,
                f"(item {code}) has the dependency {describe_name(entry)}; "
                f"{ACCEPTED_FORM}.",
            ) from exc
        entries.append(format_link(link))
    return entries


def _parts(value: Any, separator: str) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [str(part) for part in value]
    else:
        parts = _text(value).split(separator)
    return [part.strip() for part in parts if part.strip()]


def _check_parents(items: list[WorkItem], rows_by_code: dict[str, int]) -> None:
    for item in items:
        parent = item.parent_code
        if parent is not None and parent not in rows_by_code:
            raise _row_error(
                rows_by_code[item.code],
                f"has the code {item.code} but no row has its parent code "
                f"{parent}; add the parent or renumber the item.",
            )


def _check_links(items: list[WorkItem], rows_by_code: dict[str, int]) -> None:
    """Refuse a dependency on a code no row has, then a dependency cycle."""
    import numpy as np

    from ptah_kernel.wbs.links import find_cycles, parse_link, topological_order

    position = {item.code: row for row, item in enumerate(items)}
    predecessors, successors = [], []
    for row, item in enumerate(items):
        for entry in item.depends_on:
            code = parse_link(entry, item.code).predecessor
            if code not in position:
                raise _row_error(
                    rows_by_code[item.code],
                    f"(item {item.code}) depends on {code}, which no row has; "
                    "correct the code or remove the dependency.",
                )
            predecessors.append(position[code])
            successors.append(row)
    if not predecessors:
        return

    predecessor = np.array(predecessors, dtype=np.int64)
    successor = np.array(successors, dtype=np.int64)
    _, left_over = topological_order(len(items), predecessor, successor)
    if left_over.any():
        cycle = find_cycles(left_over, predecessor, successor)[0]
        codes = [items[row].code for row in cycle]
        raise _row_error(
            rows_by_code[codes[0]],
            f"(item {codes[0]}) is in a dependency cycle, {' → '.join(codes)}; "
            "remove one of these dependencies.",
        )


def _outline_key(item: WorkItem) -> tuple[int, ...]:
    return tuple(int(part) for part in item.code.split("."))


def _row_error(number: int, problem: str) -> WBSError:
    return WBSError(f"Row {number} of the WBS {problem}")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def _text(value: Any) -> str:
    return "" if _is_empty(value) else str(value).strip()


def _guard_formula(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unguard_formula(text: str) -> str:
    return text[1:] if text.startswith("'") else text
