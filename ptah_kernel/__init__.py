"""Ptah: turn a client's requirement documents into a WBS, an estimate and a report.

Open a workspace, create a project, add documents::

    import ptah_kernel
    ws = ptah_kernel.open_workspace()
    project = ws.create_project("acme-portal", name="Acme portal", client="Acme")
    project.add_documents(["rfp.pdf", "matrix.xlsx"])
    project.requirements          # a DataFrame
    project.draft_wbs().to_frame()

Heavy libraries load on first use, so `import ptah_kernel` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["PtahError", "Project", "Workspace", "__version__", "open_workspace"]

if TYPE_CHECKING:
    from ptah_kernel.errors import PtahError
    from ptah_kernel.projects import Project
    from ptah_kernel.workspace import Workspace, open_workspace

_LAZY = {
    "PtahError": "ptah_kernel.errors",
    "Project": "ptah_kernel.projects",
    "Workspace": "ptah_kernel.workspace",
    "open_workspace": "ptah_kernel.workspace",
}


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext ptah_kernel`: the `%ptah` and `%%claude` magics."""
    from ptah_kernel.magics import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ptah_kernel' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
