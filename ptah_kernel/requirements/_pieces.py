"""The blocks as the finder reads them, after two repairs of reader output.

PDF readers cut a sentence in two when a table cell or a page wraps it
("The CAS system shall enable administrators to" / "manage groups."), and
run several id-led requirements into one paragraph ("... number of items
NFR 2 — The tools shall scale ... NFR 3 — ..."). The finder reads pieces:
cut sentences joined again, run-on paragraphs cut before each id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ptah_kernel.documents.content import Block
from ptah_kernel.requirements import _refs, _stories

_SENTENCE_ENDS = frozenset(".!?:;")
# A paragraph that ends on one of these words was cut mid-sentence.
_DANGLING = """
a an the of to in on at by for from with and or all any each shall must will
should may be is are not that which
"""
_DANGLING_WORDS = frozenset(_DANGLING.split())


def reading_pieces(blocks: Sequence[Block]) -> list[tuple[int, Block]]:
    """The blocks as the finder reads them, each with its index in `blocks`.

    Two repairs of what PDF readers hand over: a paragraph cut mid-sentence
    (no closing punctuation, and the next one starts in lowercase or this
    one ends on "the", "to", "shall" ...) is joined again, and a paragraph
    holding several id-led requirements (`... NFR 2 — ... NFR 3 — ...`) is
    cut before each id. Only paragraphs read from pages are joined: a Word
    paragraph is the author's (a code listing is a paragraph per line), and
    the Markdown and text readers already join the lines of a paragraph.
    """
    joined: list[tuple[int, Block]] = []
    for index, block in enumerate(blocks):
        if joined and _continues(joined[-1][1], block):
            start, previous = joined[-1]
            text = f"{previous.text} {block.text}"
            joined[-1] = (start, replace(previous, text=text))
        else:
            joined.append((index, block))

    pieces: list[tuple[int, Block]] = []
    for index, block in joined:
        pieces.extend((index, piece) for piece in _split_at_refs(block))
    return pieces


def _split_at_refs(block: Block) -> list[Block]:
    if block.table is not None or block.kind == "heading":
        return [block]
    head, *rest = _refs.split_at_refs(block.text) or [block.text]
    return [
        replace(block, text=head),
        *(replace(block, text=text, kind="paragraph", level=0) for text in rest),
    ]


def _continues(previous: Block, block: Block) -> bool:
    if previous.page is None or block.page is None:
        return False
    if previous.kind != "paragraph" or previous.table is not None:
        return False
    if block.kind not in ("paragraph", "list item") or block.table is not None:
        return False
    if previous.heading_path != block.heading_path or _is_backlog_line(block.text):
        return False
    ending = previous.text.rstrip()
    last_word = ending.rsplit(None, 1)[-1].lower() if ending else ""
    return ending[-1:] not in _SENTENCE_ENDS and (
        block.text[:1].islower() or last_word in _DANGLING_WORDS
    )


def _is_backlog_line(text: str) -> bool:
    return bool(_stories.story_text(text)) or _stories.strip_marker(text)[1]
