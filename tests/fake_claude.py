"""A fake Claude Messages API on loopback that speaks the real wire format.

The real `anthropic` SDK reaches it through `ANTHROPIC_BASE_URL`. It serves
`POST /v1/messages` as JSON or as a server-sent event stream (every event
type: message_start, content_block_start/delta/stop with text, citations
and ping, message_delta, message_stop, error), `POST
/v1/messages/count_tokens` and `GET /v1/models/{id}`. Prompt caching is
modelled from the `cache_control` breakpoints it receives: the first time a
prefix is seen it is written (`cache_creation_input_tokens`), afterwards
read (`cache_read_input_tokens`). It refuses what the real API refuses and
Ptah might send by mistake: citations with structured output, forced tool
use, sampling parameters, a missing key.

Tests script the replies; a reply is test data, never known to Ptah:

    with FakeClaude() as claude:
        claude.script(Answer("The portal ", Cite("must log in", quote="...")))
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

API_KEY = "sk-ant-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
MIN_CACHEABLE_TOKENS = 1024
_ids = itertools.count(1)


# Scripted replies


@dataclass
class Cite:
    """Text that cites `quote` in the request's document number `document`.

    A plain-text document is cited by the character range where the quote
    stands; a PDF by `page` (which the test gives, as the fake reads no PDF).
    """

    text: str
    quote: str
    document: int = 0
    page: int | None = None


@dataclass
class Answer:
    """A streamed (or JSON) answer made of text parts and citations.

    `stop_reason=None` with `stop_after` ends the stream early, cleanly,
    with no message_delta or message_stop; `error_after` sends an `error`
    event after that many parts instead. `thinking` puts a thinking block
    first, as current models do by default.
    """

    parts: tuple[str | Cite, ...]
    stop_reason: str | None = "end_turn"
    thinking: str | None = None
    delay: float = 0.0
    stop_after: int | None = None
    error_after: int | None = None
    output_tokens: int | None = None

    def __init__(self, *parts: str | Cite, **options: Any) -> None:
        self.parts = parts
        for name, value in options.items():
            setattr(self, name, value)


@dataclass
class Json:
    """A structured answer: `data` as JSON text, optionally cut after `cut` chars."""

    data: Any
    stop_reason: str = "end_turn"
    cut: int | None = None


@dataclass
class Refusal:
    """An answer Claude declines: an empty text block, stop_reason refusal."""

    category: str = "cyber"


@dataclass
class Error:
    """An HTTP error response, sent `times` times in a row."""

    status: int
    type: str
    message: str = "Scripted error."
    retry_after: float | None = None
    times: int = 1


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


# The server


@dataclass
class FakeClaude:
    """Run the fake on 127.0.0.1 for the length of a `with` block."""

    first_event_delay: float = 0.0
    max_input_tokens: int = 1_000_000
    requests: list[Recorded] = field(default_factory=list)
    sent_events: int = 0

    def __post_init__(self) -> None:
        self._replies: deque[Any] = deque()
        self._cache: set[str] = set()
        self._lock = threading.Lock()
        self.first_text = threading.Event()

    def __enter__(self) -> FakeClaude:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Any) -> None:
        """Queue replies; each request takes the next (a default answer after)."""
        for reply in replies:
            for _ in range(getattr(reply, "times", 1)):
                self._replies.append(reply)

    def next_reply(self) -> Any:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
        return Answer("I have read the documents.")

    @property
    def messages_requests(self) -> list[Recorded]:
        """The requests made to POST /v1/messages."""
        return [r for r in self.requests if r.path.endswith("/v1/messages")]

    def usage_for(self, body: dict[str, Any]) -> dict[str, int]:
        """Token counts with caching, from the breakpoints of the request."""
        segments = _segments(body)
        tokens = [_tokens(segment) for segment, _ in segments]
        marks = [i for i, (_, marked) in enumerate(segments) if marked]
        digests = _prefix_digests(body.get("model", ""), segments)
        with self._lock:
            return self._cached_usage(tokens, marks, digests)

    def _cached_usage(
        self, tokens: list[int], marks: list[int], digests: list[str]
    ) -> dict[str, int]:
        last = marks[-1] if marks else -1
        read_to = max(
            (i for i in range(last + 1) if digests[i] in self._cache), default=-1
        )
        write_to = read_to
        for mark in marks:
            if mark > read_to and sum(tokens[: mark + 1]) >= MIN_CACHEABLE_TOKENS:
                self._cache.add(digests[mark])
                write_to = mark
        return {
            "input_tokens": sum(tokens[write_to + 1 :]),
            "cache_creation_input_tokens": sum(tokens[read_to + 1 : write_to + 1]),
            "cache_read_input_tokens": sum(tokens[: read_to + 1]),
        }


def _segments(body: dict[str, Any]) -> list[tuple[Any, bool]]:
    """The cacheable prefix in order: tools, system blocks, message blocks."""
    segments = [(tool, "cache_control" in tool) for tool in body.get("tools", [])]
    system = body.get("system", [])
    if isinstance(system, str):
        system = [{"type": "text", "text": system}]
    segments += [(block, "cache_control" in block) for block in system]
    for message in body.get("messages", []):
        content = message["content"]
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        segments += [
            ({"role": message["role"], **b}, "cache_control" in b) for b in content
        ]
    if "cache_control" in body and segments:
        segments[-1] = (segments[-1][0], True)
    return segments


def _prefix_digests(model: str, segments: list[tuple[Any, bool]]) -> list[str]:
    digest, digests = hashlib.sha256(model.encode()), []
    for segment, _ in segments:
        plain = {k: v for k, v in segment.items() if k != "cache_control"}
        digest.update(json.dumps(plain, sort_keys=True).encode())
        digests.append(digest.copy().hexdigest())
    return digests


def _tokens(segment: dict[str, Any]) -> int:
    source = segment.get("source") or {}
    if source.get("media_type") == "application/pdf":
        return len(source.get("data", "")) // 16 + 20
    plain = {k: v for k, v in segment.items() if k != "cache_control"}
    return len(json.dumps(plain)) // 4 + 1


def _document_data(body: dict[str, Any], index: int) -> tuple[str, dict[str, Any]]:
    documents = [
        block
        for message in body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "document"
    ]
    document = documents[index]
    return document["source"].get("data", ""), document


def _citation(body: dict[str, Any], cite: Cite) -> dict[str, Any]:
    data, document = _document_data(body, cite.document)
    title = document.get("title")
    if document["source"]["media_type"] == "application/pdf":
        return {
            "type": "page_location",
            "cited_text": cite.quote,
            "document_index": cite.document,
            "document_title": title,
            "start_page_number": cite.page,
            "end_page_number": cite.page + 1,
            "file_id": None,
        }
    start = data.find(cite.quote)
    if start < 0:
        raise AssertionError(f"the fake cannot cite {cite.quote!r}: not in the text")
    return {
        "type": "char_location",
        "cited_text": cite.quote,
        "document_index": cite.document,
        "document_title": title,
        "start_char_index": start,
        "end_char_index": start + len(cite.quote),
        "file_id": None,
    }


def _refusal_of_request(headers: dict[str, str], body: dict[str, Any]) -> Any:
    """The error the real API answers this request with, or None."""
    if "authorization" not in headers and "x-api-key" not in headers:
        return Error(401, "authentication_error", "x-api-key header is required")
    if not headers.get("anthropic-version"):
        return Error(400, "invalid_request_error", "anthropic-version is required")
    for name in ("temperature", "top_p", "top_k"):
        if name in body:
            return Error(
                400, "invalid_request_error", f"{name}: Extra inputs are not permitted"
            )
    if "max_tokens" not in body or not body.get("messages"):
        return Error(
            400, "invalid_request_error", "max_tokens and messages are required"
        )
    if body["messages"][-1]["role"] != "user":
        return Error(400, "invalid_request_error", "prefill is not supported")
    if (body.get("tool_choice") or {}).get("type") in ("any", "tool"):
        return Error(400, "invalid_request_error", "Forced tool use is not supported")
    marks = sum(marked for _, marked in _segments(body))
    if marks > 4:
        return Error(400, "invalid_request_error", "At most 4 cache_control blocks")
    cited = any(
        (b.get("citations") or {}).get("enabled")
        for m in body["messages"]
        if isinstance(m["content"], list)
        for b in m["content"]
    )
    if cited and (body.get("output_config") or {}).get("format"):
        return Error(
            400,
            "invalid_request_error",
            "Citations are not supported with output format",
        )
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeClaude

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._record({})
        model = self.path.split("?")[0].rsplit("/", 1)[-1]
        self._json(
            200,
            {
                "type": "model",
                "id": model,
                "display_name": model,
                "created_at": "2026-09-28T00:00:00Z",
                "lifecycle": "active",
                "deprecated_at": None,
                "retires_at": None,
                "max_input_tokens": self.fake.max_input_tokens,
                "max_tokens": 128_000,
            },
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        headers = self._record(body)
        path = self.path.split("?")[0]
        refusal = _refusal_of_request(headers, body)
        if refusal is not None:
            return self._error(refusal)
        if path.endswith("/count_tokens"):
            usage = sum(_tokens(s) for s, _ in _segments(body))
            return self._json(200, {"input_tokens": usage})
        reply = self.fake.next_reply()
        if isinstance(reply, Error):
            return self._error(reply)
        events = list(_events(body, reply, self.fake.usage_for(body)))
        if body.get("stream"):
            return self._stream(reply, events)
        self._json(200, _message_of(events))

    def _record(self, body: dict[str, Any]) -> dict[str, str]:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake.requests.append(Recorded(self.command, self.path, headers, body))
        return headers

    def _json(
        self, status: int, payload: Any, extra: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_fake{next(_ids)}")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, error: Error) -> None:
        extra = {}
        if error.retry_after is not None:
            extra["retry-after"] = str(error.retry_after)
        payload = {
            "type": "error",
            "error": {"type": error.type, "message": error.message},
            "request_id": f"req_fake{next(_ids)}",
        }
        self._json(error.status, payload, extra)

    def _stream(self, reply: Any, events: list[tuple[str, dict[str, Any]]]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", f"req_fake{next(_ids)}")
        self.end_headers()
        time.sleep(self.fake.first_event_delay)
        try:
            for name, data in events:
                self._chunk(f"event: {name}\ndata: {json.dumps(data)}\n\n")
                self.fake.sent_events += 1
                if name == "content_block_delta":
                    self.fake.first_text.set()
                    time.sleep(getattr(reply, "delay", 0.0))
            self._chunk("")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def _events(body: dict[str, Any], reply: Any, usage: dict[str, int]) -> Any:
    """The SSE events of a reply, in the order the real API sends them."""
    message = {
        "id": f"msg_fake{next(_ids)}",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**usage, "output_tokens": 1},
    }
    yield "message_start", {"type": "message_start", "message": message}
    yield "ping", {"type": "ping"}
    parts, stop_reason, details = _parts_of(reply)
    thinking = getattr(reply, "thinking", None)
    if thinking:
        yield from _thinking_block(thinking)
    output, first = 0, 1 if thinking else 0
    for number, part in enumerate(parts):
        if getattr(reply, "stop_after", None) == number:
            return
        if getattr(reply, "error_after", None) == number:
            error = {"type": "overloaded_error", "message": "Overloaded"}
            yield "error", {"type": "error", "error": error}
            return
        yield from _text_block(body, first + number, part)
        output += len(_text_of(part)) // 4 + 1
    delta = {"stop_reason": stop_reason, "stop_sequence": None}
    if details:
        delta["stop_details"] = details
    output = getattr(reply, "output_tokens", None) or output
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": delta,
            "usage": {"output_tokens": output},
        },
    )
    yield "message_stop", {"type": "message_stop"}


def _thinking_block(thinking: str) -> Any:
    start = {"type": "thinking", "thinking": "", "signature": ""}
    yield (
        "content_block_start",
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": start,
        },
    )
    for delta in (
        {"type": "thinking_delta", "thinking": thinking},
        {"type": "signature_delta", "signature": "c2lnbmF0dXJl"},
    ):
        yield (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": delta,
            },
        )
    yield "content_block_stop", {"type": "content_block_stop", "index": 0}


def _parts_of(reply: Any) -> tuple[list[Any], str, dict[str, Any] | None]:
    if isinstance(reply, Refusal):
        details = {"type": "refusal", "category": reply.category, "explanation": None}
        return [""], "refusal", details
    if isinstance(reply, Json):
        text = json.dumps(reply.data)
        return [text[: reply.cut] if reply.cut else text], reply.stop_reason, None
    return list(reply.parts), reply.stop_reason, None


def _text_of(part: str | Cite) -> str:
    return part.text if isinstance(part, Cite) else part


def _text_block(body: dict[str, Any], index: int, part: str | Cite) -> Any:
    start = {"type": "text", "text": ""}
    if isinstance(part, Cite):
        start["citations"] = []
    yield (
        "content_block_start",
        {
            "type": "content_block_start",
            "index": index,
            "content_block": start,
        },
    )
    if isinstance(part, Cite):
        delta = {"type": "citations_delta", "citation": _citation(body, part)}
        yield (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": index,
                "delta": delta,
            },
        )
    text = _text_of(part)
    for piece in _pieces(text):
        delta = {"type": "text_delta", "text": piece}
        yield (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": index,
                "delta": delta,
            },
        )
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def _pieces(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _message_of(events: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The non-streaming body the same events add up to."""
    message: dict[str, Any] = {}
    for name, data in events:
        if name == "message_start":
            message = data["message"]
        elif name == "content_block_start":
            message["content"].append(dict(data["content_block"]))
        elif name == "content_block_delta":
            block, delta = message["content"][data["index"]], data["delta"]
            if delta["type"] == "text_delta":
                block["text"] += delta["text"]
            elif delta["type"] == "thinking_delta":
                block["thinking"] += delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] = delta["signature"]
            else:
                block.setdefault("citations", []).append(delta["citation"])
        elif name == "message_delta":
            message.update(data["delta"])
            message["usage"].update(data["usage"])
    return message


# Fixture helper


def serve(monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    """Yield a running fake with the SDK's environment pointed at it."""
    with FakeClaude(**options) as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
        yield fake
