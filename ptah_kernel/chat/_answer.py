"""Reading Claude's streamed answer: text, citation markers, usage, stop reason.

The collector keeps its own copy of what arrived, so an answer cut short by
an interrupt, a dropped connection or a mid-stream error still has its text
and the tokens it was billed for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptah_kernel.chat._prices import Usage

if TYPE_CHECKING:
    from ptah_kernel.chat._citations import CitationIndex
    from ptah_kernel.chat._display import LiveAnswer

__all__ = ["AnswerCollector", "status_of"]

USAGE_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
)
STATUS = {
    "end_turn": "complete",
    "stop_sequence": "complete",
    "max_tokens": "truncated",
    "model_context_window_exceeded": "truncated",
    "refusal": "refused",
    "pause_turn": "incomplete",
    "tool_use": "incomplete",
}


def status_of(stop_reason: str | None) -> str:
    """Turn status for an answer that ended with `stop_reason`.

    A stream that ends with no stop reason was cut off by the server.
    """
    if stop_reason is None:
        return "incomplete"
    return STATUS.get(stop_reason, "incomplete")


class AnswerCollector:
    """Feed it the stream's events; it builds the answer and shows it live."""

    def __init__(self, citations: CitationIndex | None, live: LiveAnswer) -> None:
        self.citations = citations
        self.live = live
        self.parts: list[str] = []
        self.model: str | None = None
        self.stop_reason: str | None = None
        self.started = False
        self._usage: dict[str, Any] = {}
        self._cited: dict[int, list[int]] = {}

    @property
    def text(self) -> str:
        """The answer so far, with citation markers."""
        return "".join(self.parts)

    @property
    def usage(self) -> Usage:
        """Tokens billed so far (cumulative, as the API reports them)."""
        return Usage(
            input_tokens=self._usage.get("input_tokens") or 0,
            output_tokens=self._usage.get("output_tokens") or 0,
            cache_write_tokens=self._usage.get("cache_creation_input_tokens") or 0,
            cache_read_tokens=self._usage.get("cache_read_input_tokens") or 0,
            cache_write_1h_tokens=self._usage.get("one_hour") or 0,
        )

    def feed(self, event: Any) -> None:
        """Take one event of `messages.stream()`; helper events are ignored."""
        kind = event.type
        if kind == "message_start":
            self.started = True
            self.model = event.message.model
            self._take_usage(event.message.usage)
        elif kind == "content_block_delta":
            self._take_delta(event.index, event.delta)
        elif kind == "content_block_stop":
            self._close_block(event.index)
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason
            self._take_usage(event.usage)

    def _take_delta(self, index: int, delta: Any) -> None:
        if delta.type == "text_delta":
            self.parts.append(delta.text)
            self.live.write(delta.text)
        elif delta.type == "citations_delta" and self.citations is not None:
            citation = self.citations.add(delta.citation)
            if citation is not None:
                self._cited.setdefault(index, []).append(citation.number)

    def _close_block(self, index: int) -> None:
        numbers = sorted(set(self._cited.pop(index, [])))
        if not numbers:
            return
        marker = "".join(f"[{n}]" for n in numbers)
        text = self.text
        if text and not text[-1].isspace():
            marker = " " + marker
        self.parts.append(marker)
        self.live.write(marker)

    def _take_usage(self, usage: Any) -> None:
        if usage is None:
            return
        for name in USAGE_FIELDS:
            value = getattr(usage, name, None)
            if value is not None:
                self._usage[name] = value
        creation = getattr(usage, "cache_creation", None)
        if creation is not None:
            self._usage["one_hour"] = creation.ephemeral_1h_input_tokens
