"""Reading Microsoft Project XML (MSPDI) into rows of the WBS table layout.

`mspdi.read_mspdi` turns the rows into checked items; this module only
finds, per task, what the WBS columns need (see `mspdi` for where each
comes from). The XML is parsed with defusedxml: no entity expansion, no
external entities.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ptah_kernel.errors import WBSError, describe_name
from ptah_kernel.wbs.frame import WBS_COLUMNS, refuse_too_many_rows
from ptah_kernel.wbs.model import ITEM_KINDS
from ptah_kernel.wbs.mspdi import (
    DAY_FORMATS,
    FIELDS,
    HOURS_FORMAT,
    LINK_TYPE_CODES,
    TENTHS_PER_HOUR,
)

__all__ = ["task_rows"]


def task_rows(path: Path, max_rows: int) -> list[dict[str, Any]]:
    """One row per task of the file, in file order, in the WBS columns."""
    root = _parse(path)
    tasks = [task for task in _all(root, "Tasks", "Task") if _is_real_task(task)]
    refuse_too_many_rows(len(tasks), path.name, max_rows)

    fields = _field_ids(root)
    hours_per_day = _number(_text(root, "MinutesPerDay"), 480.0) / 60
    roles = _task_roles(root)
    codes = {_text(task, "UID"): _code(task, path) for task in tasks}
    return [
        _row(task, codes, fields, roles.get(_text(task, "UID"), ""), hours_per_day)
        for task in tasks
    ]


def _parse(path: Path) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, parse

    try:
        root = parse(path).getroot()
    except (ParseError, DefusedXmlException) as exc:
        raise WBSError(
            f"The file {describe_name(path.name)} is not readable XML ({exc}); "
            "save it from Project as XML (MSPDI) again."
        ) from exc
    if _local(root.tag) != "Project":
        raise WBSError(
            f"The file {describe_name(path.name)} is XML but not a Microsoft "
            f"Project file (its root is {describe_name(_local(root.tag))}); save "
            "it from Project as XML."
        )
    return root  # type: ignore[no-any-return]  # defusedxml has no types


def _row(
    task: Element,
    codes: dict[str, str],
    fields: dict[int, str],
    role: str,
    hours_per_day: float,
) -> dict[str, Any]:
    values: dict[str, Any] = {name: None for name in WBS_COLUMNS}
    for attribute in _children(task, "ExtendedAttribute"):
        name = fields.get(int(_number(_text(attribute, "FieldID"), -1)))
        if name is not None:
            values[name] = _text(attribute, "Value")

    code = codes[_text(task, "UID")]
    kind = str(values["kind"] or "").strip().lower()
    if kind not in ITEM_KINDS:
        kind = _kind_by_outline(task, code)
    links = [
        _link(link, code, codes, hours_per_day)
        for link in _children(task, "PredecessorLink")
    ]
    return values | {
        "code": code,
        "name": _text(task, "Name"),
        "kind": kind,
        "role": role,
        "description": _text(task, "Notes"),
        "depends_on": ";".join(links),
    }


def _link(
    element: Element, code: str, codes: dict[str, str], hours_per_day: float
) -> str:
    from ptah_kernel.wbs.links import LINK_TYPES, Link, format_link

    predecessor = codes.get(_text(element, "PredecessorUID"))
    type_code = int(_number(_text(element, "Type"), 1))
    if predecessor is None or not 0 <= type_code <= 3:
        raise WBSError(
            f"Task {code} has a predecessor link to UID "
            f"{describe_name(_text(element, 'PredecessorUID'))} of type "
            f"{type_code}, which this file has no task for; remove the link in "
            "Project and save again."
        )
    link_type = next(t for t in LINK_TYPES if LINK_TYPE_CODES[t] == type_code)
    hours = _number(_text(element, "LinkLag"), 0.0) / TENTHS_PER_HOUR
    lag_format = int(_number(_text(element, "LagFormat"), HOURS_FORMAT))
    in_days = lag_format in DAY_FORMATS
    lag = round(hours / hours_per_day if in_days else hours, 4)
    return format_link(Link(predecessor, code, link_type, lag, "d" if in_days else "h"))


def _code(task: Element, path: Path) -> str:
    from ptah_kernel.wbs._outline import CODE

    for tag in ("WBS", "OutlineNumber"):
        code = _text(task, tag)
        if CODE.fullmatch(code):
            return code
    raise WBSError(
        f"Task {describe_name(_text(task, 'Name'))} (UID {_text(task, 'UID')}) in "
        f"{describe_name(path.name)} has neither a WBS code nor an outline number "
        "like 1.2.3; renumber the WBS in Project (Project > WBS > Renumber)."
    )


def _kind_by_outline(task: Element, code: str) -> str:
    if _text(task, "Summary") != "1":
        return "work package"
    return "phase" if "." not in code else "deliverable"


def _field_ids(root: Element) -> dict[int, str]:
    """Our columns by field id: Ptah's aliases first, else Ptah's default fields."""
    by_alias = {alias: name for name, (_, _, alias) in FIELDS.items()}
    found = {}
    for attribute in _all(root, "ExtendedAttributes", "ExtendedAttribute"):
        name = by_alias.get(_text(attribute, "Alias"))
        if name is not None:
            found[int(_number(_text(attribute, "FieldID"), -1))] = name
    return found or {field_id: name for name, (field_id, _, _) in FIELDS.items()}


def _task_roles(root: Element) -> dict[str, str]:
    """Each task's role: the name of the first resource assigned to it."""
    names = {
        _text(resource, "UID"): _text(resource, "Name")
        for resource in _all(root, "Resources", "Resource")
    }
    roles: dict[str, str] = {}
    for assignment in _all(root, "Assignments", "Assignment"):
        name = names.get(_text(assignment, "ResourceUID"), "")
        if name:
            roles.setdefault(_text(assignment, "TaskUID"), name)
    return roles


def _is_real_task(task: Element) -> bool:
    """Leave out the project summary task (UID 0, level 0) and blank rows."""
    level = _text(task, "OutlineLevel")
    return _text(task, "IsNull") != "1" and level != "0" and _text(task, "UID") != "0"


def _all(root: Element, group: str, tag: str) -> list[Element]:
    return [
        child for parent in _children(root, group) for child in _children(parent, tag)
    ]


def _children(element: Element, tag: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == tag]


def _text(element: Element, tag: str) -> str:
    for child in element:
        if _local(child.tag) == tag:
            return (child.text or "").strip()
    return ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default
