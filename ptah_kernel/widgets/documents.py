"""A project's documents in a notebook: upload files, read their blocks, search.

Uploads go through `Project.add_document`, one file at a time under a
progress bar; a file that cannot be read is reported on its own line and
the rest go on.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import PtahError

if TYPE_CHECKING:
    from ptah_kernel.documents.content import Block
    from ptah_kernel.documents.document import Document
    from ptah_kernel.projects import Project

logger = logging.getLogger(__name__)

__all__ = ["DocumentPanel", "search_blocks"]

ACCEPT = ".pdf,.docx,.xlsx,.md,.markdown,.txt,.text,.csv"
SHOWN = 200


class DocumentPanel:
    """Upload documents to a project, page through their blocks, search them."""

    def __init__(self, project: Project) -> None:
        import ipywidgets as w

        from ptah_kernel.widgets.picker import refuse_in_voila

        refuse_in_voila("document panel")
        self.project = project
        self.upload = w.FileUpload(accept=ACCEPT, multiple=True, description="Add")
        self.upload.observe(lambda _: self._add_uploads(), names="value")
        self.progress = w.IntProgress(min=0, max=1, value=0, description="Reading")
        self.progress.layout.visibility = "hidden"
        self.report = w.HTML().add_class("ptah-upload-report")
        self.choice = w.Dropdown(description="Document")
        self.choice.observe(lambda _: self._show_blocks(), names="value")
        self.query = w.Text(placeholder="search the blocks", continuous_update=False)
        self.query.observe(lambda _: self._show_blocks(), names="value")
        self.blocks = w.HTML().add_class("ptah-blocks")
        header = w.HBox([self.upload, self.progress])
        self.widget = w.VBox(
            [header, self.report, w.HBox([self.choice, self.query]), self.blocks]
        )
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Reload the list of documents."""
        documents = self.project.documents
        self.choice.options = [(d.filename, d.id) for d in documents]
        if documents and self.choice.value is None:
            self.choice.value = documents[0].id
        self._show_blocks()

    def add_files(self, files: list[tuple[str, bytes]]) -> list[str]:
        """Read (name, bytes) pairs into the project; one line per file."""
        self.progress.max, self.progress.value = max(len(files), 1), 0
        self.progress.layout.visibility = "visible"
        lines = []
        for name, content in files:
            lines.append(self._add_one(name, content))
            self.progress.value += 1
        self.progress.layout.visibility = "hidden"
        self.report.value = "<br>".join(lines)
        self.refresh()
        return lines

    def _add_one(self, name: str, content: bytes) -> str:
        try:
            document = self.project.add_document(content, name)
        except PtahError as exc:
            problem = html.escape(f"{name}: {exc}")
            return f"<span style='color:#c0392b'>{problem}</span>"
        found = len(document.requirements)
        return f"{html.escape(name)}: read, {found} requirement(s)."

    def _add_uploads(self) -> None:
        files = [(f["name"], bytes(f["content"])) for f in self.upload.value]
        if not files:
            return
        self.add_files(files)
        self.upload.value = ()

    def _document(self) -> Document | None:
        if self.choice.value is None:
            return None
        return self.project.document(self.choice.value)

    def _show_blocks(self) -> None:
        document = self._document()
        if document is None:
            self.blocks.value = "<p>No documents yet: add some above.</p>"
            return
        found = search_blocks(document.blocks, self.query.value)
        self.blocks.value = _blocks_html(found, self.query.value)


def search_blocks(blocks: list[Block], query: str) -> list[Block]:
    """The blocks whose text holds every word of `query`, in any case."""
    words = query.lower().split()
    return [b for b in blocks if all(word in b.text.lower() for word in words)]


def _blocks_html(blocks: list[Block], query: str) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(b.anchor)}</code></td><td>{html.escape(b.kind)}"
        f"</td><td>{_marked(b.text, query)}</td></tr>"
        for b in blocks[:SHOWN]
    )
    more = (
        f"<p>{len(blocks) - SHOWN} more not shown.</p>" if len(blocks) > SHOWN else ""
    )
    return (
        f"<p>{len(blocks)} block(s).</p><table><tr><th>Anchor</th><th>Kind</th>"
        f"<th>Text</th></tr>{rows}</table>{more}"
    )


def _marked(text: str, query: str) -> str:
    shown = html.escape(text[:600])
    for word in {w for w in query.split() if w}:
        needle = html.escape(word)
        shown = shown.replace(needle, f"<mark>{needle}</mark>")
    return shown
