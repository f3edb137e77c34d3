"""Pairing two versions' items by a key."""

from __future__ import annotations

from ptah_kernel.pairing import pair_by


def test_pair_by_pairs_equal_keys_in_order_and_keeps_the_rest():
    old = ["a1", "b1", "a2", "x"]
    new = ["a9", "c9", "a8"]

    pairs, left, right = pair_by(old, new, lambda s: s[0] if s != "x" else None)

    assert pairs == [("a1", "a9"), ("a2", "a8")]
    assert (left, right) == (["b1", "x"], ["c9"])


def test_pair_by_never_pairs_empty_keys():
    pairs, left, right = pair_by(["", "q"], ["", "q"], lambda s: s)

    assert pairs == [("q", "q")]
    assert (left, right) == ([""], [""])
