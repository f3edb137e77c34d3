import math

import numpy as np
import pandas as pd
import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.estimates import (
    compare_confidence,
    confidence,
    contingency,
    pert,
    roll_up,
    total,
)

Z80 = 0.8416212335729143  # NormalDist().inv_cdf(0.8)
Z90 = 1.2815515655446004
NA = math.nan


def wbs(*rows):
    """A frame from (code, kind, role, O, M, P) rows."""
    columns = ["code", "kind", "role", "optimistic_hours", "most_likely_hours"]
    frame = pd.DataFrame(rows, columns=[*columns, "pessimistic_hours"])
    frame["name"] = "Item " + frame["code"]
    return frame


def project():
    # Phase 1: 1.1 (2, 4, 12) and 1.2 (4, 5, 6); phase 2: 2.1 (3, 3, 3)
    return wbs(
        ("1", "phase", "", NA, NA, NA),
        ("1.1", "work package", "developer", 2, 4, 12),
        ("1.2", "work package", "tester", 4, 5, 6),
        ("2", "phase", "", NA, NA, NA),
        ("2.1", "work package", "developer", 3, 3, 3),
    )


def test_pert_gives_expected_hours_and_sd():
    estimate = pert(project()).loc[1]

    assert estimate["expected_hours"] == (2 + 16 + 12) / 6 == 5.0
    assert estimate["sd_hours"] == pytest.approx((12 - 2) / 6)


def test_pert_is_empty_where_no_estimate_is_given():
    assert math.isnan(pert(project()).loc[0, "expected_hours"])


def test_pert_rejects_an_estimate_out_of_order():
    frame = wbs(("1", "work package", "", 5, 4, 12))

    with pytest.raises(WBSError, match=r"Item 1 has the estimate 5 / 4 / 12 hours"):
        pert(frame)


def test_pert_rejects_a_partial_estimate():
    frame = wbs(("1", "work package", "", 2, NA, 12))

    with pytest.raises(WBSError, match="Item 1 has the estimate 2 / empty / 12"):
        pert(frame)


def test_pert_rejects_negative_hours():
    frame = wbs(("3.1", "work package", "", -1, 0, 2))

    with pytest.raises(WBSError, match="Item 3.1 .* each zero or more"):
        pert(frame)


def test_pert_rejects_text_that_is_not_a_number():
    frame = wbs(("1", "work package", "", "2", "four", "6"))

    with pytest.raises(WBSError, match="Item 1 has 'four' as most likely hours"):
        pert(frame)


def test_pert_reads_hours_written_as_text():
    frame = wbs(
        ("1", "work package", "", "2", "4", " 12 "), ("2", "phase", "", "", "", "")
    )

    assert pert(frame)["expected_hours"].tolist()[0] == 5.0


def test_roll_up_sums_expected_hours_and_variances_to_parents():
    table = roll_up(project()).set_index("code")

    assert table.loc["1", "expected_hours"] == 5.0 + 5.0
    assert table.loc["1", "variance"] == pytest.approx((10 / 6) ** 2 + (2 / 6) ** 2)
    assert table.loc["2", "sd_hours"] == 0.0


def test_roll_up_reaches_every_level_of_a_deep_tree():
    frame = wbs(
        ("1", "phase", "", NA, NA, NA),
        ("1.1", "deliverable", "", NA, NA, NA),
        ("1.1.1", "deliverable", "", NA, NA, NA),
        ("1.1.1.1", "work package", "", 6, 6, 6),
        ("1.2", "work package", "", 1, 1, 1),
    )

    assert roll_up(frame)["expected_hours"].tolist() == [7.0, 6.0, 6.0, 6.0, 1.0]


def test_roll_up_leaves_out_a_parents_own_estimate():
    frame = project()
    frame.loc[0, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = 100

    assert roll_up(frame).loc[0, "expected_hours"] == 10.0


def test_roll_up_counts_unestimated_work_packages_instead_of_zero():
    frame = project()
    frame.loc[2, ["optimistic_hours", "most_likely_hours", "pessimistic_hours"]] = NA
    phase = roll_up(frame).loc[0]

    assert phase["expected_hours"] == 5.0
    assert (phase["estimated"], phase["unestimated"]) == (1, 1)


def test_roll_up_costs_hours_at_the_rate_of_the_role():
    table = roll_up(project(), rates={"developer": 100.0, "tester": 80.0})

    assert table["cost"].tolist() == [5 * 100 + 5 * 80, 500, 400, 300, 300]
    assert table.loc[1, "cost_sd"] == pytest.approx(100 * 10 / 6)


def test_roll_up_counts_work_packages_whose_role_has_no_rate():
    table = roll_up(project(), rates={"developer": 100.0})

    assert table.loc[0, "cost"] == 500.0
    assert table.loc[0, "unpriced"] == 1


def test_total_sums_every_leaf():
    result = total(project(), rates={"developer": 100.0, "tester": 80.0})

    assert (result["expected_hours"], result["cost"]) == (13.0, 1200.0)
    assert result["sd_hours"] == pytest.approx(math.sqrt((10 / 6) ** 2 + (2 / 6) ** 2))


def test_confidence_normal_adds_z_times_the_total_sd():
    sd = math.sqrt((10 / 6) ** 2 + (2 / 6) ** 2)
    table = confidence(project())

    assert table.index.tolist() == ["P50", "P80", "P90"]
    assert table["hours"].tolist() == pytest.approx([13, 13 + Z80 * sd, 13 + Z90 * sd])


def test_confidence_normal_prices_the_spread_too():
    rates = {"developer": 100.0, "tester": 80.0}
    sd = math.sqrt((100 * 10 / 6) ** 2 + (80 * 2 / 6) ** 2)

    cost = confidence(project(), [0.8], rates=rates).loc["P80", "cost"]

    assert cost == pytest.approx(1200 + Z80 * sd)


def test_confidence_monte_carlo_is_repeatable_with_a_seed():
    first = confidence(project(), method="monte carlo", seed=3, trials=2_000)
    again = confidence(project(), method="monte carlo", seed=3, trials=2_000)
    other = confidence(project(), method="monte carlo", seed=4, trials=2_000)

    assert first.equals(again)
    assert not first.equals(other)


def test_confidence_monte_carlo_of_certain_estimates_is_exact():
    frame = wbs(("1", "work package", "", 3, 3, 3), ("2", "work package", "", 4, 4, 4))

    hours = confidence(frame, method="monte carlo", trials=100)["hours"]

    assert hours.tolist() == pytest.approx([7.0, 7.0, 7.0])


def test_confidence_monte_carlo_agrees_with_normal_for_many_symmetric_packages():
    # 400 packages of (2, 4, 6): mean 1600; the Beta's sd is (6-2)/sqrt(28), not /6
    frame = wbs(*[(str(i), "work package", "", 2, 4, 6) for i in range(1, 401)])
    sd = math.sqrt(400) * 4 / math.sqrt(28)

    hours = confidence(frame, [0.5, 0.9], "monte carlo", trials=4_000)["hours"]

    assert hours.tolist() == pytest.approx([1600, 1600 + Z90 * sd], rel=0.003)


def test_compare_confidence_puts_both_methods_side_by_side():
    table = compare_confidence(project(), [0.5], trials=2_000)
    row = table.loc["P50"]

    assert row["normal_hours"] == 13.0
    assert row["difference_hours"] == row["monte_carlo_hours"] - 13.0
    assert row["difference_percent_hours"] == pytest.approx(
        100 * (row["monte_carlo_hours"] - 13) / 13
    )


def test_contingency_is_the_gap_to_p50_per_phase_and_in_total():
    phase_sd = math.sqrt((10 / 6) ** 2 + (2 / 6) ** 2)

    table = contingency(project(), 0.8)

    assert table["code"].tolist() == ["1", "2", "total"]
    assert table["p50_hours"].tolist() == [10.0, 3.0, 13.0]
    assert table["contingency_hours"].tolist() == pytest.approx(
        [Z80 * phase_sd, 0.0, Z80 * phase_sd]
    )


def test_contingency_by_monte_carlo_reports_the_same_columns():
    table = contingency(project(), 0.9, "monte carlo", trials=2_000)

    assert list(table.columns) == [
        "code",
        "name",
        "p50_hours",
        "p90_hours",
        "contingency_hours",
    ]
    assert table.loc[1, "contingency_hours"] == pytest.approx(0.0)
    assert table.loc[2, "p90_hours"] > table.loc[2, "p50_hours"]


def test_confidence_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="'bootstrap' is unknown; use one of normal"):
        confidence(project(), method="bootstrap")


def test_confidence_rejects_a_level_given_in_percent():
    with pytest.raises(ValueError, match="level 80 is outside 0 to 1"):
        confidence(project(), [80])


def test_roll_up_of_an_empty_wbs_is_empty():
    empty = wbs()

    assert roll_up(empty).empty
    assert total(empty)["expected_hours"] == 0.0


def test_roll_up_is_vectorised_enough_for_a_large_wbs():
    codes = [f"{p}.{w}" for p in range(1, 11) for w in range(1, 2_001)]
    frame = wbs(*[(code, "work package", "", 1, 2, 3) for code in codes])
    frame = pd.concat(
        [wbs(*[(str(p), "phase", "", NA, NA, NA) for p in range(1, 11)]), frame]
    )

    table = roll_up(frame).set_index("code")

    assert table.loc["7", "expected_hours"] == 2_000 * 2.0
    assert np.isclose(table.loc["7", "variance"], 2_000 * (2 / 6) ** 2)
