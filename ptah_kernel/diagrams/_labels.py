r"""Client text made safe and short for graphviz's HTML-like labels.

Names come from clients and analysts, so they may hold `<`, `&`, quotes,
newlines and backslashes. `html.escape` covers the markup; backslashes are
doubled because graphviz reads `\N`, `\G` and friends in label text even
inside HTML-like labels (checked with dot 2.43), and control characters
are dropped because they are not allowed in the SVG's XML.
"""

from __future__ import annotations

import html
import math
import re
import textwrap

FONT = "DejaVu Sans"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
_UNSAFE_ID = re.compile(r"[^0-9A-Za-z._-]")


def clean(text: object) -> str:
    """Text on one line, spaces collapsed, control characters dropped."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()


def shorten(text: object, limit: int) -> str:
    """Clean text cut to `limit` characters, with an ellipsis when cut."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: object) -> str:
    """Clean text escaped for an HTML-like label."""
    return html.escape(clean(text), quote=True).replace("\\", "\\\\")


def wrapped(text: object, width: int = 28, lines: int = 2) -> str:
    """Clean text wrapped to `lines` lines of `width`, escaped, joined by `<BR/>`.

    What does not fit ends in an ellipsis.
    """
    parts = textwrap.wrap(clean(text), width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], shorten(" ".join(parts[lines - 1 :]), width)]
    return "<BR/>".join(escape(part) for part in parts)


def hours(value: float) -> str:
    """Hours for a label: `1,240 h`, `7.5 h`."""
    value = round(value, 1) + 0.0
    return f"{value:,.0f} h" if value >= 100 or value.is_integer() else f"{value} h"


def days(value: float) -> str:
    """Working days for a label: `0 d`, `2.5 d`, never `-0.0 d`."""
    return f"{round(value, 1) + 0.0:,g} d"


def day(value: object, *, year: bool = False) -> str:
    """A date for a label: `Mon 01 Mar`, or `Mon 01 Mar 2027` with the year."""
    import pandas as pd

    return str(pd.Timestamp(value).strftime("%a %d %b %Y" if year else "%a %d %b"))


def money(value: float) -> str:
    """A cost for a label, whole units with thousands separators."""
    return f"{value:,.0f}"


def count(number: int, word: str) -> str:
    """`1 item`, `3 items`."""
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def node_id(code: object) -> str:
    """A graphviz node name for an item code, safe in edge statements.

    The graphviz package reads `:` in an edge's end as a port, so anything
    but letters, digits, dots, dashes and underscores becomes `_`.
    """
    return "item " + _UNSAFE_ID.sub("_", str(code))


def small(text: str, colour: str = "#3d4a52") -> str:
    """Escaped text in a smaller, quieter font; newlines become line breaks."""
    lines = "<BR/>".join(escape(line) for line in text.split("\n"))
    return f'<FONT POINT-SIZE="9" COLOR="{colour}">{lines}</FONT>'


def table(rows: list[str]) -> str:
    """An HTML-like label: the rows (already escaped markup) left-aligned.

    `BALIGN` aligns the lines a `<BR/>` breaks a row into; `ALIGN` alone
    centres them.
    """
    cells = "".join(
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows
    )
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'
