"""Pair the items of two versions by a key, for the diffs of requirements and WBS."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["pair_by"]

T = TypeVar("T")


def pair_by(
    old: list[T], new: list[T], key: Callable[[T], Hashable | None]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items of `old` and `new` with equal keys, first come first paired.

    Items whose key is None or empty are never paired. Returns the pairs,
    then the old items and the new items left unpaired, each in its order.
    """
    waiting: dict[Hashable, list[T]] = {}
    for item in new:
        value = key(item)
        if value:
            waiting.setdefault(value, []).append(item)
    pairs, unpaired = [], []
    for item in old:
        value = key(item)
        candidates = waiting.get(value, []) if value else []
        if candidates:
            pairs.append((item, candidates.pop(0)))
        else:
            unpaired.append(item)
    paired = {id(b) for _, b in pairs}
    return pairs, unpaired, [b for b in new if id(b) not in paired]
