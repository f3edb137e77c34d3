"""Word's list and heading numbers, counted as Word shows them.

The numbers ("3.2.1", "(a)", "REQ-12") are not in the paragraph text; they
live in `numbering.xml` (python-docx #180, #471): a paragraph names a
numbering instance and a level (directly or through its style), the
instance points at an abstract definition whose level has a start, a
format (decimal, lowerLetter, upperRoman, ...) and a text such as
"%1.%2". Counters are kept per abstract definition, as Word continues a
list across instances of one definition unless an instance overrides the
start.

Reading leaves the counting for later: `mark` stands a placeholder in the
text for each number, and `labels` counts them all in document order once
every share of the body has been read (see `_docx.read_docx_part`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Level:
    """One level of an abstract numbering definition."""

    start: int = 1
    format: str = "decimal"
    text: str = ""
    legal: bool = False


@dataclass(slots=True)
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    used: bool = False


class Numbering:
    """Counts numbered paragraphs in document order and renders labels."""

    def __init__(self, root: Any | None, w: str, style_numbers: dict[str, str]) -> None:
        self.w = w
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}
        self.instances: dict[str, _Instance] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.style_numbers = style_numbers
        self.style_levels: dict[str, int] = {}
        self.marks: list[tuple[str, int]] = []
        if root is not None:
            self._load(root)

    def _load(self, root: Any) -> None:
        w = self.w
        for abstract in root.iterchildren(f"{{{w}}}abstractNum"):
            key = abstract.get(f"{{{w}}}abstractNumId", "")
            self.abstracts[key] = {}
            for lvl in abstract.iterchildren(f"{{{w}}}lvl"):
                ilvl = int(lvl.get(f"{{{w}}}ilvl", "0"))
                self.abstracts[key][ilvl] = self._level(lvl)
                style = lvl.find(f"{{{w}}}pStyle")
                if style is not None:
                    self.style_levels[style.get(f"{{{w}}}val", "")] = ilvl
            link = abstract.find(f"{{{w}}}numStyleLink")
            if link is not None:
                self.links[key] = link.get(f"{{{w}}}val", "")
        for num in root.iterchildren(f"{{{w}}}num"):
            self.instances[num.get(f"{{{w}}}numId", "")] = self._instance(num)

    def _level(self, lvl: Any) -> Level:
        w = self.w
        level = Level()
        for child in lvl:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            value = child.get(f"{{{w}}}val", "")
            if tag == "start" and value.lstrip("-").isdigit():
                level.start = int(value)
            elif tag == "numFmt":
                level.format = value
            elif tag == "lvlText":
                level.text = value
            elif tag == "isLgl":
                level.legal = value not in ("0", "false", "off")
        return level

    def _instance(self, num: Any) -> _Instance:
        w = self.w
        ref = num.find(f"{{{w}}}abstractNumId")
        instance = _Instance(ref.get(f"{{{w}}}val", "") if ref is not None else "")
        for override in num.iterchildren(f"{{{w}}}lvlOverride"):
            start = override.find(f"{{{w}}}startOverride")
            value = start.get(f"{{{w}}}val", "") if start is not None else ""
            if value.isdigit():
                instance.starts[int(override.get(f"{{{w}}}ilvl", "0"))] = int(value)
        return instance

    def level_of_style(self, style_id: str) -> int:
        """The level a numbered style sits at when its numPr names none.

        Word takes it from the abstract level that links back to the style
        (`w:lvl/w:pStyle`), which is how heading styles carry "%1.%2.%3".
        """
        return self.style_levels.get(style_id, 0)

    def mark(self, num_id: str, ilvl: int) -> str | None:
        """A placeholder for the label `label` would give here, counted later.

        None when the paragraph is not numbered after all, "" when its
        level shows no number (bullets); neither depends on the count. The
        placeholder holds the number of the mark: NUL never occurs in XML
        text, so it cannot be mistaken for the document's own words.
        """
        found = self._definition(num_id, ilvl)
        if found is None:
            return None
        self.marks.append((num_id, ilvl))
        if not self._render(found[2], [None] * 10, ilvl):
            return ""
        return f"\x00{len(self.marks) - 1}\x00"

    def labels(self, marks: list[tuple[str, int]]) -> Iterator[str]:
        """The label of each mark, counted in order from the start, one by one."""
        for num_id, ilvl in marks:
            yield self.label(num_id, ilvl) or ""

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Count one paragraph and return its label ("" for bullets).

        None when the paragraph is not numbered after all (numId 0 or an
        instance that does not exist).
        """
        found = self._definition(num_id, ilvl)
        if found is None:
            return None
        instance, abstract_id, levels = found
        counters = self.counters.setdefault(abstract_id, [None] * 10)
        if not instance.used:
            instance.used = True
            for level, start in instance.starts.items():
                if 0 <= level < 10:
                    counters[level] = start - 1
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        return self._render(levels, counters, ilvl)

    def _definition(
        self, num_id: str, ilvl: int
    ) -> tuple[_Instance, str, dict[int, Level]] | None:
        """The instance, abstract id and levels that number this paragraph."""
        instance = self.instances.get(num_id)
        if instance is None:
            return None
        abstract_id = self._abstract_of(instance.abstract)
        levels = self.abstracts.get(abstract_id)
        if not levels or ilvl not in levels:
            return None
        return instance, abstract_id, levels

    def _abstract_of(self, abstract_id: str) -> str:
        # A list style's abstract definition only links to the definition
        # that holds the levels, through the style's own numbering instance.
        link = self.links.get(abstract_id)
        num_id = self.style_numbers.get(link or "")
        if link and num_id in self.instances:
            target = self.instances[num_id].abstract
            if target != abstract_id and target not in self.links:
                return target
        return abstract_id

    def _render(
        self, levels: dict[int, Level], counters: list[int | None], ilvl: int
    ) -> str:
        level = levels[ilvl]
        if level.format in ("bullet", "none"):
            return ""
        text = level.text
        for index in range(9):
            mark = f"%{index + 1}"
            if mark not in text:
                continue
            shown = levels.get(index, Level())
            value = counters[index]
            if value is None:
                value = shown.start
            fmt = "decimal" if level.legal else shown.format
            text = text.replace(mark, format_number(value, fmt))
        return text.strip()


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats."""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _letters(value: int) -> str:
    # Word repeats the letter past z: 27 is "aa", 28 "bb".
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if value < 1:
        return str(value)
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)
