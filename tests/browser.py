"""Real servers on loopback and a real headless Chromium, for the browser tests.

Voila and JupyterLab are started the way `ptah dashboard` and `ptah lab`
start them, on free ports, with PTAH_HOME pointing at a workspace the test
seeded. Chromium is Debian's (`/usr/bin/chromium`), driven by Playwright;
every request the page makes is recorded so a test can fail on any host
but the server's own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    # Belt and braces: names other than loopback do not resolve, so even a
    # request the test would catch never leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
ARTIFACTS = REPO / "test-artifacts"
CONFIG = REPO / "jupyter_config.py"


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server process this suite started, and where it listens."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def running_server(
    command: str, workspace: Path, folder: Path, extra: list[str], ready_path: str
) -> Iterator[Server]:
    """Run `ptah dashboard` or `ptah lab` until the block ends."""
    port = free_port()
    log = folder / f"{command}-{port}.log"
    argv = [
        *(sys.executable, "-m", "ptah_kernel.dashboard_commands"),
        *("--workspace", str(workspace), command, "--port", str(port)),
        *("--config", str(CONFIG), *extra),
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            argv,
            cwd=folder,
            env=environment,
            stdout=sink,
            stderr=sink,
            start_new_session=True,
        )
    server = Server(process, port, log)
    try:
        _wait_until_ready(server, ready_path)
        yield server
    finally:
        _stop(process)


def _wait_until_ready(server: Server, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"The server exited early:\n{server.log_text()}")
        if _answers(server.url + path):
            return
        time.sleep(0.3)
    raise RuntimeError(f"The server did not answer {path}:\n{server.log_text()}")


def warm_up(url: str, timeout: float = 120.0) -> None:
    """Fetch a page once and throw it away."""
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        answer.read()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def _stop(process: subprocess.Popen) -> None:
    # The server runs in its own session; signal its group (it and the
    # kernels it started), by the id this suite got when starting it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@dataclass
class RequestLog:
    """Every URL a page asked for, to check that only the server was asked."""

    allowed: str
    urls: list[str] = field(default_factory=list)

    def record(self, request) -> None:  # noqa: ANN001 - a Playwright Request
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        """The recorded URLs aimed at any host but the allowed one."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).netloc != self.allowed
        ]


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium under Playwright, with a fresh profile."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="ptah-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(120_000)
        try:
            yield context
        finally:
            context.close()


def screenshot(page, name: str) -> Path:  # noqa: ANN001 - a Playwright Page
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Voila scrolls inside the page, so a "full page" shot stops at the
    # viewport: grow the viewport to the content for the shot.
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('body, body *')]"
        ".slice(0, 400).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": min(height, 8000)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


# The seeded project: a few work packages with three-point estimates.

CODE = "acme-portal"
WORK_PACKAGES = {
    # code: (name, role, optimistic, most likely, pessimistic)
    "1.1": ("Workshops", "analyst", 8.0, 12.0, 20.0),
    "2.1": ("Booking", "developer", 30.0, 40.0, 62.0),
    "2.2": ("Reminders", "developer", 10.0, 16.0, 28.0),
    "3.1": ("System test", "tester", 12.0, 18.0, 30.0),
}
PHASES = {"1": "Discovery", "2": "Build", "3": "Test"}
RFP = (
    b"# Appointment portal\n\n"
    b"REQ-1 The system shall let patients book visits online.\n\n"
    b"REQ-2 The system shall send reminders by SMS.\n\n"
    b"REQ-3 The portal should offer two languages.\n"
)


def seed_workspace(folder: Path) -> Path:
    """A workspace with one project, its WBS and an open question."""
    from ptah_kernel.settings import Settings
    from ptah_kernel.wbs.breakdown import WBS
    from ptah_kernel.wbs.model import WorkItem
    from ptah_kernel.workspace import open_workspace

    workspace = open_workspace(folder, settings=Settings(user="tester"))
    project = workspace.create_project(
        CODE, name="Acme portal", client="Acme Clinics", tech_stack="Django"
    )
    document = project.add_document(RFP, "rfp.md")
    found = list(project.requirements["id"])
    items = []
    for phase, name in PHASES.items():
        items.append(WorkItem(phase, name, "phase"))
        for code, (title, role, low, likely, high) in WORK_PACKAGES.items():
            if code.startswith(f"{phase}."):
                items.append(
                    WorkItem(
                        code,
                        title,
                        "work package",
                        role=role,
                        requirements=found[:1] if code == "2.1" else [],
                        optimistic_hours=low,
                        most_likely_hours=likely,
                        pessimistic_hours=high,
                    )
                )
    WBS.replace(project, items)
    document.annotate(
        "send reminders by SMS", "Which SMS provider do you use?", tags=["question"]
    )
    workspace.close()
    return folder
