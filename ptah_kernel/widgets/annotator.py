"""Comment on a document's words, reply, resolve; see what a new version orphaned.

Choose a block, type or paste the words (empty means the whole block),
write a comment and tick its tags. Threads are listed with their replies;
orphaned ones, whose words a new version no longer has, are listed apart.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    from ptah_kernel.annotations import Annotation
    from ptah_kernel.projects import Project

logger = logging.getLogger(__name__)

__all__ = ["Annotator"]


class Annotator:
    """Annotate a project's documents and work through the threads."""

    def __init__(self, project: Project) -> None:
        import ipywidgets as w

        from ptah_kernel.annotations import TAGS
        from ptah_kernel.widgets.picker import refuse_in_voila

        refuse_in_voila("annotator")
        self.project = project
        self.document = w.Dropdown(description="Document")
        self.document.observe(lambda _: self._load_blocks(), names="value")
        self.block = w.Dropdown(description="Block", layout=w.Layout(width="95%"))
        self.quote = w.Textarea(placeholder="the words (empty: the whole block)")
        self.comment = w.Textarea(placeholder="your comment")
        self.tags = {tag: w.Checkbox(description=tag, indent=False) for tag in TAGS}
        add = w.Button(description="Annotate", button_style="primary")
        add.on_click(lambda _: self._annotate())
        self.threads = w.Select(description="Threads", layout=w.Layout(width="95%"))
        self.threads.observe(lambda _: self._show_thread(), names="value")
        self.thread = w.HTML().add_class("ptah-thread")
        self.reply_text = w.Text(placeholder="reply")
        reply = w.Button(description="Reply")
        reply.on_click(lambda _: self._reply())
        toggle = w.Button(description="Resolve / reopen")
        toggle.on_click(lambda _: self._toggle())
        self.orphans = w.HTML().add_class("ptah-orphans")
        self.message = w.HTML()
        self.widget = w.VBox(
            [
                self.document,
                self.block,
                w.HBox([self.quote, self.comment]),
                w.HBox([*self.tags.values(), add]),
                self.message,
                self.threads,
                self.thread,
                w.HBox([self.reply_text, reply, toggle]),
                self.orphans,
            ]
        )
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Reload documents and threads."""
        documents = self.project.documents
        self.document.options = [(d.filename, d.id) for d in documents]
        if documents and self.document.value is None:
            self.document.value = documents[0].id
        self._load_blocks()
        self._load_threads()

    def _load_blocks(self) -> None:
        if self.document.value is None:
            self.block.options = []
            return
        blocks = self.project.document(self.document.value).blocks
        self.block.options = [
            (f"{b.anchor} · {b.text[:90]}", (b.anchor, b.text)) for b in blocks
        ]

    def _load_threads(self) -> None:
        frame = self.project.annotations
        self.threads.options = [
            (f"#{r.id} [{r.status}] {r.tags or '-'} · {r.comment[:60]}", r.id)
            for r in frame.itertuples()
        ]
        orphaned = frame[frame["orphaned"]]
        self.orphans.value = _orphans_html(orphaned)
        self._show_thread()

    def _annotate(self) -> None:
        if self.document.value is None or self.block.value is None:
            self._say("Pick a document and a block first.", error=True)
            return
        anchor, text = self.block.value
        quote = self.quote.value.strip() or text
        tags = [tag for tag, box in self.tags.items() if box.value]
        document = self.project.document(self.document.value)
        try:
            document.annotate(quote, self.comment.value, tags=tags, anchor=anchor)
        except PtahError as exc:
            self._say(str(exc), error=True)
            return
        self.quote.value = self.comment.value = ""
        self._say("Annotated.")
        self._load_threads()

    def _selected(self) -> Annotation | None:
        if self.threads.value is None:
            return None
        return self.project.annotation(self.threads.value)

    def _show_thread(self) -> None:
        annotation = self._selected()
        self.thread.value = "" if annotation is None else annotation._repr_html_()

    def _reply(self) -> None:
        annotation = self._selected()
        if annotation is None or not self.reply_text.value.strip():
            self._say("Pick a thread and write a reply.", error=True)
            return
        annotation.reply(self.reply_text.value)
        self.reply_text.value = ""
        self._show_thread()

    def _toggle(self) -> None:
        annotation = self._selected()
        if annotation is None:
            return
        annotation.reopen() if annotation.status == "resolved" else annotation.resolve()
        chosen = annotation.id
        self._load_threads()
        self.threads.value = chosen

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#c0392b" if error else "#2d6a3e"
        self.message.value = f'<span style="color:{color}">{html.escape(text)}</span>'


def _orphans_html(orphaned: Any) -> str:
    if orphaned.empty:
        return ""
    items = "".join(
        f"<li>#{r.id} on <q>{html.escape(r.quote[:80])}</q> ({html.escape(r.document)} "
        f"{html.escape(r.anchor)}): {html.escape(r.comment[:80])}</li>"
        for r in orphaned.itertuples()
    )
    return (
        f"<b>Orphaned by a new version ({len(orphaned)})</b>: their words are "
        f"gone; re-annotate or resolve them.<ul>{items}</ul>"
    )
