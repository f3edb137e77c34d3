"""Pick or start a project, and the workbench that follows the pick.

`Workbench()` shows a project picker above three tabs (documents,
annotations, WBS) that are rebuilt for whichever project is picked.
Editing widgets refuse to appear in a Voila page: a dashboard server lets
its visitors drive widgets, and stakeholders must not edit.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    from ptah_kernel.projects import Project
    from ptah_kernel.workspace import Workspace

logger = logging.getLogger(__name__)

__all__ = ["ProjectPicker", "Workbench", "is_in_voila", "refuse_in_voila"]


def is_in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila sets these variables)."""
    return bool(os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_PREHEAT"))


def refuse_in_voila(what: str) -> None:
    """Raise PtahError if an editing widget is about to appear in Voila."""
    if is_in_voila():
        raise PtahError(
            f"The {what} edits the project, so it runs in JupyterLab only; "
            "stakeholders get the read-only dashboards."
        )


class ProjectPicker:
    """A dropdown of the workspace's projects, and a form to start one."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        import ipywidgets as w

        from ptah_kernel.workspace import open_workspace

        refuse_in_voila("project picker")
        self.workspace = workspace or open_workspace()
        self._listeners: list[Callable[[Project | None], None]] = []
        self.dropdown = w.Dropdown(description="Project").add_class("ptah-picker")
        self.dropdown.observe(lambda _: self._notify(), names="value")
        self.code = w.Text(placeholder="code, e.g. acme-portal")
        self.name = w.Text(placeholder="name")
        self.client = w.Text(placeholder="client")
        create = w.Button(description="Start project")
        create.on_click(lambda _: self._create())
        self.message = w.HTML()
        form = w.HBox([self.code, self.name, self.client, create])
        self.widget = w.VBox([self.dropdown, form, self.message])
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def project(self) -> Project | None:
        """The picked project, or None."""
        code = self.dropdown.value
        return self.workspace.project(code) if code else None

    def on_pick(self, callback: Callable[[Project | None], None]) -> None:
        """Call `callback(project)` whenever another project is picked."""
        self._listeners.append(callback)

    def refresh(self, select: str | None = None) -> None:
        """Reload the list of projects, optionally selecting one by code."""
        options = [(f"{p.name} ({p.code})", p.code) for p in self.workspace.projects()]
        self.dropdown.options = [("—", ""), *options]
        if select is not None:
            self.dropdown.value = select

    def _notify(self) -> None:
        project = self.project
        for callback in self._listeners:
            callback(project)

    def _create(self) -> None:
        try:
            project = self.workspace.create_project(
                self.code.value.strip(),
                self.name.value.strip() or None,
                client=self.client.value.strip(),
            )
        except PtahError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = f"Started {html.escape(project.code)}."
        self.refresh(select=project.code)


class Workbench:
    """The analyst's whole flow in one widget: pick, read, annotate, estimate."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        import ipywidgets as w

        if is_in_voila():
            self.widget = w.HTML(
                "<p>The workbench edits projects, so it runs in JupyterLab only. "
                "Stakeholders see the read-only dashboards.</p>"
            )
            return
        self.picker = ProjectPicker(workspace)
        self.tabs = w.Tab()
        self.picker.on_pick(self._show)
        self.widget = w.VBox([self.picker.widget, self.tabs])
        self._show(self.picker.project)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _show(self, project: Project | None) -> None:
        from ptah_kernel.widgets.annotator import Annotator
        from ptah_kernel.widgets.chat_panel import ChatPanel
        from ptah_kernel.widgets.documents import DocumentPanel
        from ptah_kernel.widgets.wbs_editor import WBSEditor

        if project is None:
            self.tabs.children = []
            return
        parts: list[Any] = [DocumentPanel(project), Annotator(project)]
        parts += [WBSEditor(project), ChatPanel(project)]
        self.tabs.children = [part.widget for part in parts]
        self.tabs.titles = ("Documents", "Annotations", "WBS", "Ask Claude")


def _error(text: str) -> str:
    return f'<span style="color:#c0392b">{html.escape(text)}</span>'
