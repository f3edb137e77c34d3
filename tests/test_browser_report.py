"""The client report in a real browser: nothing asked of any other host."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from ptah_kernel.workspace import open_workspace
from tests.browser import CODE, RequestLog, chromium, screenshot, seed_workspace


@pytest.fixture(scope="module")
def served_report(tmp_path_factory):
    """The seeded project's report, served from a loopback HTTP server."""
    folder = tmp_path_factory.mktemp("report")
    project = open_workspace(seed_workspace(folder / "ws")).project(CODE)
    project.write_report(folder / "report.html", start="2027-03-01")
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(folder)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}", project
    server.shutdown()
    server.server_close()


def test_report_asks_no_other_host_and_shows_the_project(served_report):
    host, project = served_report

    with chromium() as browser:
        page = browser.new_page()
        page.requests = RequestLog(allowed=host)
        page.on("request", page.requests.record)
        page.goto(f"http://{host}/report.html")
        page.wait_for_load_state("networkidle")
        title = page.text_content("h1")
        shot = screenshot(page, "report")
        foreign = page.requests.foreign()

    assert project.name in title
    assert foreign == []
    assert shot.stat().st_size > 0
