"""A requirement as the finder reports it, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Modality = Literal["shall", "must", "should", "will", "may", ""]
Source = Literal["statement", "story", "matrix"]


@dataclass(frozen=True, slots=True)
class FoundRequirement:
    """One requirement found in a document's blocks.

    `id` is unique in the project and stable across versions of the
    document: `<lineage>:<ref>` when the document gives a reference id,
    else `<lineage>:<short hash of the normalised text>`; never a position.
    `ref` is the id as the document writes it, or "". `modality` is the
    binding word (shall, must, should, will, may) or "" for a story or a
    matrix row that has none. `kind` is `functional` or a non-functional
    category (performance, security, usability, reliability, ...).
    `block_index` is the position of the block it came from. `ambiguity`
    holds the weak or open-ended terms the text uses (see `ambiguity_flags`).
    """

    id: str
    ref: str
    text: str
    anchor: str
    modality: Modality
    kind: str
    source: Source
    block_index: int
    ambiguity: tuple[str, ...] = ()
