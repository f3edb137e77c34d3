import json

import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.formats import (
    FORMATS,
    read_wbs,
    read_wbs_json,
    wbs_markdown,
    write_wbs,
)
from ptah_kernel.wbs.model import WorkItem

RATES = {"developer": 100.0}


@pytest.fixture
def items() -> list[WorkItem]:
    return [
        WorkItem("1", "Functional scope", "phase"),
        WorkItem(
            "1.1",
            "Order | history",
            "work package",
            ["rfp:REQ-1", "rfp:REQ-2"],
            "=The portal shall show past orders",
            "developer",
            4.0,
            6.0,
            14.0,
            status="needs review",
            notes="Ask about\nexports",
        ),
        WorkItem(
            "1.2",
            "Test it",
            "work package",
            role="tester",
            optimistic_hours=2.0,
            most_likely_hours=3.0,
            pessimistic_hours=4.0,
            depends_on=["1.1FS+2d"],
        ),
        WorkItem("2", "Go live", "phase", depends_on=["1SS-4h"]),
    ]


@pytest.mark.parametrize("format", ["xlsx", "csv", "json", "mspdi"])
def test_read_wbs_round_trip_by_content_not_extension(items, tmp_path, format):
    if format == "mspdi":
        items[3].depends_on = []  # the schedule links items without children only
    path = write_wbs(items, tmp_path / "export.bin", format, rates=RATES)

    assert read_wbs(path) == items


def test_write_wbs_takes_the_format_from_the_extension(items, tmp_path):
    path = write_wbs(items, tmp_path / "wbs.JSON")

    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "ptah-wbs"


def test_write_wbs_unknown_format_raises(items, tmp_path):
    with pytest.raises(WBSError, match="cannot tell the format from 'pdf'; use one"):
        write_wbs(items, tmp_path / "wbs.pdf", "pdf")


def test_write_wbs_json_keeps_lists_and_rates(items, tmp_path):
    path = write_wbs(items, tmp_path / "wbs.json", rates=RATES, currency="EUR")
    document = json.loads(path.read_text(encoding="utf-8"))

    assert document["rates"] == RATES and document["currency"] == "EUR"
    assert document["items"][2]["depends_on"] == ["1.1FS+2d"]
    assert document["items"][1]["requirements"] == ["rfp:REQ-1", "rfp:REQ-2"]


def test_read_wbs_json_refuses_an_unknown_key(tmp_path):
    path = tmp_path / "wbs.json"
    path.write_text(
        json.dumps([{"code": "1", "name": "A", "kind": "phase", "cost": 3}])
    )

    with pytest.raises(WBSError, match="Item 1 of 'wbs.json' has the key 'cost'"):
        read_wbs_json(path)


def test_read_wbs_json_refuses_text_hours(tmp_path):
    record = {"code": "1", "name": "A", "kind": "work package"}
    path = tmp_path / "wbs.json"
    path.write_text(json.dumps({"items": [record | {"optimistic_hours": "lots"}]}))

    with pytest.raises(WBSError, match="Row 1 of the WBS has 'lots' as optimistic"):
        read_wbs(path)


def test_read_wbs_json_over_the_row_limit_raises(items, tmp_path):
    path = write_wbs(items, tmp_path / "wbs.json")

    with pytest.raises(WBSError, match="has more than 2 rows; the limit is 2"):
        read_wbs(path, max_rows=2)


def test_read_wbs_refuses_markdown(items, tmp_path):
    path = write_wbs(items, tmp_path / "wbs.md")

    with pytest.raises(WBSError, match="is Markdown, which Ptah writes for e-mail"):
        read_wbs(path)


def test_read_wbs_missing_file_raises(tmp_path):
    with pytest.raises(WBSError, match="Ptah cannot open .*nothing.csv"):
        read_wbs(tmp_path / "nothing.csv")


def test_wbs_markdown_indents_and_totals(items):
    lines = wbs_markdown(items, rates=RATES, currency="EUR", project_name="Portal")
    lines = lines.splitlines()

    assert lines[0] == "**WBS of Portal** (4 items)"
    assert (
        lines[4] == "| 1 | **Functional scope** | phase |  |  |  |  | 10.0 | 700.00 |"
    )
    assert lines[5].startswith("| 1.1 | \u2003Order \\| history | work package |")
    assert lines[8] == "|  | **Total** |  |  |  |  |  | 10.0 | 700.00 |"


def test_wbs_markdown_states_the_confidence_levels(items):
    last = wbs_markdown(items).splitlines()[-1]

    assert last.startswith("P50 10.0 h · P80 11.4 h · P90 12.2 h")
    assert last.endswith("(normal approximation of the total).")


def test_formats_lists_what_write_wbs_takes():
    assert FORMATS == ("xlsx", "csv", "json", "md", "mspdi")
