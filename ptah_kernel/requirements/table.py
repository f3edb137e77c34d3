"""The requirements of a project as one table, the shape every surface shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REQUIREMENT_COLUMNS", "requirements_frame"]

REQUIREMENT_COLUMNS = [
    "id",
    "ref",
    "text",
    "modality",
    "kind",
    "source",
    "document",
    "anchor",
    "section",
    "ambiguity",
]


def requirements_frame(rows: Iterable[tuple[Any, str]]) -> pd.DataFrame:
    """Stored requirement rows, each with its file name, as a table.

    `ambiguity` lists the weak or open-ended words that raised a flag.
    """
    import pandas as pd

    records = [
        {
            "id": r.rid,
            "ref": r.ref,
            "text": r.text,
            "modality": r.modality,
            "kind": r.kind,
            "source": r.source,
            "document": filename,
            "anchor": r.anchor,
            "section": r.section,
            "ambiguity": ", ".join(r.ambiguity),
        }
        for r, filename in rows
    ]
    return pd.DataFrame(records, columns=REQUIREMENT_COLUMNS)
