"""Edits of the WBS tree that keep its codes consistent.

Clients quote codes, so Ptah never renumbers behind an analyst's back:
deleting an item leaves a gap (1.1, 1.3) and reordering changes only the
position. An item that moves to another parent must take a code under it,
so it and its subtree get new codes; every such change is returned as an
`{old: new}` mapping, and dependencies follow it. `renumber()` closes gaps
and makes codes follow the order, and reports every code it changed.

Every function takes the items in outline order and returns new lists;
the caller stores them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.model import ItemKind, WorkItem

__all__ = [
    "add_item",
    "delete_item",
    "indent_item",
    "move_item",
    "outdent_item",
    "renumber",
    "reorder_item",
]

Renames = dict[str, str]
_LINK_CODE = re.compile(r"^(\d+(?:\.\d+)*)(.*)$")


def add_item(
    items: list[WorkItem],
    name: str,
    *,
    parent: str | None = None,
    kind: ItemKind = "work package",
    **fields: object,
) -> tuple[list[WorkItem], WorkItem]:
    """Add an item as the last child of `parent` (top level when None)."""
    if parent is not None:
        _index_of(items, parent)
    code = _next_code(items, parent)
    item = WorkItem(code=code, name=name, kind=kind, **fields)  # type: ignore[arg-type]
    at = _subtree_end(items, parent) if parent else len(items)
    return [*items[:at], item, *items[at:]], item


def delete_item(items: list[WorkItem], code: str) -> list[WorkItem]:
    """Remove an item with its subtree; links to the removed items go too."""
    _index_of(items, code)
    kept = [i for i in items if not _is_within(i.code, code)]
    removed = {i.code for i in items} - {i.code for i in kept}
    return [_without_links_to(i, removed) for i in kept]


def move_item(
    items: list[WorkItem], code: str, parent: str | None
) -> tuple[list[WorkItem], Renames]:
    """Make `code` the last child of `parent`; its subtree takes new codes."""
    _index_of(items, code)
    if parent is not None and _is_within(parent, code):
        raise WBSError(f"Item {code} cannot move under its own subtree ({parent}).")
    if parent is not None:
        _index_of(items, parent)
    subtree = [i for i in items if _is_within(i.code, code)]
    rest = [i for i in items if not _is_within(i.code, code)]
    new_code = _next_code(rest, parent)
    renames = {i.code: new_code + i.code[len(code) :] for i in subtree}
    at = _subtree_end(rest, parent) if parent else len(rest)
    moved = [*rest[:at], *subtree, *rest[at:]]
    return _apply_renames(moved, renames), renames


def indent_item(items: list[WorkItem], code: str) -> tuple[list[WorkItem], Renames]:
    """Make an item the last child of the sibling just above it."""
    siblings = _siblings(items, code)
    position = siblings.index(code)
    if position == 0:
        raise WBSError(f"Item {code} has no sibling above it to indent under.")
    return move_item(items, code, siblings[position - 1])


def outdent_item(items: list[WorkItem], code: str) -> tuple[list[WorkItem], Renames]:
    """Make an item a sibling of its parent, placed right after the parent."""
    parent = _parent(code)
    if parent is None:
        raise WBSError(f"Item {code} is at the top level already.")
    items, renames = move_item(items, code, _parent(parent))
    after_parent = _siblings(items, parent).index(parent) + 1
    return reorder_item(items, renames[code], after_parent), renames


def reorder_item(items: list[WorkItem], code: str, position: int) -> list[WorkItem]:
    """Move an item among its siblings to `position` (0 first); codes stay."""
    siblings = _siblings(items, code)
    if not 0 <= position < len(siblings):
        raise WBSError(
            f"Item {code} has {len(siblings)} siblings; choose a position from "
            f"0 to {len(siblings) - 1}."
        )
    order = [c for c in siblings if c != code]
    order.insert(position, code)
    parent = _parent(code)
    start = _index_of(items, parent) + 1 if parent else 0
    end = _subtree_end(items, parent) if parent else len(items)
    block = [i for c in order for i in items[start:end] if _is_within(i.code, c)]
    return [*items[:start], *block, *items[end:]]


def renumber(items: list[WorkItem]) -> tuple[list[WorkItem], Renames]:
    """Give every item the code its position says; return what changed."""
    counters: list[int] = []
    renames: Renames = {}
    for item in items:
        level = item.level
        counters = counters[:level]
        counters += [0] * (level - len(counters))
        counters[level - 1] += 1
        new_code = ".".join(map(str, counters))
        if new_code != item.code:
            renames[item.code] = new_code
    return _apply_renames(items, renames), renames


def _apply_renames(items: list[WorkItem], renames: Renames) -> list[WorkItem]:
    if not renames:
        return list(items)
    return [
        replace(
            item,
            code=renames.get(item.code, item.code),
            depends_on=[_renamed_link(link, renames) for link in item.depends_on],
        )
        for item in items
    ]


def _renamed_link(link: str, renames: Renames) -> str:
    match = _LINK_CODE.match(link)
    if match is None:
        return link
    return renames.get(match[1], match[1]) + match[2]


def _without_links_to(item: WorkItem, removed: set[str]) -> WorkItem:
    links = [link for link in item.depends_on if _link_code(link) not in removed]
    return item if links == item.depends_on else replace(item, depends_on=links)


def _link_code(link: str) -> str:
    match = _LINK_CODE.match(link)
    return match[1] if match else link


def _parent(code: str) -> str | None:
    head, _, _ = code.rpartition(".")
    return head or None


def _is_within(code: str, root: str) -> bool:
    return code == root or code.startswith(root + ".")


def _index_of(items: list[WorkItem], code: str) -> int:
    for index, item in enumerate(items):
        if item.code == code:
            return index
    raise WBSError(f"The WBS has no item {code}; check the code in wbs.to_frame().")


def _subtree_end(items: list[WorkItem], code: str) -> int:
    start = _index_of(items, code)
    end = start + 1
    while end < len(items) and _is_within(items[end].code, code):
        end += 1
    return end


def _siblings(items: list[WorkItem], code: str) -> list[str]:
    _index_of(items, code)
    parent = _parent(code)
    return [i.code for i in items if _parent(i.code) == parent]


def _next_code(items: list[WorkItem], parent: str | None) -> str:
    numbers = [
        int(i.code.rpartition(".")[2]) for i in items if _parent(i.code) == parent
    ]
    number = max(numbers, default=0) + 1
    return f"{parent}.{number}" if parent else str(number)
