"""The WBS editor widget in a real JupyterLab and a real Chromium."""

from __future__ import annotations

import http.cookiejar
import json
import math
import urllib.request

import nbformat
import pytest

from tests.browser import (
    CODE,
    WORK_PACKAGES,
    RequestLog,
    chromium,
    running_server,
    screenshot,
    seed_workspace,
)

LAB_ARGS = [
    "--",
    "--IdentityProvider.token=",
    "--ServerApp.password=",
    # Lets the test run all cells through JupyterLab's own command.
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.news_url=",
]
EDITOR_CELL = (
    "import ptah_kernel\n"
    "from ptah_kernel.widgets import WBSEditor\n"
    f"WBSEditor(ptah_kernel.open_workspace().project({CODE!r}))"
)
KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return kernel && kernel.status === "idle";
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    workspace = seed_workspace(folder / "ws")
    with running_server("lab", workspace, folder, LAB_ARGS, "/api/status") as server:
        server.workspace = workspace
        yield server


def put_notebook(lab, name: str, source: str) -> None:
    """Save a notebook through the contents API, as the frontend would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{lab.url}/lab", timeout=30).read()  # sets the _xsrf cookie
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    request = urllib.request.Request(
        f"{lab.url}/api/contents/{name}",
        data=json.dumps({"type": "notebook", "content": notebook}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json", "X-XSRFToken": xsrf},
    )
    with opener.open(request, timeout=30) as answer:
        assert answer.status in (200, 201)


def p50_after(most_likely: float) -> float:
    estimates = {code: (o, m, p) for code, (_, _, o, m, p) in WORK_PACKAGES.items()}
    o, _, p = estimates["2.1"]
    estimates["2.1"] = (o, most_likely, p)
    return sum((o + 4 * m + p) / 6 for o, m, p in estimates.values())


def stored_most_likely(workspace, code: str) -> float:
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    ws = open_workspace(workspace, settings=Settings(user="tester"))
    try:
        items = {item.code: item for item in ws.project(CODE).wbs}
    finally:
        ws.close()
    return items[code].most_likely_hours


def test_wbs_editor_updates_totals_and_saves_to_the_workspace(lab):
    put_notebook(lab, "editor.ipynb", EDITOR_CELL)
    with chromium() as browser:
        page = browser.new_page()
        requests = RequestLog(allowed=f"127.0.0.1:{lab.port}")
        page.on("request", requests.record)
        page.goto(f"{lab.url}/lab/tree/editor.ipynb")
        page.wait_for_function(KERNEL_IDLE)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        totals = page.locator(".ptah-wbs-totals")
        totals.wait_for()
        before = totals.inner_text()

        cell = ".ptah-row-2-1.ptah-field-most_likely_hours input"
        page.fill(cell, "52")
        expected = f"P50 {p50_after(52):,.1f} h"
        page.wait_for_function(
            "t => document.querySelector('.ptah-wbs-totals').innerText.includes(t)",
            arg=expected,
        )
        page.click("button.ptah-wbs-save")
        page.locator(".ptah-wbs-status >> text=Saved version 2").wait_for()
        screenshot(page, "lab-wbs-editor")

    assert f"P50 {p50_after(40):,.1f} h" in before
    assert math.isclose(stored_most_likely(lab.workspace, "2.1"), 52.0)
    assert requests.foreign() == []
