"""An editable grid of a project's WBS, with totals that follow each keystroke.

Each item is a row of plain inputs (name, kind, role, optimistic, most
likely and pessimistic hours); buttons add, indent, outdent and remove
items, and codes renumber themselves. Roll-ups, checks and the P50/P80/P90
totals update as the analyst types. Save validates the whole table and
refuses to overwrite a WBS someone else saved in the meantime.
"""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import ConflictError, PtahError

if TYPE_CHECKING:
    import pandas as pd

    from ptah_kernel.projects import Project
    from ptah_kernel.wbs.breakdown import WBS
    from ptah_kernel.widgets._numbers import Estimate

logger = logging.getLogger(__name__)

__all__ = ["WBSEditor"]

HOURS = ("optimistic_hours", "most_likely_hours", "pessimistic_hours")
TEXTS = ("name", "role")
EDITED = ("code", "name", "kind", "role", *HOURS)
COLUMNS = "60px minmax(140px, 1fr) 120px 96px 58px 58px 58px 70px 136px"
HEADER = ("Code", "Item", "Kind", "Role", "O h", "M h", "P h", "Expected", "")


class WBSEditor:
    """Edit a project's WBS in a notebook: `WBSEditor(project)` displays it."""

    def __init__(self, project: Project) -> None:
        import ipywidgets as w

        from ptah_kernel.widgets.picker import refuse_in_voila

        refuse_in_voila("WBS editor")
        self.project = project
        self.rows: list[dict[str, Any]] = []
        self.version = 0
        self._expected: list[Any] = []
        self._inputs: list[dict[str, Any]] = []
        self.grid = w.GridBox(
            layout=w.Layout(grid_template_columns=COLUMNS, grid_gap="2px 4px")
        )
        self.totals = w.HTML().add_class("ptah-wbs-totals")
        self.checks = w.HTML().add_class("ptah-wbs-checks")
        self.status = w.HTML().add_class("ptah-wbs-status")
        self.widget = w.VBox(
            [self._toolbar(), self.grid, self.totals, self.checks, self.status]
        ).add_class("ptah-wbs-editor")
        self.reload()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _toolbar(self) -> Any:
        import ipywidgets as w

        save = w.Button(description="Save", button_style="primary")
        save.add_class("ptah-wbs-save").on_click(lambda _: self.save())
        reload = w.Button(description="Reload").add_class("ptah-wbs-reload")
        reload.on_click(lambda _: self.reload())
        add = w.Button(description="Add phase").add_class("ptah-wbs-add-phase")
        add.on_click(lambda _: self._insert(len(self.rows), level=1, kind="phase"))
        return w.HBox([save, reload, add])

    # State

    def reload(self) -> None:
        """Read the WBS as stored, dropping unsaved edits."""
        from ptah_kernel.wbs.rates import rates_of

        wbs = self.project.wbs
        self.version = wbs.version
        self.rows = [_row_of(record) for record in wbs.to_frame().to_dict("records")]
        self._requirements = self.project.requirements[["id"]]
        self._rates = rates_of(self.project)[0] or None
        self._draw()
        self._say(f"Loaded version {self.version} ({len(self.rows)} items).")

    def frame(self) -> pd.DataFrame:
        """The table as edited, in the WBS frame layout (unsaved edits included)."""
        import pandas as pd

        from ptah_kernel.wbs.frame import WBS_COLUMNS

        codes = self._codes()
        renamed = {row["key"]: code for row, code in zip(self.rows, codes, strict=True)}
        records = [
            {**_record_of(row), "code": code, "depends_on": _renamed(row, renamed)}
            for code, row in zip(codes, self.rows, strict=True)
        ]
        frame = pd.DataFrame(records, columns=list(WBS_COLUMNS))
        frame.attrs["wbs_version"] = self.version
        return frame

    def _codes(self) -> list[str]:
        codes, counters = [], [0]
        for row in self.rows:
            level = row["level"]
            counters = counters[:level] + [0] * (level - len(counters) + 1)
            counters[level - 1] += 1
            codes.append(".".join(str(n) for n in counters[:level]))
        return codes

    # Drawing

    def _draw(self) -> None:
        import ipywidgets as w

        header = [w.HTML(f"<b>{title}</b>") for title in HEADER]
        cells, self._inputs, self._expected = [], [], []
        for index, (code, row) in enumerate(zip(self._codes(), self.rows, strict=True)):
            cells.extend(self._row_cells(index, code, row))
        self.grid.children = header + cells
        self._refresh()

    def _row_cells(self, index: int, code: str, row: dict[str, Any]) -> list[Any]:
        import ipywidgets as w

        from ptah_kernel.wbs.model import ITEM_KINDS

        mark = f"ptah-row-{code.replace('.', '-')}"
        inputs = {
            "name": w.Text(value=row["name"]),
            "kind": w.Dropdown(options=list(ITEM_KINDS), value=row["kind"]),
            "role": w.Text(value=row["role"]),
            **{name: w.Text(value=_hours_text(row[name])) for name in HOURS},
        }
        for field, widget in inputs.items():
            widget.layout = w.Layout(width="auto")
            widget.add_class(mark).add_class(f"ptah-field-{field}")
            widget.observe(self._on_edit(index, field), names="value")
        indent = f"padding-left:{(row['level'] - 1) * 10}px"
        label = w.HTML(f'<span style="{indent}">{html.escape(code)}</span>')
        expected = w.HTML().add_class(mark).add_class("ptah-field-expected")
        self._inputs.append(inputs)
        self._expected.append(expected)
        return [label, *inputs.values(), expected, self._row_buttons(index)]

    def _row_buttons(self, index: int) -> Any:
        import ipywidgets as w

        actions = [
            ("+", "add an item below", self._add_below),
            ("→", "indent (make it part of the item above)", self._indent),
            ("←", "outdent", self._outdent),
            ("✕", "remove with everything under it", self._remove),
        ]
        buttons = []
        for text, tip, action in actions:
            button = w.Button(description=text, tooltip=tip)
            button.layout = w.Layout(width="30px", padding="0")
            button.on_click(lambda _, act=action: act(index))
            buttons.append(button)
        return w.HBox(buttons)

    # Editing

    def _on_edit(self, index: int, field: str):  # type: ignore[no-untyped-def]
        def changed(event: dict[str, Any]) -> None:
            self.rows[index][field] = event["new"]
            self._refresh()

        return changed

    def _refresh(self) -> None:
        from ptah_kernel.wbs.checks import check
        from ptah_kernel.widgets import _numbers

        bad = self._mark_bad_hours()
        frame = self.frame()
        for name in HOURS:
            frame[name] = [_hours_or_none(row[name]) for row in self.rows]
        frame = frame.astype({name: "float64" for name in HOURS})
        estimate = _numbers.estimate_of(frame, self._rates)
        expected = estimate.items["expected_hours"]
        for label, hours in zip(self._expected, expected, strict=True):
            label.value = "" if hours != hours else f"{hours:,.1f}"
        self.totals.value = _totals_html(estimate)
        findings = check(frame, self._requirements, rates=self._rates)
        self.checks.value = _checks_html(bad, findings)

    def _mark_bad_hours(self) -> list[str]:
        bad = []
        for code, row, inputs in zip(
            self._codes(), self.rows, self._inputs, strict=True
        ):
            for name in HOURS:
                valid = _hours_or_none(row[name]) is not None or not row[name].strip()
                inputs[name].layout.border = None if valid else "1px solid #c0392b"
                if not valid:
                    bad.append(f"{code}: {row[name]!r} is not a number of hours.")
        return bad

    def _insert(self, position: int, *, level: int, kind: str) -> None:
        self._added = getattr(self, "_added", 0) + 1
        row = _row_of({"code": f"new-{self._added}", "name": "New item", "kind": kind})
        row["level"] = level
        self.rows.insert(position, row)
        self._draw()

    def _add_below(self, index: int) -> None:
        level = self.rows[index]["level"]
        end = self._subtree_end(index)
        self._insert(end, level=level, kind="work package")

    def _indent(self, index: int) -> None:
        if index == 0 or self.rows[index - 1]["level"] < self.rows[index]["level"]:
            self._say("Only an item below one of the same level can be indented.")
            return
        self._shift(index, +1)

    def _outdent(self, index: int) -> None:
        if self.rows[index]["level"] == 1:
            self._say("A top-level item cannot be outdented.")
            return
        self._shift(index, -1)

    def _remove(self, index: int) -> None:
        del self.rows[index : self._subtree_end(index)]
        self._draw()

    def _shift(self, index: int, step: int) -> None:
        for row in self.rows[index : self._subtree_end(index)]:
            row["level"] += step
        self._draw()

    def _subtree_end(self, index: int) -> int:
        level, end = self.rows[index]["level"], index + 1
        while end < len(self.rows) and self.rows[end]["level"] > level:
            end += 1
        return end

    # Saving

    def save(self) -> bool:
        """Validate the table and store it; False (with a message) if refused."""
        try:
            saved = self._store()
        except ConflictError as exc:
            self._say(f"{exc} Here: press Reload.", error=True)
            return False
        except PtahError as exc:
            self._say(str(exc), error=True)
            return False
        self.version = saved.version
        self._say(f"Saved version {saved.version} ({len(saved.items)} items).")
        return True

    def _store(self) -> WBS:
        stored = self.project.wbs
        stored.apply_frame(self.frame())
        return stored

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#c0392b" if error else "#2d6a3e"
        self.status.value = f'<span style="color:{color}">{html.escape(text)}</span>'


def _row_of(record: dict[str, Any]) -> dict[str, Any]:
    code = str(record.get("code") or "1")
    row = {
        "key": code,
        "level": code.count(".") + 1,
        "name": str(record.get("name") or ""),
        "kind": record.get("kind") or "work package",
        "role": str(record.get("role") or ""),
        "kept": {
            name: "" if value is None or value != value else value
            for name, value in record.items()
            if name not in EDITED
        },
    }
    for name in HOURS:
        row[name] = _hours_text(record.get(name))
    return row


def _record_of(row: dict[str, Any]) -> dict[str, Any]:
    record = {**row["kept"], **{name: row[name] for name in (*TEXTS, "kind")}}
    for name in HOURS:
        text = row[name].strip()
        # Text that is not a number goes through as typed, so the check on
        # save names the row and the value.
        record[name] = _hours_or_none(text) if text else None
        if text and record[name] is None:
            record[name] = text
    return record


def _renamed(row: dict[str, Any], codes: dict[str, str]) -> str:
    """`depends_on` with each predecessor's code as it is after renumbering."""
    entries = [e.strip() for e in str(row["kept"].get("depends_on", "")).split(";")]
    renamed = []
    for entry in filter(None, entries):
        code, rest = re.match(r"([0-9.]*)(.*)", entry).groups()  # type: ignore[union-attr]
        if code in codes or not code:
            renamed.append(codes.get(code, code) + rest)
    return ";".join(renamed)


def _hours_text(value: Any) -> str:
    if value is None or value != value or value == "":
        return ""
    return f"{float(value):g}"


def _hours_or_none(text: str) -> float | None:
    try:
        hours = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return hours if hours >= 0 and hours == hours and hours != float("inf") else None


def _totals_html(estimate: Estimate) -> str:
    if not estimate.has_estimates:
        return "<b>Totals:</b> no work package has all three estimates yet."
    parts = [
        f"P{round(level * 100)} <b>{hours:,.1f} h</b>"
        for level, hours in sorted(estimate.totals.items())
    ]
    parts.append(f"contingency <b>{estimate.contingency:,.1f} h</b>")
    text = "<b>Totals:</b> " + " · ".join(parts)
    if not estimate.costs:
        return text + " <i>(no rates set: hours only)</i>"
    costs = " · ".join(
        f"P{round(level * 100)} {cost:,.0f}" for level, cost in estimate.costs.items()
    )
    return f"{text}<br><b>Cost:</b> {costs}"


def _checks_html(bad: list[str], findings: pd.DataFrame) -> str:
    shown = findings[findings["severity"] != "info"]
    lines = [*bad, *(f"{f.severity}: {f.message}" for f in shown.itertuples())]
    if not lines:
        return "<span style='color:#2d6a3e'>Checks: nothing to fix.</span>"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines[:20])
    more = f"<li>and {len(lines) - 20} more</li>" if len(lines) > 20 else ""
    return f"<b>Checks</b><ul>{items}{more}</ul>"
