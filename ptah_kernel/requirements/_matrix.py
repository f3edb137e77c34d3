"""Requirement matrices: tables whose rows are requirements.

A table is a matrix when one of its first rows is a header that names a
requirement text column ("Requirement", "Requirement Text", "Statement",
"User Story"), or names an id column ("ID", "Req ID", "#", "No.") beside a
looser text column ("Description", "Text", "Details"). Title rows above the
header are skipped. Header words decide, not contents, so a pricing
template, a revision history or a review sheet (whose text column is a
"Comment") stays out of the requirement list. A "Type" or "Category" column,
when there is one, carries the client's own label of each requirement's kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ptah_kernel.documents.content import Table

_HEADER_ROWS_SEARCHED = 10

_REQUIREMENT_TEXT = re.compile(
    r"^(?:(?:functional|non functional|business|system|technical|security|user)\s+)?"
    r"(?:requirements?|req|reqs)(?:\s+(?:text|statement|description|details?))?$"
    r"|^(?:requirement\s+)?statement$|^(?:user\s+)?stor(?:y|ies)$|^shall statement$"
)
_LOOSE_TEXT = re.compile(
    r"^(?:requirement\s+|req\s+)?(?:description|text|details?|specification|need"
    r"|feature|capability|function(?:ality)?|criteria)$"
)
_ID = re.compile(
    r"^(?:(?:req(?:uirement)?|srs|fr|nfr|item|ref|story)\s*)?"
    r"(?:id|ids|#|no|nr|num|number|ref|reference|identifier|key)$|^#$"
)
# Header words of tables that record things about a document rather than
# state requirements: revision histories, review sheets, price lists.
_RECORD = re.compile(
    r"^(?:comments?|reply|replies|reviewer|remarks?|revisions?|rev|modifications?"
    r"|author|changes?|version|price|unit price|cost|rate|hourly rate|quantity"
    r"|total|total price|amount|discount)$"
)
_KIND = re.compile(
    r"^(?:(?:requirement|req|nfr)\s+)?(?:type|category|kind|class|classification)$"
    r"|^f\s*nf$|^functional\s+non\s+functional$"
)
_CLEAN = re.compile(r"[^a-z0-9#]+")


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One requirement row: its position in the table, id, text and kind label."""

    row: int
    ref: str
    text: str
    label: str = ""


def matrix_rows(table: Table) -> list[MatrixRow] | None:
    """The requirement rows of a matrix, or None when the table is not one."""
    found = _find_header(table)
    if found is None:
        return None
    header_row, id_column, text_column, kind_column = found

    header = table.rows[header_row]
    rows = []
    for index in range(header_row + 1, len(table.rows)):
        cells = table.rows[index]
        if cells == header or not any(cell.strip() for cell in cells):
            continue
        text = _cell(cells, text_column)
        ref = _cell(cells, id_column) if id_column is not None else ""
        label = _cell(cells, kind_column) if kind_column is not None else ""
        if text:
            rows.append(MatrixRow(index, ref, text, label))
    return rows


def is_record_table(table: Table) -> bool:
    """Whether a table records review comments, revisions or prices."""
    return any(
        _RECORD.match(name)
        for row in table.rows[:_HEADER_ROWS_SEARCHED]
        for name in _header_names(row)
    )


def _header_names(row: tuple[str, ...]) -> list[str]:
    return [_CLEAN.sub(" ", cell.lower()).strip() for cell in row]


def _find_header(table: Table) -> tuple[int, int | None, int, int | None] | None:
    for index, row in enumerate(table.rows[:_HEADER_ROWS_SEARCHED]):
        names = _header_names(row)
        if sum(1 for name in names if name) < 2:
            continue  # a title row such as "Security requirements"
        ids = [i for i, name in enumerate(names) if _ID.match(name)]
        strict = [i for i, name in enumerate(names) if _REQUIREMENT_TEXT.match(name)]
        loose = [i for i, name in enumerate(names) if _LOOSE_TEXT.match(name)]
        id_column = ids[0] if ids else None
        kinds = [i for i, name in enumerate(names) if _KIND.match(name)]
        kind_column = kinds[0] if kinds else None
        if strict:
            return index, id_column, strict[0], kind_column
        if ids and loose:
            return index, id_column, loose[0], kind_column
    return None


def _cell(cells: tuple[str, ...], column: int) -> str:
    return cells[column].strip() if column < len(cells) else ""
