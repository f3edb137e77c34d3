import subprocess

import openpyxl
import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.estimates import confidence, roll_up
from ptah_kernel.wbs.frame import items_to_frame, read_wbs_xlsx, write_wbs_xlsx
from ptah_kernel.wbs.model import WorkItem

RATES = {"developer": 100.0, "tester": 80.0}


def sample_items() -> list[WorkItem]:
    return [
        WorkItem("1", "Functional scope", "phase"),
        WorkItem("1.1", "Orders", "deliverable"),
        WorkItem(
            "1.1.1",
            "Order history",
            "work package",
            ["rfp:REQ-1", "rfp:REQ-2"],
            "=HYPERLINK(1)",
            "developer",
            4.0,
            6.0,
            14.0,
            status="needs review",
            notes="Ask about exports",
        ),
        WorkItem(
            "1.1.2",
            "Test the history",
            "work package",
            ["rfp:REQ-2"],
            role="tester",
            optimistic_hours=2.0,
            most_likely_hours=3.0,
            pessimistic_hours=4.0,
            depends_on=["1.1.1FS+2d"],
        ),
        WorkItem("1.1.3", "Not estimated", "work package", role="developer"),
        WorkItem(
            "1.2",
            "Reports",
            "deliverable",
            role="analyst",
            optimistic_hours=1.0,
            most_likely_hours=2.0,
            pessimistic_hours=9.0,
        ),
        WorkItem("2", "Operations", "phase"),
        WorkItem(
            "2.1",
            "Go live",
            "work package",
            role="developer",
            optimistic_hours=8.0,
            most_likely_hours=8.0,
            pessimistic_hours=8.0,
            depends_on=["1.1.2SS-4h"],
        ),
    ]


REQUIREMENTS = pd.DataFrame(
    {
        "id": ["rfp:REQ-1", "rfp:REQ-2", "rfp:REQ-3"],
        "text": ["Show orders", "=Export orders", "Single sign-on"],
        "document": ["rfp.pdf"] * 3,
        "anchor": ["p3", "p4", "p9"],
    }
)
ANNOTATIONS = pd.DataFrame(
    {
        "document": ["rfp.pdf", "rfp.pdf", "rfp.pdf"],
        "anchor": ["p3", "p4", "p5"],
        "quote": ["past orders", "export", "fast"],
        "comment": ["Two years of history", "Which format?", "Ask for a number"],
        "tags": ["assumption", "question", "risk"],
        "status": ["open", "open", "open"],
    }
)


# A private LibreOffice profile that recalculates every formula of an Excel
# file on load (OOXMLRecalcMode 0 = always; the default 1 trusts the saved
# results), so the totals compared below are LibreOffice's own.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def edited_items() -> list[WorkItem]:
    """What a client does in Excel: a new most likely estimate for 1.1.1."""
    items = sample_items()
    items[2].most_likely_hours = 9.0
    return items


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Ptah's workbook and a client-edited copy, recalculated by LibreOffice once."""
    folder = tmp_path_factory.mktemp("xlsx")
    written = write_wbs_xlsx(
        sample_items(),
        folder / "wbs.xlsx",
        rates=RATES,
        currency="EUR",
        requirements=REQUIREMENTS,
        annotations=ANNOTATIONS,
        project_name="Portal",
    )
    book = openpyxl.load_workbook(written)
    book["WBS"]["F4"] = 9.0  # most likely hours of 1.1.1
    book.save(folder / "edited.xlsx")

    out, profile = folder / "out", folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        + ["--convert-to", "xlsx", "--outdir", str(out)]
        + [str(written), str(folder / "edited.xlsx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {
        "written": written,
        "original": out / "wbs.xlsx",
        "edited": out / "edited.xlsx",
    }


def values(path, sheet):
    book = openpyxl.load_workbook(path, data_only=True)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def wbs_values(path):
    rows = values(path, "WBS")
    return {row[0]: row for row in rows[1:] if row[0]}


def test_write_wbs_xlsx_parents_sum_their_children(recalculated):
    sheet = openpyxl.load_workbook(recalculated["written"])["WBS"]

    assert sheet["E3"].value == "=SUM(E4:E6)"
    assert sheet["H2"].value == "=SUM(H3,H7)"
    assert sheet["I8"].value == "=SUM(I9)"


def test_write_wbs_xlsx_leaves_compute_expected_hours_and_cost(recalculated):
    sheet = openpyxl.load_workbook(recalculated["written"])["WBS"]

    assert sheet["E4"].value == 4.0
    assert sheet["H4"].value == '=IF(COUNT(E4:G4)=3,(E4+4*F4+G4)/6,"")'
    assert sheet["I4"].value == '=IFERROR(H4*VLOOKUP(D4,Roles!$A$2:$B$4,2,FALSE),"")'


def test_write_wbs_xlsx_totals_match_ptah_after_libreoffice(recalculated):
    rows = wbs_values(recalculated["original"])
    ptah = roll_up(items_to_frame(sample_items()), RATES).set_index("code")

    for code in ("1", "1.1", "2"):
        assert rows[code][7] == pytest.approx(ptah.loc[code, "expected_hours"])
        assert rows[code][8] == pytest.approx(ptah.loc[code, "cost"])
    assert rows["1.1"][4:7] == [6.0, 9.0, 18.0]


def test_write_wbs_xlsx_totals_follow_a_client_edit(recalculated):
    rows = wbs_values(recalculated["edited"])
    ptah = roll_up(items_to_frame(edited_items()), RATES).set_index("code")

    assert rows["1"][7] == pytest.approx(ptah.loc["1", "expected_hours"])
    assert rows["1"][8] == pytest.approx(ptah.loc["1", "cost"])
    assert rows["1"][7] != pytest.approx(wbs_values(recalculated["original"])["1"][7])


def test_write_wbs_xlsx_summary_matches_ptah_confidence(recalculated):
    rows = {row[0]: row for row in values(recalculated["edited"], "Summary")}
    ptah = confidence(items_to_frame(edited_items()), rates=RATES)

    for label in ("P50", "P80", "P90"):
        assert rows[label][2] == pytest.approx(ptah.loc[label, "hours"])
        assert rows[label][3] == pytest.approx(ptah.loc[label, "cost"])
    assert rows["Contingency (P80 − P50)"][2] == pytest.approx(
        ptah.loc["P80", "hours"] - ptah.loc["P50", "hours"]
    )


def test_write_wbs_xlsx_summary_costs_each_role(recalculated):
    rows = {row[0]: row for row in values(recalculated["original"], "Summary")}

    # developer: 1.1.1 (7 h) and 2.1 (8 h) at 100; analyst has no rate.
    assert rows["developer"][1:] == [100, 15, 1500]
    assert rows["tester"][1:] == [80, 3, 240]
    assert rows["analyst"][2:] == [3, 0]


def test_write_wbs_xlsx_traces_requirements_to_items(recalculated):
    rows = values(recalculated["written"], "Traceability")

    assert rows[0] == ["Requirement", "Text", "Document", "Anchor", "Covered by"]
    assert rows[2] == ["rfp:REQ-2", "=Export orders", "rfp.pdf", "p4", "1.1.1, 1.1.2"]
    assert rows[3] == ["rfp:REQ-3", "Single sign-on", "rfp.pdf", "p9", None]


def test_write_wbs_xlsx_lists_assumptions_and_open_questions(recalculated):
    rows = values(recalculated["written"], "Assumptions")

    assert [row[0] for row in rows[1:]] == ["Assumption", "Open question"]
    assert rows[2][4] == "Which format?"


def test_read_wbs_xlsx_round_trip_of_a_libreoffice_save(recalculated):
    assert read_wbs_xlsx(recalculated["original"]) == sample_items()
    assert read_wbs_xlsx(recalculated["edited"]) == edited_items()


def test_read_wbs_xlsx_takes_a_leaf_formula_saved_result(tmp_path):
    path = write_wbs_xlsx(sample_items(), tmp_path / "wbs.xlsx")
    book = openpyxl.load_workbook(path)
    book["WBS"]["G4"] = "=7*2"
    book.save(path)

    with pytest.raises(WBSError, match="Row 4 of the WBS has a formula as pessimistic"):
        read_wbs_xlsx(path)


def test_read_wbs_xlsx_refuses_an_unknown_column(tmp_path):
    path = write_wbs_xlsx(sample_items(), tmp_path / "wbs.xlsx")
    book = openpyxl.load_workbook(path)
    book["WBS"]["R1"] = "Budget"
    book.save(path)

    with pytest.raises(WBSError, match="Column 18 of 'wbs.xlsx' is 'Budget'"):
        read_wbs_xlsx(path)


def test_read_wbs_xlsx_over_the_row_limit_raises(tmp_path):
    path = write_wbs_xlsx(sample_items(), tmp_path / "wbs.xlsx")

    with pytest.raises(WBSError, match="has more than 3 rows; the limit is 3"):
        read_wbs_xlsx(path, max_rows=3)


def test_read_wbs_xlsx_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "wbs.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")

    with pytest.raises(WBSError, match="cannot be read as an Excel workbook"):
        read_wbs_xlsx(path)


def test_write_wbs_xlsx_groups_sums_past_excel_argument_limit(tmp_path):
    items = [WorkItem("1", "Scope", "phase")]
    for n in range(1, 301):
        items.append(WorkItem(f"1.{n}", f"Deliverable {n}", "deliverable"))
        items.append(WorkItem(f"1.{n}.1", f"Package {n}", "work package"))
    sheet = openpyxl.load_workbook(write_wbs_xlsx(items, tmp_path / "w.xlsx"))["WBS"]

    formula = sheet["H2"].value
    assert formula.startswith("=SUM(SUM(H3,H5,") and formula.count("SUM(") == 3
    assert formula.count(",H") + formula.count("(H") == 300


def test_write_wbs_xlsx_parent_estimate_gives_way_to_the_sum(tmp_path, caplog):
    items = sample_items()
    items[1].most_likely_hours = 99.0  # 1.1 has children

    sheet = openpyxl.load_workbook(write_wbs_xlsx(items, tmp_path / "w.xlsx"))["WBS"]
    assert sheet["F3"].value == "=SUM(F4:F6)"
    assert "Items 1.1 have children and an estimate of their own" in caplog.text
