"""Anchors under headings, shared by the DOCX and Markdown readers.

A heading's anchor is `§3.2.1` when its text starts with a section number
and `§Introduction` otherwise; a block under it is `§3.2.1 ¶4`, counting
every block since the heading; a table is `§3.2 table 1` and its rows
`§3.2 table 1 row 4`. Blocks before the first heading are `¶N`.
"""

from __future__ import annotations

import re

from ptah_kernel.documents.content import Block, BlockKind, Table

SECTION_NUMBER = re.compile(r"^(?:[A-Z]\.)?\d+(?:\.\d+)*(?=\.?\s|\.?$)")
LONGEST_KEY = 60


def section_key(title: str) -> str:
    """The part of a heading that names it in an anchor: number or title."""
    number = SECTION_NUMBER.match(title)
    if number:
        return number.group()
    title = " ".join(title.split())
    if len(title) > LONGEST_KEY:
        return title[: LONGEST_KEY - 1].rstrip() + "…"
    return title


class Outline:
    """Collects blocks in reading order and gives each its anchor."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._open: list[tuple[int, str]] = []
        self._key = ""
        self._count = 0
        self._tables = 0

    def heading(self, title: str, level: int) -> None:
        """Open a section; deeper or equal open sections close first."""
        level = max(level, 1)
        while self._open and self._open[-1][0] >= level:
            self._open.pop()
        path = tuple(text for _, text in self._open)
        self._key, self._count, self._tables = section_key(title), 0, 0
        self.blocks.append(Block("heading", title, "§" + self._key, level, path))
        self._open.append((level, title))

    def add(self, kind: BlockKind, text: str, level: int = 0) -> None:
        """Add a paragraph or list item under the open section."""
        self._count += 1
        self.blocks.append(Block(kind, text, self._anchor(), level, self._path()))

    def table(self, rows: list[tuple[str, ...]]) -> None:
        """Add a table; its rows get anchors of their own."""
        if not rows:
            return
        self._count += 1
        self._tables += 1
        name = f"table {self._tables}"
        if self._key:
            name = f"§{self._key} {name}"
        anchors = tuple(f"{name} row {n}" for n in range(1, len(rows) + 1))
        table = Table(tuple(rows), anchors)
        text = "\n".join(" | ".join(c for c in row if c) for row in rows)
        self.blocks.append(Block("table", text, name, 0, self._path(), table=table))

    def _anchor(self) -> str:
        if not self._key:
            return f"¶{self._count}"
        return f"§{self._key} ¶{self._count}"

    def _path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._open)
