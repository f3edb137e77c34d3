from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.frame import (
    WBS_COLUMNS,
    frame_to_items,
    items_to_frame,
    read_wbs_csv,
    read_wbs_xlsx,
    write_wbs_csv,
    write_wbs_xlsx,
)
from ptah_kernel.wbs.model import WorkItem

HOSTILE = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def items() -> list[WorkItem]:
    return [
        WorkItem("1", "Functional scope", "phase", description="From rfp.pdf"),
        WorkItem("1.1", "Orders", "deliverable"),
        WorkItem(
            "1.1.1",
            "Show the order history",
            "work package",
            ["rfp:REQ-1", "rfp:REQ-2"],
            "rfp.pdf p.3 ¶2: The portal shall show… «orders» › history",
            "developer",
            4.0,
            6.5,
            12.0,
        ),
        WorkItem("1.1.2", "-1 item", "work package", ["rfp:REQ-3"], HOSTILE),
        WorkItem(
            "1.1.10",
            "'Quoted' name",
            "work package",
            ["rfp:REQ-4"],
            status="needs review",
            notes="Ask the client\nabout exports",
        ),
        WorkItem(
            "1.2", "Reports", "deliverable", depends_on=["1.1.1FS+2d", "1.1.2SS-4h"]
        ),
    ]


def edited(items, row, **changes) -> pd.DataFrame:
    frame = items_to_frame(items).astype(object)
    for column, value in changes.items():
        frame.loc[row, column] = value
    return frame


def test_items_to_frame_has_the_stable_layout(items):
    frame = items_to_frame(items)

    assert list(frame.columns) == list(WBS_COLUMNS)
    assert frame.loc[2, "requirements"] == "rfp:REQ-1;rfp:REQ-2"
    assert frame.loc[5, "depends_on"] == "1.1.1FS+2d;1.1.2SS-4h"


def test_frame_to_items_round_trip(items):
    assert frame_to_items(items_to_frame(items)) == items


def test_frame_to_items_sorts_codes_as_numbers(items):
    shuffled = items_to_frame(items[::-1])

    codes = [item.code for item in frame_to_items(shuffled)]
    assert codes == ["1", "1.1", "1.1.1", "1.1.2", "1.1.10", "1.2"]


def test_frame_to_items_bad_code_names_the_row(items):
    with pytest.raises(WBSError, match=r"Row 3 of the WBS has the code '1\.\.1'"):
        frame_to_items(edited(items, 2, code="1..1"))


def test_frame_to_items_bad_kind_names_the_row(items):
    with pytest.raises(WBSError, match="Row 2 of the WBS has the kind 'task'; use one"):
        frame_to_items(edited(items, 1, kind="task"))


def test_frame_to_items_accepts_kinds_in_any_case(items):
    frame = edited(items, 2, kind="Work_Package")

    assert frame_to_items(frame)[2].kind == "work package"


def test_frame_to_items_missing_parent_names_the_row(items):
    with pytest.raises(WBSError, match="Row 6 .* no row has its parent code 3"):
        frame_to_items(edited(items, 5, code="3.1"))


def test_frame_to_items_repeated_code_names_both_rows(items):
    with pytest.raises(
        WBSError, match="Row 6 of the WBS repeats the code '1.1' of row 2"
    ):
        frame_to_items(edited(items, 5, code="1.1"))


def test_frame_to_items_refuses_codes_read_as_numbers(items):
    with pytest.raises(WBSError, match="as a number, which loses trailing zeros"):
        frame_to_items(edited(items, 1, code=1.1))


def test_frame_to_items_bad_hours_names_the_row(items):
    with pytest.raises(
        WBSError, match="Row 4 of the WBS has 'ten' as most likely hours"
    ):
        frame_to_items(edited(items, 3, most_likely_hours="ten"))


def test_frame_to_items_needs_code_name_and_kind(items):
    frame = items_to_frame(items).drop(columns=["kind"])

    with pytest.raises(WBSError, match="has no kind column"):
        frame_to_items(frame)


def test_wbs_csv_round_trip(items, tmp_path):
    path = write_wbs_csv(items, tmp_path / "wbs.csv")

    assert read_wbs_csv(path) == items


def test_wbs_csv_quotes_text_a_spreadsheet_would_run(items, tmp_path):
    text = write_wbs_csv(items, tmp_path / "wbs.csv").read_text(encoding="utf-8-sig")

    assert "'=HYPERLINK(" in text
    assert ",'-1 item," in text
    assert ",''Quoted' name," in text


def test_wbs_csv_errors_count_spreadsheet_lines(items, tmp_path):
    path = write_wbs_csv(items, tmp_path / "wbs.csv")
    path.write_text(path.read_text(encoding="utf-8-sig").replace("\n1.2,", "\n1..2,"))

    with pytest.raises(WBSError, match=r"Row 7 of the WBS has the code '1\.\.2'"):
        read_wbs_csv(path)


def test_wbs_xlsx_round_trip(items, tmp_path):
    path = write_wbs_xlsx(items, tmp_path / "wbs.xlsx")

    assert read_wbs_xlsx(path) == items


def test_wbs_xlsx_groups_rows_by_depth(items, tmp_path):
    sheet = openpyxl.load_workbook(write_wbs_xlsx(items, tmp_path / "wbs.xlsx"))["WBS"]

    levels = [sheet.row_dimensions[row].outline_level for row in range(2, 8)]
    assert levels == [0, 1, 2, 2, 2, 1]
    assert sheet.sheet_properties.outlinePr.summaryBelow is False


def test_wbs_xlsx_has_a_frozen_styled_header(items, tmp_path):
    sheet = openpyxl.load_workbook(write_wbs_xlsx(items, tmp_path / "wbs.xlsx"))["WBS"]

    assert [cell.value for cell in sheet[1]][:3] == ["Code", "Name", "Kind"]
    assert sheet.freeze_panes == "C2"
    assert sheet["A1"].font.bold and sheet.column_dimensions["J"].width >= 40


def test_wbs_xlsx_keeps_formula_text_as_text(items, tmp_path):
    sheet = openpyxl.load_workbook(write_wbs_xlsx(items, tmp_path / "wbs.xlsx"))["WBS"]

    assert sheet["J5"].value == HOSTILE
    assert sheet["J5"].data_type == "s"


def test_wbs_xlsx_drops_characters_excel_cannot_hold(tmp_path):
    item = WorkItem("1", "Scope\x0c page\x00", "phase")

    path = write_wbs_xlsx([item], tmp_path / "wbs.xlsx")
    assert read_wbs_xlsx(path)[0].name == "Scope page"


def test_read_wbs_xlsx_without_wbs_sheet_raises(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Plan"
    book.save(tmp_path / "plan.xlsx")

    with pytest.raises(WBSError, match="has no sheet named 'WBS'"):
        read_wbs_xlsx(tmp_path / "plan.xlsx")


def test_frame_to_items_writes_dependencies_canonically(items):
    frame = edited(items, 5, depends_on=" 1.1.1 fs +2D ; 1.1.2ss-4H;1.1.10FS")

    assert frame_to_items(frame)[5].depends_on == ["1.1.1FS+2d", "1.1.2SS-4h", "1.1.10"]


def test_frame_to_items_malformed_dependency_names_the_row(items):
    with pytest.raises(
        WBSError, match=r"Row 7 of the WBS \(item 1\.2\) has the dependency '1\.1XX'"
    ):
        frame_to_items(edited(items, 5, depends_on="1.1XX"), first_row=2)


def test_frame_to_items_unknown_predecessor_names_the_row(items):
    with pytest.raises(
        WBSError, match=r"Row 6 of the WBS \(item 1\.2\) depends on 1\.9, which no row"
    ):
        frame_to_items(edited(items, 5, depends_on="1.1.1;1.9FS+1d"))


def test_frame_to_items_dependency_cycle_names_its_items(items):
    frame = edited(items, 2, depends_on="1.2")

    with pytest.raises(
        WBSError,
        match=r"Row 3 of the WBS \(item 1\.1\.1\) is in a dependency cycle, "
        r"1\.1\.1 → 1\.2 → 1\.1\.1; remove one",
    ):
        frame_to_items(frame)


def test_frame_to_items_negative_hours_names_the_row(items):
    with pytest.raises(WBSError, match="Row 3 of the WBS has '-2' as optimistic hours"):
        frame_to_items(edited(items, 2, optimistic_hours="-2"))


def test_read_wbs_csv_refuses_an_unknown_column(items, tmp_path):
    path = write_wbs_csv(items, tmp_path / "wbs.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.insert(4, "optimistic", "")
    frame.to_csv(path, index=False)

    with pytest.raises(WBSError, match="Column 5 of 'wbs.csv' is 'optimistic', which"):
        read_wbs_csv(path)


def test_read_wbs_csv_accepts_spreadsheet_style_headers(items, tmp_path):
    path = write_wbs_csv(items, tmp_path / "wbs.csv")
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("most_likely_hours", "Most likely hours", 1))

    assert read_wbs_csv(path) == items


def test_read_wbs_csv_refuses_a_million_rows_quickly(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("code,name,kind\n" + "1,Item,phase\n" * 1_000_000)

    with pytest.raises(
        WBSError, match="'huge.csv' has more than 200,000 rows; the limit is 200,000"
    ):
        read_wbs_csv(path)


def test_read_wbs_csv_refuses_a_file_that_is_not_text(tmp_path):
    path = tmp_path / "wbs.csv"
    path.write_bytes(b"code,name,kind\n1,\xff\xfe,phase\n")

    with pytest.raises(WBSError, match="cannot be read as a WBS CSV"):
        read_wbs_csv(path)


def test_read_wbs_csv_reads_semicolon_separated_files(items, tmp_path):
    path = write_wbs_csv(items, tmp_path / "wbs.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")

    assert read_wbs_csv(path) == items


def test_frame_docstring_csv_example_reads(tmp_path):
    from ptah_kernel.wbs import frame

    example = frame.__doc__.split("For example::\n\n")[1].split("\n\n")[0]
    path = tmp_path / "example.csv"
    path.write_text("\n".join(line.strip() for line in example.splitlines()))

    items = read_wbs_csv(path)
    assert [item.code for item in items] == ["1", "1.1", "1.2"]
    assert items[2].depends_on == ["1.1FS+2d"]
