"""The stakeholder dashboards in a real Voila server and a real Chromium.

One server and one browser serve the module; the dashboard of the seeded
project is loaded once and several tests read that page.
"""

from __future__ import annotations

import math

import pytest

from tests.browser import (
    CODE,
    WORK_PACKAGES,
    RequestLog,
    chromium,
    running_server,
    screenshot,
    seed_workspace,
    warm_up,
)

# Enough preheated kernels that the pages below never wait for a refill.
POOL = ["--", "--pool_size=3"]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voila")
    workspace = seed_workspace(folder / "ws")
    with running_server("dashboard", workspace, folder, POOL, "/") as server:
        # The first visit after the start waits for a preheated kernel to
        # load its libraries; pay that here, once.
        warm_up(f"{server.url}/voila/render/portfolio.ipynb")
        yield server


@pytest.fixture(scope="module")
def browser(voila):
    with chromium() as context:
        context.requests = RequestLog(allowed=f"127.0.0.1:{voila.port}")
        context.on("request", context.requests.record)
        yield context


def new_page(browser, voila):
    page = browser.new_page()
    page.requests = RequestLog(allowed=f"127.0.0.1:{voila.port}")
    page.on("request", page.requests.record)
    return page


def open_notebook(page, voila, path: str) -> None:
    page.goto(f"{voila.url}/voila/render/{path}")
    page.wait_for_selector(".ptah h1")
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def dashboard(browser, voila):
    page = new_page(browser, voila)
    open_notebook(page, voila, f"dashboard.ipynb?project={CODE}")
    page.click(".ptah-wbs details:nth-of-type(2) summary")
    screenshot(page, "dashboard")
    yield page
    page.close()


@pytest.fixture
def page(browser, voila):
    page = new_page(browser, voila)
    yield page
    page.close()


def hand_totals() -> dict[str, float]:
    estimates = [(o, m, p) for _, _, o, m, p in WORK_PACKAGES.values()]
    p50 = sum((o + 4 * m + p) / 6 for o, m, p in estimates)
    sd = math.sqrt(sum(((p - o) / 6) ** 2 for o, _, p in estimates))
    return {"p50": p50, "p80": p50 + 0.8416 * sd, "p90": p50 + 1.2816 * sd}


def shown_hours(page, level: str) -> float:
    return float(page.get_attribute(f".ptah-total-{level} b", "data-hours"))


def test_dashboard_shows_the_hand_worked_totals(dashboard):
    expected = hand_totals()

    assert shown_hours(dashboard, "p50") == pytest.approx(expected["p50"], abs=0.01)
    assert shown_hours(dashboard, "p80") == pytest.approx(expected["p80"], abs=0.01)
    assert shown_hours(dashboard, "p90") == pytest.approx(expected["p90"], abs=0.01)


def test_dashboard_shows_the_header_and_a_wbs_table_per_phase(dashboard):
    assert "Acme Clinics" in dashboard.inner_text(".ptah-header")
    assert dashboard.locator(".ptah-wbs details").count() == 3
    assert dashboard.is_visible(".ptah-wbs >> text=Reminders")


def test_dashboard_draws_the_charts_and_diagrams(dashboard):
    for image in ("ptah-wbs-tree", "ptah-gantt", "ptah-chart-phase", "ptah-chart-role"):
        width = dashboard.eval_on_selector(f"img.{image}", "i => i.naturalWidth")
        assert width > 100, image


def test_dashboard_shows_no_code_and_no_traceback(dashboard):
    text = dashboard.inner_text("body")

    assert dashboard.locator(".jp-InputArea:visible").count() == 0
    assert "show_dashboard" not in dashboard.content()
    assert "Traceback" not in text and "Error" not in text


def test_dashboard_lists_open_questions_and_coverage(dashboard):
    assert "Which SMS provider do you use?" in dashboard.inner_text(".ptah-questions")
    assert "1 of 3 requirements" in dashboard.inner_text(".ptah-coverage")


def test_dashboard_asks_only_its_own_server(dashboard):
    assert len(dashboard.requests.urls) > 3
    assert dashboard.requests.foreign() == []


def test_dashboard_of_unknown_project_is_a_friendly_page(page, voila):
    open_notebook(page, voila, "dashboard.ipynb?project=no-such-thing")
    screenshot(page, "dashboard-unknown")

    assert page.inner_text(".ptah h1") == "Project not found"
    assert "no-such-thing" in page.inner_text(".ptah")
    assert "Traceback" not in page.inner_text("body")


def test_dashboard_without_a_code_asks_which_project(page, voila):
    open_notebook(page, voila, "dashboard.ipynb")

    assert page.inner_text(".ptah h1") == "Which project?"
    assert page.requests.foreign() == []


def test_portfolio_links_each_project_to_its_dashboard(page, voila):
    open_notebook(page, voila, "portfolio.ipynb")
    screenshot(page, "portfolio")
    # Links in a Voila output open in a new tab.
    with page.context.expect_page() as opened:
        page.click(".ptah-portfolio >> text=Acme portal")
    dashboard = opened.value
    # The dashboard itself is tested above; here only where the link leads.
    dashboard.wait_for_url(f"**/dashboard.ipynb?project={CODE}", wait_until="commit")

    assert dashboard.url.endswith(f"/voila/render/dashboard.ipynb?project={CODE}")
    dashboard.close()


def test_browser_asked_no_other_host_in_the_whole_module(browser):
    assert browser.requests.foreign() == []
