import ptah_kernel.requirements as requirements


def test_requirements_all_lists_the_public_names():
    assert sorted(requirements.__all__) == [
        "FoundRequirement",
        "KINDS",
        "ambiguity_flags",
        "find_requirements",
    ]
    assert all(hasattr(requirements, name) for name in requirements.__all__)


def test_requirements_kinds_include_every_category_of_the_brief():
    assert requirements.KINDS[0] == "functional"
    assert {"look and feel", "fault tolerance", "reliability"} <= set(
        requirements.KINDS
    )
