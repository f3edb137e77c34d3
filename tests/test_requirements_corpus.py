import re

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.requirements import find_requirements
from tests.conftest import CORPUS, corpus_files

_STORY_START = re.compile(r"^#\w+#\s*As\b", re.IGNORECASE)


def _find(path, lineage=None):
    content = read_document(path.read_bytes(), path.name)
    return find_requirements(content.blocks, lineage=lineage or path.stem)


@pytest.mark.parametrize("path", corpus_files("txt"), ids=lambda p: p.name)
def test_find_requirements_backlog_gives_one_story_per_story_line(path):
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    starts = [n for n, line in enumerate(lines, 1) if _STORY_START.match(line)]
    found = _find(path)

    assert [f.anchor for f in found] == [f"line {n}" for n in starts]
    assert {f.source for f in found} == {"story"}
    assert not any(f.text.startswith("#") for f in found)


def test_find_requirements_security_sheet_gives_one_per_data_row():
    import openpyxl

    path = CORPUS / "xlsx" / "rfp-security-requirements.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if any(r)]
    found = _find(path)

    assert len(found) == len(rows) - 1 == 1168
    assert {f.source for f in found} == {"matrix"}
    assert len({f.id for f in found}) == len(found)


@pytest.mark.parametrize(
    "name", ["epermit-pricing-template.xlsx", "openetcs-review-sheet.xlsx"]
)
def test_find_requirements_pricing_and_review_sheets_give_none(name):
    assert _find(CORPUS / "xlsx" / name) == []


def test_find_requirements_themas_ids_come_from_its_section_refs():
    found = _find(CORPUS / "pdf" / "themas.pdf")
    refs = {f.ref for f in found}

    assert {f"SRS-{n:03}" for n in range(1, 10)} <= refs
    assert len({f.id for f in found}) == len(found)


def test_find_requirements_new_docx_version_keeps_most_ids():
    old = _find(CORPUS / "docx" / "openetcs-api-requirements-v1.3.docx", "api")
    new = _find(CORPUS / "docx" / "openetcs-api-requirements-v1.4.docx", "api")
    kept = {f.id for f in old} & {f.id for f in new}

    assert len(kept) >= 0.8 * len(old)
