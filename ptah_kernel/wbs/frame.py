"""The WBS as a table: a DataFrame, a CSV file, an Excel workbook, and back.

The layout is stable, one row per item in outline order, so a file an
analyst or a client edits can come back in::

    code, name, kind, role, optimistic_hours, most_likely_hours,
    pessimistic_hours, depends_on, requirements, description, status, notes

`requirements` holds requirement ids joined by ";". Hours are numbers or
empty. `depends_on` is written empty: dependencies are not modelled yet.
`status` ("needs review" after a new document version) and `notes` come
last, so the first ten columns stay where they always were.
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
    from collections.abc import Iterable

    import pandas as pd

__all__ = [
    "ESTIMATE_COLUMNS",
    "WBS_COLUMNS",
    "frame_to_items",
    "items_to_frame",
    "read_wbs_csv",
    "read_wbs_xlsx",
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
TEXT_COLUMNS = ("name", "role", "depends_on", "requirements", "description")
TEXT_COLUMNS += ("status", "notes")
REQUIRED_COLUMNS = ("code", "name", "kind")
REQUIREMENT_SEPARATOR = ";"

_CODE = re.compile(r"[1-9][0-9]*(?:\.[1-9][0-9]*)*")

# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"). The CSV writer puts a quote before such text and
# before text that starts with a quote, and the reader takes one quote off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def items_to_frame(items: Iterable[WorkItem]) -> pd.DataFrame:
    """The items as a DataFrame in the stable layout, in the order given.

    Estimates are floats (NaN when not given); the other columns are text.
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
    of zero or more. Raises WBSError naming the first bad row; rows are
    numbered from `first_row` (the file readers pass 2, the line a
    spreadsheet shows under its header).
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise WBSError(
            f"The WBS table has no {', '.join(missing)} column. Its header "
            f"needs at least {', '.join(REQUIRED_COLUMNS)}; see `WBS_COLUMNS`."
        )

    ignored = _has_dependencies(frame)
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
    if ignored:
        log.warning("The WBS table has dependencies; they are not kept yet")
    return sorted(items, key=_outline_key)


def write_wbs_csv(items: Iterable[WorkItem], path: str | Path) -> Path:
    """Write the items as CSV in the stable layout, UTF-8 with a BOM for Excel."""
    path = Path(path)
    frame = items_to_frame(items)
    for name in TEXT_COLUMNS:
        frame[name] = frame[name].map(_guard_formula)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_wbs_csv(path: str | Path) -> list[WorkItem]:
    """Read a CSV written by `write_wbs_csv` (and edited since), checked."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for name in TEXT_COLUMNS:
        if name in frame.columns:
            frame[name] = frame[name].map(_unguard_formula)
    return frame_to_items(frame, first_row=2)


def write_wbs_xlsx(items: Iterable[WorkItem], path: str | Path) -> Path:
    """Write the items as an Excel workbook with a "WBS" sheet; see `_workbook`."""
    from ptah_kernel.wbs import _workbook

    path = Path(path)
    _workbook.write_workbook(items_to_frame(items), path)
    return path


def read_wbs_xlsx(path: str | Path) -> list[WorkItem]:
    """Read the "WBS" sheet of a workbook written by `write_wbs_xlsx`, checked."""
    from ptah_kernel.wbs import _workbook

    return frame_to_items(_workbook.read_workbook(Path(path)), first_row=2)


def _row_of(item: WorkItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "role": item.role,
        "optimistic_hours": item.optimistic_hours,
        "most_likely_hours": item.most_likely_hours,
        "pessimistic_hours": item.pessimistic_hours,
        "depends_on": "",
        "requirements": REQUIREMENT_SEPARATOR.join(item.requirements),
        "description": item.description,
        "status": item.status,
        "notes": item.notes,
    }


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
    if isinstance(value, list | tuple):
        return [str(part).strip() for part in value if str(part).strip()]
    parts = _text(value).split(REQUIREMENT_SEPARATOR)
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


def _has_dependencies(frame: pd.DataFrame) -> bool:
    if "depends_on" not in frame.columns:
        return False
    return any(not _is_empty(value) for value in frame["depends_on"])


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
