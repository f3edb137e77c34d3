"""Charts of a WBS, and any SVG, as self-contained `<img>` tags.

Each figure is an SVG inlined as a data URI, so a dashboard page loads
nothing from anywhere and two figures cannot clash over element ids.
matplotlib draws the bar charts, without pyplot, so no GUI backend starts;
the WBS tree and the Gantt chart come from `ptah_kernel.diagrams`.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

__all__ = ["bar_chart", "svg_image", "warm_up"]

ACCENT = "#2f6f8f"


def svg_image(svg: bytes | str, alt: str, css_class: str) -> str:
    """An `<img>` tag holding the SVG as a data URI."""
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    data = base64.b64encode(raw).decode("ascii")
    return (
        f'<img class="{css_class}" alt="{html.escape(alt)}" '
        f'src="data:image/svg+xml;base64,{data}">'
    )


def bar_chart(values: pd.Series, title: str, css_class: str) -> str:
    """A horizontal bar chart of hours by label, as an `<img>` tag."""
    labels = [_short(str(label), 34) for label in values.index]
    figure = _figure(height=0.9 + 0.3 * len(values))
    # Fixed margins instead of a layout engine: measuring every label to
    # place the axes doubles the time a chart takes.
    figure.subplots_adjust(
        left=0.3,
        right=0.92,
        top=1 - 0.45 / figure.get_figheight(),
        bottom=0.55 / figure.get_figheight(),
    )
    axes = figure.subplots()
    positions = range(len(values))
    axes.barh(positions, values.to_numpy(), color=ACCENT)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel("expected hours", fontsize=8)
    axes.set_title(title, loc="left", fontsize=11)
    _tidy(axes)
    for y, value in enumerate(values.to_numpy()):
        axes.text(value, y, f" {value:,.0f} h", va="center", fontsize=8)
    return svg_image(_svg(figure), title, css_class)


def warm_up() -> None:
    """Draw a throwaway chart, so fonts and the SVG backend are loaded."""
    import pandas as pd

    bar_chart(pd.Series([1.0], index=["warm-up"]), "warm-up", "none")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(height: float):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    return Figure(figsize=(7.5, min(height, 14.0)))


def _tidy(axes) -> None:  # type: ignore[no-untyped-def]
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)


def _svg(figure) -> bytes:  # type: ignore[no-untyped-def]
    import matplotlib

    buffer = io.BytesIO()
    # Text stays text (not paths): smaller files, and the browser's own
    # fonts draw it, so nothing is fetched.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ptah"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()
