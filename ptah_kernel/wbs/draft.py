"""The first WBS draft: a tree an analyst edits, built from the requirements.

The shape, from the top:

- one phase of functional scope per document, with a deliverable per
  section that holds requirements; a subsection that only names a part of
  its parent ("Inputs", "Processing") counts as its parent, and a leaf
  section with a single work package joins its parent section's
  deliverable as a work package named after its heading;
- one "User stories" phase with a deliverable per role ("moderator");
- one "Non-functional requirements" phase with a deliverable per category
  (performance, security, ...), across all documents.

A work package covers one requirement, or a few statements written in the
same paragraph (same document and anchor). Every requirement is covered by
exactly one work package. Estimates and roles stay empty: Ptah never
invents numbers. Nothing else is added (no project management or testing
phases) because an item that covers no requirement would read as a
coverage gap; that effort belongs to the estimate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs import _names
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["draft_wbs"]

log = logging.getLogger(__name__)

COLUMNS = (
    *("id", "ref", "text", "modality", "kind"),
    *("source", "document", "anchor", "section"),
)
REQUIRED = ("id", "text")
SECTION_SEPARATOR = " › "

# At most this many statements of one paragraph share a work package, so a
# page a reader could not split into paragraphs does not become one package.
PARAGRAPH_GROUP_LIMIT = 5


class Requirement(NamedTuple):
    """One row of the requirements frame, every field a string."""

    id: str
    ref: str
    text: str
    modality: str
    kind: str
    source: str
    document: str
    anchor: str
    section: str


@dataclass
class Package:
    """A work package being drafted."""

    name: str
    rows: list[Requirement]


@dataclass
class Deliverable:
    """A deliverable being drafted, with its work packages."""

    name: str
    description: str
    packages: list[Package] = field(default_factory=list)


@dataclass
class Phase:
    """A phase being drafted, with its deliverables."""

    name: str
    description: str
    deliverables: list[Deliverable]


def draft_wbs(requirements: pd.DataFrame) -> list[WorkItem]:
    """Draft a WBS that covers every requirement once, with no estimates.

    `requirements` has the columns `id` and `text`, and usually `ref`,
    `modality`, `kind`, `source`, `document`, `anchor` and `section` (a
    missing one counts as empty). Rows are taken in the order given, which
    should be reading order; the draft keeps it, so the same frame always
    gives the same WBS. A repeated id is drafted once, from its first row.

    Returns the items in outline order: phases (`1`), deliverables (`1.2`)
    and work packages (`1.2.3`), each work package listing the ids it
    covers. Raises WBSError when a column or an id is missing.
    """
    rows = _read_rows(requirements)
    if not rows:
        return []

    phases = _functional_phases(rows) + _story_phase(rows) + _quality_phase(rows)
    return _numbered(phases)


def _read_rows(requirements: pd.DataFrame) -> list[Requirement]:
    missing = [name for name in REQUIRED if name not in requirements.columns]
    if missing:
        raise WBSError(
            f"The requirements have no {', '.join(missing)} column; a draft "
            f"needs {' and '.join(REQUIRED)}. Pass `project.requirements`."
        )

    frame = requirements.reindex(columns=list(COLUMNS)).astype(object)
    frame = frame.where(frame.notna(), "").astype(str)
    rows, seen = [], set()
    records = frame.itertuples(index=False, name=None)
    for number, values in enumerate(records, start=1):
        row = Requirement(*(value.strip() for value in values))
        if not row.id:
            raise WBSError(
                f"Requirement row {number} has no id; every requirement needs "
                "its project-wide id so the WBS can trace it."
            )
        if row.id not in seen:
            seen.add(row.id)
            rows.append(row)

    if len(rows) < len(frame):
        log.warning("%d repeated requirement ids drafted once", len(frame) - len(rows))
    return rows


def _is_quality(row: Requirement) -> bool:
    return row.kind.lower() not in ("", "functional")


def _is_story(row: Requirement) -> bool:
    return row.source == "story" and not _is_quality(row)


def _functional_phases(rows: list[Requirement]) -> list[Phase]:
    by_document: dict[str, list[Requirement]] = {}
    for row in rows:
        if not _is_quality(row) and not _is_story(row):
            by_document.setdefault(row.document, []).append(row)

    phases = []
    for document, found in by_document.items():
        name = "Functional scope"
        if len(by_document) > 1:
            name = f"Functional scope: {document or 'unnamed document'}"
        description = f"Functional requirements found in {document or 'no document'}."
        phases.append(Phase(name, description, _section_deliverables(found)))
    return phases


def _story_phase(rows: list[Requirement]) -> list[Phase]:
    by_role: dict[str, list[Requirement]] = {}
    for row in rows:
        if _is_story(row):
            by_role.setdefault(_names.story_role(row.text), []).append(row)
    if not by_role:
        return []

    deliverables = []
    for role, found in by_role.items():
        name = _names.category_name(role) if role else "Stories without a role"
        description = f"User stories of the {role}." if role else "User stories."
        packages = [Package(_names.story_goal_name(r.text), [r]) for r in found]
        deliverables.append(Deliverable(name, description, packages))
    description = "User stories, grouped by the role that asks for them."
    return [Phase("User stories", description, deliverables)]


def _quality_phase(rows: list[Requirement]) -> list[Phase]:
    by_kind: dict[str, list[Requirement]] = {}
    for row in rows:
        if _is_quality(row):
            by_kind.setdefault(_names.category_name(row.kind), []).append(row)
    if not by_kind:
        return []

    deliverables = [
        Deliverable(kind, f"{kind} requirements from every document.", _packages(found))
        for kind, found in by_kind.items()
    ]
    description = "Non-functional requirements, grouped by category."
    return [Phase("Non-functional requirements", description, deliverables)]


def _section_deliverables(rows: list[Requirement]) -> list[Deliverable]:
    """Deliverables of one document: a section each, lone leaves folded up."""
    sections: dict[tuple[str, ...], list[Requirement]] = {}
    for row in rows:
        sections.setdefault(_section_path(row.section), []).append(row)
    parents = {path[:end] for path in sections for end in range(1, len(path))}

    deliverables: dict[tuple[str, ...], Deliverable] = {}
    for path, found in sections.items():
        packages = _packages(found)
        lone_leaf = len(packages) == 1 and len(path) > 1 and path not in parents
        if lone_leaf:
            title = _names.section_title(path[-1])
            if _names.is_usable_title(title):
                packages[0].name = title
            path = path[:-1]
        if path not in deliverables:
            deliverables[path] = _section_deliverable(path, rows[0].document)
        deliverables[path].packages.extend(packages)

    return _distinct_names(deliverables)


def _section_path(section: str) -> tuple[str, ...]:
    """The heading path, without trailing parts like "Inputs" or "Processing"."""
    parts = (part.strip() for part in section.split(SECTION_SEPARATOR.strip()))
    path = tuple(part for part in parts if part)
    while len(path) > 1 and _names.is_generic_title(path[-1]):
        path = path[:-1]
    return path


def _section_deliverable(path: tuple[str, ...], document: str) -> Deliverable:
    if not path:
        return Deliverable("General requirements", f"{document}, outside any section.")
    name = _names.section_title(path[-1])
    if not _names.is_usable_title(name):
        name = f"Section {path[-1]}"
    return Deliverable(name, f"{document} § {SECTION_SEPARATOR.join(path)}")


def _distinct_names(
    deliverables: dict[tuple[str, ...], Deliverable],
) -> list[Deliverable]:
    """Name two sections with the same heading by their parent heading too."""
    counts: dict[str, int] = {}
    for branch in deliverables.values():
        counts[branch.name] = counts.get(branch.name, 0) + 1

    for path, branch in deliverables.items():
        if counts[branch.name] > 1 and len(path) > 1:
            parent = _names.section_title(path[-2])
            branch.name = f"{parent}{SECTION_SEPARATOR}{branch.name}"
    return list(deliverables.values())


def _packages(rows: list[Requirement]) -> list[Package]:
    """A package per requirement; statements of one paragraph share one."""
    packages: list[Package] = []
    for row in rows:
        last = packages[-1].rows if packages else []
        same_paragraph = (
            row.source == "statement"
            and row.anchor
            and last
            and last[-1].source == "statement"
            and (last[-1].document, last[-1].anchor) == (row.document, row.anchor)
            and len(last) < PARAGRAPH_GROUP_LIMIT
        )
        if same_paragraph:
            last.append(row)
        else:
            packages.append(Package(_names.requirement_name(row.text, row.ref), [row]))
    return packages


def _numbered(phases: list[Phase]) -> list[WorkItem]:
    items = []
    for p, phase in enumerate(phases, start=1):
        items.append(WorkItem(f"{p}", phase.name, "phase", [], phase.description))
        for d, deliverable in enumerate(phase.deliverables, start=1):
            code = f"{p}.{d}"
            items.append(
                WorkItem(
                    code, deliverable.name, "deliverable", [], deliverable.description
                )
            )
            for w, package in enumerate(deliverable.packages, start=1):
                items.append(_work_package(f"{code}.{w}", package))
    return items


def _work_package(code: str, package: Package) -> WorkItem:
    first = package.rows[0]
    place = " ".join(part for part in (first.document, first.anchor) if part)
    said = " ".join(row.text for row in package.rows)
    description = f"{place}: {said}" if place else said
    name = package.name or first.id
    ids = [row.id for row in package.rows]
    return WorkItem(code, name, "work package", ids, description)
