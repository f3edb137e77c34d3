import pytest

from ptah_kernel.documents.content import Block
from ptah_kernel.requirements import find_requirements
from ptah_kernel.requirements._identity import text_hash


def _paragraph(text: str, anchor: str = "p.1 ¶1", **fields) -> Block:
    return Block("paragraph", text, anchor, **fields)


def _find(*texts: str) -> list:
    blocks = [_paragraph(text, f"¶{n}") for n, text in enumerate(texts, 1)]
    return find_requirements(blocks, lineage="doc")


def test_find_requirements_takes_each_ref_pattern():
    texts = [
        "REQ-12 The system shall log in.",
        "SRS-001: The system shall read the file.",
        "SRS100 The system shall print.",
        "SRS 1 The system shall export.",
        "FR-01 - Users can sign up.",
        "FR 1 — The tools shall scale.",
        "F-100 The CAS shall manage metadata.",
        "NFR-3. The product shall be fast.",
        "SR1 The operator shall see alarms.",
        "REQ-3004: Reports are kept a year.",
    ]
    refs = [found.ref for found in _find(*texts)]

    assert refs == [
        "REQ-12", "SRS-001", "SRS100", "SRS 1", "FR-01",
        "FR 1", "F-100", "NFR-3", "SR1", "REQ-3004",
    ]  # fmt: skip


def test_find_requirements_does_not_take_section_numbers_as_refs():
    found = _find("3.2.1 The system shall send alerts.", "ISO-9001 audits shall pass.")

    assert [f.ref for f in found] == ["", ""]
    assert found[0].text == "The system shall send alerts."


def test_find_requirements_ids_from_ref_and_from_text_hash():
    found = _find("FR 1 — The tools shall scale.", "The system shall print.")

    assert found[0].id == "doc:FR-1"
    assert found[1].id == f"doc:{text_hash('The system shall print.')}"
    assert len(found[1].id) == len("doc:") + 8


def test_find_requirements_id_is_stable_when_text_moves():
    first = _find("The system shall print.")
    later = _find("Some introduction here.", "Other text.", "The system shall  print!")

    assert first[0].id == later[0].id
    assert later[0].block_index == 2


def test_find_requirements_changed_ref_changes_the_id():
    before = _find("REQ-1 The system shall print.")
    after = _find("REQ-2 The system shall print.")

    assert before[0].id == "doc:REQ-1"
    assert after[0].id == "doc:REQ-2"


def test_find_requirements_makes_repeated_ids_unique():
    found = _find(
        "REQ-1: The system shall print.",
        "REQ-1: The system shall scan.",
        "The system shall log.",
        "The system shall log.",
    )
    ids = [f.id for f in found]

    assert ids[:2] == ["doc:REQ-1", "doc:REQ-1-2"]
    assert ids[3] == ids[2] + "-2"
    assert len(set(ids)) == 4


def test_find_requirements_one_requirement_per_shall_sentence():
    found = _find(
        "The system shall read the file. It is an INI file. The definitions "
        "shall be derived from it, e.g. the unit names."
    )

    assert [f.text for f in found] == [
        "The system shall read the file.",
        "The definitions shall be derived from it, e.g. the unit names.",
    ]


def test_find_requirements_modality_is_the_binding_word():
    found = _find(
        "The system must not store passwords.",
        "The unit shall not exceed 3 degrees.",
        "If the user may cancel, the system shall confirm.",
        "Users should see a summary.",
        "The report will list the events.",
        "Operators may export the log.",
    )

    assert [f.modality for f in found] == [
        "must", "shall", "shall", "should", "will", "may",
    ]  # fmt: skip


def test_find_requirements_skips_meta_questions_and_quoted_modals():
    found = _find(
        "This document will describe the THEMAS system.",
        "Shall the system restart?",
        'Only conditions with the imperative "shall" are binding.',
        "It was signed on 12 May 2014.",
    )

    assert found == []


def test_find_requirements_joins_lead_in_with_its_list_items():
    blocks = [
        _paragraph("The system shall support:"),
        Block("list item", "unicast messages", "¶2", level=1),
        Block("list item", "multicast messages", "¶3", level=1),
        _paragraph("The system shall log."),
    ]
    found = find_requirements(blocks, lineage="doc")

    assert [f.text for f in found] == [
        "The system shall support: unicast messages; multicast messages",
        "The system shall log.",
    ]


def test_find_requirements_block_starting_with_ref_needs_no_modal():
    found = _find("REQ-4: Master Password has no limits in length.")

    assert found[0].text == "Master Password has no limits in length."
    assert found[0].modality == ""


def test_find_requirements_ref_alone_names_the_next_paragraph():
    found = _find("APAF-FR-02", "The APAF system shall process all data.")

    assert [(f.ref, f.text) for f in found] == [
        ("APAF-FR-02", "The APAF system shall process all data.")
    ]


def test_find_requirements_takes_bracketed_ref_after_full_stop():
    found = _find(
        "The TCS shall store 500 plans. [SSS058] A plan is defined in 3.2. "
        "The TCS shall print plans [SSS059]."
    )

    assert [f.ref for f in found] == ["SSS058", "SSS059"]
    assert found[0].text == "The TCS shall store 500 plans. [SSS058]"


def test_find_requirements_inherits_ref_of_the_heading():
    section = ("3.1.1.1 Load H/C Unit Definitions (SRS -001)", "3.1.1.1.1 Introduction")
    blocks = [
        _paragraph("The system shall read the file.", heading_path=section),
        _paragraph("The definitions shall be derived.", heading_path=section),
    ]
    found = find_requirements(blocks, lineage="themas")

    assert [f.id for f in found] == ["themas:SRS-001", "themas:SRS-001-2"]


def test_find_requirements_splits_a_block_of_several_ref_led_requirements():
    found = _find(
        "NFR 2 — The tools shall scale (see FRS 10). NFR 3 — The tools shall be fast."
    )

    assert [f.ref for f in found] == ["NFR 2", "NFR 3"]


def test_find_requirements_joins_a_sentence_cut_across_pdf_paragraphs():
    cut = ("The CAS system shall enable administrators to", "manage groups.")
    pages = [_paragraph(text, f"p.{n} ¶1", page=n) for n, text in enumerate(cut, 1)]
    found = find_requirements(pages, lineage="doc")

    assert [f.text for f in found] == [
        "The CAS system shall enable administrators to manage groups."
    ]
    assert found[0].block_index == 0


def test_find_requirements_keeps_word_paragraphs_as_the_author_wrote_them():
    # A code listing in a Word specification: a paragraph per line.
    found = _find(
        "-- OpenETCS : BEARER_CAPABILITY shall always be GSM_R_ONLY",
        "type APN_IDENTITY_T is range 0 .. 255;",
    )

    assert [f.text for f in found] == [
        "-- OpenETCS : BEARER_CAPABILITY shall always be GSM_R_ONLY"
    ]


def test_find_requirements_skips_headings_and_tables_of_contents():
    blocks = [
        Block("heading", "3.2 What the system shall do", "§3.2", level=2),
        _paragraph("3.1 Functional requirements shall ............ 3-1"),
        Block("heading", "3.2.1.1 *agentMom shall support unicast messages.", "§3"),
    ]
    found = find_requirements(blocks, lineage="agentmom")

    assert [f.text for f in found] == ["*agentMom shall support unicast messages."]


def test_find_requirements_keeps_anchor_and_block_index():
    blocks = [
        Block("heading", "Scope", "§1", level=1),
        _paragraph("The system shall log.", anchor="themas.pdf p.12 ¶3"),
    ]
    found = find_requirements(blocks, lineage="themas")

    assert (found[0].anchor, found[0].block_index) == ("themas.pdf p.12 ¶3", 1)
    assert found[0].source == "statement"


def test_find_requirements_ignores_trace_rows_and_page_numbers():
    found = _find(
        "SRS-001 Load H/C Unit Definitions",
        "C-10",
        "Defines how many heating and cooling units can run at once.",
        "GSAR 552.217-71 – NOTICE REGARDING OPTION(S) (NOV 1992)",
    )

    assert found == []


def test_find_requirements_forgets_an_id_alone_far_above():
    texts = ["REQ-7:", *(f"See figure {n}." for n in range(9))]
    found = _find(*texts, "The system shall archive logs.")

    assert [(f.ref, f.block_index) for f in found] == [("", 10)]


def test_find_requirements_weak_modal_in_relative_clause_does_not_bind():
    found = _find(
        "It does not define the systems that will interface with THEMAS.",
        "Each thermostat that should be tested must report twice.",
    )

    assert [f.modality for f in found] == ["must"]


def test_find_requirements_glossary_ids_are_not_refs():
    glossary = ("1.3 Definitions, Acronyms and Abbreviations",)
    blocks = [
        _paragraph("SE1: Software Engineering group 1 [7]", heading_path=glossary),
        _paragraph("SRS: Software Requirements Specification", heading_path=glossary),
    ]

    assert find_requirements(blocks, lineage="vub") == []


def test_find_requirements_lead_in_takes_numbered_items_read_as_headings():
    blocks = [
        _paragraph("The TCS shall support the following functions: [SSS039]"),
        Block("heading", "1. Mission Planning", "p.11 ¶2", level=1),
        Block("heading", "2. Mission Control and Monitoring", "p.11 ¶3", level=1),
        _paragraph("Functions shall operate concurrently."),
    ]
    found = find_requirements(blocks, lineage="tcs")

    assert found[0].text == (
        "The TCS shall support the following functions: [SSS039] "
        "1. Mission Planning; 2. Mission Control and Monitoring"
    )
    assert len(found) == 2


def test_find_requirements_heading_with_ref_names_the_text_below():
    blocks = [
        Block("heading", "FR-01: Login", "§2.1", level=2),
        _paragraph(
            "Users log in with their e-mail address and a password.",
            heading_path=("FR-01: Login",),
        ),
    ]
    found = find_requirements(blocks, lineage="app")

    assert [(f.id, f.modality) for f in found] == [("app:FR-01", "")]


@pytest.mark.parametrize("runs", [2, 3, 5])
def test_find_drafts_in_independent_runs_equal_the_whole_on_the_corpus(runs):
    from ptah_kernel.documents.reading import read_document
    from ptah_kernel.requirements.finding import find_drafts, independent_runs
    from tests.conftest import corpus_files

    cut_somewhere = 0
    for path in corpus_files("pdf") + corpus_files("docx") + corpus_files("md"):
        blocks = read_document(path.read_bytes(), path.name).blocks
        cuts = independent_runs(blocks, runs)
        starts, ends = [0, *cuts], [*cuts, len(blocks)]
        apart = [
            draft
            for start, end in zip(starts, ends, strict=True)
            for draft in find_drafts(blocks[start:end], start)
        ]

        assert apart == find_drafts(blocks), path.name
        cut_somewhere += bool(cuts)
    assert cut_somewhere >= 10
