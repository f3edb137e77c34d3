"""The package's public face: its names, and an import that stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import ptah_kernel

HEAVY = ["pandas", "sqlalchemy", "pypdf", "pypdfium2", "docx", "openpyxl", "anthropic"]


def test_public_names_are_listed_and_resolve():
    assert sorted(ptah_kernel.__all__) == [
        "Project",
        "PtahError",
        "Workspace",
        "__version__",
        "open_workspace",
    ]
    assert all(getattr(ptah_kernel, name) for name in ptah_kernel.__all__)


def test_import_loads_no_heavy_library():
    code = (
        "import json, sys, ptah_kernel, ptah_kernel.cli; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert json.loads(done.stdout) == []


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        ptah_kernel.no_such_name  # noqa: B018
