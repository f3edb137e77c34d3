"""DOCX: the body XML walked in order, with Word's numbers and merges.

The body is read straight from `word/document.xml` with the hardened
parser of `_ooxml`, because python-docx leaves out what requirement
documents rely on: list and heading numbers (#180), content controls
(`w:sdt`, invisible to `Document.paragraphs`), text boxes, and merged
cells read once (#344). Headings come from heading styles and outline
levels, or, in documents written without styles, from short paragraphs
that are bold throughout.

Reading yields steps (a heading, a paragraph, a table) with Word's numbers
left as marks; the marks are counted and the steps laid out afterwards, so
that a long body can be read in shares by several reader processes and
come out as if one had read it all.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ptah_kernel.documents import _ooxml, _refusals
from ptah_kernel.documents._docx_numbering import Numbering
from ptah_kernel.documents._outline import SECTION_NUMBER, Outline
from ptah_kernel.documents.content import DocumentContent
from ptah_kernel.documents.reading import check_characters
from ptah_kernel.errors import CorruptDocument
from ptah_kernel.settings import ReaderLimits

logger = logging.getLogger(__name__)

KIND = "Word"
HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
TOC_LINE = re.compile(r"(?:\t|\.{4,}|…{2,})\s*\d+\s*$")
OFF = ("0", "false", "off")
LONGEST_HEADING = 200
_W_PREFIX = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# A main part as Word writes it: UTF-8, the body the root's first child.
_WORD_HEAD = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml version=[\"']1\.0[\"']"
    rb"(?: encoding=[\"']UTF-8[\"'])?(?: standalone=[\"'](?:yes|no)[\"'])?\s*\?>)?"
    rb"\s*<w:document(?:\s[^<>]*)?>\s*<w:body>",
    re.IGNORECASE,
)
_WORD_TAIL = re.compile(rb"</w:body>\s*</w:document>\s*\Z")
_MOST_CANDIDATES = 10_000
# What may hold paragraphs inside the body: a cut must fall outside them all.
_CONTAINERS = (b"tbl", b"txbxContent", b"sdt", b"customXml", b"smartTag")
_MARK = re.compile("\x00(\\d+)\x00")


@dataclass(slots=True)
class _Style:
    name: str = ""
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool | None = None
    numbered_by: str = ""


def read_docx(data: bytes, filename: str, limits: ReaderLimits) -> DocumentContent:
    """Read a Word document into blocks anchored `§3.2.1 ¶4`."""
    part = read_docx_part(data, filename, limits, 0, 1)
    return content_from_parts([part], filename, limits)


def read_docx_part(
    data: bytes, filename: str, limits: ReaderLimits, part: int, parts: int
) -> dict[str, Any]:
    """The steps of one share of the body, for `content_from_parts` to lay out.

    A long body is read by several readers at once, each parsing only its
    own run of paragraphs and tables (cut from the XML where no table, text
    box or content control is open). Word's list numbers run on from the
    start, so they are left as marks and counted when the shares are laid
    out together, in order; so are bold headings, whose depth depends on
    the headings before them.
    """
    archive = _ooxml.open_package(data, filename, limits, KIND)
    main = _main_part(archive, filename)
    xml = _ooxml.read_part(archive, main, filename, KIND)
    share = _body_share(xml, part, parts)
    if share is None:
        return {"steps": [], "marks": [], "title": None, "whole": False}
    whole = share is xml
    try:
        root = _ooxml.parse_xml(share, filename, main, KIND)
    except CorruptDocument:
        if whole:
            raise
        # The cut fell where the count of tags was fooled: read it all here.
        root, whole = _ooxml.parse_xml(xml, filename, main, KIND), True
    body = _reader(archive, main, filename, root)
    element = root.find(body.tags["body"])
    if element is not None:
        body.walk(element)
    found = {
        "steps": body.steps,
        "marks": body.numbering.marks,
        "title": body.title,
        "whole": whole,
    }
    if part == 0 or whole:
        found["numbering"] = body.numbering
        found["core"] = _ooxml.core_properties(archive, filename, KIND)
    return found


def _reader(archive: zipfile.ZipFile, main: str, filename: str, root: Any) -> _Body:
    w = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    targets = _ooxml.relationship_targets(archive, main, filename, KIND)
    styles = _styles(archive, targets.get("styles"), filename, w)
    numbering_root = _optional(archive, targets.get("numbering"), filename)
    style_numbers = {sid: s.num_id for sid, s in styles.items() if s.num_id}
    return _Body(w, styles, Numbering(numbering_root, w, style_numbers))


def content_from_parts(
    parts: list[dict[str, Any]], filename: str, limits: ReaderLimits
) -> DocumentContent:
    """The document from the steps of its parts, numbered and laid out in order.

    Labels are counted against `max_characters` as they are made: a label
    may be long, and this runs in the kernel, whose memory has no bound.
    The caller checks the finished text, as for any document
    (`reading.finished`).
    """
    parts = next(([part] for part in parts if part["whole"]), parts)
    text = sum(step_characters(part["steps"]) for part in parts)
    marks = [mark for part in parts for mark in part["marks"]]
    labels = _labels(parts[0]["numbering"], marks, text, filename, limits)
    placer = _Placer()
    for part in parts:
        placer.replay(_numbered_steps(part["steps"], labels))
        labels = labels[len(part["marks"]) :]
    core = parts[0]["core"]
    titles = [part["title"] for part in parts if part["title"]]
    return DocumentContent(
        "docx",
        placer.outline.blocks,
        title=core.get("title") or next(iter(titles), None),
        author=core.get("creator"),
        metadata={
            k: core[k]
            for k in ("subject", "keywords", "created", "modified")
            if k in core
        },
    )


def _labels(
    numbering: Numbering,
    marks: list[tuple[str, int]],
    count: int,
    filename: str,
    limits: ReaderLimits,
) -> list[str]:
    labels = []
    for label in numbering.labels(marks):
        count += len(label)
        check_characters(filename, count, limits)
        labels.append(label)
    return labels


def _numbered_steps(
    steps: list[tuple[Any, ...]], labels: list[str]
) -> Iterator[tuple[Any, ...]]:
    """The steps with each number mark replaced by its label."""

    def labelled(text: str) -> str:
        if "\x00" not in text:
            return text
        return _MARK.sub(lambda mark: labels[int(mark.group(1))], text)

    for step in steps:
        if step[0] == "table":
            yield ("table", [tuple(map(labelled, row)) for row in step[1]])
        else:
            yield (step[0], labelled(step[1]), *step[2:])


def step_characters(steps: list[tuple[Any, ...]]) -> int:
    """The characters of the steps' text, not counting number marks.

    Labels and the separators of table cells only add to this, so a part
    past `max_characters` here is past it in the document too.
    """
    count = 0
    for step in steps:
        texts = step[1] if step[0] == "table" else [[step[1]]]
        for row in texts:
            for text in row:
                count += len(text)
                if "\x00" in text:
                    count -= sum(len(digits) + 2 for digits in _MARK.findall(text))
    return count


def _body_share(xml: bytes, part: int, parts: int) -> bytes | None:
    """The document holding share `part` of `parts` of the body, if it has one.

    Cuts fall at the start of a paragraph or table near an even share of
    the bytes, where every table, text box and content control opened since
    the body's start is closed again. Only a document as Word writes it is
    cut: UTF-8, `<w:document>` holding one `<w:body>` and nothing after it;
    any other stays whole, in share 0 (the same bytes). Should the count be
    fooled inside the body (a comment or CDATA holding tags), the cut leaves
    an element, comment or CDATA open, the share before it does not parse,
    and its reader reads the whole body instead.
    """
    body = _body_span(xml) if parts > 1 else None
    if body is None:
        return xml if part == 0 else None
    start, end = body
    begin = start if part == 0 else _cut(xml, body, part, parts)
    if begin is None:
        return None
    later = (_cut(xml, body, k, parts) for k in range(part + 1, parts))
    stop = next((cut for cut in later if cut is not None), end)
    return xml[:start] + xml[begin:stop] + xml[end:]


def _body_span(xml: bytes) -> tuple[int, int] | None:
    """Where the body's content starts and ends, in a document Word wrote."""
    head = _WORD_HEAD.match(xml)
    tail = _WORD_TAIL.search(xml, len(xml) - 64)
    if head is None or tail is None or _W_PREFIX not in head.group():
        return None
    if xml.count(b"<w:body") != 1 or xml.count(b"</w:body>") != 1:
        return None
    return head.end(), tail.start()


def _cut(xml: bytes, body: tuple[int, int], share: int, parts: int) -> int | None:
    """Where share `share` starts: in its own window of the body, or nowhere.

    Each window is searched on its own, so every reader finds the same cuts
    without the others, and a window with no place to cut costs its bytes
    once: candidates inside a container jump to its end tag, and after
    `_MOST_CANDIDATES` of them the window is given up.
    """
    start, end = body
    near = xml.find(b"<", start + (end - start) * share // parts, end)
    limit = start + (end - start) * (share + 1) // parts
    if near < 0:
        return None
    open_count = {tag: _opened(xml, tag, start, near) for tag in _CONTAINERS}
    at = counted = near
    for _ in range(_MOST_CANDIDATES):
        at = xml.find(b"<w:", at, limit)
        if at < 0:
            return None
        name = xml[at + 3 : at + 7]
        if name[:2] not in (b"p>", b"p ") and name not in (b"tbl>", b"tbl "):
            at += 3
            continue
        for tag in _CONTAINERS:
            open_count[tag] += _opened(xml, tag, counted, at)
        counted = at
        inside = next((tag for tag, n in open_count.items() if n), None)
        if inside is None:
            return at
        at = xml.find(b"</w:" + inside + b">", at, limit)
        if at < 0:
            return None
    return None


def _opened(xml: bytes, tag: bytes, start: int, end: int) -> int:
    """How many more `tag` elements open than close between the offsets."""
    opened = xml.count(b"<w:" + tag + b">", start, end)
    opened += xml.count(b"<w:" + tag + b" ", start, end)
    return opened - xml.count(b"</w:" + tag + b">", start, end)


def _main_part(archive: zipfile.ZipFile, filename: str) -> str:
    targets = _ooxml.relationship_targets(archive, "", filename, KIND)
    main = targets.get("officeDocument", "word/document.xml")
    if not _ooxml.has_part(archive, main):
        raise _refusals.corrupt(filename, KIND, "it has no main document part")
    return main


def _optional(archive: zipfile.ZipFile, part: str | None, filename: str) -> Any | None:
    if not part or not _ooxml.has_part(archive, part):
        return None
    return _ooxml.part_xml(archive, part, filename, KIND)


def _styles(
    archive: zipfile.ZipFile, part: str | None, filename: str, w: str
) -> dict[str, _Style]:
    root = _optional(archive, part, filename)
    if root is None:
        return {}
    styles = {}
    for element in root.iterchildren(f"{{{w}}}style"):
        style = _Style()
        for child in element:
            _style_property(style, child, w)
        styles[element.get(f"{{{w}}}styleId", "")] = style
    return styles


def _style_property(style: _Style, child: Any, w: str) -> None:
    tag = child.tag
    if tag == f"{{{w}}}name":
        style.name = child.get(f"{{{w}}}val", "")
    elif tag == f"{{{w}}}basedOn":
        style.based_on = child.get(f"{{{w}}}val", "")
    elif tag == f"{{{w}}}pPr":
        num_id, ilvl = _number_reference(child, w)
        style.num_id, style.ilvl = num_id, ilvl
        outline = child.find(f"{{{w}}}outlineLvl")
        if outline is not None and outline.get(f"{{{w}}}val", "").isdigit():
            style.outline = int(outline.get(f"{{{w}}}val"))
    elif tag == f"{{{w}}}rPr":
        bold = child.find(f"{{{w}}}b")
        if bold is not None:
            style.bold = bold.get(f"{{{w}}}val", "1") not in OFF


def _number_reference(ppr: Any, w: str) -> tuple[str | None, int | None]:
    numpr = ppr.find(f"{{{w}}}numPr")
    if numpr is None:
        return None, None
    num = numpr.find(f"{{{w}}}numId")
    lvl = numpr.find(f"{{{w}}}ilvl")
    num_id = num.get(f"{{{w}}}val") if num is not None else None
    ilvl = lvl.get(f"{{{w}}}val", "0") if lvl is not None else None
    return num_id, int(ilvl) if ilvl and ilvl.isdigit() else None


@dataclass(slots=True)
class _Paragraph:
    text: str
    label: str | None
    heading: int | None
    list_level: int | None
    style_bold: bool | None
    contents_line: bool
    boxes: list[Any]
    element: Any


class _Body:
    """Walks body content in order and feeds the outline."""

    def __init__(self, w: str, styles: dict[str, _Style], numbering: Numbering) -> None:
        self.w = w
        self.styles = styles
        self.numbering = numbering
        self.steps: list[tuple[Any, ...]] = []
        self.title: str | None = None
        self.tags = {name: f"{{{w}}}{name}" for name in _TAGS}
        self.special = (*tags_of(w, "txbxContent", "moveFrom"), f"{{{MC}}}Fallback")
        self.marked = tags_of(w, "t", "tab", "br", "cr", "noBreakHyphen")
        self.marks = {
            self.tags["tab"]: "\t",
            self.tags["br"]: " ",
            self.tags["cr"]: " ",
        }
        self.marks[self.tags["noBreakHyphen"]] = "-"
        self.resolved: dict[str, _Style] = {}

    def walk(self, container: Any) -> None:
        """Read paragraphs, tables and content controls in order."""
        tags = self.tags
        for child in container:
            tag = child.tag
            if tag == tags["p"]:
                self._paragraph(child)
            elif tag == tags["tbl"]:
                self.steps.append(("table", self._rows(child)))
            elif tag in (tags["sdt"], tags["customXml"], tags["ins"], tags["smartTag"]):
                content = child.find(tags["sdtContent"])
                self.walk(content if content is not None else child)

    def _paragraph(self, element: Any) -> None:
        para = self.read_paragraph(element)
        if para.text:
            self._place(para)
        for box in para.boxes:
            self.walk(box)

    def _place(self, para: _Paragraph) -> None:
        text = f"{para.label} {para.text}" if para.label else para.text
        if para.heading is not None:
            self.steps.append(("heading", text, para.heading))
        elif para.list_level is not None:
            self.steps.append(("list item", text, para.list_level))
        elif _looks_like_heading(text) and self.is_bold(para):
            self.steps.append(("bold", text))
        else:
            self.steps.append(("paragraph", text, 0))

    def read_paragraph(self, element: Any) -> _Paragraph:
        """A paragraph's text, number label, heading level and text boxes."""
        raw, boxes = self._text(element)
        text = " ".join(raw.split())
        style, label, ilvl, outline = self._numbered(element)
        heading = self._heading_level(style, outline, raw)
        if heading is None and style.name.lower() == "title" and self.title is None:
            self.title = text or None
        list_level = ilvl + 1 if label is not None else None
        if list_level is None and style.name.lower().startswith("list"):
            list_level = 1
        contents = bool(TOC_LINE.search(raw))
        return _Paragraph(
            text,
            label or None,
            heading,
            list_level,
            style.bold,
            contents,
            boxes,
            element,
        )

    def cell_paragraph(self, element: Any) -> str:
        """A table cell paragraph's text with its number label, and no more.

        Cells hold most of a specification's paragraphs; headings, lists and
        titles are not looked for there, but numbering still counts them.
        """
        raw, _ = self._text(element)
        text = " ".join(raw.split())
        label = self._numbered(element)[1]
        return f"{label} {text}" if label and text else text

    def _numbered(self, element: Any) -> tuple[_Style, str | None, int | None, Any]:
        """The paragraph's style, number label (counted), level and outline."""
        style_id, num_id, ilvl, outline = self._properties(element)
        style = self._style_chain(style_id)
        num_id = num_id if num_id is not None else style.num_id
        if ilvl is None:
            ilvl = style.ilvl
        if ilvl is None:
            ilvl = self.numbering.level_of_style(style.numbered_by)
        label = self.numbering.mark(num_id, ilvl) if num_id not in (None, "0") else None
        return style, label, ilvl, outline

    def _text(self, element: Any) -> tuple[str, list[Any]]:
        # Most paragraphs hold no text box, no moved-away text and no
        # fallback drawing: their text is every w:t in order, which lxml
        # finds in C. The others take the careful walk.
        marks, special = self.marks, self.special
        parts: list[str] = []
        for el in element.iter(*self.marked, *special):
            if el.tag in special:
                break
            parts.append(marks.get(el.tag) or el.text or "")
        else:
            return "".join(parts), []
        parts = []
        boxes: list[Any] = []
        self._collect(element, parts, boxes)
        return "".join(parts), boxes

    def is_bold(self, para: _Paragraph) -> bool:
        """Whether every run with text in the paragraph is bold."""
        if para.contents_line:
            return False
        tags = self.tags
        seen = False
        for run in para.element.iter(tags["r"]):
            text = "".join(t.text or "" for t in run.iterchildren(tags["t"]))
            if not text.strip():
                continue
            seen = True
            rpr = run.find(tags["rPr"])
            mark = rpr.find(tags["b"]) if rpr is not None else None
            bold = (
                para.style_bold
                if mark is None
                else mark.get(tags["val"], "1") not in OFF
            )
            if not bold:
                return False
        return seen

    def _properties(
        self, element: Any
    ) -> tuple[str, str | None, int | None, int | None]:
        # w:pPr comes first in a paragraph (ECMA-376 17.3.1.22), so one
        # look at the first child and one pass over its children suffice.
        ppr = element[0] if len(element) else None
        if ppr is None or ppr.tag != self.tags["pPr"]:
            return "", None, None, None
        tags, val = self.tags, self.tags["val"]
        style_id, num_id, ilvl, outline = "", None, None, None
        for child in ppr:
            tag = child.tag
            if tag == tags["pStyle"]:
                style_id = child.get(val, "")
            elif tag == tags["numPr"]:
                num_id, ilvl = _number_reference(ppr, self.w)
            elif tag == tags["outlineLvl"]:
                level = child.get(val, "")
                outline = int(level) if level.isdigit() else None
        return style_id, num_id, ilvl, outline

    def _style_chain(self, style_id: str) -> _Style:
        if style_id not in self.resolved:
            self.resolved[style_id] = self._resolve_style(style_id)
        return self.resolved[style_id]

    def _resolve_style(self, style_id: str) -> _Style:
        # Resolve basedOn: the nearest style that says a thing decides it.
        merged = _Style()
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            merged.name = merged.name or style.name
            # numId and ilvl inherit apart: "Heading 4" may name only its
            # level and take the list from "Heading 3".
            if merged.num_id is None and style.num_id is not None:
                merged.num_id, merged.numbered_by = style.num_id, style_id
            if merged.ilvl is None:
                merged.ilvl = style.ilvl
            if merged.outline is None:
                merged.outline = style.outline
            if merged.bold is None:
                merged.bold = style.bold
            style_id = style.based_on
        if not merged.name and "Normal" in self.styles and "Normal" not in seen:
            merged.bold = self.styles["Normal"].bold
        return merged

    def _heading_level(
        self, style: _Style, outline: int | None, text: str
    ) -> int | None:
        if not text.strip() or len(text) > LONGEST_HEADING or TOC_LINE.search(text):
            return None
        match = HEADING_STYLE.match(style.name)
        if match:
            return int(match.group(1))
        level = outline if outline is not None else style.outline
        if level is not None and level < 9:
            return level + 1
        return None

    def _collect(self, element: Any, parts: list[str], boxes: list[Any]) -> None:
        tags = self.tags
        for child in element:
            tag = child.tag
            if tag == tags["t"]:
                parts.append(child.text or "")
            elif tag == tags["tab"]:
                parts.append("\t")
            elif tag in (tags["br"], tags["cr"]):
                parts.append(" ")
            elif tag == tags["noBreakHyphen"]:
                parts.append("-")
            elif tag == tags["txbxContent"]:
                boxes.append(child)
            elif tag in _SKIPPED or tag in (
                tags["del"],
                tags["moveFrom"],
                tags["pPr"],
                tags["rPr"],
            ):
                continue
            elif isinstance(tag, str):
                self._collect(child, parts, boxes)

    def _rows(self, table: Any) -> list[tuple[str, ...]]:
        tags = self.tags
        rows = []
        for row in _children(table, tags["tr"], tags):
            cells: list[str] = []
            for cell in _children(row, tags["tc"], tags):
                span, continued = _merge(cell, tags)
                cells.append("" if continued else self._cell_text(cell))
                cells.extend([""] * (span - 1))
            if any(cells):
                rows.append(tuple(cells))
        return rows

    def _cell_text(self, cell: Any) -> str:
        texts = [self.cell_paragraph(child) for child in cell.iter(self.tags["p"])]
        return "\n".join(text for text in texts if text)


class _Placer:
    """Lays steps out into an outline, deciding the depth of bold headings.

    A bold line's depth depends on the headings before it, which a reader
    of a later share has not seen; so it is decided here, in order.
    """

    def __init__(self) -> None:
        self.outline = Outline()
        self.open_kind = ""
        self.open_level = 0

    def replay(self, steps: list[tuple[Any, ...]]) -> None:
        outline = self.outline
        for step in steps:
            kind = step[0]
            if kind == "table":
                outline.table(step[1])
            elif kind == "heading":
                self._heading(step[1], step[2], "styled")
            elif kind == "bold":
                numbered = SECTION_NUMBER.match(step[1])
                level = self._bold_level(step[1])
                self._heading(step[1], level, "numbered" if numbered else "bold")
            else:
                outline.add(kind, step[1], step[2])

    def _heading(self, text: str, level: int, kind: str) -> None:
        self.outline.heading(text, level)
        self.open_kind, self.open_level = kind, level

    def _bold_level(self, text: str) -> int:
        # A numbered bold line takes its depth from its number; an
        # unnumbered one sits under the last real heading, or beside the
        # last bold one.
        number = SECTION_NUMBER.match(text)
        if number:
            return len(number.group().split("."))
        if self.open_kind == "bold":
            return self.open_level
        return self.open_level + 1


def _children(element: Any, tag: str, tags: dict[str, str]) -> Iterator[Any]:
    # Rows and cells may sit inside content controls or tracked insertions.
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (tags["sdt"], tags["customXml"], tags["ins"]):
            content = child.find(tags["sdtContent"])
            yield from _children(content if content is not None else child, tag, tags)


def _merge(cell: Any, tags: dict[str, str]) -> tuple[int, bool]:
    # w:tcPr comes first in a cell (ECMA-376 17.4.66).
    props = cell[0] if len(cell) else None
    if props is None or props.tag != tags["tcPr"]:
        return 1, False
    span, continued = 1, False
    for child in props:
        if child.tag == tags["gridSpan"]:
            value = child.get(tags["val"], "1")
            span = int(value) if value.isdigit() and int(value) > 0 else 1
        elif child.tag == tags["vMerge"]:
            continued = child.get(tags["val"], "continue") != "restart"
    return span, continued


def tags_of(w: str, *names: str) -> tuple[str, ...]:
    """Clark names of WordprocessingML elements."""
    return tuple(f"{{{w}}}{name}" for name in names)


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or len(text) > 100 or TOC_LINE.search(text):
        return False
    return not text.endswith((".", ",", ";")) and not text[:1].islower()


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIPPED = {
    f"{{{MC}}}Fallback",  # the same drawing again, for old readers
}
_TAGS = [
    "body",
    "p",
    "tbl",
    "tr",
    "tc",
    "sdt",
    "sdtContent",
    "customXml",
    "ins",
    "smartTag",
    "t",
    "r",
    "tab",
    "br",
    "cr",
    "noBreakHyphen",
    "txbxContent",
    "del",
    "moveFrom",
    "pPr",
    "rPr",
    "pStyle",
    "val",
    "outlineLvl",
    "tcPr",
    "gridSpan",
    "vMerge",
    "b",
    "numPr",
]
