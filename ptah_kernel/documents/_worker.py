"""Warm worker processes that read files under a time limit.

PDFium, lxml and zlib are C code: a crafted file can keep them busy with
no Python line to interrupt. Reading therefore happens in long-lived
child processes (started once, their imports warm) that the kernel kills
and replaces when a file runs past `max_seconds`, or when a child dies.
There are `reader_processes` of them (two by default): a PDF's pages, or
a long Word body's paragraphs and tables, are shared out between them, and
while the kernel stores a document's blocks they find its requirements,
each in its own run of blocks.

The child is `python -m ptah_kernel.documents._worker`, not a
multiprocessing child: spawn and forkserver re-import the parent's
`__main__`, which re-runs any script that lacks a main guard. Messages
are pickles with a length prefix over the child's stdin and stdout; a
thread waits for replies so the kernel can stop waiting at the limit.
Files are read one at a time; a lock keeps threads in order.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ptah_kernel.documents import _refusals, _sniff
from ptah_kernel.documents.content import DocumentContent
from ptah_kernel.errors import DocumentError
from ptah_kernel.settings import ReaderLimits

if TYPE_CHECKING:
    from ptah_kernel.documents.content import Block

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0
DIED = "the reader stopped while reading it"
CRASHED = "the reader crashed while reading it"
# A PDF with more placed lines than this is laid out in a reader, not in the
# kernel (about 40 MB of the kernel's memory at this size).
KERNEL_LINES = 50_000
# A Word file this big (zipped) is read in shares: below it, a second reader
# parsing the whole body costs about what sharing the rest saves.
DOCX_SHARED_FROM = 256 * 1024
# Signals a reader dies of by itself: a library's abort, as when PDFium runs
# out of memory, or a fault on damaged data. Others came from outside.
CRASH_SIGNALS = frozenset(
    int(getattr(signal, name))
    for name in ("SIGABRT", "SIGBUS", "SIGFPE", "SIGILL", "SIGSEGV")
    if hasattr(signal, name)
)
HEADER = struct.Struct("!Q")
_lock = threading.Lock()
_workers: list[_Worker | None] = []


def read_with_time_limit(
    data: bytes, filename: str, limits: ReaderLimits, password: str | None
) -> DocumentContent:
    """Read in the workers; raise ReadTimeout after `limits.max_seconds`.

    A PDF's pages are shared out between the workers (PDFium reads pages
    independently), and so is a long Word body (each worker parses only
    its share of the XML); any other file is read whole by one worker. A worker
    that dies under a file gets one more try on fresh workers, since it may
    have died of something else (killed between files); a second death
    refuses the file.
    """
    parts = max(1, limits.reader_processes)
    shared = parts > 1 and _shared_kind(data, filename)
    if shared == "pdf":
        requests = [
            ("pdf part", data, filename, limits, password, part, parts)
            for part in range(parts)
        ]
    elif shared == "docx":
        requests = [
            ("docx part", data, filename, limits, part, parts) for part in range(parts)
        ]
    else:
        requests = [("read", data, filename, limits, password)]
    for attempt in range(2):
        with WorkerBatch(requests, limits.max_seconds, filename) as batch:
            replies = batch.replies()
        if attempt == 0 and any(reply == ("failed", DIED) for reply in replies):
            continue
        break
    found = [_outcome(reply, filename, limits) for reply in replies]
    if len(requests) == 1:
        return unpack(found[0])
    if shared == "docx":
        return _docx_from_parts(filename, found, limits)
    _check_part_characters(filename, found, limits)
    if sum(len(lines) for part in found for lines in part["pages"]) > KERNEL_LINES:
        return _laid_out_in_worker(filename, found, limits)
    return _pdf_from_parts(filename, found, limits)


def _shared_kind(data: bytes, filename: str) -> str:
    """The kind of a file read in shares by all the readers, or "".

    A PDF's pages are independent. A Word body is shared out only when it
    is long enough for the shares to pay for the extra messages.
    """
    if _sniff.is_pdf(data):
        return "pdf"
    if len(data) >= DOCX_SHARED_FROM and data.startswith(b"PK"):
        with contextlib.suppress(DocumentError):
            return "docx" if _sniff.binary_kind(data, filename) == "docx" else ""
    return ""


def _docx_from_parts(
    filename: str, parts: list[Any], limits: ReaderLimits
) -> DocumentContent:
    from ptah_kernel.documents._docx import content_from_parts
    from ptah_kernel.documents.reading import finished

    return finished(content_from_parts(parts, filename, limits), filename, limits)


def _check_part_characters(
    filename: str, parts: list[Any], limits: ReaderLimits
) -> None:
    # Each reader checked its own share; together they may still be too long.
    from ptah_kernel.documents.reading import check_characters

    count = sum(
        len(line[0]) for part in parts for lines in part["pages"] for line in lines
    )
    check_characters(filename, count, limits)


def _laid_out_in_worker(
    filename: str, parts: list[Any], limits: ReaderLimits
) -> DocumentContent:
    # The kernel has no memory bound of its own: a long PDF is laid out in
    # a reader, under `max_reader_memory`, as one reader would have.
    request = ("pdf layout", filename, parts, limits)
    with WorkerBatch([request], limits.max_seconds, filename) as batch:
        (reply,) = batch.replies()
    return unpack(_outcome(reply, filename, limits))


def _pdf_from_parts(
    filename: str, parts: list[Any], limits: ReaderLimits
) -> DocumentContent:
    from ptah_kernel.documents._pdf import content_from_parts
    from ptah_kernel.documents.reading import finished

    return finished(content_from_parts(filename, parts), filename, limits)


class WorkerBatch:
    """Requests handed to the workers at once, one each; replies collected later.

    Between the two the caller is free to work (store what it has while the
    workers find requirements). Leaving the `with` block without collecting
    the replies, or after a time-out, stops the workers that were busy, so
    no stale reply waits in a pipe for the next file.
    """

    def __init__(
        self, requests: list[tuple[Any, ...]], seconds: float, filename: str
    ) -> None:
        self.requests = requests
        self.seconds = seconds
        self.filename = filename
        self.collected = False

    def __enter__(self) -> WorkerBatch:
        _lock.acquire()
        try:
            self.workers = [
                _sent(number, request, self.filename)
                for number, request in enumerate(self.requests)
            ]
        except BaseException:
            # An interrupt between two sends, or halfway through one, would
            # leave a reply or half a request in a pipe for the next file.
            _stop_workers()
            _lock.release()
            raise
        return self

    def replies(self) -> list[tuple[Any, ...]]:
        """Each worker's reply, in the order of the requests."""
        import time

        deadline = time.monotonic() + self.seconds
        replies = []
        for worker in self.workers:
            reply = worker.receive(max(0.0, deadline - time.monotonic()))
            if reply is None:
                _stop_workers()
                self.collected = True
                raise _refusals.timed_out(self.filename, self.seconds)
            replies.append(reply)
        self.collected = True
        for number, reply in enumerate(replies):
            if reply[0] in ("failed", "exhausted"):
                _stop_worker(number)
        return replies

    def __exit__(self, *exc_info: object) -> None:
        try:
            if not self.collected:
                _stop_workers()
        finally:
            _lock.release()


def _sent(number: int, request: tuple[Any, ...], filename: str) -> _Worker:
    """The worker `number` with the request handed to it.

    A worker that died since its last file is found when the request does
    not go through; it is replaced and the request sent again, once.
    """
    for _ in range(2):
        worker = _running_worker(number)
        if not worker.wait_until_ready():
            _stop_workers()
            raise _refusals.corrupt(
                filename, "document", "the reader process did not start"
            )
        if worker.send(request):
            return worker
        _stop_worker(number)
    raise _refusals.corrupt(filename, "document", "the reader process stopped")


def _outcome(reply: tuple[Any, ...], filename: str, limits: ReaderLimits) -> Any:
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status == "refused":
        from ptah_kernel import errors

        error_class = getattr(errors, reply[1])
        raise error_class(reply[2], reply[3])
    if status == "exhausted":
        raise _refusals.out_of_memory(filename, limits.max_reader_memory)
    logger.warning("reader failed on %s: %s", filename, reply[1])
    if reply[1] == CRASHED:
        raise _refusals.crashed(filename, limits.max_reader_memory)
    raise _refusals.corrupt(filename, "document", reply[1])


def _running_worker(number: int) -> _Worker:
    while len(_workers) <= number:
        _workers.append(None)
    worker = _workers[number]
    if worker is not None and worker.owner != os.getpid():
        worker = None  # a forked copy of the kernel: the worker is its parent's
    if worker is not None and not worker.is_alive():
        _stop_worker(number)  # it died between files: close its pipes
        worker = None
    if worker is None:
        worker = _workers[number] = _Worker()
    return worker


def _stop_worker(number: int) -> None:
    worker = _workers[number] if number < len(_workers) else None
    if worker is not None and worker.owner == os.getpid():
        worker.stop()
    if number < len(_workers):
        _workers[number] = None


def _stop_workers() -> None:
    for number in range(len(_workers)):
        _stop_worker(number)


atexit.register(_stop_workers)


def _forget_after_fork() -> None:
    # A forked kernel owns neither its parent's workers nor a lock that a
    # parent thread held at the fork: it starts its own.
    global _lock, _workers
    _lock = threading.Lock()
    _workers = []


os.register_at_fork(after_in_child=_forget_after_fork)


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

    def send(self, request: tuple[Any, ...]) -> bool:
        """Hand the child one request; False when the child is gone."""
        try:
            if self.process.stdin is None:
                raise BrokenPipeError
            write_message(self.process.stdin, request)
        except (BrokenPipeError, OSError):
            return False
        return True

    def receive(self, seconds: float) -> tuple[Any, ...] | None:
        """The child's next message, or None when it took too long."""
        try:
            message = self.replies.get(timeout=seconds)
        except queue.Empty:
            return None
        if message is None:
            # The child died: of the file, when it crashed by itself (C code
            # aborting on damaged data or on its memory bound), else of
            # something outside it.
            return ("failed", CRASHED if self._crashed() else DIED)
        return message

    def _crashed(self) -> bool:
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return False
        return -code in CRASH_SIGNALS

    def stop(self) -> None:
        """Kill the child and wait for it."""
        self.process.kill()
        self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # unsent bytes to a dead child
                    pipe.close()


def pack_blocks(blocks: list[Block]) -> list[tuple[Any, ...]]:
    """Blocks as plain tuples, which pickle far faster than dataclasses."""
    return [
        (
            b.kind,
            b.text,
            b.anchor,
            b.level,
            b.heading_path,
            b.page,
            None if b.table is None else (b.table.rows, b.table.row_anchors),
        )
        for b in blocks
    ]


def unpack_blocks(packed: list[tuple[Any, ...]]) -> list[Block]:
    """The blocks `pack_blocks` flattened, rebuilt."""
    from ptah_kernel.documents.content import Block, Table

    return [
        Block(kind, text, anchor, level, path, page, None if t is None else Table(*t))
        for kind, text, anchor, level, path, page, t in packed
    ]


def pack(content: DocumentContent) -> tuple[Any, ...]:
    """The content as plain tuples, for the pipe to the kernel."""
    return (
        content.format,
        pack_blocks(content.blocks),
        content.title,
        content.author,
        content.pages,
        content.metadata,
        content.warnings,
    )


def unpack(packed: tuple[Any, ...]) -> DocumentContent:
    """The content `pack` flattened, rebuilt."""
    format, blocks, title, author, pages, metadata, warnings = packed
    return DocumentContent(
        format, unpack_blocks(blocks), title, author, pages, metadata, warnings
    )


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
    """The child's loop: answer each request with its result or a refusal."""
    _warm_up()
    # Reading allocates hundreds of thousands of small objects and keeps few
    # in cycles: collect rarely, and never look at the warm imports again.
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    write_message(replies, ("ready",))
    while True:
        request = read_message(requests)
        if request is None:
            return
        try:
            with _memory_bound(request):
                reply: tuple[Any, ...] = ("ok", _answer(*request))
        except DocumentError as exc:
            reply = ("refused", type(exc).__name__, exc.filename, exc.reason)
        except MemoryError:
            # Refused; the kernel replaces this process, whose heap is spent.
            reply = ("exhausted",)
        except Exception as exc:  # a library's bug on a hostile file
            reply = ("failed", f"{type(exc).__name__}: {exc}"[:300])
        write_message(replies, reply)


@contextlib.contextmanager
def _memory_bound(request: tuple[Any, ...]) -> Any:
    """Cap this process's data memory at the request's `max_reader_memory`.

    Python code past the cap gets a MemoryError; C code such as PDFium
    aborts, which the kernel sees as a crash. Both refuse the file instead
    of taking the machine's memory from the kernel and everyone else.
    """
    limits = next((a for a in request if isinstance(a, ReaderLimits)), None)
    try:
        import resource
    except ImportError:  # Windows: no resource limits
        resource = None  # type: ignore[assignment]
    if limits is None or resource is None or limits.max_reader_memory <= 0:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    bound = limits.max_reader_memory
    if hard != resource.RLIM_INFINITY:
        bound = min(bound, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (bound, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _answer(task: str, *args: Any) -> Any:
    if task == "read":
        from ptah_kernel.documents.reading import read_here

        return pack(read_here(*args))
    if task == "pdf part":
        from ptah_kernel.documents._pdf import read_page_lines

        part = read_page_lines(*args)
        _check_part_characters(args[1], [part], args[2])
        return part
    if task == "docx part":
        from ptah_kernel.documents._docx import read_docx_part, step_characters
        from ptah_kernel.documents.reading import check_characters

        part = read_docx_part(*args)
        check_characters(args[1], step_characters(part["steps"]), args[2])
        return part
    if task == "pdf layout":
        return pack(_pdf_from_parts(*args))
    if task == "find":
        from ptah_kernel.requirements.finding import find_drafts

        blocks, offset, _ = args
        return find_drafts(unpack_blocks(blocks), offset)
    raise ValueError(f"unknown task {task!r}")


def _warm_up() -> None:
    # Import the readers' libraries once, before the first file arrives.
    import lxml.etree  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdfium2  # noqa: F401

    import ptah_kernel.documents._pdf  # noqa: F401
    import ptah_kernel.documents.reading  # noqa: F401
    import ptah_kernel.requirements.finding  # noqa: F401


def _main() -> None:
    # Keep the reply pipe to ourselves: anything a library prints goes to
    # stderr instead of corrupting the messages on stdout.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    _main()
