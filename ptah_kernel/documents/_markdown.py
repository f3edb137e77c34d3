"""Markdown: headings, nested lists, pipe tables, paragraphs and code.

A small line-based reader is enough for requirement documents, and it keeps
each block's source line at hand; inline markup (emphasis, links, code
spans) is reduced to the words a reader sees.
"""

from __future__ import annotations

import logging
import re

from ptah_kernel.documents._outline import Outline
from ptah_kernel.documents.content import Block

logger = logging.getLogger(__name__)

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
QUOTE = re.compile(r"^ {0,3}> ?")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def markdown_blocks(text: str) -> tuple[list[Block], str | None]:
    """Blocks of a Markdown text and its title (the first level-1 heading)."""
    lines = HTML_COMMENT.sub("", text).splitlines()
    outline = Outline()
    reader = _Reader(lines, outline)
    reader.run()
    title = next(
        (b.text for b in outline.blocks if b.kind == "heading" and b.level == 1),
        None,
    )
    return outline.blocks, title


def plain(text: str) -> str:
    """Inline Markdown reduced to what a reader sees."""
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = AUTOLINK.sub(r"\1", text)
    text = CODE_SPAN.sub(lambda m: m.group(2).strip(), text)
    text = STRONG.sub(r"\2", text)
    text = EMPHASIS.sub(r"\2", text)
    text = TAG.sub(" ", text)
    text = ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


class _Reader:
    """Walks the lines once, handing each block to the outline."""

    def __init__(self, lines: list[str], outline: Outline) -> None:
        self.lines = lines
        self.outline = outline
        self.at = 0
        self.list_indents: list[int] = []

    def run(self) -> None:
        """Read every block."""
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if not line.strip():
                self.at += 1
            elif not self._special(line):
                self._paragraph()

    def _special(self, line: str) -> bool:
        if fence := FENCE.match(line):
            self._code(fence.group(1))
        elif atx := ATX.match(line):
            self._atx(atx)
        elif RULE.match(line):
            self.at += 1
        elif self._is_table_start():
            self._table()
        elif item := LIST.match(line):
            self._list_item(item)
        else:
            return False
        return True

    def _atx(self, match: re.Match[str]) -> None:
        self.list_indents = []
        title = plain(match.group(2) or "")
        self.at += 1
        if title:
            self.outline.heading(title, len(match.group(1)))

    def _code(self, fence: str) -> None:
        start = self.at + 1
        end = start
        while end < len(self.lines) and not self.lines[end].strip().startswith(fence):
            end += 1
        code = "\n".join(self.lines[start:end]).strip("\n")
        self.at = end + 1
        if code.strip():
            self.outline.add("paragraph", code)

    def _is_table_start(self) -> bool:
        following = self.lines[self.at + 1] if self.at + 1 < len(self.lines) else ""
        return "|" in self.lines[self.at] and bool(TABLE_RULE.match(following))

    def _table(self) -> None:
        rows = [_cells(self.lines[self.at])]
        self.at += 2
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if not line.strip() or "|" not in line:
                break
            rows.append(_cells(line))
            self.at += 1
        self.outline.table(rows)

    def _list_item(self, match: re.Match[str]) -> None:
        indent = len(match.group(1).expandtabs(4))
        while self.list_indents and indent < self.list_indents[-1]:
            self.list_indents.pop()
        if not self.list_indents or indent > self.list_indents[-1]:
            self.list_indents.append(indent)
        marker = match.group(2)
        words = [self.lines[self.at][match.end() :]]
        self.at += 1
        words += self._continuation(indent)
        text = plain(" ".join(words))
        if marker[0].isdigit():
            text = f"{marker} {text}"
        if text:
            self.outline.add("list item", text, len(self.list_indents))

    def _continuation(self, indent: int) -> list[str]:
        # Lines after an item belong to it until a blank line, or after a
        # blank line while they stay indented past the marker.
        words: list[str] = []
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if not line.strip():
                following = self._next_filled()
                if following is None or _indent(self.lines[following]) <= indent:
                    break
                if LIST.match(self.lines[following]):
                    break
                self.at = following
                continue
            if LIST.match(line) or self._starts_block(line):
                break
            words.append(line.strip())
            self.at += 1
        return words

    def _paragraph(self) -> None:
        self.list_indents = []
        words = [QUOTE.sub("", self.lines[self.at]).strip()]
        self.at += 1
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if not line.strip() or LIST.match(line) or self._starts_block(line):
                break
            setext = SETEXT.match(line)
            if setext:
                self.at += 1
                level = 1 if setext.group(1)[0] == "=" else 2
                self.outline.heading(plain(" ".join(words)), level)
                return
            words.append(QUOTE.sub("", line).strip())
            self.at += 1
        text = plain(" ".join(words))
        if text:
            self.outline.add("paragraph", text)

    def _starts_block(self, line: str) -> bool:
        if FENCE.match(line) or ATX.match(line):
            return True
        return "|" in line and self._is_table_start_at(self.at)

    def _is_table_start_at(self, at: int) -> bool:
        following = self.lines[at + 1] if at + 1 < len(self.lines) else ""
        return bool(TABLE_RULE.match(following))

    def _next_filled(self) -> int | None:
        at = self.at
        while at < len(self.lines) and not self.lines[at].strip():
            at += 1
        return at if at < len(self.lines) else None


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _cells(line: str) -> tuple[str, ...]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return tuple(plain(cell.replace("\\|", "|")) for cell in cells)
