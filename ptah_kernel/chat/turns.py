"""A stored turn of a conversation, and the token totals shown after answers."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ptah_kernel.chat._citations import Citation
from ptah_kernel.chat._prices import Usage, format_cost

__all__ = ["Totals", "Turn"]

STATUS_NOTES = {
    "interrupted": "Interrupted: the answer stops where it was cut.",
    "truncated": "Cut off at the answer length limit: the answer is incomplete.",
    "refused": "Claude declined to answer this question.",
    "incomplete": "The answer stopped early: the connection ended before it "
    "was finished.",
    "failed": "Claude failed in the middle of the answer; what arrived is kept.",
}


@dataclass(frozen=True, slots=True)
class Totals:
    """Tokens and cost summed over turns; `unpriced` turns had no price."""

    turns: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost: float = 0.0
    unpriced: int = 0

    def cost_text(self) -> str:
        """`$0.42`, with a word when some turns had no price."""
        if self.turns and self.unpriced == self.turns:
            return format_cost(None)
        text = format_cost(self.cost)
        return text + (f" (+{self.unpriced} unpriced)" if self.unpriced else "")


@dataclass
class Turn:
    """One question and Claude's answer, as stored in the workspace.

    `status` is complete, interrupted, truncated, refused, incomplete or
    failed; `answer` keeps whatever text arrived. `citations` point back to
    blocks of the documents; `result` holds a structured answer.
    """

    id: int
    position: int
    kind: str
    question: str
    answer: str
    status: str
    stop_reason: str | None
    model: str
    documents: list[dict[str, Any]]
    citations: list[Citation]
    left_out: list[dict[str, Any]]
    result: dict[str, Any] | None
    usage: Usage
    cost: float | None
    created_at: datetime | None = None
    notes: list[str] = field(default_factory=list)
    conversation_totals: Totals | None = None
    project_totals: Totals | None = None
    shown_live: bool = False

    @classmethod
    def from_row(cls, row: Any) -> Turn:
        """A turn from its database row."""
        usage = Usage(
            input_tokens=row.input_tokens,
            output_tokens=row.output_tokens,
            cache_write_tokens=row.cache_write_tokens,
            cache_read_tokens=row.cache_read_tokens,
        )
        return cls(
            id=row.id,
            position=row.position,
            kind=row.kind,
            question=row.question,
            answer=row.answer,
            status=row.status,
            stop_reason=row.stop_reason,
            model=row.model,
            documents=list(row.documents),
            citations=[Citation.from_dict(c) for c in row.citations],
            left_out=list(row.left_out),
            result=row.result,
            usage=usage,
            cost=row.cost,
            created_at=row.created_at,
        )

    def __repr__(self) -> str:
        return (
            f"<Turn {self.position} {self.kind} {self.status}: {self.question[:40]!r}>"
        )

    def __str__(self) -> str:
        return self.answer + "\n" + self.footer_text()

    @property
    def is_complete(self) -> bool:
        """Whether Claude finished the answer."""
        return self.status == "complete"

    def usage_text(self) -> str:
        """One line: the tokens of this turn, its cost and the running totals."""
        u = self.usage
        line = (
            f"tokens: in {u.input_tokens:,} · out {u.output_tokens:,} · "
            f"cache write {u.cache_write_tokens:,} · cache read "
            f"{u.cache_read_tokens:,} · {format_cost(self.cost)}"
        )
        if self.conversation_totals is not None:
            line += f" · conversation {self.conversation_totals.cost_text()}"
        if self.project_totals is not None:
            line += f" · project {self.project_totals.cost_text()}"
        return line + f" · {self.model}"

    def footer_text(self) -> str:
        """Sources, notes and cost as plain lines, for a terminal."""
        lines = [f"[{c.number}] {c.label}  ({c.anchor})" for c in self.citations]
        note = STATUS_NOTES.get(self.status)
        lines += [note] if note else []
        lines += self.notes
        lines.append(self.usage_text())
        return "\n".join(lines)

    def _ipython_display_(self) -> None:
        # A cell ending in `conv.ask(...)` would show the answer a second time
        # under the live output; the first display after streaming is skipped.
        from IPython.display import Markdown, display

        if self.shown_live:
            self.shown_live = False
            return
        display(Markdown(self._repr_markdown_()))

    def _repr_markdown_(self) -> str:
        parts = [self.answer or "*No text arrived.*"]
        if self.citations:
            links = [_citation_html(c) for c in self.citations]
            parts.append("**Sources**<br>" + "<br>".join(links))
        note = STATUS_NOTES.get(self.status)
        notes = ([note] if note else []) + self.notes
        parts += [f"*{html.escape(n)}*" for n in notes]
        parts.append(f"<small>{html.escape(self.usage_text())}</small>")
        return "\n\n".join(parts)


def _citation_html(citation: Citation) -> str:
    e = html.escape
    return (
        f'[{citation.number}] <a href="{e(citation.target)}" '
        f'title="{e(citation.quote[:300])}" '
        f'data-ptah-document="{citation.document_id}" '
        f'data-ptah-anchor="{e(citation.anchor)}">{e(citation.label)}</a>'
    )
