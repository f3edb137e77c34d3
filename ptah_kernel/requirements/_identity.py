"""Project-wide requirement ids that survive a new version of the document.

An id is the lineage name and the reference id the document gives
(`themas:SRS-001`), or, without one, the lineage name and the first 8 hex
digits of the SHA-1 of the normalised text (`srs:3f2a9c01`). A position never
enters an id, so a requirement keeps its id when text moves around it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Lowercase, punctuation removed, whitespace folded to single spaces."""
    return _SPACES.sub(" ", _PUNCTUATION.sub("", text.lower())).strip()


def text_hash(text: str) -> str:
    """The 8 hex digits that name a requirement without a reference id."""
    digest = hashlib.sha1(normalise_text(text).encode("utf-8"))
    return digest.hexdigest()[:8]


def base_id(lineage: str, ref: str, text: str) -> str:
    """`<lineage>:<ref>`, spaces in the ref as hyphens; else the text hash."""
    if ref:
        return f"{lineage}:{_SPACES.sub('-', ref.strip())}"
    return f"{lineage}:{text_hash(text)}"


def unique_ids(ids: Iterable[str]) -> list[str]:
    """The ids in order, later repeats suffixed `-2`, `-3` to keep them unique.

    The first requirement keeps the plain id, so adding a repeat further down
    a new version does not rename the ones above it.
    """
    taken: set[str] = set()
    result = []
    for wanted in ids:
        chosen, count = wanted, 1
        while chosen in taken:
            count += 1
            chosen = f"{wanted}-{count}"
        taken.add(chosen)
        result.append(chosen)
    return result
