"""One warm worker process that reads files under a time limit.

PDFium, lxml and zlib are C code: a crafted file can keep them busy with
no Python line to interrupt. Reading therefore happens in a long-lived
child process (started once, its imports warm) that the kernel kills and
replaces when a file runs past `max_seconds`, or when the child dies.

The child is `python -m ptah_kernel.documents._worker`, not a
multiprocessing child: spawn and forkserver re-import the parent's
`__main__`, which re-runs any script that lacks a main guard. Messages
are pickles with a length prefix over the child's stdin and stdout; a
thread waits for replies so the kernel can stop waiting at the limit.
Files are read one at a time; a lock keeps threads in order.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from ptah_kernel.documents import _refusals
from ptah_kernel.documents.content import DocumentContent
from ptah_kernel.settings import ReaderLimits

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0
HEADER = struct.Struct("!Q")
_lock = threading.Lock()
_worker: _Worker | None = None


def read_with_time_limit(
    data: bytes, filename: str, limits: ReaderLimits, password: str | None
) -> DocumentContent:
    """Read in the worker; raise ReadTimeout after `limits.max_seconds`."""
    with _lock:
        worker = _running_worker()
        if not worker.wait_until_ready():
            _stop_worker()
            raise _refusals.corrupt(
                filename, "document", "the reader process did not start"
            )
        worker.send((data, filename, limits, password))
        reply = worker.receive(limits.max_seconds)
        if reply is None:
            _stop_worker()
            raise _refusals.timed_out(filename, limits.max_seconds)
        if reply[0] == "failed":
            _stop_worker()
    return _outcome(reply, filename)


def _outcome(reply: tuple[Any, ...], filename: str) -> DocumentContent:
    status = reply[0]
    if status == "ok":
        return unpack(reply[1])
    if status == "refused":
        from ptah_kernel import errors

        error_class = getattr(errors, reply[1])
        raise error_class(reply[2], reply[3])
    logger.warning("reader failed on %s: %s", filename, reply[1])
    raise _refusals.corrupt(filename, "document", reply[1])


def _running_worker() -> _Worker:
    global _worker
    if _worker is not None and _worker.owner != os.getpid():
        _worker = None  # a forked copy of the kernel: the worker is its parent's
    if _worker is not None and not _worker.is_alive():
        _stop_worker()  # it died between files: close its pipes
    if _worker is None:
        _worker = _Worker()
    return _worker


def _stop_worker() -> None:
    global _worker
    if _worker is not None and _worker.owner == os.getpid():
        _worker.stop()
        _worker = None


atexit.register(_stop_worker)


class _Worker:
    """The child process, the pipes to it and the thread that reads replies."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ptah_kernel.documents._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.owner = os.getpid()
        self.ready = False
        self.replies: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        threading.Thread(
            target=self._pump, name="ptah-reader-replies", daemon=True
        ).start()
        logger.debug("started reader worker %s", self.process.pid)

    def _pump(self) -> None:
        while True:
            message = read_message(self.process.stdout)
            self.replies.put(message)
            if message is None:
                return

    def wait_until_ready(self) -> bool:
        """Wait for the child's imports, so they do not count against a file."""
        if not self.ready:
            self.ready = self.receive(STARTUP_SECONDS) == ("ready",)
        return self.ready

    def is_alive(self) -> bool:
        """Whether the child still runs."""
        return self.process.poll() is None

    def send(self, request: tuple[Any, ...]) -> None:
        """Hand the child one file to read."""
        try:
            if self.process.stdin is None:
                raise BrokenPipeError
            write_message(self.process.stdin, request)
        except (BrokenPipeError, OSError):
            self.replies.put(("failed", "the reader process stopped"))

    def receive(self, seconds: float) -> tuple[Any, ...] | None:
        """The child's next message, or None when it took too long."""
        try:
            message = self.replies.get(timeout=seconds)
        except queue.Empty:
            return None
        if message is None:
            # The child died (a crash in C code): count it as a broken file.
            return ("failed", "the reader stopped while reading it")
        return message

    def stop(self) -> None:
        """Kill the child and wait for it."""
        self.process.kill()
        self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


def pack(content: DocumentContent) -> tuple[Any, ...]:
    """The content as plain tuples, which pickle far faster than dataclasses."""
    blocks = [
        (
            b.kind,
            b.text,
            b.anchor,
            b.level,
            b.heading_path,
            b.page,
            None if b.table is None else (b.table.rows, b.table.row_anchors),
        )
        for b in content.blocks
    ]
    return (
        content.format,
        blocks,
        content.title,
        content.author,
        content.pages,
        content.metadata,
        content.warnings,
    )


def unpack(packed: tuple[Any, ...]) -> DocumentContent:
    """The content `pack` flattened, rebuilt."""
    from ptah_kernel.documents.content import Block, Table

    format, blocks, title, author, pages, metadata, warnings = packed
    rebuilt = [
        Block(kind, text, anchor, level, path, page, None if t is None else Table(*t))
        for kind, text, anchor, level, path, page, t in blocks
    ]
    return DocumentContent(format, rebuilt, title, author, pages, metadata, warnings)


def write_message(stream: IO[bytes], message: Any) -> None:
    """Send one pickled message with its length in front."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)))
    stream.write(body)
    stream.flush()


def read_message(stream: IO[bytes] | None) -> Any:
    """The next message, or None at the end of the stream."""
    if stream is None:
        return None
    try:
        header = stream.read(HEADER.size)
        if len(header) < HEADER.size:
            return None
        body = stream.read(HEADER.unpack(header)[0])
        return pickle.loads(body)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's loop: read each file sent, answer with blocks or a refusal."""
    from ptah_kernel.documents.reading import read_here
    from ptah_kernel.errors import DocumentError

    _warm_up()
    write_message(replies, ("ready",))
    while True:
        request = read_message(requests)
        if request is None:
            return
        data, filename, limits, password = request
        try:
            reply: tuple[Any, ...] = (
                "ok",
                pack(read_here(data, filename, limits, password)),
            )
        except DocumentError as exc:
            reply = ("refused", type(exc).__name__, exc.filename, exc.reason)
        except Exception as exc:  # a library's bug on a hostile file
            reply = ("failed", f"{type(exc).__name__}: {exc}"[:300])
        write_message(replies, reply)


def _warm_up() -> None:
    # Import the readers' libraries once, before the first file arrives.
    import lxml.etree  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdfium2  # noqa: F401


def _main() -> None:
    # Keep the reply pipe to ourselves: anything a library prints goes to
    # stderr instead of corrupting the messages on stdout.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    _main()
