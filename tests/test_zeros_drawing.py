"""Results reported as 0 on a log axis: on the floor, a symbol and a legend entry
of their own, and no line down to them.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts, plotted_points

from plotting import case_from_frames, house_style, plot_case, plot_marker_trend
from plotting.computing.alignment import align_cohort
from plotting.core.cohort import Cohort, LoadedSource
from plotting.drawing.aligned_figure import plot_aligned
from plotting.drawing.legend import ZERO_ENTRY, data_key_entries
from plotting.drawing.style import ZERO_KEY_SYMBOL, ZERO_SYMBOL

BLUE = "#0072B2"
DATES = pd.to_datetime(
    [
        "2014-06-01",
        "2014-11-01",
        "2015-02-20",
        "2015-04-10",
        "2015-07-01",
        "2015-10-01",
        "2016-03-01",
        "2016-08-01",
        "2016-12-01",
    ]
)
VALUES = [6.5, 9.8, 12.0, 0.0, 0.0, 0.0, 0.08, 0.3, 1.1]
PRECISION = ["day"] * 5 + ["month"] + ["day"] * 3


def psa_series():
    """PSA rising to prostatectomy, 0 three times after it, then a recurrence."""
    return pd.DataFrame(
        {
            "date": DATES,
            "marker": "PSA",
            "value": VALUES,
            "unit": "ng/mL",
            "censor": "",
            "date_precision": PRECISION,
        }
    )


def num(text):
    return mdates.date2num(pd.Timestamp(text))


def zero_lines(ax, marker="PSA"):
    return lines_with_gid(ax, f"trend-zero:{marker}:")


def floor_points(ax, line):
    """Return each symbol's position in axes fractions (y 0 is the floor)."""
    display = line.get_transform().transform(line.get_xydata())
    return ax.transAxes.inverted().transform(display)


def test_zeros_stand_on_the_floor_of_a_log_axis_with_a_symbol_of_their_own():
    with house_style():
        fig, ax = plt.subplots(figsize=(4, 2.4))
        plot_marker_trend(psa_series(), marker="PSA", ax=ax, color=BLUE)
        fig.canvas.draw()
    exact, approx = zero_lines(ax)
    assert exact.get_gid() == "trend-zero:PSA:exact"
    assert approx.get_gid() == "trend-zero:PSA:approx"
    assert list(exact.get_xdata()) == [num("2015-04-10"), num("2015-07-01")]
    assert list(approx.get_xdata()) == [num("2015-10-01")]
    for line in (exact, approx):
        assert np.allclose(floor_points(ax, line)[:, 1], 0.0), "on the axis floor"
        assert not line.get_clip_on(), "standing on the axis line, unclipped"
        assert line.get_marker() is ZERO_SYMBOL
        assert line.get_color() == BLUE and line.get_linestyle() == "None"
    assert exact.get_markerfacecolor() == BLUE
    assert approx.get_markerfacecolor() == "white", "month only: open"
    # The symbols of measured results never include the zeros.
    assert [v for _, v in plotted_points(ax, "PSA")] == [
        6.5,
        9.8,
        12.0,
        0.08,
        0.3,
        1.1,
    ]
    # The floor is half a decade or more below the lowest positive result.
    low, _ = ax.get_ylim()
    assert np.log10(0.08) - np.log10(low) >= 0.5


def test_no_line_or_dotted_link_runs_down_to_a_zero():
    zero_days = {num(d) for d in ("2015-04-10", "2015-07-01", "2015-10-01")}
    with house_style():
        _, (ax, linked) = plt.subplots(1, 2, figsize=(6, 2.4))
        plot_marker_trend(psa_series(), marker="PSA", ax=ax)
        # Every result further apart than 30 days: dotted links where allowed.
        plot_marker_trend(psa_series(), marker="PSA", ax=linked, max_gap_days=30)
    # 12.0 before the zeros is not joined to 0.08 after them either.
    assert [list(line.get_ydata()) for line in lines_with_gid(ax, "trend-line:")] == [
        [6.5, 9.8, 12.0],
        [0.08, 0.3, 1.1],
    ]
    links = lines_with_gid(linked, "gap-link:PSA")
    assert [list(line.get_ydata()) for line in links] == [
        [6.5, 9.8],
        [9.8, 12.0],
        [0.08, 0.3],
        [0.3, 1.1],
    ]
    for line in [*lines_with_gid(ax, "trend-line:"), *links]:
        assert not zero_days & set(line.get_xdata())


def test_on_a_linear_axis_a_zero_is_just_0():
    with house_style():
        _, ax = plt.subplots(figsize=(4, 2.4))
        plot_marker_trend(psa_series(), marker="PSA", ax=ax, log=False)
    assert ax.get_yscale() == "linear"
    assert zero_lines(ax) == []
    (line,) = lines_with_gid(ax, "trend-line:PSA")
    assert list(line.get_ydata()) == VALUES
    assert sorted(plotted_points(ax, "PSA"))[3][1] == 0.0


def test_the_legend_key_names_zeros_once_where_there_are_some():
    rows = pd.concat([psa_series(), psa_series().assign(marker="hCG")])
    entries = [e for e in data_key_entries(rows) if e.label == ZERO_ENTRY]
    assert len(entries) == 1
    assert ZERO_ENTRY == "0 as reported (drawn at the axis floor)"
    assert entries[0].style["marker"] is ZERO_KEY_SYMBOL
    measured = psa_series().assign(value=[*VALUES[:3], 1.0, 1.0, 1.0, *VALUES[6:]])
    assert ZERO_ENTRY not in [e.label for e in data_key_entries(measured)]


def prostatectomy_case():
    """PSA up to a prostatectomy, 0 three times after it (once dated to the month),
    below the detection limit once, then a recurrence treated by salvage RT."""
    results = pd.DataFrame(
        {
            "date": [
                "2014-03-10",
                "2014-09-02",
                "2015-01-20",
                "2015-04-14",
                "2015-08-11",
                "2016-02",
                "2016-09-06",
                "2017-03-14",
                "2017-08-22",
                "2018-01-09",
                "2018-06-05",
            ],
            "marker": "PSA",
            "value": [
                "6.8",
                "9.4",
                "12.1",
                "0",
                "0",
                "0",
                "<0.01",
                "0.09",
                "0.27",
                "0.61",
                "0.08",
            ],
            "unit": "ng/mL",
        }
    )
    treatments = pd.DataFrame(
        {
            "kind": ["prostatectomy", "radiotherapy"],
            "start": ["2015-02-17", "2018-02-05"],
            "end": ["", "2018-03-23"],
            "label": ["Prostatectomy", "Salvage RT"],
        }
    )
    events = pd.DataFrame({"date": ["2014-03-01"], "label": ["Diagnosis"]})
    return case_from_frames(
        results,
        treatments,
        events,
        origin="2014-03",
        last_follow_up="2018-09-30",
        markers={"PSA": {"uln": False, "thresholds": ["psa-bcr-prostatectomy"]}},
        today="2025-01-01",
    )


ZERO_DAYS = ("2015-04-14", "2015-08-11", "2016-02-15")


@pytest.mark.mpl_image_compare(filename="trend_psa_zero_at_axis_floor.png")
def test_a_psa_of_0_after_prostatectomy_stands_on_the_figures_floor():
    fig = plot_case(prostatectomy_case(), preset="single")
    trend = fig.axes[0]
    low, high = trend.get_ylim()
    # The floor: half a decade or more below the lowest positive value drawn
    # (the <0.01 limit) and the 0.2 threshold, on a whole decade.
    assert (low, high) == (0.001, 100.0)
    exact, approx = zero_lines(trend)
    assert list(exact.get_xdata()) == [num(d) for d in ZERO_DAYS[:2]]
    assert list(approx.get_xdata()) == [num(ZERO_DAYS[2])]
    for line in (exact, approx):
        shown = line.get_transform().transform(line.get_xydata())
        floor = trend.transData.transform(
            np.column_stack([line.get_xdata(), np.full(len(shown), low)])
        )
        assert np.allclose(shown, floor), "each 0 at the axis floor"
        assert line.get_markerfacecolor() in ("#0072B2", "white")
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert legend.count("0 as reported (drawn at the axis floor)") == 1
    assert legend.index("0 as reported (drawn at the axis floor)") == 2
    # No line segment ends at the floor, or on the day of a 0.
    for line in lines_with_gid(trend, "trend-line:") + lines_with_gid(
        trend, "gap-link:"
    ):
        assert min(line.get_ydata()) > low
        assert not {num(d) for d in ZERO_DAYS} & set(line.get_xdata())
    assert [
        list(line.get_ydata()) for line in lines_with_gid(trend, "trend-line:")
    ] == [
        [6.8, 9.4, 12.1],
        [0.09, 0.27, 0.61, 0.08],
    ]
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig


def test_a_nadir_of_0_has_its_percent_change_anchored_on_the_floor():
    fig = plot_case(prostatectomy_case(), preset="single", response=["Prostatectomy"])
    trend = fig.axes[0]
    (label,) = [t for t in trend.texts if t.get_gid() == "percent-change"]
    assert label.get_text().startswith("\u2212100.0% vs baseline")
    assert label.xycoords == ("data", "axes fraction")
    assert label.xy == (num(ZERO_DAYS[0]), 0.0)
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []


def test_a_case_of_zeros_only_still_draws_them_and_its_limit():
    results = pd.DataFrame(
        {"date": ["2015-04-14", "2015-08-11"], "marker": "hCG", "value": "0"}
    ).assign(unit="IU/L")
    case = case_from_frames(
        results, origin="2015-01", last_follow_up="2015-12-31", today="2025-01-01"
    )
    fig = plot_case(case, preset="single")
    trend = fig.axes[0]
    (exact,) = zero_lines(trend, "hCG")
    assert len(exact.get_xdata()) == 2
    low, _ = trend.get_ylim()
    (uln,) = lines_with_gid(trend, "reference-limit")
    assert np.log10(uln.get_ydata()[0]) - np.log10(low) >= 0.5


def test_the_cohort_figure_draws_its_patients_zeros_on_the_floor():
    def patient(values):
        results = pd.DataFrame(
            {
                "date": ["2015-01-01", "2015-02-01", "2015-04-01"],
                "marker": "PSA",
                "value": values,
                "unit": "ng/mL",
            }
        )
        return case_from_frames(
            results,
            pd.DataFrame({"kind": ["tace"], "start": ["2015-01-15"]}),
            origin="2015-01",
            last_follow_up="2016-01-01",
            today="2025-01-01",
        )

    cohort = Cohort(
        {
            "a": LoadedSource(patient(["8", "0", "0.5"])),
            "b": LoadedSource(patient(["6", "3", "1"])),
        }
    )
    aligned = align_cohort(cohort, marker="PSA", anchor="tace")
    with house_style():
        _, ax = plt.subplots(figsize=(4, 2.4))
        plot_aligned(aligned, ax=ax)
    (zeros,) = lines_with_gid(ax, "patient-zero")
    assert np.allclose(floor_points(ax, zeros)[:, 1], 0.0)
    assert not zeros.get_clip_on() and zeros.get_marker() is ZERO_SYMBOL
    assert zeros.get_label() == "Reported as 0 (at the axis floor)"
    for line in lines_with_gid(ax, "patient-line"):
        assert min(line.get_ydata()) > 0


def test_the_legend_names_dotted_links_only_where_they_are_drawn():
    # A 0, then more than 365 days without a result: no link runs to the 0.
    rows = psa_series().iloc[2:7]
    assert (rows["date"].iloc[-1] - rows["date"].iloc[-2]).days > 120
    labels = [e.label for e in data_key_entries(rows, max_gap_days=120)]
    with house_style():
        _, ax = plt.subplots(figsize=(4, 2.4))
        plot_marker_trend(rows, marker="PSA", ax=ax, max_gap_days=120)
    assert lines_with_gid(ax, "gap-link:") == []
    assert not any(label.startswith("Dotted:") for label in labels)
