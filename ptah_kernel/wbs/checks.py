"""Checks an analyst runs before quoting: one table of findings for a WBS frame.

Each finding has a `severity` (error, warning, info), the `code` of the item
it is about, the `check` that found it and a `message` saying what to do.

=====================  ========  ============================================
check                  severity  finding
=====================  ========  ============================================
malformed code         error     a code that is not 1, 1.2, 1.2.3 …
duplicate code         error     two rows with one code
missing parent         error     1.4.2 without a 1.4
invalid estimate       error     partial, negative or out of order O/M/P
100% rule              error     a parent with its own estimate beside its
                                 children's (the roll-up counts children only)
malformed dependency   error     a `depends_on` entry that cannot be read
missing predecessor    error     a dependency on a code no item has
summary dependency     error     a dependency from or to a parent item; the
                                 schedule links leaves only
dependency cycle       error     1.2 → 1.3 → 1.2
missing estimate       warning   a leaf without an estimate (left out of sums)
uncovered requirement  warning   a requirement no work package covers
unknown requirement    warning   an item covering an id not in `requirements`
missing rate           warning   a role without a rate (with `rates`)
no requirement         info      a work package that covers no requirement
=====================  ========  ============================================
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TYPE_CHECKING

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs._outline import CODE, Outline, column_texts, has_valid_codes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FINDING_COLUMNS", "SEVERITIES", "check"]

FINDING_COLUMNS = ("severity", "code", "check", "message")
SEVERITIES = ("error", "warning", "info")
REQUIREMENT_SEPARATOR = ";"
SEPARATOR_AND_SPACE = "; \t"

Finding = tuple[str, str, str, str]


def check(
    frame: pd.DataFrame,
    requirements: pd.DataFrame | None = None,
    *,
    rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Every finding about `frame`, errors first, then in outline order.

    `requirements` is the project's requirements frame (its `id` column);
    without it, coverage is not checked. `rates` ({role: hourly rate})
    adds the missing-rate check. An empty result means nothing to fix.
    """
    import pandas as pd

    from ptah_kernel.wbs._outline import outline_of

    outline = outline_of(frame)
    kinds = column_texts(frame, "kind")
    findings = [
        *_code_findings(outline),
        *_estimate_findings(frame, outline, kinds),
        *_link_findings(frame, outline),
        *_requirement_findings(frame, outline, kinds, requirements),
        *_rate_findings(frame, outline, rates),
    ]
    table = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    rank = table["severity"].map({name: i for i, name in enumerate(SEVERITIES)})
    order = rank.to_numpy().argsort(kind="stable")
    return table.iloc[order].reset_index(drop=True)


def _code_findings(outline: Outline) -> list[Finding]:
    codes = outline.codes
    findings = []
    if not has_valid_codes(codes):
        findings += [
            ("error", code, "malformed code", _malformed_code(row, code))
            for row, code in enumerate(codes)
            if not CODE.fullmatch(code)
        ]
    if len(outline.position) < len(codes):
        findings += _duplicates(codes, outline.position)

    orphans = (outline.parent < 0) & (outline.depth > 1)
    for row in orphans.nonzero()[0].tolist():
        code = codes[row]
        if CODE.fullmatch(code):
            parent = code.rpartition(".")[0]
            message = (
                f"Item {code} has no parent: no item has the code {parent}. "
                "Add that item or renumber this one."
            )
            findings.append(("error", code, "missing parent", message))
    return findings


def _malformed_code(row: int, code: str) -> str:
    return (
        f"Row {row + 1} has the code {describe_name(code)}; a code is whole "
        "numbers from 1 joined by dots, such as 1, 1.2 or 1.2.3."
    )


def _duplicates(codes: list[str], position: dict[str, int]) -> list[Finding]:
    rows: dict[str, list[int]] = {}
    for row, code in enumerate(codes):
        if position[code] != row:
            rows.setdefault(code, [position[code] + 1]).append(row + 1)
    return [
        (
            "error",
            code,
            "duplicate code",
            f"Code {code} is used by rows {', '.join(map(str, numbers))}; give "
            "each item its own code.",
        )
        for code, numbers in rows.items()
    ]


def _estimate_findings(
    frame: pd.DataFrame, outline: Outline, kinds: list[str]
) -> list[Finding]:
    import numpy as np

    from ptah_kernel.wbs.estimates import (
        ESTIMATE_COLUMNS,
        column_hours,
        estimate_problem,
        invalid_estimates,
    )

    try:
        hours = [column_hours(frame, column) for column in ESTIMATE_COLUMNS]
    except WBSError as error:
        return [("error", "", "invalid estimate", str(error))]

    codes = outline.codes
    invalid = invalid_estimates(*hours)
    findings = [
        ("error", codes[row], "invalid estimate", f"Item {codes[row]} {problem}")
        for row in np.flatnonzero(invalid).tolist()
        for problem in [estimate_problem(*(float(h[row]) for h in hours))]
    ]
    given = ~np.isnan(np.vstack(hours))
    for row in np.flatnonzero(given.any(axis=0) & ~outline.is_leaf).tolist():
        message = (
            f"Item {codes[row]} has children and its own estimate; the roll-up "
            "counts only the children (100% rule), so clear its estimate or "
            "move that work into a child."
        )
        findings.append(("error", codes[row], "100% rule", message))
    for row in np.flatnonzero(~given.any(axis=0) & outline.is_leaf).tolist():
        message = (
            f"{_kind(kinds[row])} {codes[row]} has no estimate; it is left out "
            "of the totals until it has optimistic, most likely and "
            "pessimistic hours."
        )
        findings.append(("warning", codes[row], "missing estimate", message))
    return findings


def _link_findings(frame: pd.DataFrame, outline: Outline) -> list[Finding]:
    import numpy as np

    from ptah_kernel.wbs import links as wording
    from ptah_kernel.wbs.links import find_cycles, index_links, rows_in_cycles

    links = index_links(frame, outline)
    codes = outline.codes
    findings: list[Finding] = [
        (
            "error",
            codes[row],
            "malformed dependency",
            wording.malformed_dependency(codes[row], entry),
        )
        for row, entry in links.malformed
    ]
    for row, missing in links.missing:
        message = wording.missing_predecessor(codes[row], missing)
        findings.append(("error", codes[row], "missing predecessor", message))

    predecessor, successor = links.predecessor, links.successor
    summary = ~outline.is_leaf
    for i in np.flatnonzero(summary[predecessor] | summary[successor]).tolist():
        code = codes[successor[i]]
        message = wording.summary_dependency(code, codes[predecessor[i]])
        findings.append(("error", code, "summary dependency", message))

    left_over = rows_in_cycles(outline.size, predecessor, successor)
    for cycle in find_cycles(left_over, predecessor, successor):
        message = wording.dependency_cycle([codes[row] for row in cycle])
        findings.append(("error", codes[cycle[0]], "dependency cycle", message))
    return findings


def _requirement_findings(
    frame: pd.DataFrame,
    outline: Outline,
    kinds: list[str],
    requirements: pd.DataFrame | None,
) -> list[Finding]:
    codes = outline.codes
    cells = column_texts(frame, "requirements")
    packages = [row for row, kind in enumerate(kinds) if kind == "work package"]
    findings = [
        ("info", codes[row], "no requirement", _no_requirement(codes[row]))
        for row in packages
        if not cells[row].strip(SEPARATOR_AND_SPACE)
    ]
    if requirements is None:
        return findings

    covered = _ids_in([cells[row] for row in packages])
    known = dict.fromkeys(column_texts(requirements, "id"))
    known.pop("", None)
    for requirement in known:
        if requirement not in covered:
            message = (
                f"Requirement {requirement} is covered by no work package; add "
                "it to one or record why it is out of scope."
            )
            findings.append(("warning", "", "uncovered requirement", message))
    if _ids_in(cells) - known.keys():
        findings += _unknown_requirements(codes, cells, known.keys())
    return findings


def _no_requirement(code: str) -> str:
    return (
        f"Work package {code} covers no requirement; link it to the "
        "requirements it serves, or note why it is needed."
    )


def _ids_in(cells: list[str]) -> set[str]:
    """Every requirement id in the cells, with one join and one split."""
    ids = REQUIREMENT_SEPARATOR.join(cells).split(REQUIREMENT_SEPARATOR)
    found = {part.strip() for part in set(ids)}
    found.discard("")
    return found


def _unknown_requirements(
    codes: list[str], cells: list[str], known: Set[str]
) -> list[Finding]:
    findings = []
    for code, cell in zip(codes, cells, strict=True):
        for part in cell.split(REQUIREMENT_SEPARATOR) if cell else ():
            requirement = part.strip()
            if requirement and requirement not in known:
                message = (
                    f"Item {code} covers {requirement}, which is not among the "
                    "requirements; correct the id or remove it."
                )
                findings.append(("warning", code, "unknown requirement", message))
    return findings


def _rate_findings(
    frame: pd.DataFrame, outline: Outline, rates: Mapping[str, float] | None
) -> list[Finding]:
    if rates is None:
        return []

    codes = outline.codes
    unpriced: dict[str, list[str]] = {}
    roles = column_texts(frame, "role")
    for row in outline.is_leaf.nonzero()[0].tolist():
        if roles[row] not in rates:
            unpriced.setdefault(roles[row], []).append(codes[row])
    findings = []
    for role, items in unpriced.items():
        shown = ", ".join(items[:3]) + (", …" if len(items) > 3 else "")
        who = (
            f"The role {describe_name(role)} has"
            if role
            else "Items without a role have"
        )
        message = (
            f"{who} no rate, so {len(items)} item(s) ({shown}) are left out of "
            "the cost; add the role to the rates or give the items a priced role."
        )
        findings.append(("warning", items[0], "missing rate", message))
    return findings


def _kind(kind: str) -> str:
    return kind.capitalize() if kind else "Item"
