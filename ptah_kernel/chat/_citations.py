"""Claude's citations mapped back to the Ptah block they quote.

A plain-text document is cited by character range (`char_location`); the
text was built from the blocks, so the range finds its block exactly. A
PDF is cited by page (`page_location`; `end_page_number` is exclusive):
the block on that page holding the quoted text is chosen, else the page's
first block.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ptah_kernel.chat._context import SentDocument
    from ptah_kernel.documents.content import Block

__all__ = ["Citation", "CitationIndex"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered pointer from an answer to a place in a document."""

    number: int
    document_id: int
    filename: str
    anchor: str
    page: int | None
    quote: str

    @property
    def label(self) -> str:
        """What the notebook shows: `themas.pdf, p. 12` or `rfp.docx, §3 ¶2`."""
        if self.page is not None:
            return f"{self.filename}, p. {self.page}"
        return f"{self.filename}, {self.anchor}"

    @property
    def target(self) -> str:
        """A fragment naming the block, for links in notebook outputs."""
        from urllib.parse import quote

        return f"#ptah-document-{self.document_id}-{quote(self.anchor)}"

    def to_dict(self) -> dict[str, Any]:
        """The record stored with the turn."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        """A citation as stored with a turn."""
        return cls(**data)


class CitationIndex:
    """Numbers the places an answer cites; one number per block."""

    def __init__(self, documents: list[SentDocument]) -> None:
        self.documents = documents
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[int, str], int] = {}

    def add(self, cited: Any) -> Citation | None:
        """Map one SDK citation; None when it points at no document sent."""
        index = getattr(cited, "document_index", None)
        if index is None or not 0 <= index < len(self.documents):
            return None
        sent = self.documents[index]
        block = _block_for(sent, cited)
        anchor = block.anchor if block else _page_anchor(cited)
        page = _page_of(sent, block, cited)
        key = (sent.document.id, anchor)
        if key not in self._numbers:
            number = len(self.citations) + 1
            self._numbers[key] = number
            quote = _SPACE.sub(" ", getattr(cited, "cited_text", "") or "").strip()
            self.citations.append(
                Citation(
                    number,
                    sent.document.id,
                    sent.document.filename,
                    anchor,
                    page,
                    quote,
                )
            )
        return self.citations[self._numbers[key] - 1]


def _block_for(sent: SentDocument, cited: Any) -> Block | None:
    kind = getattr(cited, "type", "")
    if kind == "char_location" and sent.spans:
        starts = [start for start, _, _ in sent.spans]
        at = max(bisect.bisect_right(starts, cited.start_char_index) - 1, 0)
        return sent.blocks[sent.spans[at][2]]
    if kind == "page_location":
        page: int = cited.start_page_number
        return _block_on_page(sent.blocks, page, cited.cited_text)
    if kind == "content_block_location" and sent.blocks:
        return sent.blocks[min(cited.start_block_index, len(sent.blocks) - 1)]
    return None


def _block_on_page(blocks: list[Block], page: int, quote: str) -> Block | None:
    on_page = [b for b in blocks if b.page == page]
    needle = _SPACE.sub(" ", quote or "").strip().lower()[:60]
    for block in on_page:
        if needle and needle in _SPACE.sub(" ", block.text).lower():
            return block
    return on_page[0] if on_page else None


def _page_anchor(cited: Any) -> str:
    page = getattr(cited, "start_page_number", None)
    return f"p.{page}" if page is not None else "the document"


def _page_of(sent: SentDocument, block: Block | None, cited: Any) -> int | None:
    if not sent.as_pdf:
        return None
    if getattr(cited, "type", "") == "page_location":
        page: int = cited.start_page_number
        return page
    return block.page if block else None
