"""Results reported as 0 on a log axis: on the floor, a symbol and a legend entry
of their own, and no line down to them.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from artists import lines_with_gid, plotted_points

from plotting import house_style, plot_marker_trend
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
