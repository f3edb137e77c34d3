"""Showing an answer as it arrives: a live output in a notebook, text in a terminal.

In a notebook the first piece of text is displayed at once and later
pieces update the same output in place, at most ten times a second, so a
long answer does not flood the kernel's message channel. Anywhere else the
text is written to standard output as it comes.
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["LiveAnswer", "in_notebook"]

REFRESH_SECONDS = 0.1


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (not a terminal IPython)."""
    shell = _shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _shell() -> Any:
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()


class LiveAnswer:
    """Where the streamed text goes; `show=False` keeps it silent."""

    def __init__(self, show: bool = True) -> None:
        self.mode = "off" if not show else "notebook" if in_notebook() else "text"
        self._text: list[str] = []
        self._handle: Any = None
        self._shown_at = 0.0

    def write(self, piece: str) -> None:
        """Show one more piece of the answer."""
        if self.mode == "text":
            sys.stdout.write(piece)
            sys.stdout.flush()
        elif self.mode == "notebook":
            self._text.append(piece)
            self._refresh()

    def _refresh(self) -> None:
        from IPython.display import Markdown, display

        now = time.monotonic()
        if self._handle is None:
            self._handle = display(Markdown("".join(self._text)), display_id=True)
            self._shown_at = now
        elif now - self._shown_at >= REFRESH_SECONDS:
            self._handle.update(Markdown("".join(self._text)))
            self._shown_at = now

    def finish(self, view: Any) -> None:
        """Replace the live text with the finished answer (`view` renders it)."""
        if self.mode == "text":
            sys.stdout.write("\n" + view.footer_text() + "\n")
            sys.stdout.flush()
        elif self.mode == "notebook":
            from IPython.display import Markdown, display

            final = Markdown(view._repr_markdown_())
            if self._handle is None:
                display(final)
            else:
                self._handle.update(final)
            view.shown_live = True
