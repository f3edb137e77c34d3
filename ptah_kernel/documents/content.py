"""What a reader hands back: ordered blocks with anchors, and the file's metadata.

Readers know no database; the store knows no format. This module is the
contract between them, so it imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

BlockKind = Literal["heading", "paragraph", "list item", "table"]
Format = Literal["pdf", "docx", "xlsx", "markdown", "text"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table's cells as text, with an anchor for each row.

    `rows[0]` is the first row as the document shows it; readers do not
    decide which row is the header (the requirement finder does).
    `row_anchors[i]` leads a person to `rows[i]` (`Reqs!A12` in a sheet).
    """

    rows: tuple[tuple[str, ...], ...]
    row_anchors: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame, the first row as column names."""
        import pandas as pd

        if not self.rows:
            return pd.DataFrame()
        header, *body = self.rows
        columns = _unique_columns(header)
        width = len(columns)
        body = [tuple(row) + ("",) * (width - len(row)) for row in body]
        return pd.DataFrame([row[:width] for row in body], columns=columns)


def _unique_columns(header: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    columns = []
    for index, name in enumerate(header):
        name = name.strip() or f"column {index + 1}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        columns.append(name if count == 0 else f"{name} ({count + 1})")
    return columns


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document in reading order.

    `anchor` is a string a person can follow back to the place: `p.12 ¶3`
    for PDF, `§3.2.1 ¶4` where headings are known, `Reqs!B12` for a sheet,
    `line 40` for text. `heading_path` holds the titles of the headings
    above the block, outermost first. `level` is a heading's depth (1 for
    a top heading) and a list item's nesting depth; 0 otherwise.
    """

    kind: BlockKind
    text: str
    anchor: str
    level: int = 0
    heading_path: tuple[str, ...] = ()
    page: int | None = None
    table: Table | None = None


@dataclass(slots=True)
class DocumentContent:
    """Everything a reader learned from one file."""

    format: Format
    blocks: list[Block]
    title: str | None = None
    author: str | None = None
    pages: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[pd.DataFrame]:
        """Every table of the document as a DataFrame, in reading order."""
        return [b.table.to_frame() for b in self.blocks if b.table is not None]

    def to_markdown(self) -> str:
        """The document as Markdown: headings, paragraphs, lists and tables."""
        return blocks_to_markdown(self.blocks)


def blocks_to_markdown(blocks: list[Block]) -> str:
    """Render blocks as Markdown text, one block per paragraph."""
    parts = [_block_markdown(block) for block in blocks]
    return "\n\n".join(part for part in parts if part) + "\n"


def _block_markdown(block: Block) -> str:
    if block.kind == "heading":
        return "#" * min(max(block.level, 1), 6) + " " + block.text
    if block.kind == "list item":
        return "  " * max(block.level - 1, 0) + "- " + block.text
    if block.kind == "table" and block.table is not None:
        return _table_markdown(block.table)
    return block.text


def _table_markdown(table: Table) -> str:
    if not table.rows:
        return ""
    width = max(len(row) for row in table.rows)

    def line(row: tuple[str, ...]) -> str:
        cells = [c.replace("|", "\\|").replace("\n", " ") for c in row]
        cells += [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    header, *body = table.rows
    rule = "|" + "---|" * width
    return "\n".join([line(header), rule, *(line(row) for row in body)])
