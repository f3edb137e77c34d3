"""XLSX reading on small workbooks built here."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import CorruptDocument, DocumentTooLarge, UnsafeDocument
from ptah_kernel.settings import ReaderLimits

HERE = ReaderLimits(max_seconds=0)


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Reqs"
    sheet["B3"] = "ID"
    sheet["C3"] = "Requirement"
    sheet["B4"] = "R1"
    sheet["C4"] = "The system shall log in."
    sheet["B6"] = "Security"
    sheet.merge_cells("B6:C7")
    sheet["E4"] = 2.0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            target.writestr(
                info.filename, change(body) if info.filename == part else body
            )
    return out.getvalue()


def read(data: bytes, limits: ReaderLimits = HERE):
    return read_document(data, "matrix.xlsx", limits=limits)


def test_xlsx_used_range_found_from_cells_not_dimension():
    data = rewrite(
        make_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda body: re.sub(
            rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z1001"', body
        ),
    )

    block = read(data).blocks[0]

    assert block.anchor == "Reqs!B3"
    assert block.table.rows[:2] == (
        ("ID", "Requirement", ""),
        ("R1", "The system shall log in.", "2"),
    )
    assert block.table.row_anchors == ("Reqs!B3", "Reqs!B4", "Reqs!B6", "Reqs!B7")


def test_xlsx_merged_cells_spread_their_value():
    rows = read(make_xlsx()).blocks[0].table.rows

    assert rows[2] == ("Security", "Security", "")
    assert rows[3] == ("Security", "Security", "")


def test_xlsx_row_limit_names_the_setting():
    with pytest.raises(DocumentTooLarge, match="max_rows"):
        read(make_xlsx(), ReaderLimits(max_seconds=0, max_rows=2))


def test_xlsx_truncated_is_corrupt():
    data = make_xlsx()

    with pytest.raises(CorruptDocument, match="Excel file is damaged"):
        read(data[: len(data) - 200])


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"]
)
def test_xlsx_entity_declaration_is_unsafe(part):
    declared = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]>'
    data = rewrite(make_xlsx(), part, lambda body: declared + body)

    with pytest.raises(UnsafeDocument, match="entities"):
        read(data)
