"""The dashboard pages and the commands that serve them, without a browser."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from ptah_kernel import dashboard_commands, dashboards
from ptah_kernel.widgets import dashboard
from tests.browser import CODE, seed_workspace


@pytest.fixture
def seeded(tmp_path):
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    folder = seed_workspace(tmp_path / "ws")
    workspace = open_workspace(folder, settings=Settings(user="tester"))
    yield workspace
    workspace.close()


def hours_shown(html: str) -> list[float]:
    return [float(value) for value in re.findall(r'data-hours="([0-9.]+)"', html)]


def test_project_code_reads_the_query_string():
    assert dashboard.project_code("a=1&project=acme-portal") == "acme-portal"
    assert dashboard.project_code("project=%20x%20") == "x"


def test_project_code_is_empty_without_the_parameter(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "other=1")

    assert dashboard.project_code() == ""


def test_dashboard_sections_show_pert_totals(seeded):
    page = "".join(dashboard.dashboard_sections(seeded.project(CODE)))

    p50, p80, p90, reserve = hours_shown(page)
    assert p50 == pytest.approx(90.67, abs=0.01)
    assert (p80, p90) == pytest.approx((96.64, 99.77), abs=0.01)
    assert reserve == pytest.approx(p80 - p50, abs=0.02)


def test_dashboard_without_rates_says_cost_is_left_out(seeded):
    page = "".join(dashboard.dashboard_sections(seeded.project(CODE)))

    assert "No rates set" in page
    assert "ptah-cost" not in page


def test_dashboard_with_rates_shows_cost(seeded):
    from ptah_kernel.wbs.rates import set_rate

    project = seeded.project(CODE)
    for role in ("analyst", "developer", "tester"):
        set_rate(project, role, 100.0, "EUR")
    page = "".join(dashboard.dashboard_sections(project))

    assert "No rates set" not in page
    assert "EUR 9,067" in page


def test_dashboard_without_estimates_says_so(seeded):
    project = seeded.create_project("empty", name="Empty")

    page = "".join(dashboard.dashboard_sections(project))

    assert "No work package has optimistic" in page
    assert "No WBS yet" in page


def test_unknown_project_gets_the_friendly_page(seeded):
    sections = dashboard._safe_sections(seeded, "nope")

    assert len(sections) == 1
    assert "Project not found" in sections[0]


def test_invalid_code_gets_the_friendly_page_escaped(seeded):
    (page,) = dashboard._safe_sections(seeded, "<script>x</script>")

    assert "&lt;script&gt;" in page
    assert "<script>" not in page


def test_missing_code_asks_which_project(seeded):
    (page,) = dashboard._safe_sections(seeded, "")

    assert "Which project?" in page


def test_unexpected_error_shows_no_traceback(seeded, monkeypatch, capsys):
    def broken(project):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(dashboard, "dashboard_sections", broken)
    (page,) = dashboard._safe_sections(seeded, CODE)

    assert "cannot be shown" in page
    assert "secret detail" not in page and "Traceback" not in page


def test_portfolio_links_each_project_to_its_dashboard(seeded):
    page = dashboard.portfolio_page(seeded)

    assert f'href="dashboard.ipynb?project={CODE}"' in page
    assert "33%" in page


def test_dashboard_arguments_listen_on_loopback(tmp_path):
    arguments = dashboards.dashboard_arguments(tmp_path, port=9999)

    assert arguments[0] == str(tmp_path)
    assert "--Voila.ip=127.0.0.1" in arguments
    assert "--port=9999" in arguments


def test_dashboard_arguments_refuse_a_missing_folder(tmp_path):
    with pytest.raises(Exception, match="does not exist"):
        dashboards.dashboard_arguments(tmp_path / "none", port=1)


def test_server_environment_names_config_and_workspace(tmp_path):
    config = tmp_path / "jupyter_config.py"
    config.write_text("c = get_config()\n")

    environment = dashboards.server_environment(config, tmp_path / "ws")

    assert environment["PTAH_CONFIG"] == str(config)
    assert environment["PTAH_HOME"] == str(tmp_path / "ws")
    template = Path(environment["JUPYTER_PATH"].split(":")[0])
    assert (template / "voila/templates/ptah-voila/conf.json").is_file()


def test_commands_register_with_help():
    parser = argparse.ArgumentParser(prog="ptah")
    commands = parser.add_subparsers()
    dashboard_commands.add_dashboard(commands)
    dashboard_commands.add_lab(commands)

    args = parser.parse_args(["dashboard", "--port", "9000", "--", "--debug"])

    assert args.port == 9000 and args.ip == "127.0.0.1"
    assert dashboard_commands._extra(args) == ["--debug"]
    assert "Voila" in commands.choices["dashboard"].format_help()
    assert "JupyterLab" in commands.choices["lab"].format_help()


def test_template_drops_the_cdn_block():
    from tests.conftest import REPO

    template = (REPO / "templates/ptah-voila/index.html.j2").read_text()

    assert "block notebook_css" in template
    assert "super.super()" in template
    assert "http" not in template


def test_stakeholders_are_served_only_the_dashboards():
    from ptah_kernel import dashboards

    folder = dashboards.stakeholder_folder()

    assert sorted(p.name for p in folder.iterdir()) == [
        "dashboard.ipynb",
        "portfolio.ipynb",
    ]
