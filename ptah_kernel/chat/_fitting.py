"""Fit the chosen documents into the model's context window.

When the documents are estimated to fit, nothing changes. When they do not,
the blocks most related to the question are kept, in reading order, as
text excerpts, and the rest is listed as left out. Relatedness is a plain
tf-idf overlap of words with the question: cheap, predictable, and easy
to explain to the analyst.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ptah_kernel.chat._context import Context, SentDocument

logger = logging.getLogger(__name__)

__all__ = ["context_window", "fit_documents"]

# Every current Claude model reads at least 200,000 tokens, so below this
# estimate no request is made to learn the model's window.
SURELY_FITS = 150_000
DEFAULT_WINDOW = 200_000
ROOM_FOR_TURNS = 20_000  # the question, the history and the project context
_WORD = re.compile(r"[a-z0-9][a-z0-9-]{2,}")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the and for with that this from are was were will shall must should may "
        "can what which who how why when where does not all any has have had its "
        "their into about there than then them they our your you",
    )
)
_windows: dict[str, int] = {}


def context_window(client: Any, model: str) -> int:
    """The model's context window in tokens, asked once per kernel."""
    import anthropic

    if model not in _windows:
        started = time.monotonic()
        try:
            info = client.models.retrieve(model)
            _windows[model] = int(info.max_input_tokens or DEFAULT_WINDOW)
            status: object = 200
        except anthropic.APIError as exc:  # a gateway may not serve /v1/models
            status = getattr(exc, "status_code", type(exc).__name__)
            _windows[model] = DEFAULT_WINDOW
        seconds = time.monotonic() - started
        logger.info("GET /v1/models/%s %s %.2fs", model, status, seconds)
    return _windows[model]


def fit_documents(
    context: Context, question: str, client: Any, model: str, max_tokens: int
) -> None:
    """Cut `context.documents` down to what fits, noting what was left out."""
    total = sum(sent.tokens for sent in context.documents)
    if total <= SURELY_FITS:
        return
    budget = context_window(client, model) - max_tokens - ROOM_FOR_TURNS
    if total <= budget:
        return

    ranked = _rank_blocks(context.documents, question)
    keep, used = set(), 0
    for cost, where in ranked:
        if used + cost <= budget:
            keep.add(where)
            used += cost
    for number, sent in enumerate(context.documents):
        _cut(sent, {i for d, i in keep if d == number}, context)


def _rank_blocks(
    documents: Sequence[SentDocument], question: str
) -> list[tuple[int, tuple[int, int]]]:
    from ptah_kernel.chat._documents import CHARS_PER_TOKEN

    words = [_words(b.text) for sent in documents for b in sent.blocks]
    rarity = _rarity(words)
    asked = set(_words(question)) - _STOP
    scored, flat = [], 0
    for number, sent in enumerate(documents):
        for index, block in enumerate(sent.blocks):
            counts = Counter(words[flat])
            score = sum(rarity[w] * math.log1p(counts[w]) for w in asked if w in counts)
            cost = len(block.text) // CHARS_PER_TOKEN + 8
            scored.append((-score, flat, cost, (number, index)))
            flat += 1
    scored.sort()
    return [(cost, where) for _, _, cost, where in scored]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _rarity(words: list[list[str]]) -> dict[str, float]:
    seen = Counter(word for block in words for word in set(block))
    total = len(words) or 1
    return {word: math.log(total / count) + 1 for word, count in seen.items()}


def _cut(sent: SentDocument, keep: set[int], context: Context) -> None:
    from ptah_kernel.chat._documents import CHARS_PER_TOKEN

    dropped = len(sent.blocks) - len(keep)
    if not dropped:
        return
    filename = sent.document.filename
    context.left_out.append(
        {"document": filename, "blocks": dropped, "of": len(sent.blocks)}
    )
    context.notes.append(
        f"{filename} did not fit with the rest: sent {len(keep)} of "
        f"{len(sent.blocks)} blocks, those most related to the question; "
        f"left out {dropped}."
    )
    sent.blocks = [b for i, b in enumerate(sent.blocks) if i in keep]
    sent.excerpt = True
    sent.tokens = sum(len(b.text) for b in sent.blocks) // CHARS_PER_TOKEN
