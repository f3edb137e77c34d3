from ptah_kernel.documents.content import Block, Table
from ptah_kernel.requirements import find_requirements


def _sheet(*rows: tuple[str, ...]) -> list[Block]:
    anchors = tuple(f"Reqs!A{n}" for n in range(1, len(rows) + 1))
    return [Block("table", "Reqs", "Reqs!A1", table=Table(tuple(rows), anchors))]


def test_find_requirements_matrix_header_below_title_rows():
    blocks = _sheet(
        ("Security requirements", "", ""),
        ("", "", ""),
        ("Req ID", "Requirement Text", "Priority"),
        ("SEC-1", "The system shall encrypt data at rest.", "High"),
        ("", "", ""),
        ("SEC-2", "Users log in with two factors.", "Medium"),
    )
    found = find_requirements(blocks, lineage="rfp")

    assert [(f.ref, f.anchor, f.source) for f in found] == [
        ("SEC-1", "Reqs!A4", "matrix"),
        ("SEC-2", "Reqs!A6", "matrix"),
    ]
    assert [f.modality for f in found] == ["shall", ""]


def test_find_requirements_matrix_without_id_column():
    blocks = _sheet(
        ("Source", "Requirement", "Labels"),
        ("A4L", "The solution should audit all failed logins.", "NA"),
    )
    found = find_requirements(blocks, lineage="rfp")

    assert [(f.ref, f.text) for f in found] == [
        ("", "The solution should audit all failed logins.")
    ]


def test_find_requirements_matrix_needs_id_column_for_loose_text_column():
    parameters = _sheet(
        ("Name", "Type", "Description"), ("VALUE", "CLOCK_T", "The current time")
    )
    numbered = _sheet(("No.", "Description"), ("1", "Export the monthly report"))

    assert find_requirements(parameters, lineage="api") == []
    assert [f.ref for f in find_requirements(numbered, lineage="api")] == ["1"]


def test_find_requirements_ignores_pricing_and_review_tables():
    pricing = _sheet(
        ("Pricing Template", "", "", ""),
        ("ITEM NO.", "SUPPLIES/SERVICES", "QUANTITY", "UNIT"),
        ("0001", "e-Permitting API; the vendor shall invoice monthly", "4", "Months"),
    )
    review = _sheet(
        ("Number", "Who", "Comment", "Reply"),
        ("1", "Bernd", "The text must be corrected.", "Accepted"),
    )

    assert find_requirements(pricing, lineage="price") == []
    assert find_requirements(review, lineage="review") == []


def test_find_requirements_takes_shall_sentences_from_other_tables():
    blocks = _sheet(
        ("Status", "Expected action"),
        ("OK", "The Basic SW shall send a maintenance event. It may log it."),
    )
    found = find_requirements(blocks, lineage="api")

    assert [(f.text, f.anchor) for f in found] == [
        ("The Basic SW shall send a maintenance event.", "Reqs!A2")
    ]


def test_find_requirements_matrix_kind_column_gives_the_clients_label():
    blocks = _sheet(
        ("ID", "Requirement", "Type"),
        ("R1", "The clerk shall print the monthly invoice.", "Functional"),
        ("R2", "The clerk shall print the monthly invoice twice.", "Security"),
        ("R3", "The response time of a search shall be under two seconds.", "NFR"),
        ("R4", "The clerk shall file the daily report.", "Non-functional"),
        ("R5", "The report shall be encrypted at rest.", "PE"),
        ("R6", "The report shall be encrypted at rest.", "Must have"),
        ("R7", "The clerk shall file the weekly report.", ""),
    )
    kinds = [f.kind for f in find_requirements(blocks, lineage="m")]

    assert kinds == [
        "functional",
        "security",  # the label wins over the guess
        "performance",  # "NFR" keeps the guessed quality
        "non-functional",  # "NFR" with no quality to guess
        "performance",  # a PROMISE class code
        "security",  # a label that names no kind: the guess
        "functional",
    ]


def test_matrix_kind_column_is_found_by_its_header_words():
    for header in ("Requirement Type", "Category", "NFR Category", "F/NF", "Class"):
        blocks = _sheet(
            ("Req ID", "Requirement Text", header),
            ("SEC-1", "The clerk shall print the invoice.", "Usability"),
        )
        (found,) = find_requirements(blocks, lineage="m")

        assert found.kind == "usability", header


def test_label_kind_reads_the_words_teams_use():
    from ptah_kernel.requirements._kinds import label_kind

    assert label_kind("FR") == "functional"
    assert label_kind("Look & Feel") == "look and feel"
    assert label_kind("  security requirement ") == "security"
    assert label_kind("Non-Functional Requirements") == "non-functional"
    assert label_kind("MN") == "maintainability"
    assert label_kind("Priority 1") == ""
