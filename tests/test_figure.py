"""Figures: image comparisons, each paired with assertions on the artists."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from artists import (
    lines_with_gid,
    outside_figure,
    overlapping_texts,
    plotted_points,
    visible_texts,
)
from conftest import synthetic_measurements, synthetic_treatments

from plotting import add_treatment_track, house_style, plot_case, plot_marker_trend
from plotting.drawing.style import MIN_FONT_SIZE

DAY = mdates.date2num(pd.Timestamp("2000-01-02")) - mdates.date2num(
    pd.Timestamp("2000-01-01")
)


def num(date):
    return mdates.date2num(pd.Timestamp(date))


def expected_points(measurements, marker):
    rows = measurements[measurements["marker"] == marker]
    return sorted(zip(rows["date"], rows["value"].astype(float), strict=True))


def assert_legible(fig):
    assert overlapping_texts(fig) == []
    assert outside_figure(fig) == []
    sizes = {t.get_text(): t.get_fontsize() for t in visible_texts(fig)}
    assert {t: s for t, s in sizes.items() if s < MIN_FONT_SIZE} == {}


@pytest.mark.mpl_image_compare(filename="fig4.png")
def test_fig4(yu2020):
    fig = plot_case(yu2020)
    trend, track = fig.axes
    assert fig.get_size_inches()[0] * 25.4 == pytest.approx(174.0)
    # One time axis: the trend and the track must show the same dates.
    assert trend.get_xlim() == track.get_xlim()
    assert trend.get_shared_x_axes().joined(trend, track)
    for marker in ("AFP", "PIVKA-II"):
        assert plotted_points(trend, marker) == expected_points(
            yu2020.measurements, marker
        )
    # Every Fig. 4 date is approximate or month-only, so every symbol is open.
    assert all(
        line.get_markerfacecolor() == "white"
        for line in lines_with_gid(trend, "trend-points:")
    )
    # AFP: no line across 2006-2012; the only joined pair is 2012-08 -> 2013-02.
    afp_lines = lines_with_gid(trend, "trend-line:AFP")
    assert [list(line.get_xdata()) for line in afp_lines] == [
        [num("2012-08-01"), num("2013-02-08")]
    ]
    for line in lines_with_gid(trend, "trend-line:"):
        assert max(pd.Series(line.get_xdata()).diff().dropna()) <= 365 * DAY
    assert sorted(
        line.get_ydata()[0] for line in lines_with_gid(trend, "reference-limit")
    ) == [7.0, 40.0]

    rt = yu2020.treatments[yu2020.treatments["lane"] == "RT"]
    expected_spans = [
        (num(s), num(e)) for s, e in zip(rt["start"], rt["end"], strict=True)
    ]
    bands = [p for p in trend.patches if p.get_gid() == "course-band"]
    assert [(b.get_x(), b.get_x() + b.get_width()) for b in bands] == expected_spans
    bars = [p for p in track.patches if p.get_gid() == "course:RT"]
    assert [(b.get_x(), b.get_x() + b.get_width()) for b in bars] == expected_spans

    tace_marks = lines_with_gid(track, "mark:TACE")
    tace = yu2020.treatments[yu2020.treatments["kind"] == "tace"]
    assert [line.get_xdata()[0] for line in tace_marks] == [
        num(d) for d in tace["start"]
    ]
    labels = [t.get_text() for t in track.texts if t.get_gid() == "track-label"]
    assert [label for label in labels if label.startswith("#")] == [
        "#1",
        "#2",
        "#3",
        "#4",
        "#5",
    ]
    assert "Liver RT\n30 Gy/12 fx" in labels
    # Every interval over a year without a result where a note fits: before 2012,
    # 2013-2014 (on two lines) and after the last result.
    notes = [t for t in trend.texts if t.get_gid() == "gap-note"]
    assert [t.get_text() for t in notes] == [
        "no results reported",
        "no results\nreported",
        "no results reported",
    ]
    assert track.get_xlim()[0] < num(yu2020.origin)
    assert track.get_xlim()[1] > num(yu2020.last_follow_up)
    assert_legible(fig)
    return fig


@pytest.mark.mpl_image_compare(filename="trend_gaps_and_precision.png")
def test_marker_trend_breaks_at_gaps_and_opens_approximate_dates():
    data = synthetic_measurements(
        [
            ("2010-01-05", "CEA", 40.0, "day"),
            ("2010-03-02", "CEA", 12.0, "day"),
            ("2010-05-16", "CEA", 6.0, "month"),
            ("2012-06-01", "CEA", 3.0, "approximate"),
            ("2012-09-14", "CEA", 2.5, "day"),
        ]
    )
    with house_style():
        fig, (ax, other) = plt.subplots(1, 2, figsize=(5, 2.2))
        returned = plot_marker_trend(data, marker="CEA", ax=ax, label="CEA (ng/mL)")
    assert returned is ax
    assert not other.lines and not other.patches and not other.texts
    assert ax.get_yscale() == "log"
    assert plotted_points(ax, "CEA") == expected_points(data, "CEA")
    joined = [len(line.get_xdata()) for line in lines_with_gid(ax, "trend-line:CEA")]
    assert joined == [3, 2]
    (exact,) = lines_with_gid(ax, "trend-points:CEA:exact")
    (approx,) = lines_with_gid(ax, "trend-points:CEA:approx")
    assert list(exact.get_ydata()) == [40.0, 12.0, 2.5]
    assert list(approx.get_ydata()) == [6.0, 3.0]
    assert approx.get_markerfacecolor() == "white"
    assert exact.get_markerfacecolor() != "white"
    return fig


@pytest.mark.mpl_image_compare(filename="track_crowded_labels.png")
def test_treatment_track_spreads_crowded_labels_with_leaders():
    treatments = synthetic_treatments(
        [("tace", "TACE", f"2011-0{m}-01", None, f"#{m}", "day") for m in range(1, 7)]
        + [
            ("radiotherapy", "RT", "2011-03-10", "2011-04-20", "Liver RT", "day"),
            (
                "radiotherapy",
                "RT",
                "2011-05-02",
                "2011-05-09",
                "Lung SBRT",
                "approximate",
            ),
            ("resection", "Surgery", "2010-02-11", None, "Resection", "day"),
        ]
    )
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2010-01-20", "2012-11-30"]),
            "label": ["Diagnosis", "Last follow-up"],
            "date_precision": ["month", "day"],
        }
    )
    with house_style():
        fig, ax = plt.subplots(figsize=(3.4, 1.8))
        fig.subplots_adjust(left=0.2, right=0.97, bottom=0.15, top=0.98)
        ax.set_xlim(num("2009-12-01"), num("2013-01-31"))
        returned = add_treatment_track(treatments, events=events, ax=ax)
    assert returned is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Events",
        "Surgery",
        "TACE",
        "RT",
    ]
    assert len(lines_with_gid(ax, "mark:TACE")) == 6
    assert len(lines_with_gid(ax, "leader")) >= 4
    bars = [p for p in ax.patches if p.get_gid() == "course:RT"]
    assert [(b.get_x(), b.get_x() + b.get_width()) for b in bars] == [
        (num("2011-03-10"), num("2011-04-20")),
        (num("2011-05-02"), num("2011-05-09")),
    ]
    assert [b.get_facecolor()[:3] == (1.0, 1.0, 1.0) for b in bars] == [False, True]
    assert_legible(fig)
    return fig


@pytest.mark.mpl_image_compare(filename="right_axis_marker.png")
def test_marker_on_a_right_axis(write_case):
    folder = write_case(
        """
        date,marker,value,unit
        2010-03-01,AFP,800,ng/mL
        2010-05-01,AFP,90,ng/mL
        2010-08-01,AFP,6,ng/mL
        2010-03-01,CEA,2.1,ng/mL
        2010-05-01,CEA,9.5,ng/mL
        2010-08-01,CEA,30,ng/mL
        """,
        treatments="kind,start,end\nchemotherapy,2010-03-15,2010-07-15\n",
        toml="""
        [time]
        origin = "2010-02"
        last_follow_up = "2010-12-31"
        [markers.AFP]
        [markers.CEA]
        axis = "right"
        """,
    )
    from plotting import read_case

    case = read_case(folder)
    fig = plot_case(case, width_mm=89, trend_height_in=1.8)
    trend, _track, right = fig.axes
    assert plotted_points(right, "CEA") == expected_points(case.measurements, "CEA")
    assert plotted_points(trend, "CEA") == []
    assert right.get_yscale() == "log"
    assert right.get_ylim() == (1.0, 100.0)
    assert trend.get_ylim() == (1.0, 1000.0)
    assert_legible(fig)
    return fig


def test_empty_input_returns_the_untouched_axes():
    data = synthetic_measurements([("2010-01-05", "CEA", 40.0, "day")])
    _fig, ax = plt.subplots()
    assert plot_marker_trend(data, marker="AFP", ax=ax) is ax
    assert not ax.lines
    assert add_treatment_track(synthetic_treatments([]), ax=ax) is ax
    assert not ax.lines


def test_unknown_marker_option_names_the_choices(yu2020):
    with pytest.raises(ValueError, match=r"\['CEA'\] are not in this case; choose"):
        plot_case(yu2020, markers=["CEA"])


def test_only_afp(yu2020):
    fig = plot_case(yu2020, markers=["AFP"])
    assert plotted_points(fig.axes[0], "PIVKA-II") == []
    assert [
        line.get_ydata()[0] for line in lines_with_gid(fig.axes[0], "reference-limit")
    ] == [7.0]
