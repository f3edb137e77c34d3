"""Running headers, footers, page numbers and sidebars of a PDF.

Lines that belong to the page, not to the text, are found by repetition:

* lines in the top or bottom margin that repeat on many pages once digits
  are ignored ("Page 3 of 20", "D_THEMAS_SRS_001"); a leading section
  number is kept, so "3.1.4 Introduction" and "3.1.5 Introduction" at the
  top of two pages stay apart;
* bare page numbers in the margins ("7", "iv", "3-5", "- 12 -");
* a top or bottom line ending or starting with a number at one place on
  many pages (LaTeX running heads such as "1.4. OVERVIEW 9", which change
  with the section);
* a line repeated word for word at one place on most pages, anywhere (an
  address in a sidebar).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ptah_kernel.documents._pdf_layout import Line

MARGIN = 0.085  # of the page height: where running heads and feet sit
SECTION_LEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){0,6})\.?\s+\S")
PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$|^[A-Z]?\d{1,3}\s?[-–]\s?\d{1,3}$",
    re.IGNORECASE,
)
EDGE_NUMBER = re.compile(r"^\d{1,4}\s|\s\d{1,4}$|^[ivxlc]{1,6}\s|\s[ivxlc]{1,6}$")


def running_furniture(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, line) places of headers, footers and page numbers."""
    counts: Counter[str] = Counter()
    candidates = []
    for p, lines in enumerate(pages):
        keys = set()
        for i in _edge_lines(lines):
            key = _furniture_key(lines[i].text)
            candidates.append((p, i, key))
            keys.add(key)
        counts.update(keys)

    threshold = max(3, round(0.2 * len(pages))) if len(pages) > 3 else len(pages) + 1
    drop = {(p, i) for p, i, key in candidates if counts[key] >= threshold}
    drop |= {(p, i) for p, i, _ in candidates if PAGE_NUMBER.match(pages[p][i].text)}
    return drop | _numbered_edges(pages) | _fixed_lines(pages)


def _fixed_lines(pages: list[list[Line]]) -> set[tuple[int, int]]:
    # A sidebar (an address in the margin) repeats word for word at one
    # place on most pages, anywhere on the page.
    if len(pages) < 4:
        return set()
    counts: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        counts.update({(line.text, round(line.pos / 3)) for line in lines})
    threshold = max(3, 0.5 * len(pages))
    return {
        (p, i)
        for p, lines in enumerate(pages)
        for i, line in enumerate(lines)
        if counts[(line.text, round(line.pos / 3))] >= threshold
    }


def _edge_lines(lines: list[Line]) -> list[int]:
    order = sorted(range(len(lines)), key=lambda i: lines[i].pos)
    top = [i for i in order[:3] if lines[i].rel < MARGIN]
    bottom = [i for i in order[-3:] if lines[i].rel > 1 - MARGIN]
    return top + bottom


def _furniture_key(text: str) -> str:
    lead = SECTION_LEAD.match(text)
    number = lead.group(1) if lead else ""
    rest = text[len(number) :].lower()
    return number + " ".join(re.sub(r"\d+", "#", rest).split())


def _numbered_edges(pages: list[list[Line]]) -> set[tuple[int, int]]:
    # LaTeX running heads change with the section ("1.4. OVERVIEW 9"), so
    # they do not repeat; they do sit at one place and carry the page number.
    drop: set[tuple[int, int]] = set()
    if len(pages) < 4:
        return drop
    for pick in (min, max):
        found = []
        for p, lines in enumerate(pages):
            if not lines:
                continue
            i = pick(range(len(lines)), key=lambda k: lines[k].pos)
            edge = lines[i]
            in_margin = edge.rel < MARGIN if pick is min else edge.rel > 1 - MARGIN
            if in_margin and EDGE_NUMBER.search(edge.text):
                found.append((p, i, edge.pos))
        if len(found) >= 0.4 * len(pages):
            usual = sorted(pos for _, _, pos in found)[len(found) // 2]
            drop |= {(p, i) for p, i, pos in found if abs(pos - usual) < 3}
    return drop
