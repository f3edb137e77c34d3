"""The `ptah dashboard` and `ptah lab` commands.

    ptah dashboard [--port N] [--notebooks DIR] [--config FILE] [-- VOILA ARGS]
    ptah lab [--port N] [--root DIR] [--config FILE] [-- JUPYTER ARGS]

`add_dashboard(commands)` and `add_lab(commands)` register them on the
`ptah` parser's subcommands. Both servers listen on 127.0.0.1 unless told
otherwise and read the settings file Ptah reads (or `--config`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

logger = logging.getLogger(__name__)

__all__ = ["add_dashboard", "add_lab", "main"]

DASHBOARD_PORT = 8866
LAB_PORT = 8888


def add_dashboard(commands: Commands) -> None:
    """Register `ptah dashboard`: Voila serving the stakeholder dashboards."""
    command = commands.add_parser(
        "dashboard",
        help="serve the read-only project dashboards with Voila",
        description="Serve the dashboards folder with Voila, reading "
        "jupyter_config.py. A project's dashboard is at "
        "/voila/render/dashboard.ipynb?project=CODE and every project is at "
        "/voila/render/portfolio.ipynb. Arguments after -- go to Voila.",
    )
    _add_server_options(command, DASHBOARD_PORT)
    command.add_argument(
        "--notebooks",
        type=Path,
        metavar="DIR",
        help="folder of dashboard notebooks (default: Ptah's dashboard and "
        "portfolio only)",
    )
    command.set_defaults(run=_run_dashboard)


def add_lab(commands: Commands) -> None:
    """Register `ptah lab`: JupyterLab on the same workspace and settings."""
    command = commands.add_parser(
        "lab",
        help="start JupyterLab on the workspace, with Ptah's settings",
        description="Start JupyterLab with jupyter_config.py as its config and "
        "the workspace handed to its kernels. Arguments after -- go to "
        "JupyterLab.",
    )
    _add_server_options(command, LAB_PORT)
    command.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        metavar="DIR",
        help="folder JupyterLab shows (default: the current folder)",
    )
    command.set_defaults(run=_run_lab)


def _add_server_options(command: argparse.ArgumentParser, port: int) -> None:
    command.add_argument(
        "--port", type=int, default=port, help=f"port to listen on (default {port})"
    )
    command.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only)",
    )
    command.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="settings file (default: the jupyter_config.py Ptah finds)",
    )
    command.add_argument(
        "server_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS
    )


def _run_dashboard(args: argparse.Namespace) -> int:
    from ptah_kernel import dashboards

    folder = args.notebooks or dashboards.stakeholder_folder()
    arguments = dashboards.dashboard_arguments(
        folder.resolve(), port=args.port, ip=args.ip, extra=_extra(args)
    )
    config = _config(args)
    environment = dashboards.server_environment(config, _workspace(args, config))
    print(
        f"Dashboards: http://{args.ip}:{args.port}/voila/render/"
        "dashboard.ipynb?project=CODE",
        file=sys.stderr,
    )
    dashboards.run_dashboard(arguments, environment)
    return 0


def _run_lab(args: argparse.Namespace) -> int:
    from ptah_kernel import dashboards

    arguments = dashboards.lab_arguments(
        args.root.resolve(), port=args.port, ip=args.ip, extra=_extra(args)
    )
    config = _config(args)
    environment = dashboards.server_environment(config, _workspace(args, config))
    dashboards.run_lab(arguments, environment)
    return 0


def _extra(args: argparse.Namespace) -> list[str]:
    extra = list(args.server_args)
    return extra[1:] if extra[:1] == ["--"] else extra


def _config(args: argparse.Namespace) -> Path | None:
    from ptah_kernel.errors import SettingsError
    from ptah_kernel.settings import find_config_file

    if args.config is not None:
        if not args.config.is_file():
            raise SettingsError(
                f"--config names '{args.config}', which is not a file. Name "
                "your jupyter_config.py, or leave --config out."
            )
        return Path(args.config)
    found = find_config_file()
    if found is None:
        logger.warning("No jupyter_config.py found; Voila and Lab use defaults")
    return found


def _workspace(args: argparse.Namespace, config: Path | None) -> str:
    from ptah_kernel.settings import load_settings
    from ptah_kernel.workspace import default_workspace_path

    if getattr(args, "workspace", None):
        return str(args.workspace)
    return str(default_workspace_path(load_settings(config)))


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dashboard` or `lab` alone, before they are wired into `ptah`."""
    parser = argparse.ArgumentParser(prog="ptah")
    parser.add_argument("--workspace", metavar="DIR", help="workspace folder")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_dashboard(commands)
    add_lab(commands)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
