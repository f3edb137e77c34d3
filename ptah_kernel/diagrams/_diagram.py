"""The picture every diagram function returns: shown inline, saved by suffix."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    import graphviz
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "Diagram", "DiagramError"]

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
# PNGs are drawn at twice the screen's 72 dpi so text stays sharp on a slide.
PNG_DPI = 144


class DiagramError(PtahError, ValueError):
    """A diagram cannot be drawn or saved as asked."""


class Diagram:
    """A drawn diagram: a graphviz graph or a matplotlib figure.

    In a notebook it shows itself as SVG. `save(path)` writes PNG, SVG or
    PDF by the path's suffix. `graph` (graphviz) or `figure` (matplotlib)
    is the drawing itself, for anyone who wants to adjust it; `notes`
    says what was left out of the picture, such as folded items.
    """

    def __init__(
        self,
        *,
        graph: graphviz.Digraph | None = None,
        figure: Figure | None = None,
        notes: list[str] | None = None,
    ) -> None:
        """Wrap exactly one of `graph` and `figure`."""
        if (graph is None) == (figure is None):
            raise TypeError("A Diagram wraps either a graph or a figure, not both.")
        self.graph = graph
        self.figure = figure
        self.notes = list(notes or [])

    def render(self, format: str) -> bytes:
        """The diagram as bytes in `format`: png, svg or pdf."""
        format = _checked_format(format, shown=format)
        if self.figure is not None:
            return _render_figure(self.figure, format)
        return _render_graph(self.graph, format)

    def svg(self) -> str:
        """The diagram as SVG text."""
        return self.render("svg").decode("utf-8")

    def save(self, path: str | Path) -> Path:
        """Write the diagram to `path`, as PNG, SVG or PDF by its suffix."""
        path = Path(path)
        format = _checked_format(path.suffix.lstrip("."), shown=path.name)

        path.write_bytes(self.render(format))
        log.debug("Saved a %s diagram to %s", format, path)
        return path

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str]:
        return {"image/svg+xml": self.svg()}

    def __repr__(self) -> str:
        """Say which kind of drawing this is, without rendering it."""
        kind = "graph" if self.graph is not None else "figure"
        return f"<Diagram ({kind}){'; ' + '; '.join(self.notes) if self.notes else ''}>"


def _checked_format(format: str, *, shown: str) -> str:
    if format.lower() in FORMATS:
        return format.lower()
    allowed = ", ".join(f".{name}" for name in FORMATS)
    raise DiagramError(
        f"A diagram cannot be saved as {shown!r}; give a file name ending in {allowed}."
    )


def _render_graph(graph: graphviz.Digraph, format: str) -> bytes:
    import graphviz

    if format == "png":
        graph = graph.copy()
        graph.attr(dpi=str(PNG_DPI))
    try:
        return bytes(graph.pipe(format=format))
    except graphviz.ExecutableNotFound as error:
        raise DiagramError(
            "Graphviz's `dot` program is not installed, so the diagram cannot "
            "be drawn; install it (Debian: apt-get install graphviz) and retry."
        ) from error


def _render_figure(figure: Figure, format: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=format, dpi=PNG_DPI)
    return buffer.getvalue()
