from ptah_kernel.requirements import ambiguity_flags


def test_ambiguity_flags_escape_clauses_and_tbd_in_order():
    flags = ambiguity_flags(
        "Where possible, the system shall, if necessary, retry (TBD)."
    )

    assert flags == ["where possible", "if necessary", "TBD"]


def test_ambiguity_flags_vague_terms_in_their_canonical_spelling():
    flags = ambiguity_flags("The UI shall be User-Friendly and answer in about 5 s.")

    assert flags == ["user-friendly", "about"]


def test_ambiguity_flags_nothing_in_a_precise_requirement():
    assert ambiguity_flags("The system shall answer a query within 200 ms.") == []
    assert ambiguity_flags("Information about the user shall be stored.") == []
