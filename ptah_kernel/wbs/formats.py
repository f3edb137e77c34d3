"""Every file format a WBS goes to and comes from, behind two functions.

===========  ======  ======  ==============================================
format       write   read    what it is for
===========  ======  ======  ==============================================
xlsx         yes     yes     the client's workbook, live totals (`_workbook`)
csv          yes     yes     the stable table layout (`frame`)
json         yes     yes     the same fields for programs; lists stay lists
md           yes     no      a Markdown table to paste into an e-mail
mspdi        yes     yes     Microsoft Project XML, for Project, ProjectLibre
                             and GanttProject (`mspdi`)
===========  ======  ======  ==============================================

`read_wbs` tells the formats apart by their first bytes (a zip is a
workbook, "<" starts MSPDI, "{" or "[" starts JSON, anything else is CSV),
so a file with the wrong extension still comes in. Readers are pure: they
return checked items or raise WBSError, and change nothing.

The JSON file is an object: ``{"format": "ptah-wbs", "version": 1,
"project": ..., "currency": ..., "rates": {role: rate}, "items": [...]}``,
each item holding the CSV columns with `requirements` and `depends_on` as
lists of strings and hours as numbers or null. A bare list of items is
read too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs.frame import (
    MAX_ROWS,
    WBS_COLUMNS,
    item_values,
    outline_order,
    refuse_too_many_rows,
)
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMATS",
    "read_wbs",
    "read_wbs_json",
    "wbs_markdown",
    "write_wbs",
    "write_wbs_json",
]

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv", "json", "md", "mspdi")
_ALIASES = {"markdown": "md", "xml": "mspdi", "excel": "xlsx"}
_SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "md"}
_SUFFIXES |= {".xml": "mspdi", ".mspdi": "mspdi"}
JSON_FORMAT = "ptah-wbs"
# Markdown indents a name one em space per level below the top.
_INDENT = "\u2003"


def read_wbs(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[WorkItem]:
    """Items from a CSV, XLSX, JSON or MSPDI file, checked, in outline order."""
    from ptah_kernel.wbs.frame import read_wbs_csv, read_wbs_xlsx
    from ptah_kernel.wbs.mspdi import read_mspdi

    path = Path(path)
    readers = {
        "xlsx": read_wbs_xlsx,
        "mspdi": read_mspdi,
        "json": read_wbs_json,
        "csv": read_wbs_csv,
    }
    kind = _sniff(path)
    log.debug("Reading %s as %s", path, kind)
    return readers[kind](path, max_rows=max_rows)


def write_wbs(
    items: Iterable[WorkItem],
    path: str | Path,
    format: str | None = None,
    *,
    rates: Mapping[str, float] | None = None,
    currency: str | None = None,
    requirements: pd.DataFrame | None = None,
    annotations: pd.DataFrame | None = None,
    project_name: str | None = None,
) -> Path:
    """Write the items as `format` (xlsx, csv, json, md or mspdi) at `path`.

    Without `format`, the path's extension decides. `rates` ({role: hourly
    rate} in `currency`) price the workbook, the Markdown and the MSPDI
    resources; `requirements` (the project's requirements frame) and
    `annotations` (its annotations frame) fill the workbook's Traceability
    and Assumptions sheets.
    """
    from ptah_kernel.wbs.frame import write_wbs_csv, write_wbs_xlsx
    from ptah_kernel.wbs.mspdi import write_mspdi

    path, kind = Path(path), _format_of(format, Path(path))
    items = list(items)
    if kind == "xlsx":
        return write_wbs_xlsx(
            items,
            path,
            rates=rates,
            currency=currency,
            requirements=requirements,
            annotations=annotations,
            project_name=project_name,
        )
    if kind == "csv":
        return write_wbs_csv(items, path)
    if kind == "mspdi":
        return write_mspdi(
            items, path, rates=rates, currency=currency, project_name=project_name
        )
    if kind == "json":
        return write_wbs_json(
            items, path, rates=rates, currency=currency, project_name=project_name
        )
    text = wbs_markdown(
        items, rates=rates, currency=currency, project_name=project_name
    )
    path.write_text(text, encoding="utf-8")
    return path


def write_wbs_json(
    items: Iterable[WorkItem],
    path: str | Path,
    *,
    rates: Mapping[str, float] | None = None,
    currency: str | None = None,
    project_name: str | None = None,
) -> Path:
    """Write the items as JSON (see the module text), UTF-8, indented."""
    document = {
        "format": JSON_FORMAT,
        "version": 1,
        "project": project_name,
        "currency": currency,
        "rates": dict(rates or {}),
        "items": [item_values(item) for item in outline_order(items)],
    }
    path = Path(path)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def read_wbs_json(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[WorkItem]:
    """Read a JSON file written by `write_wbs_json` (or a bare list of items)."""
    import pandas as pd

    from ptah_kernel.wbs.frame import frame_to_items

    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeError, json.JSONDecodeError) as exc:
        raise WBSError(
            f"The file {describe_name(path.name)} is not readable JSON ({exc}); "
            "save it as UTF-8 JSON with an `items` list."
        ) from exc

    records = document.get("items") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise WBSError(
            f"The JSON file {describe_name(path.name)} has no `items` list; write "
            'an object like {"items": [{"code": "1", ...}]} or a list of items.'
        )
    refuse_too_many_rows(len(records), path.name, max_rows)
    for number, record in enumerate(records, start=1):
        _check_json_item(record, number, path.name)
    return frame_to_items(pd.DataFrame(records, columns=list(WBS_COLUMNS)))


def wbs_markdown(
    items: Iterable[WorkItem],
    *,
    rates: Mapping[str, float] | None = None,
    currency: str | None = None,
    project_name: str | None = None,
) -> str:
    """A Markdown table of the WBS for an e-mail: names indented, totals last.

    Parents show their children's summed expected hours (and cost with
    `rates`); leaves show their own O/M/P. Under the table: P50, P80, P90.
    """
    from ptah_kernel.wbs.estimates import confidence, roll_up, total
    from ptah_kernel.wbs.frame import items_to_frame

    items = outline_order(items)
    frame = items_to_frame(items)
    sums, totals = roll_up(frame, rates), total(frame, rates)
    money = f"Cost ({currency})" if currency else "Cost"
    header = ["Code", "Item", "Kind", "Role", "O (h)", "M (h)", "P (h)", "Expected (h)"]
    header += [money] if rates is not None else []
    parents = {item.parent_code for item in items}

    lines = [_title(project_name, len(items)), "", _table_row(header)]
    lines.append(_table_row(["---"] * 4 + ["--:"] * (len(header) - 4)))
    for item, summed in zip(items, sums.to_dict("records"), strict=True):
        lines.append(_table_row(_markdown_cells(item, summed, item.code in parents)))
    total_cells = [
        "",
        "**Total**",
        "",
        "",
        "",
        "",
        "",
        _hours(totals["expected_hours"]),
    ]
    if rates is not None:
        total_cells.append(_money(totals["cost"]))
    lines.append(_table_row(total_cells))

    levels = confidence(frame, rates=rates)
    shown = " · ".join(_level(label, row, currency) for label, row in levels.iterrows())
    lines += ["", f"{shown} (normal approximation of the total)."]
    return "\n".join(lines) + "\n"


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError as exc:
        raise WBSError(
            f"Ptah cannot open {describe_name(str(path))} ({exc.strerror}); check "
            "the path."
        ) from exc

    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "mspdi"
    if text.startswith((b"{", b"[")):
        return "json"
    if path.suffix.lower() == ".md":
        raise WBSError(
            f"{describe_name(path.name)} is Markdown, which Ptah writes for e-mail "
            "but cannot read back; import the CSV, XLSX, JSON or MSPDI file."
        )
    return "csv"


def _format_of(format: str | None, path: Path) -> str:
    name = (format or _SUFFIXES.get(path.suffix.lower(), "")).strip().lower()
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        shown = describe_name(format) if format else f"the extension of {path.name!r}"
        raise WBSError(
            f"Ptah cannot tell the format from {shown}; use one of "
            f"{', '.join(FORMATS)}."
        )
    return name


def _check_json_item(record: Any, number: int, file_name: str) -> None:
    if not isinstance(record, dict):
        raise WBSError(
            f"Item {number} of {describe_name(file_name)} is "
            f"{type(record).__name__}, not an object; write each item as "
            '{"code": ..., "name": ..., "kind": ...}.'
        )
    unknown = [key for key in record if key not in WBS_COLUMNS]
    if unknown:
        raise WBSError(
            f"Item {number} of {describe_name(file_name)} has the key "
            f"{describe_name(str(unknown[0]))}, which is not a WBS field; use "
            f"{', '.join(WBS_COLUMNS)}."
        )
    for key in ("optimistic_hours", "most_likely_hours", "pessimistic_hours"):
        if isinstance(record.get(key), bool):
            raise WBSError(
                f"Item {number} of {describe_name(file_name)} has {record[key]} as "
                f"{key.replace('_', ' ')}; write a number of hours or null."
            )


def _title(project_name: str | None, count: int) -> str:
    name = f" of {_escape(project_name)}" if project_name else ""
    return f"**WBS{name}** ({count} items)"


def _markdown_cells(item: WorkItem, summed: dict[str, Any], parent: bool) -> list[str]:
    name = _INDENT * (item.level - 1) + _escape(item.name)
    estimates = [item.optimistic_hours, item.most_likely_hours, item.pessimistic_hours]
    expected = summed["expected_hours"] if summed["estimated"] else None
    cells = [
        item.code,
        f"**{name.strip()}**" if parent and item.level == 1 else name,
        item.kind,
        _escape(item.role),
        *(("", "", "") if parent else (_hours(value) for value in estimates)),
        _hours(expected),
    ]
    if "cost" in summed:
        priced = expected is not None and not (summed["unpriced"] and not parent)
        cells.append(_money(summed["cost"]) if priced else "")
    return cells


def _level(label: str, row: Any, currency: str | None) -> str:
    cost = f", {_money(row.cost)} {currency or ''}".rstrip() if "cost" in row else ""
    return f"{label} {_hours(row.hours)} h{cost}"


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _escape(text: str | None) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _hours(value: float | None) -> str:
    return "" if value is None or value != value else f"{value:,.1f}"


def _money(value: float) -> str:
    return f"{value:,.2f}"
