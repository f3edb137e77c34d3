"""What every command shares: exit codes, usage errors, opening the workspace."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ptah_kernel.workspace import Workspace

EXIT_REFUSED = 1
EXIT_ERROR = 2


class UsageError(Exception):
    """Arguments that do not fit together."""


def open_from(args: argparse.Namespace) -> Workspace:
    """The workspace the command line names (or the default one)."""
    from ptah_kernel.workspace import open_workspace

    return open_workspace(args.workspace)
