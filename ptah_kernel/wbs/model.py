"""The WBS item as stored: a code in the tree, what it covers, its estimate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ItemKind = Literal["phase", "deliverable", "work package"]
ITEM_KINDS: tuple[ItemKind, ...] = ("phase", "deliverable", "work package")


@dataclass(slots=True)
class WorkItem:
    """One node of the WBS tree.

    `code` is the outline number (`1`, `1.2`, `1.2.3`); its parent is the
    code without the last part. Estimates are hours and stay None until an
    analyst gives them: Ptah never invents numbers. `depends_on` lists the
    predecessors as the CSV writes them: a code, a link type (FS when left
    out) and an optional lag or lead, such as `1.2`, `1.2FS+2d`, `1.3SS-4h`.
    """

    code: str
    name: str
    kind: ItemKind
    requirements: list[str] = field(default_factory=list)
    description: str = ""
    role: str = ""
    optimistic_hours: float | None = None
    most_likely_hours: float | None = None
    pessimistic_hours: float | None = None
    status: str = ""
    notes: str = ""
    depends_on: list[str] = field(default_factory=list)

    @property
    def parent_code(self) -> str | None:
        """The parent's code, or None for a top-level item."""
        head, _, _ = self.code.rpartition(".")
        return head or None

    @property
    def level(self) -> int:
        """Depth in the tree, 1 for a top-level item."""
        return self.code.count(".") + 1
