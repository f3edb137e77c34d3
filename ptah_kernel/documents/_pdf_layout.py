"""From placed PDF text lines to blocks a careful reader would make.

After headers and footers go (`_pdf_furniture`), the rules, each for a
quirk of real SRS documents:

* lines on one visual line are joined (PDFium splits at wide gaps);
* a numbered line such as "3.2.1 Title" or "3. Functional Requirements"
  (bold or larger for a single number) is a heading whose level is the
  count of its numbers; "Chapter 1" takes the title on the next line;
* in documents without numbered sections, short lines in a larger or
  bold font are headings, larger fonts higher;
* bullets, numbered items and requirement ids start list items;
* a paragraph ends at a wider gap than the usual line spacing, at a change
  of font size, or after a line that ends a sentence short of the margin
  when the next line's first word would have fitted on it; it goes on
  across a page break when the next page starts in lower case;
* broken words and ligatures are mended with the whole text in view
  (`_pdf_words`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ptah_kernel.documents._pdf_furniture import running_furniture
from ptah_kernel.documents._pdf_words import (
    LIGATURES,
    hyphen_mender,
    join_lines,
    ligature_repair,
)
from ptah_kernel.documents.content import Block, BlockKind

HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){0,6})(\.?)\s+(\S.{0,150})$")
APPENDIX = re.compile(r"^(?:appendix|annex|chapter)\s+[A-Z0-9]{1,3}\b", re.IGNORECASE)
BULLET = re.compile(r"^[•●▪■◦○◆◇►▸\-–*·\uf020-\uf0ff]\s*")
BULLET_ONLY = re.compile(r"^[•●▪■◦○◆◇►▸\-–*·o\uf020-\uf0ff]$")
NUMBERED_ITEM = re.compile(
    r"^(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,5}[.)]|\(\d{1,3}\))\s"
)
REQUIREMENT_ID = re.compile(
    r"^\[?[A-Z][A-Za-z]{0,7}[-_]?\d{1,5}(?:\.\d{1,4})*\]?[:.)]?\s"
)
LEADERS = re.compile(r"(?:[.…]\s?){4,}\s*[\w-]*\d+\s*$|[.…]{3,}\s*$")
BARE_CHAPTER = re.compile(r"^(?:chapter|appendix|annex|part)\s+\S{1,4}$", re.IGNORECASE)
SUBSECTION = re.compile(r"^\d{1,2}\.\d{1,3}\.?\s+[A-Z]")
TERM = re.compile(r"^[A-Z][\w/().&-]{0,24}(?: [\w/().&-]{1,24}){0,3}:\s")
MODAL = re.compile(r"\b(?:shall|must|should|will|may|can|is|are)\b", re.IGNORECASE)
SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(slots=True)
class Line:
    """One line of text on a page, placed along the reading direction.

    `pos` grows down the page as it is read, `start` and `end` run along
    the line, `size` is the font height, `rel` the place between the top
    (0) and bottom (1) edges of the page. `last_pos` is the place of the
    last character, lower than `pos` when PDFium joined a hyphenated line.
    """

    text: str
    page: int
    pos: float
    start: float
    end: float
    size: float
    bold: bool
    rel: float
    last_pos: float | None = None


@dataclass(slots=True)
class _Pending:
    """A block being built: its text grows line by line."""

    kind: BlockKind
    text: str
    page: int
    path: tuple[str, ...]
    level: int = 0


def layout_blocks(pages: list[list[Line]]) -> list[Block]:
    """Blocks in reading order from each page's lines in stream order."""
    for lines in pages:
        for line in lines:
            if not line.text.isascii():
                line.text = line.text.translate(LIGATURES)
    furniture = running_furniture(pages)
    body = [
        _one_visual_line_each(
            [ln for i, ln in enumerate(lines) if (p, i) not in furniture]
        )
        for p, lines in enumerate(pages)
    ]
    body_size = _body_size(body)
    builder = _Builder(body_size, _spacing(body), font_heading_levels(body, body_size))
    for lines in body:
        builder.read_page(lines)
    return builder.finish()


def _one_visual_line_each(lines: list[Line]) -> list[Line]:
    joined: list[Line] = []
    for line in lines:
        last = joined[-1] if joined else None
        if (
            last
            and abs(line.pos - last.pos) < 0.3 * last.size
            and line.start > last.end - 1
        ):
            last.text = f"{last.text} {line.text}"
            last.end = line.end
            last.last_pos = line.last_pos
            continue
        joined.append(line)
    return joined


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _spacing(pages: list[list[Line]]) -> float:
    ratios = []
    for lines in pages:
        for before, after in zip(lines, lines[1:], strict=False):
            if abs(before.size - after.size) < 0.1 * before.size:
                ratio = (after.pos - before.pos) / before.size
                if 0.8 < ratio < 2.5:
                    ratios.append(ratio)
    ratios.sort()
    return ratios[len(ratios) // 2] if ratios else 1.2


def has_leaders(text: str) -> bool:
    """Whether a line is a table-of-contents entry with dot leaders."""
    if "..." not in text and ". . ." not in text and "……" not in text:
        return False
    return LEADERS.search(text) is not None


def heading_level(line: Line, body_size: float) -> tuple[int, str] | None:
    """(level, title) when the line is a numbered heading, else None."""
    text = line.text
    if len(text) > 120 or not (text[0].isdigit() or text[0] in "AaCc"):
        return None
    if has_leaders(text):
        return None
    if APPENDIX.match(text) and not text.rstrip().endswith(SENTENCE_END[:1]):
        return 1, text
    match = HEADING.match(text)
    if match is None:
        return None
    number, _, title = match.groups()
    if not _is_title(title):
        return None
    parts = number.split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    if len(number.split(".")) == 1 and not _stands_out(line, body_size):
        return None
    return len(parts), text


def _is_title(title: str) -> bool:
    words = title.split()
    if not title[0].isupper() or len(words) > 14:
        return False
    if title.endswith((".", ",", ";")) or re.search(r"\s\d+$", title):
        return False
    return not MODAL.search(title) or len(words) <= 4


def _stands_out(line: Line, body_size: float) -> bool:
    # "3. Functional Requirements" is a heading; "3. Create a new account"
    # in a numbered list, or an entry of a numbered reference list, is
    # not: a single number needs a bold or larger font.
    return line.bold or line.size > 1.1 * body_size


class _Builder:
    """Collects lines into blocks, with heading paths and page anchors."""

    def __init__(
        self,
        body_size: float,
        spacing: float,
        font_levels: dict[tuple[float, bool], int],
    ) -> None:
        self.body_size = body_size
        self.spacing = spacing
        self.font_levels = font_levels
        self.done: list[_Pending] = []
        self.current: _Pending | None = None
        self.list_starts: list[float] = []
        self.last: Line | None = None
        self.headings: list[tuple[int, str]] = []
        self.pending_bullet = False

    def read_page(self, lines: list[Line]) -> None:
        """Add one page's body lines."""
        margin = _right_margin(lines)
        for line in lines:
            self._read_line(line, margin)
        self.last = None

    def _read_line(self, line: Line, margin: float) -> None:
        text = line.text
        if len(text) == 1 and BULLET_ONLY.match(text):
            self._close()
            self.pending_bullet = True
            return
        if self._titles_chapter(line):
            return
        heading = heading_level(line, self.body_size) or self._font_heading(line)
        if heading and not self.pending_bullet:
            self._close()
            self._heading(line, *heading)
            return
        kind, text = self._start_kind(text)
        if kind is None and self.current is not None and self._continues(line, margin):
            self.current.text = join_lines(self.current.text, text)
        else:
            self._close()
            level = self._list_level(line) if kind == "list item" else 0
            kind = kind or "paragraph"
            self.current = _Pending(kind, text, line.page, self._path(), level)
        self.last = line

    def _list_level(self, line: Line) -> int:
        # Nested bullets sit further right; a bullet back at an outer
        # indent closes the inner levels.
        starts, slack = self.list_starts, line.size
        while starts and line.start < starts[-1] - slack:
            starts.pop()
        if not starts or line.start > starts[-1] + slack:
            starts.append(line.start)
        return len(starts)

    def _start_kind(self, text: str) -> tuple[BlockKind | None, str]:
        if self.pending_bullet:
            self.pending_bullet = False
            return "list item", text
        bullet = BULLET.match(text)
        if bullet and len(text) > bullet.end():
            return "list item", text[bullet.end() :]
        if NUMBERED_ITEM.match(text) or REQUIREMENT_ID.match(text):
            return "list item", text
        if has_leaders(text):
            return "paragraph", text
        return None, text

    def _continues(self, line: Line, margin: float) -> bool:
        before = self.last
        if self.current is None or self.current.kind == "heading":
            return False
        if before is None:
            return self._continues_across_pages(line)
        gap = line.pos - (before.pos if before.last_pos is None else before.last_pos)
        if gap < -0.3 * before.size or gap > self.spacing * before.size * 1.3 + 1:
            return False
        if abs(line.size - before.size) > 0.2 * before.size:
            return False
        if has_leaders(before.text):
            return False
        return not _ended_short(before, line, margin)

    def _continues_across_pages(self, line: Line) -> bool:
        text = self.current.text if self.current is not None else "."
        return not text.endswith(SENTENCE_END) and line.text[:1].islower()

    def _titles_chapter(self, line: Line) -> bool:
        # LaTeX sets "Chapter 1" and its title "Introduction" on two lines.
        last = self.done[-1] if self.done and self.current is None else None
        if last is None or last.kind != "heading" or self.last is None:
            return False
        if not BARE_CHAPTER.match(last.text) or len(line.text.split()) > 8:
            return False
        if line.pos - self.last.pos > 4 * self.last.size or line.size < self.body_size:
            return False
        last.text = f"{last.text} {line.text}"
        self.headings[-1] = (self.headings[-1][0], last.text)
        self.last = line
        return True

    def _font_heading(self, line: Line) -> tuple[int, str] | None:
        if not self.font_levels:
            return None
        level = self.font_levels.get(_style(line))
        text = line.text
        if level is None or len(text) > 90 or len(text.split()) > 12:
            return None
        if (
            text.endswith((".", ",", ";"))
            or not text[:1].isupper()
            or has_leaders(text)
        ):
            return None
        if BULLET.match(text) or NUMBERED_ITEM.match(text):
            return None
        if text.rsplit(maxsplit=1)[-1].isdigit():
            return None  # a contents entry: "Introduction 1"
        if text.lower() in ("contents", "table of contents"):
            return None  # not a section that holds the document
        return level, text

    def _heading(self, line: Line, level: int, title: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.done.append(_Pending("heading", title, line.page, self._path(), level))
        self.list_starts = []
        self.headings.append((level, title))
        self.last = line

    def _path(self) -> tuple[str, ...]:
        return tuple(title for _, title in self.headings)

    def _close(self) -> None:
        if self.current is not None:
            self.done.append(self.current)
            if self.current.kind == "paragraph":
                self.list_starts = []
        self.current = None

    def finish(self) -> list[Block]:
        """The blocks, hyphen breaks resolved, each anchored `p.N ¶k`."""
        self._close()
        texts = [item.text for item in self.done]
        mend, repair = hyphen_mender(texts), ligature_repair(texts)
        paths: dict[tuple[str, ...], tuple[str, ...]] = {}
        blocks = []
        counts: Counter[int] = Counter()
        for item in self.done:
            counts[item.page] += 1
            if item.path not in paths:
                paths[item.path] = tuple(repair(mend(t)) for t in item.path)
            anchor = f"p.{item.page} ¶{counts[item.page]}"
            text = repair(mend(item.text))
            blocks.append(
                Block(item.kind, text, anchor, item.level, paths[item.path], item.page)
            )
        return blocks


def _style(line: Line) -> tuple[float, bool]:
    return float(round(line.size)), line.bold


def font_heading_levels(
    pages: list[list[Line]], body_size: float
) -> dict[tuple[float, bool], int]:
    """Heading levels by font, for documents whose headings carry no numbers.

    A font larger than the body's, or the body's size in bold, used by few
    characters, marks headings; larger fonts are higher levels. Documents
    with numbered sections (three or more "3.2 Title" lines) keep to the
    numbers, which are the surer sign.
    """
    numbered = sum(
        1
        for lines in pages
        for line in lines
        if line.text[:1].isdigit() and SUBSECTION.match(line.text)
    )
    if numbered >= 3:
        return {}
    chars: Counter[tuple[float, bool]] = Counter()
    for lines in pages:
        for line in lines:
            chars[_style(line)] += len(line.text)
    if not chars:
        return {}
    total = sum(chars.values())
    styles = [
        style
        for style, count in chars.items()
        if count < 0.15 * total
        and (style[0] > 1.15 * body_size or (style[1] and style[0] >= 0.95 * body_size))
    ]
    styles.sort(key=lambda style: (-style[0], not style[1]))
    return {style: min(rank + 1, 3) for rank, style in enumerate(styles)}


def _right_margin(lines: list[Line]) -> float:
    ends = sorted(line.end for line in lines if len(line.text) > 30)
    if not ends:
        return max((line.end for line in lines), default=0.0)
    return ends[int(0.8 * (len(ends) - 1))]


def _ended_short(before: Line, line: Line, margin: float) -> bool:
    # A line that ends a sentence with room left for the next line's first
    # word was the last line of its paragraph; so was one before a glossary
    # entry ("CLI: Command Line Interface" then "Git: a ...").
    if not before.text.endswith(SENTENCE_END) and not TERM.match(line.text):
        return False
    first_word = line.text.split(maxsplit=1)[0]
    room = margin - before.end
    return room > (len(first_word) + 2) * 0.55 * before.size
