"""Widgets for analysts in JupyterLab and the stakeholder dashboards.

In a notebook::

    from ptah_kernel.widgets import Workbench
    Workbench()            # pick a project, read, annotate, estimate

`ProjectPicker`, `DocumentPanel`, `Annotator`, `WBSEditor` and
`ChatPanel` are the parts; `show_dashboard` and `show_portfolio` draw the
read-only Voila pages (`notebooks/dashboard.ipynb`,
`notebooks/portfolio.ipynb`). ipywidgets, pandas and matplotlib load on
first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Annotator",
    "ChatPanel",
    "DocumentPanel",
    "ProjectPicker",
    "WBSEditor",
    "Workbench",
    "show_dashboard",
    "show_portfolio",
]

if TYPE_CHECKING:
    from ptah_kernel.widgets.annotator import Annotator
    from ptah_kernel.widgets.chat_panel import ChatPanel
    from ptah_kernel.widgets.dashboard import show_dashboard, show_portfolio
    from ptah_kernel.widgets.documents import DocumentPanel
    from ptah_kernel.widgets.picker import ProjectPicker, Workbench
    from ptah_kernel.widgets.wbs_editor import WBSEditor

_LAZY = {
    "Annotator": "ptah_kernel.widgets.annotator",
    "ChatPanel": "ptah_kernel.widgets.chat_panel",
    "DocumentPanel": "ptah_kernel.widgets.documents",
    "ProjectPicker": "ptah_kernel.widgets.picker",
    "WBSEditor": "ptah_kernel.widgets.wbs_editor",
    "Workbench": "ptah_kernel.widgets.picker",
    "show_dashboard": "ptah_kernel.widgets.dashboard",
    "show_portfolio": "ptah_kernel.widgets.dashboard",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ptah_kernel.widgets' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
