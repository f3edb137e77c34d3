from ptah_kernel.requirements._kinds import guess_kind


def test_guess_kind_functional_without_quality_words():
    assert guess_kind("The system shall print the monthly invoice.") == "functional"
    assert guess_kind("Users can add items to the cart.") == "functional"


def test_guess_kind_names_quality_categories():
    assert guess_kind("Search results shall be returned within 2 seconds.") == (
        "performance"
    )
    assert guess_kind("All passwords shall be encrypted at rest.") == "security"
    assert guess_kind("The system shall be available 24x7 with 99% uptime.") == (
        "availability"
    )


def test_guess_kind_needs_more_than_one_leaning_word():
    assert guess_kind("The clerk shall read the invoice.") == "functional"
    assert guess_kind("New users shall be easy to train and learn the UI.") == (
        "usability"
    )
