"""The WBS as Microsoft Project XML (MSPDI), for Project, ProjectLibre, GanttProject.

`write_mspdi` writes the tasks in WBS order, which is how Project builds
the outline (from `OutlineLevel` and file order, KB 97831), with:

- `WBS` and `OutlineNumber` set to the item's code;
- durations in working time, ``PT6H40M0S``: a leaf lasts its PERT expected
  hours, a parent spans its children, dated by Ptah's schedule from the
  project start in a calendar of the same working hours;
- predecessors with their type (MSPDI codes 0 FF, 1 FS, 2 SF, 3 SS) and lag,
  `LinkLag` in tenths of a minute with `LagFormat` 5 (hours) or 7 (days);
- one work resource per role, its rate per hour, assigned to its leaves;
- the three-point estimate and the rest of the item in custom fields,
  defined with aliases in the project's `ExtendedAttributes`:

  ======== ========================= =========================
  field    alias                     holds
  ======== ========================= =========================
  Number1  Optimistic hours          optimistic_hours
  Number2  Most likely hours         most_likely_hours
  Number3  Pessimistic hours         pessimistic_hours
  Text1    WBS kind                  phase, deliverable, work package
  Text2    Requirements              ids joined by ";"
  Text3    Status                    status
  Text4    Analyst notes             notes (Project keeps 255 characters)
  ======== ========================= =========================

  The task's `Notes` hold the description.

`read_mspdi` takes such a file back, and reads a file Project wrote: the
code comes from `WBS` (or `OutlineNumber`), the kind from Text1 or else
from the outline (a top-level summary is a phase, a deeper one a
deliverable, a task a work package), estimates from the fields aliased
as above (left empty when there are none: Ptah never turns a duration
into a three-point estimate). XML is parsed with defusedxml.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, SubElement

from ptah_kernel.wbs.frame import MAX_ROWS, WBS_COLUMNS
from ptah_kernel.wbs.model import WorkItem

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.wbs.calendar import WorkingCalendar
    from ptah_kernel.wbs.links import Link

__all__ = ["FIELDS", "LINK_TYPE_CODES", "read_mspdi", "write_mspdi"]

log = logging.getLogger(__name__)

NAMESPACE = "http://schemas.microsoft.com/project"
# Field ids as MPXJ and Project number them (Number1 = 188743767, ...).
FIELDS = {
    "optimistic_hours": (188743767, "Number1", "Optimistic hours"),
    "most_likely_hours": (188743768, "Number2", "Most likely hours"),
    "pessimistic_hours": (188743769, "Number3", "Pessimistic hours"),
    "kind": (188743731, "Text1", "WBS kind"),
    "requirements": (188743734, "Text2", "Requirements"),
    "status": (188743737, "Text3", "Status"),
    "notes": (188743740, "Text4", "Analyst notes"),
}
LINK_TYPE_CODES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
HOURS_FORMAT, DAYS_FORMAT = 5, 7
# LagFormat codes counted in days: d, ed and their estimated forms.
DAY_FORMATS = {7, 8, 39, 40}
_TEXT_LIMIT = 255
TENTHS_PER_HOUR = 600


def write_mspdi(
    items: Iterable[WorkItem],
    path: str | Path,
    *,
    rates: Mapping[str, float] | None = None,
    currency: str | None = None,
    project_name: str | None = None,
    start: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Path:
    """Write the items as an MSPDI file Project and ProjectLibre open.

    The schedule starts on `start` (today by default) in `calendar`
    (8 hours a day from 9:00, Monday to Friday by default). Raises
    WBSError where Ptah's schedule does: a link on a parent item, a
    cycle, a partial estimate.
    """
    from xml.etree.ElementTree import ElementTree, indent

    from ptah_kernel.wbs.calendar import WorkingCalendar
    from ptah_kernel.wbs.frame import items_to_frame, outline_order
    from ptah_kernel.wbs.schedule import schedule

    items = outline_order(items)
    calendar = calendar or WorkingCalendar()
    start = start or dt.date.today()
    frame = items_to_frame(items)
    plan = schedule(frame, start, calendar)

    root = _project(project_name or "WBS", currency, start, calendar)
    roles = _roles(items, rates or {})
    uids = {item.code: uid for uid, item in enumerate(items, start=1)}
    parents = {item.parent_code for item in items}
    tasks = SubElement(root, "Tasks")
    for item, planned in zip(items, plan.itertuples(), strict=True):
        _task(tasks, item, planned, item.code in parents, uids, calendar)
    _resources(root, roles, rates or {})
    _assignments(root, items, plan, roles)

    path = Path(path)
    indent(root)
    ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    log.debug("Wrote %d tasks to %s", len(items), path)
    return path


def read_mspdi(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[WorkItem]:
    """Items from an MSPDI file, checked like any WBS table, in outline order."""
    import pandas as pd

    from ptah_kernel.wbs._mspdi_reader import task_rows
    from ptah_kernel.wbs.frame import frame_to_items

    rows = task_rows(Path(path), max_rows)
    return frame_to_items(pd.DataFrame(rows, columns=list(WBS_COLUMNS), dtype=object))


def _project(
    name: str, currency: str | None, start: dt.date, calendar: WorkingCalendar
) -> Element:
    root = Element("Project", xmlns=NAMESPACE)
    minutes = round(calendar.hours_per_day * 60)
    working_days = int(calendar.busdays().weekmask.sum())
    values = [
        ("SaveVersion", "14"),
        ("Name", name),
        ("Title", name),
        ("ScheduleFromStart", "1"),
        ("StartDate", _stamp(dt.datetime.combine(start, calendar.day_starts))),
        ("CurrencyCode", currency or None),
        ("CalendarUID", "1"),
        ("DefaultStartTime", calendar.day_starts.isoformat()),
        ("MinutesPerDay", str(minutes)),
        ("MinutesPerWeek", str(minutes * working_days)),
        ("DaysPerMonth", "20"),
    ]
    for tag, value in values:
        if value is not None:
            SubElement(root, tag).text = value

    attributes = SubElement(root, "ExtendedAttributes")
    for field_id, field_name, alias in FIELDS.values():
        attribute = SubElement(attributes, "ExtendedAttribute")
        SubElement(attribute, "FieldID").text = str(field_id)
        SubElement(attribute, "FieldName").text = field_name
        SubElement(attribute, "Alias").text = alias
    _calendar(root, calendar)
    return root


def _calendar(root: Element, calendar: WorkingCalendar) -> None:
    """One base calendar with Ptah's working days and hours, and its holidays."""
    entry = SubElement(SubElement(root, "Calendars"), "Calendar")
    for tag, value in (("UID", "1"), ("Name", "Standard"), ("IsBaseCalendar", "1")):
        SubElement(entry, tag).text = value
    SubElement(entry, "BaseCalendarUID").text = "-1"

    days = SubElement(entry, "WeekDays")
    begin = dt.datetime.combine(dt.date(2000, 1, 1), calendar.day_starts)
    end = (begin + dt.timedelta(hours=calendar.hours_per_day)).time()
    working = calendar.busdays().weekmask.tolist()  # Monday first
    for day_type in range(1, 8):  # MSPDI counts from Sunday
        day = SubElement(days, "WeekDay")
        SubElement(day, "DayType").text = str(day_type)
        works = working[(day_type + 5) % 7]
        SubElement(day, "DayWorking").text = "1" if works else "0"
        if works:
            times = SubElement(SubElement(day, "WorkingTimes"), "WorkingTime")
            SubElement(times, "FromTime").text = calendar.day_starts.isoformat()
            SubElement(times, "ToTime").text = end.isoformat()
    for holiday in calendar.holidays:
        day = SubElement(days, "WeekDay")
        SubElement(day, "DayType").text = "0"
        SubElement(day, "DayWorking").text = "0"
        period = SubElement(day, "TimePeriod")
        SubElement(period, "FromDate").text = f"{holiday.isoformat()}T00:00:00"
        SubElement(period, "ToDate").text = f"{holiday.isoformat()}T23:59:00"


def _task(
    tasks: Element,
    item: WorkItem,
    planned: Any,
    summary: bool,
    uids: dict[str, int],
    calendar: WorkingCalendar,
) -> None:
    from ptah_kernel.wbs.links import parse_link

    uid = uids[item.code]
    task = SubElement(tasks, "Task")
    for tag, value in (
        ("UID", str(uid)),
        ("ID", str(uid)),
        ("Name", item.name),
        ("Type", "1"),  # fixed duration: the estimate sets it
        ("IsNull", "0"),
        ("WBS", item.code),
        ("OutlineNumber", item.code),
        ("OutlineLevel", str(item.level)),
        ("Start", _stamp(planned.early_start)),
        ("Finish", _stamp(planned.early_finish)),
        ("Duration", _duration(planned.duration_hours)),
        ("DurationFormat", str(DAYS_FORMAT)),
        ("Estimated", "0"),
        ("Milestone", "0"),
        ("Summary", "1" if summary else "0"),
        ("Notes", item.description or None),
    ):
        if value is not None:
            SubElement(task, tag).text = value

    for entry in item.depends_on:
        _predecessor(task, parse_link(entry, item.code), uids, calendar)
    _custom_fields(task, item)


def _predecessor(
    task: Element, link: Link, uids: dict[str, int], calendar: WorkingCalendar
) -> None:
    element = SubElement(task, "PredecessorLink")
    SubElement(element, "PredecessorUID").text = str(uids[link.predecessor])
    SubElement(element, "Type").text = str(LINK_TYPE_CODES[link.type])
    SubElement(element, "CrossProject").text = "0"
    tenths = round(link.lag_hours(calendar.hours_per_day) * TENTHS_PER_HOUR)
    SubElement(element, "LinkLag").text = str(tenths)
    lag_format = DAYS_FORMAT if link.lag_unit == "d" else HOURS_FORMAT
    SubElement(element, "LagFormat").text = str(lag_format)


def _custom_fields(task: Element, item: WorkItem) -> None:
    values = {
        "optimistic_hours": item.optimistic_hours,
        "most_likely_hours": item.most_likely_hours,
        "pessimistic_hours": item.pessimistic_hours,
        "kind": item.kind,
        "requirements": ";".join(item.requirements),
        "status": item.status,
        "notes": item.notes[:_TEXT_LIMIT],
    }
    for name, value in values.items():
        if value is None or value == "":
            continue
        attribute = SubElement(task, "ExtendedAttribute")
        SubElement(attribute, "FieldID").text = str(FIELDS[name][0])
        SubElement(attribute, "Value").text = _plain(value)


def _roles(items: list[WorkItem], rates: Mapping[str, float]) -> dict[str, int]:
    """Each role's resource UID: roles with a rate first, then the others."""
    names = dict.fromkeys([*rates, *(item.role for item in items)])
    return {role: uid for uid, role in enumerate(filter(None, names), start=1)}


def _resources(
    root: Element, roles: dict[str, int], rates: Mapping[str, float]
) -> None:
    resources = SubElement(root, "Resources")
    for role, uid in roles.items():
        resource = SubElement(resources, "Resource")
        for tag, value in (
            ("UID", str(uid)),
            ("ID", str(uid)),
            ("Name", role),
            ("Type", "1"),  # a work resource
            ("MaxUnits", "1.00"),
            ("StandardRate", _plain(rates[role]) if role in rates else None),
            ("StandardRateFormat", "2"),  # per hour
        ):
            if value is not None:
                SubElement(resource, tag).text = value


def _assignments(
    root: Element, items: list[WorkItem], plan: pd.DataFrame, roles: dict[str, int]
) -> None:
    """One assignment per leaf with a role, for its expected hours."""
    assignments = SubElement(root, "Assignments")
    parents = {item.parent_code for item in items}
    rows = zip(items, plan.itertuples(), strict=True)
    for uid, (item, planned) in enumerate(rows, start=1):
        if not item.role or item.code in parents:
            continue
        assignment = SubElement(assignments, "Assignment")
        for tag, value in (
            ("UID", str(len(assignments))),
            ("TaskUID", str(uid)),
            ("ResourceUID", str(roles[item.role])),
            ("Finish", _stamp(planned.early_finish)),
            ("Start", _stamp(planned.early_start)),
            ("Units", "1"),
            ("Work", _duration(planned.duration_hours)),
        ):
            SubElement(assignment, tag).text = value


def _stamp(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S"))


def _duration(hours: float) -> str:
    """Working time as Project writes it: ``PT6H40M0S``."""
    seconds = round(hours * 3600)
    return f"PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)
