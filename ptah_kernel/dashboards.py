"""Start Voila for stakeholders and JupyterLab for analysts, on one workspace.

Both servers read the team's `jupyter_config.py` (the file Ptah reads, see
`ptah_kernel.settings`) and hand `PTAH_CONFIG` and `PTAH_HOME` to their
kernels, so a dashboard and a notebook open the same workspace.

Voila runs standalone, never as JupyterLab's `/voila` page: only the
standalone server refuses code sent from the browser.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ptah_kernel.errors import SettingsError

logger = logging.getLogger(__name__)

__all__ = [
    "LOOPBACK",
    "NOTEBOOKS",
    "STAKEHOLDER_NOTEBOOKS",
    "TEMPLATE",
    "dashboard_arguments",
    "lab_arguments",
    "run_dashboard",
    "run_lab",
    "server_environment",
    "stakeholder_folder",
]

LOOPBACK = "127.0.0.1"
TEMPLATE = "ptah-voila"
CHECKOUT = Path(__file__).resolve().parents[1]
NOTEBOOKS = CHECKOUT / "notebooks"
# What stakeholders may open. The analysts' notebooks beside them write to
# the workspace, so Voila never serves that folder itself.
STAKEHOLDER_NOTEBOOKS = ("dashboard.ipynb", "portfolio.ipynb")


def stakeholder_folder(source: Path = NOTEBOOKS) -> Path:
    """A private folder holding fresh copies of the dashboards, and only them."""
    import shutil

    folder = Path(tempfile.gettempdir()) / f"ptah-dashboards-{os.getuid()}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(mode=0o700)
    for name in STAKEHOLDER_NOTEBOOKS:
        shutil.copy2(source / name, folder / name)
    return folder


def server_environment(
    config_file: Path | None, workspace: str | os.PathLike[str] | None
) -> dict[str, str]:
    """The variables a server and its kernels need, on top of `os.environ`.

    `PTAH_CONFIG` names the settings file and `PTAH_HOME` the workspace
    (when given); `JUPYTER_PATH` gains Ptah's Voila template when running
    from a checkout where it is not installed.
    """
    extra: dict[str, str] = {}
    if config_file is not None:
        extra["PTAH_CONFIG"] = str(Path(config_file).resolve())
    if workspace:
        extra["PTAH_HOME"] = str(Path(workspace).expanduser().resolve())
    data_dir = _checkout_template_dir()
    if data_dir is not None:
        paths = [str(data_dir), *filter(None, [os.environ.get("JUPYTER_PATH")])]
        extra["JUPYTER_PATH"] = os.pathsep.join(paths)
    return extra


def _checkout_template_dir() -> Path | None:
    source = CHECKOUT / "templates" / TEMPLATE
    if not source.is_dir():
        return None
    # Running from a checkout: its template wins over an installed copy,
    # which an editable install snapshots and never refreshes. Voila looks
    # under <data dir>/voila/templates/<name>, so link it into a private dir.
    data_dir = Path(tempfile.gettempdir()) / f"ptah-jupyter-{os.getuid()}"
    link = data_dir / "voila" / "templates" / TEMPLATE
    link.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        link.symlink_to(source, target_is_directory=True)
    return data_dir


def dashboard_arguments(
    notebooks: Path, *, port: int, ip: str = LOOPBACK, extra: Sequence[str] = ()
) -> list[str]:
    """Voila's command line for serving the dashboards folder."""
    if not notebooks.is_dir():
        raise SettingsError(
            f"The dashboards folder '{notebooks}' does not exist. Pass the folder "
            "that holds dashboard.ipynb with --notebooks."
        )
    return [
        str(notebooks),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--no-browser",
        *extra,
    ]


def lab_arguments(
    root: Path, *, port: int, ip: str = LOOPBACK, extra: Sequence[str] = ()
) -> list[str]:
    """JupyterLab's command line; adds --allow-root when running as root."""
    arguments = [
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--no-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        arguments.append("--allow-root")
    return [*arguments, *extra]


def run_dashboard(arguments: list[str], environment: dict[str, str]) -> None:
    """Run Voila in this process until it is stopped, with Ptah's settings."""
    os.environ.update(environment)
    _dashboard_server_class().launch_instance(arguments)


def run_lab(arguments: list[str], environment: dict[str, str]) -> None:
    """Run JupyterLab in this process until it is stopped."""
    from jupyterlab.labapp import LabApp

    os.environ.update(environment)
    config = environment.get("PTAH_CONFIG")
    if config:
        arguments = [f"--config={config}", *arguments]
    LabApp.launch_instance(arguments)


def _dashboard_server_class() -> Any:
    from voila.app import Voila

    class DashboardServer(Voila):  # type: ignore[misc]
        """Voila that also reads the team's `jupyter_config.py`."""

        def load_config_file(self, filename, path=None):  # type: ignore[no-untyped-def]
            super().load_config_file(filename, path=path)
            config = os.environ.get("PTAH_CONFIG")
            if filename == "voila" and config:
                file = Path(config)
                logger.info("Voila reads %s", file)
                super().load_config_file(file.stem, path=[str(file.parent)])

    return DashboardServer


if __name__ == "__main__":
    sys.exit("Run `ptah dashboard` or `ptah lab`.")
