"""Find the requirements in a document's blocks.

Four things count as a requirement, in this order of precedence:

1. a row of a requirement matrix (see `_matrix`), one per row;
2. a user story ("As a <role>, I want ..."), one per story;
3. a block that starts with a reference id (`FR 1 — ...`, `REQ-12 ...`),
   one per block, modal verb or not: the id says the document means it;
4. any other sentence that binds with shall, must, will, should or may,
   one per sentence, so a paragraph of five shall-sentences gives five.

A sentence that ends in a colon ("The system shall:") is a lead-in: the list
items under it are joined to it into one requirement, because neither half
means anything alone. Reference ids come from the block or sentence itself,
from an id standing alone in the block before (tables flattened by a PDF
reader), or else from the nearest heading that names one
(`Load Definitions (SRS -001)`); a shared id gets `-2`, `-3` in its `id`.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ptah_kernel.documents.content import Block, Table
from ptah_kernel.requirements import _refs, _statements, _stories
from ptah_kernel.requirements._identity import base_id, unique_ids
from ptah_kernel.requirements._kinds import kind_of
from ptah_kernel.requirements._matrix import is_record_table, matrix_rows
from ptah_kernel.requirements._pieces import reading_pieces
from ptah_kernel.requirements.ambiguity import ambiguity_flags
from ptah_kernel.requirements.model import FoundRequirement, Modality, Source

logger = logging.getLogger(__name__)

_GLOSSARY = re.compile(r"definition|glossary|acronym|abbreviation|terminology", re.I)
_MAX_LIST_ITEMS = 60
_MIN_HEADING_WORDS = 10
_MIN_STATEMENT_WORDS = 7
_NUMBERED_ITEM = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+\S(?:\S*\s+){0,7}\S*$")
# How many blocks below an id standing alone its text may come (a PDF reader
# may put a whole column of ids before the column of texts).
_REF_REACH = 8


@dataclass(slots=True)
class _Draft:
    ref: str
    text: str
    anchor: str
    modality: Modality
    source: Source
    block_index: int
    label: str = ""  # the kind a matrix's Type or Category column gives


def find_requirements(
    blocks: Sequence[Block], *, lineage: str
) -> list[FoundRequirement]:
    """The requirements in a document's blocks, in reading order.

    `lineage` is the document's short name, unique in the project; it
    prefixes every id (`themas:SRS-001`, or `themas:3f2a9c01` for a
    requirement without a reference id).
    """
    return name_drafts(find_drafts(blocks), lineage)


def find_drafts(blocks: Sequence[Block], offset: int = 0) -> list[tuple[Any, ...]]:
    """The requirements of a run of blocks, not yet named, as plain tuples.

    `offset` is the index of the run's first block in the document. Runs cut
    where `independent_runs` says give the same requirements as the whole.
    Each tuple carries its kind and ambiguity flags, so the work can be done
    in another process; `name_drafts` gives them their ids.
    """
    return [
        (
            d.ref,
            d.text,
            d.anchor,
            d.modality,
            kind_of(d.text, d.label),
            d.source,
            d.block_index + offset,
            tuple(ambiguity_flags(d.text)),
        )
        for d in _Finder(blocks).drafts()
    ]


def name_drafts(drafts: list[tuple[Any, ...]], lineage: str) -> list[FoundRequirement]:
    """The drafts of `find_drafts`, in order, with their project-wide ids."""
    ids = unique_ids(base_id(lineage, draft[0], draft[1]) for draft in drafts)
    found = [
        FoundRequirement(id_, ref, text, anchor, modality, kind, source, index, flags)
        for (ref, text, anchor, modality, kind, source, index, flags), id_ in zip(
            drafts, ids, strict=True
        )
    ]
    logger.debug("Found %d requirements", len(found))
    return found


def independent_runs(blocks: Sequence[Block], runs: int) -> list[int]:
    """Where to cut the blocks into about `runs` runs the finder reads apart.

    A cut goes just before a heading or a table: the finder forgets waiting
    ids there, joins no paragraph across them, and a lead-in's list stops
    there (not before a heading that may be a list item or a contents line).
    Returns the start index of each run after the first.
    """
    cuts: list[int] = []
    for run in range(1, runs):
        at = _safe_cut(blocks, len(blocks) * run // runs)
        if at is not None and (not cuts or at > cuts[-1]):
            cuts.append(at)
    return cuts


def _safe_cut(blocks: Sequence[Block], near: int) -> int | None:
    for index in range(max(near, 1), len(blocks)):
        block = blocks[index]
        if block.table is not None or (
            block.kind == "heading"
            and not _NUMBERED_ITEM.match(block.text)
            and not _statements.is_table_of_contents(block.text)
        ):
            return index
    return None


class _Finder:
    """One walk over the blocks, remembering ids that wait for their text."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.pieces = reading_pieces(blocks)
        self.found: list[_Draft] = []
        self.waiting_refs: deque[tuple[str, int]] = deque()
        self.joined: set[int] = set()
        self.story_ends_at = -2

    def drafts(self) -> list[_Draft]:
        for position, (index, block) in enumerate(self.pieces):
            if position not in self.joined:
                self._read(position, index, block)
        return self.found

    def _read(self, position: int, index: int, block: Block) -> None:
        if block.table is not None:
            self._read_table(index, block.table)
            return
        if _statements.is_table_of_contents(block.text):
            return
        if block.kind == "heading":
            # A heading that names an id (`FR-01: Login`) hands it to the
            # first statement below, even one without a modal verb.
            self.waiting_refs.clear()
            if _refs.heading_ref(block.text):
                self.waiting_refs.append((_refs.heading_ref(block.text), position))
            if _is_sentence_heading(block.text):
                self._read_statements(position, index, block)
            return

        if self._read_story(index, block) or self._read_refs(position, index, block):
            return
        self._read_statements(position, index, block)

    def _read_table(self, index: int, table: Table) -> None:
        self.waiting_refs.clear()
        rows = matrix_rows(table)
        if rows is not None:
            for row in rows:
                text = _statements.tidy(row.text)
                modality = _statements.modality(text)
                anchor = _row_anchor(table, row.row)
                self._add(row.ref, text, anchor, modality, "matrix", index, row.label)
            return

        # Not a matrix: a table of parameters or definitions still may hold a
        # binding sentence in a cell; only shall and must count there. Review
        # sheets and revision histories quote requirements, they do not make them.
        if not is_record_table(table):
            for number, cells in enumerate(table.rows):
                for cell in cells:
                    self._read_cell(cell, _row_anchor(table, number), index)

    def _read_cell(self, cell: str, anchor: str, index: int) -> None:
        for sentence in _statements.split_sentences(cell):
            modality = _statements.modality(sentence)
            if modality in ("shall", "must") and _statements.is_statement(sentence):
                ref = _refs.bracketed_ref(sentence)
                self._add(ref, sentence, anchor, modality, "statement", index)

    def _read_story(self, index: int, block: Block) -> bool:
        story = _stories.story_text(block.text)
        if story:
            self._add("", story, block.anchor, "", "story", index)
            self.story_ends_at = index
            return True

        if self.story_ends_at == index - 1 and _stories.is_continuation(block.text):
            continued, _ = _stories.strip_marker(block.text)
            self.found[-1].text += f" {continued}"
            self.story_ends_at = index
            return True
        return False

    def _read_refs(self, position: int, index: int, block: Block) -> bool:
        if _GLOSSARY.search(block.heading_path[-1] if block.heading_path else ""):
            return False
        alone = _refs.ref_alone(block.text)
        if alone:
            self.waiting_refs.append((alone, position))
            return True

        leading = _refs.leading_ref(block.text)
        if leading is None:
            return False
        ref, text = leading
        if not (_statements.modality(text) or _is_sentence_like(text)):
            return False
        text = self._with_list_items(position, block, _statements.tidy(text))
        modality = _statements.modality(text)
        self._add(ref, text, block.anchor, modality, "statement", index)
        return True

    def _read_statements(self, position: int, index: int, block: Block) -> None:
        text = _statements.without_section_number(block.text)
        sentences = _statements.split_sentences(text)
        found_any = False
        for number, sentence in enumerate(sentences):
            if not _statements.is_statement(sentence):
                continue
            if number == len(sentences) - 1:
                sentence = self._with_list_items(position, block, sentence)
            ref = (
                _refs.bracketed_ref(sentence)
                or self._waiting_ref(position)
                or _heading_ref(block)
            )
            modality = _statements.modality(sentence)
            self._add(ref, sentence, block.anchor, modality, "statement", index)
            found_any = True

        # An id standing alone just above names this block even without a
        # modal verb ("REQ-1:" then "Master Password has no length limit.").
        if not found_any and _is_sentence_like(text):
            ref = self._waiting_ref(position)
            if ref:
                self._add(
                    ref, _statements.tidy(text), block.anchor, "", "statement", index
                )

    def _waiting_ref(self, position: int) -> str:
        while self.waiting_refs:
            ref, seen_at = self.waiting_refs.popleft()
            if position - seen_at <= _REF_REACH:
                return ref
        return ""

    def _with_list_items(self, position: int, block: Block, sentence: str) -> str:
        if not _statements.is_lead_in(sentence):
            return sentence
        deeper = block.level + (block.kind == "list item")
        items: list[str] = []
        for later in range(position + 1, len(self.pieces)):
            _, item = self.pieces[later]
            if not _is_list_item(item, deeper):
                break
            if len(items) == _MAX_LIST_ITEMS:
                break
            items.append(_statements.tidy(item.text))
            self.joined.add(later)
        return f"{sentence} {'; '.join(items)}" if items else sentence

    def _add(
        self,
        ref: str,
        text: str,
        anchor: str,
        modality: Modality,
        source: Source,
        index: int,
        label: str = "",
    ) -> None:
        self.found.append(_Draft(ref, text, anchor, modality, source, index, label))


def _is_list_item(block: Block, level: int) -> bool:
    """Whether a block is an item of the list a lead-in opens.

    PDF readers sometimes take short numbered items (`1. Mission Planning`)
    for headings; after a lead-in they are list items all the same.
    """
    if block.kind == "list item":
        return block.level >= level
    return block.kind == "heading" and bool(_NUMBERED_ITEM.match(block.text))


def _is_sentence_like(text: str) -> bool:
    """Whether text without a modal verb reads as a statement, not a title.

    A trace table row `SRS-001 Load H/C Unit Definitions` is a title; `REQ-4:
    Master Password has no limits in length.` is a statement.
    """
    words = len(text.split())
    return words >= _MIN_STATEMENT_WORDS or (words >= 4 and text.rstrip()[-1:] in ".!")


def _heading_ref(block: Block) -> str:
    """The reference id of the nearest heading above the block that has one."""
    for title in reversed(block.heading_path):
        ref = _refs.heading_ref(title)
        if ref:
            return ref
    return ""


def _is_sentence_heading(text: str) -> bool:
    """Whether a "heading" is really a numbered requirement sentence."""
    if not _statements.modality(text):
        return False
    return text.rstrip().endswith(".") or len(text.split()) >= _MIN_HEADING_WORDS


def _row_anchor(table: Table, row: int) -> str:
    return table.row_anchors[row] if row < len(table.row_anchors) else ""
