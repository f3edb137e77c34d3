"""XLSX: one table per sheet, trimmed to the cells that hold values.

openpyxl reads in read-only mode (near-constant memory) with the cached
values of formulas. Read-only mode trusts the sheet's stated `<dimension>`,
which can be wrong (the 18F pricing template declares A1:Z1001), so the
dimensions are reset and the used range is found from the cells. It also
hides merged ranges, so `mergeCell` elements are read from the sheet XML
and each range's value is given to all its cells. openpyxl parses with
defusedxml when it is installed, which refuses entity declarations.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from typing import Any

from ptah_kernel.documents import _ooxml, _refusals
from ptah_kernel.documents.content import Block, DocumentContent, Table
from ptah_kernel.settings import ReaderLimits

logger = logging.getLogger(__name__)

KIND = "Excel"
MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\""
)
PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def read_xlsx(data: bytes, filename: str, limits: ReaderLimits) -> DocumentContent:
    """Read a workbook into one table block per sheet, anchored `Sheet!A1`."""
    archive = _ooxml.open_package(data, filename, limits, KIND)
    parts = _sheet_parts(archive, filename)
    workbook = _load(data, filename)
    try:
        blocks, hidden = _sheet_blocks(workbook, archive, parts, filename, limits)
        properties = workbook.properties
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    return DocumentContent(
        "xlsx",
        blocks,
        title=properties.title or None,
        author=properties.creator or None,
        metadata={"sheets": names, "hidden sheets": hidden},
    )


def _load(data: bytes, filename: str) -> Any:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DefusedXmlException as exc:
        raise _refusals.unsafe(filename, "it declares XML entities") from exc
    except (*_ooxml.ZIP_ERRORS, KeyError, TypeError, SyntaxError) as exc:
        # openpyxl wraps the parser's refusal in a ValueError.
        if isinstance(exc.__cause__ or exc.__context__, DefusedXmlException):
            raise _refusals.unsafe(filename, "it declares XML entities") from exc
        raise _refusals.corrupt(filename, KIND, type(exc).__name__) from exc
    except Exception as exc:
        if type(exc).__name__ in (
            "InvalidFileException",
            "XMLSyntaxError",
            "ParseError",
        ):
            raise _refusals.corrupt(filename, KIND, "openpyxl cannot parse it") from exc
        raise


def _sheet_blocks(
    workbook: Any,
    archive: zipfile.ZipFile,
    parts: dict[str, str],
    filename: str,
    limits: ReaderLimits,
) -> tuple[list[Block], list[str]]:
    from defusedxml import DefusedXmlException

    blocks, hidden, totals = [], [], [0, 0]
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            hidden.append(sheet.title)
        try:
            rows = _used_rows(sheet, filename, limits, totals)
        except DefusedXmlException as exc:
            raise _refusals.unsafe(filename, "it declares XML entities") from exc
        except (*_ooxml.ZIP_ERRORS, SyntaxError, KeyError, TypeError) as exc:
            detail = f"sheet {sheet.title!r} cannot be read"
            raise _refusals.corrupt(filename, KIND, detail) from exc
        merges = _merges(archive, parts.get(sheet.title), filename)
        block = sheet_block(sheet.title, rows, merges)
        if block is not None:
            blocks.append(block)
    return blocks, hidden


def _used_rows(
    sheet: Any, filename: str, limits: ReaderLimits, totals: list[int]
) -> dict[int, list[Any]]:
    sheet.reset_dimensions()
    rows: dict[int, list[Any]] = {}
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        filled = sum(1 for value in values if value is not None and value != "")
        if not filled:
            continue
        rows[number] = list(values)
        totals[0] += 1
        totals[1] += filled
        if totals[0] > limits.max_rows:
            raise _refusals.too_large(
                filename, "The number of rows", totals[0], limits.max_rows, "max_rows"
            )
        if totals[1] > limits.max_cells:
            raise _refusals.too_large(
                filename,
                "The number of cells",
                totals[1],
                limits.max_cells,
                "max_cells",
            )
    return rows


def sheet_block(
    title: str, rows: dict[int, list[Any]], merges: list[tuple[int, int, int, int]]
) -> Block | None:
    """The sheet's table: merged values spread, blank rows and columns cut."""
    grid = {number: [cell_text(v) for v in values] for number, values in rows.items()}
    _spread_merges(grid, merges)
    used_rows = sorted(n for n, cells in grid.items() if any(cells))
    if not used_rows:
        return None
    width = max(len(grid[n]) for n in used_rows)
    used_cols = [
        c
        for c in range(width)
        if any(c < len(grid[n]) and grid[n][c] for n in used_rows)
    ]
    sheet = quote_sheet(title)
    first = column_letter(used_cols[0] + 1)
    table_rows = tuple(
        tuple(grid[n][c] if c < len(grid[n]) else "" for c in used_cols)
        for n in used_rows
    )
    anchors = tuple(f"{sheet}!{first}{n}" for n in used_rows)
    text = "\n".join(" | ".join(c for c in row if c) for row in table_rows)
    return Block(
        "table", text, anchors[0], 0, (title,), table=Table(table_rows, anchors)
    )


def _spread_merges(
    grid: dict[int, list[str]], merges: list[tuple[int, int, int, int]]
) -> None:
    for top, left, bottom, right in merges:
        if bottom - top > 10_000 or right - left > 1_000:
            continue  # a whole-column merge: spreading it would invent rows
        value = grid.get(top, [])[left - 1] if left - 1 < len(grid.get(top, [])) else ""
        if not value:
            continue
        for number in range(top, bottom + 1):
            cells = grid.setdefault(number, [])
            if len(cells) < right:
                cells.extend([""] * (right - len(cells)))
            for column in range(left, right + 1):
                cells[column - 1] = value


def cell_text(value: Any) -> str:
    """A cell value as the analyst reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value).strip()


def quote_sheet(title: str) -> str:
    """A sheet name as Excel writes it in a reference: `'My sheet'`."""
    if PLAIN_SHEET_NAME.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index


def _sheet_parts(archive: zipfile.ZipFile, filename: str) -> dict[str, str]:
    targets = _ooxml.relationship_targets(archive, "", filename, KIND)
    workbook_part = targets.get("officeDocument", "xl/workbook.xml")
    if not _ooxml.has_part(archive, workbook_part):
        raise _refusals.corrupt(filename, KIND, "it has no workbook part")
    root = _ooxml.part_xml(archive, workbook_part, filename, KIND)
    folder = workbook_part.rpartition("/")[0]
    rels = _relationships_by_id(archive, workbook_part, filename)
    parts = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith("}sheet"):
            rel_id = next(
                (v for k, v in element.attrib.items() if k.endswith("}id")), ""
            )
            target = rels.get(rel_id)
            if target:
                parts[element.get("name", "")] = _ooxml._resolve(folder, target)
    return parts


def _relationships_by_id(
    archive: zipfile.ZipFile, source: str, filename: str
) -> dict[str, str]:
    folder, _, base = source.rpartition("/")
    name = f"{folder}/_rels/{base}.rels"
    if not _ooxml.has_part(archive, name):
        return {}
    root = _ooxml.part_xml(archive, name, filename, KIND)
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root}


def _merges(
    archive: zipfile.ZipFile, part: str | None, filename: str
) -> list[tuple[int, int, int, int]]:
    if not part or not _ooxml.has_part(archive, part):
        return []
    data = _ooxml.read_part(archive, part, filename, KIND)
    start = data.rfind(b"mergeCells")
    if start < 0:
        return []
    merges = []
    for match in MERGE.finditer(data, data.find(b"mergeCells")):
        left, top, right, bottom = match.groups()
        right, bottom = right or left, bottom or top
        merges.append(
            (int(top), _column_index(left), int(bottom), _column_index(right))
        )
    return merges
