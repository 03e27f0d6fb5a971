"""Results reported as 0 in what figures compute: no log of 0, a 0 is a real nadir.

PSA 0 ng/mL after prostatectomy (hCG 0 IU/L after chemotherapy) is an exact
result. It has no logarithm, so fits leave it out and say so; it is below every
limit, so it is a nadir and a crossing; and the log axis gets a floor for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from plotting.computing.alignment import align_cohort, median_trajectory
from plotting.computing.crossings import uln_crossings
from plotting.computing.gaps import gap_segments, reported_zeros
from plotting.computing.kinetics import KineticsError, fit_kinetics
from plotting.computing.kinetics_windows import kinetics_table, treatment_window
from plotting.computing.limit_values import marker_limits
from plotting.computing.log_range import (
    ZERO_CLEARANCE_DECADES,
    ZERO_ONLY_RANGE,
    decade_range,
)
from plotting.computing.response import Criterion, assess_response
from plotting.core.cohort import Cohort, LoadedSource
from plotting.reading.frames import case_from_frames


def psa(dates, values, censor=None):
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "marker": "PSA",
            "value": np.asarray(values, dtype=float),
            "unit": "ng/mL",
            "censor": censor or [""] * len(values),
            "date_precision": "day",
        }
    )


def prostatectomy(start="2015-03-01"):
    return pd.DataFrame(
        {
            "kind": ["resection"],
            "lane": ["Surgery"],
            "start": pd.to_datetime([start]),
            "end": pd.to_datetime([None]),
            "label": ["Prostatectomy"],
        }
    )


def test_a_zero_is_an_exact_result_only_when_not_censored():
    rows = psa(
        ["2015-01-01", "2015-02-01", "2015-03-01", "2015-04-01"],
        [5.0, 0.0, 0.1, 0.0],
        censor=["", "", "<", ""],
    )
    assert reported_zeros(rows).tolist() == [False, True, False, True]


def test_the_axis_floor_lies_half_a_decade_below_every_positive_value_and_limit():
    assert decade_range([0.2, 4.0]) == (0.1, 10.0), "no 0: the decades as before"
    assert decade_range([0.2, 4.0, 0.0]) == (0.01, 10.0)
    # A lowest value on a decade, or just above one, gets a decade of its own.
    assert decade_range([0.1, 0.0]) == (0.01, 0.1)
    assert decade_range([0.5, 0.0]) == (0.1, 1.0)
    # A limit below the results pulls the floor under it too.
    assert decade_range([0.0, 5.0], limits=[0.2]) == (0.01, 10.0)
    assert decade_range([0.0]) == ZERO_ONLY_RANGE == (0.1, 1.0)
    assert decade_range([]) is None
    for lowest in np.geomspace(1e-4, 1e5, 97):
        low, high = decade_range([lowest, 0.0, lowest * 3])
        assert math.log10(lowest) - math.log10(low) >= ZERO_CLEARANCE_DECADES
        assert math.log10(lowest) - math.log10(low) < ZERO_CLEARANCE_DECADES + 1
        assert math.log10(low) == round(math.log10(low)), "a whole decade"
        assert high >= lowest * 3


def test_a_fit_leaves_zeros_out_and_counts_them():
    rows = psa(["2015-01-01", "2015-02-01", "2015-03-01"], [8.0, 2.0, 0.0])
    fit = fit_kinetics(rows, marker="PSA", start="2015-01-01", end="2015-03-31")
    assert fit.values == (8.0, 2.0)
    assert fit.zeros_left_out == 1 and fit.censored_left_out == 0
    assert fit.half_life_days == pytest.approx(31 / 2)
    assert fit.zeros_note == "1 result of 0 left out of the fit"
    assert not fit.poor_fit, "a fall to 0 at the end is no turn"


def test_a_fall_to_zero_and_a_rise_after_it_is_a_turn():
    rows = psa(
        ["2015-01-01", "2015-02-01", "2015-06-01", "2015-09-01"],
        [6.0, 0.0, 0.3, 1.2],
    )
    fit = fit_kinetics(rows, marker="PSA", start="2015-01-01", end="2015-09-30")
    assert fit.values == (6.0, 0.3, 1.2) and fit.zeros_left_out == 1
    assert fit.direction_change == "falls to 2015-02-01, then rises"
    assert fit.poor_fit


def test_a_window_of_zeros_has_no_rate_and_says_why():
    zeros = psa(["2015-01-01", "2015-02-01"], [0.0, 0.0])
    with pytest.raises(KineticsError) as info:
        fit_kinetics(zeros, marker="PSA", start="2015-01-01", end="2015-03-01")
    assert str(info.value) == (
        "PSA 2015-01-01 to 2015-03-01: all 2 results are 0; a rate needs measured "
        "values above 0 (0 has no logarithm)"
    )
    mixed = psa(["2015-01-01", "2015-02-01"], [0.1, 0.0], censor=["<", ""])
    with pytest.raises(KineticsError, match="all 2 results are 0 or censored; "):
        fit_kinetics(mixed, marker="PSA", start="2015-01-01", end="2015-03-01")
    one_day = psa(["2015-01-01", "2015-02-01", "2015-03-01"], [4.0, 0.0, 0.0])
    with pytest.raises(KineticsError) as info:
        fit_kinetics(one_day, marker="PSA", start="2015-01-01", end="2015-03-01")
    assert str(info.value) == (
        "PSA 2015-01-01 to 2015-03-01: measured results on one day only (2 of 0 "
        "left out); a rate needs results on two days or more"
    )


def test_a_treatment_window_ends_at_the_first_zero_and_a_rise_starts_at_the_last():
    falls = psa(
        ["2015-02-20", "2015-04-01", "2015-05-01", "2015-06-01"], [12, 1.5, 0, 0]
    )
    window = treatment_window(falls, prostatectomy(), "Prostatectomy", marker="PSA")
    assert window == (
        pd.Timestamp("2015-02-20"),
        pd.Timestamp("2015-05-01"),
        "fall",
    )
    rises = psa(
        ["2015-02-25", "2015-04-01", "2015-08-01", "2016-01-01", "2016-06-01"],
        [0, 0, 0.1, 0.4, 1.6],
    )
    window = treatment_window(rises, prostatectomy(), "Prostatectomy", marker="PSA")
    assert window[0] == pd.Timestamp("2015-04-01") and window[2] == "rise"
    fit = fit_kinetics(rises, marker="PSA", start=window[0], end=window[1])
    assert fit.values == (0.1, 0.4, 1.6) and fit.zeros_left_out == 1


def test_a_zero_is_a_real_nadir_and_a_zero_baseline_has_no_percent():
    fall = Criterion("psa-50", 50.0)
    rows = psa(
        ["2015-02-20", "2015-04-01", "2015-05-01"], [12.0, 0.1, 0.0], ["", "<", ""]
    )
    response = assess_response(
        rows, prostatectomy(), "Prostatectomy", marker="PSA", criterion=fall
    )
    assert (response.nadir, response.nadir_censored) == (0.0, False)
    assert response.nadir_date == pd.Timestamp("2015-05-01")
    assert response.percent_change == -100.0
    assert response.verdict == "response"
    from_zero = psa(["2015-02-20", "2015-04-01"], [0.0, 3.0])
    response = assess_response(
        from_zero, prostatectomy(), "Prostatectomy", marker="PSA", criterion=fall
    )
    assert response.verdict == "not evaluable"
    assert response.reason == "the baseline is 0; a change from 0 has no percent"


def test_a_zero_is_below_any_limit_and_crosses_on_its_own_day():
    rows = psa(["2015-01-01", "2015-02-01", "2015-03-01"], [10.0, 0.0, 0.0])
    assert uln_crossings(rows, marker="PSA", uln=4.0, max_gap_days=365) == [
        pd.Timestamp("2015-02-01")
    ]
    # Already below: no crossing; across a gap the figure does not join: none.
    low = psa(["2015-01-01", "2015-02-01"], [2.0, 0.0])
    assert uln_crossings(low, marker="PSA", uln=4.0, max_gap_days=365) == []
    assert uln_crossings(rows, marker="PSA", uln=4.0, max_gap_days=20) == []


def test_a_zero_gets_a_segment_of_its_own():
    rows = psa(
        ["2015-01-01", "2015-02-01", "2015-03-01", "2015-04-01"], [5.0, 2.0, 0.0, 0.4]
    )
    segments = gap_segments(rows["date"], 365, alone=reported_zeros(rows))
    assert segments.tolist() == [0, 0, 1, 2]


def test_the_kinetics_table_notes_the_zeros_left_out():
    results = pd.DataFrame(
        {
            "date": ["2015-02-20", "2015-04-01", "2015-05-01", "2015-08-01"],
            "marker": "PSA",
            "value": ["12", "1.5", "0", "0"],
            "unit": "ng/mL",
        }
    )
    treatments = pd.DataFrame(
        {"kind": ["prostatectomy"], "start": ["2015-03-01"], "label": ["RP"]}
    )
    case = case_from_frames(
        results,
        treatments,
        origin="2015-01",
        last_follow_up="2016-01-01",
        today="2025-01-01",
    )
    (row,) = kinetics_table(case).to_dict("records")
    assert row["window"] == "after RP: 2015-02-20 to 2015-05-01"
    assert row["points"] == 2
    assert row["note"] == (
        "apparent (two points); 1 result of 0 left out of the fit; to the nadir"
    )
    given = kinetics_table(case, windows=[("2015-04-01", "2015-08-01")])
    assert given["note"].tolist() == [
        "measured results on one day only (2 of 0 left out); a rate needs results "
        "on two days or more"
    ]


def _patient(values, dates=("2015-01-01", "2015-02-01", "2015-04-01")):
    results = pd.DataFrame(
        {"date": list(dates), "marker": "PSA", "value": values, "unit": "ng/mL"}
    )
    treatments = pd.DataFrame({"kind": ["tace"], "start": ["2015-01-15"]})
    return case_from_frames(
        results,
        treatments,
        origin="2015-01",
        last_follow_up="2016-01-01",
        today="2025-01-01",
    )


def test_cohort_alignment_keeps_zeros_apart_and_out_of_the_median():
    cases = {
        "a": _patient(["8", "0", "0.5"]),
        "b": _patient(["0", "4", "2"]),
        "c": _patient(["6", "3", "1"]),
    }
    cohort = Cohort({pid: LoadedSource(case) for pid, case in cases.items()})
    aligned = align_cohort(cohort, marker="PSA", anchor="tace", percent=True)
    assert aligned.attrs["left_out"] == {"b": "a baseline of 0 (no percent of 0)"}
    a = aligned[aligned["patient_id"] == "a"]
    assert a["segment"].tolist() == [0, 1, 2]
    assert a["percent"].tolist() == [100.0, 0.0, 6.25]
    values = align_cohort(cohort, marker="PSA", anchor="tace")
    median = median_trajectory(values, step_days=30, min_patients=1)
    assert np.isfinite(median.loc[median["n"] > 0, "median"]).all()
    # The 0s of a and b are left out, as censored results are.
    measured = values[values["value"] > 0]
    pd.testing.assert_frame_equal(
        median, median_trajectory(measured, step_days=30, min_patients=1)
    )


def test_phoenix_takes_a_nadir_of_0_as_0():
    results = pd.DataFrame(
        {
            "date": ["2015-01-01", "2015-06-01", "2015-09-01", "2016-03-01"],
            "marker": "PSA",
            "value": ["5", "0", "0.3", "3"],
            "unit": "ng/mL",
        }
    )
    treatments = pd.DataFrame(
        {
            "kind": ["radiotherapy"],
            "start": ["2015-02-01"],
            "end": ["2015-03-15"],
            "label": ["EBRT"],
        }
    )
    case = case_from_frames(
        results,
        treatments,
        origin="2015-01",
        last_follow_up="2016-06-01",
        today="2025-01-01",
        markers={"PSA": {"uln": False, "thresholds": ["phoenix"]}},
    )
    (limit,) = marker_limits(
        case.markers["PSA"], case.measurements, case.treatments, time_unit=None
    )
    assert (limit.value, limit.label) == (2.0, "Phoenix: nadir 0 + 2 = 2 ng/mL")
    assert limit.start == pd.Timestamp("2015-06-01")
