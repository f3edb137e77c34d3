"""Ask Claude about the documents from a panel: streamed answers, sources, cost.

Type a question and press Ask: the answer streams into the panel, each
source becomes a button that opens the cited block beside it, and the
line under the answer gives the turn's tokens and cost with the running
totals. Failures (no key, rate limits) are one sentence, never a traceback.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    from ptah_kernel.chat.turns import Turn
    from ptah_kernel.projects import Project

__all__ = ["ChatPanel"]


class ChatPanel:
    """A question box over one conversation of a project."""

    def __init__(self, project: Project, title: str | None = None) -> None:
        import ipywidgets as w

        from ptah_kernel.widgets.picker import refuse_in_voila

        refuse_in_voila("chat panel")
        self.project = project
        self.title = title
        self.question = w.Textarea(placeholder="Ask about the documents…")
        self.ask_button = w.Button(description="Ask", button_style="primary")
        self.ask_button.on_click(lambda _: self.ask())
        self.answers = w.Output()
        self.sources = w.HBox()
        self.source = w.HTML().add_class("ptah-cited-block")
        self.cost = w.HTML()
        self.message = w.HTML()
        self.widget = w.VBox(
            [
                w.HBox([self.question, self.ask_button]),
                self.message,
                self.answers,
                self.sources,
                self.source,
                self.cost,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def ask(self, text: str | None = None) -> Turn | None:
        """Ask the question in the box (or `text`); show and return the turn."""
        question = (text if text is not None else self.question.value).strip()
        if not question:
            self.message.value = "<em>Write a question first.</em>"
            return None
        self.message.value = ""
        try:
            with self.answers:
                turn = self.project.conversation(self.title).ask(question)
        except PtahError as exc:
            self.message.value = f"<b>{html.escape(str(exc))}</b>"
            return None
        self.question.value = ""
        self._show_sources(turn)
        self.cost.value = f"<small>{html.escape(turn.usage_text())}</small>"
        return turn

    def _show_sources(self, turn: Turn) -> None:
        import ipywidgets as w

        buttons = []
        for citation in turn.citations:
            button = w.Button(description=f"[{citation.number}] {citation.label}")
            button.on_click(lambda _, c=citation: self.open_source(c))
            buttons.append(button)
        self.sources.children = buttons
        self.source.value = ""

    def open_source(self, citation: Any) -> str:
        """Show the cited block beside the answer; return its text."""
        document = self.project.document(citation.document_id)
        block = next((b for b in document.blocks if b.anchor == citation.anchor), None)
        text = block.text if block is not None else citation.quote
        self.source.value = (
            f"<p><b>{html.escape(citation.label)}</b></p>"
            f"<blockquote>{html.escape(text)}</blockquote>"
        )
        return text
