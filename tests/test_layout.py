"""Geometry computed before drawing, tested without rendering."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from plotting import gap_segments, spread_labels, unmeasured_spans
from plotting.computing.labels import assign_tiers
from plotting.computing.track_layout import layout_track, track_items, track_lanes


def test_labels_that_fit_do_not_move():
    centers = [0.0, 10.0, 20.0]
    assert spread_labels(centers, [4, 4, 4], -100, 100).tolist() == centers


def test_two_overlapping_labels_move_apart_symmetrically():
    placed = spread_labels([10.0, 12.0], [4.0, 4.0], 0, 100, gap=1.0)
    assert placed.tolist() == [8.5, 13.5]


def test_spread_labels_never_overlap_and_stay_in_bounds():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = rng.integers(1, 12)
        centers = np.sort(rng.uniform(0, 100, n))
        widths = rng.uniform(1, 8, n)
        placed = spread_labels(centers, widths, 0.0, 100.0, gap=0.5)
        left, right = placed - widths / 2, placed + widths / 2
        assert np.all(left[1:] - right[:-1] >= 0.5 - 1e-9)
        assert left[0] >= -1e-9 and right[-1] <= 100 + 1e-9
        assert np.all(np.diff(placed) > 0)


def test_labels_pushed_off_the_edge_come_back_inside():
    placed = spread_labels([99.0], [10.0], 0.0, 100.0)
    assert placed.tolist() == [95.0]


def test_labels_wider_than_the_room_are_an_error():
    with pytest.raises(ValueError, match="wider than the space"):
        spread_labels([1.0, 2.0], [60.0, 60.0], 0.0, 100.0)


def test_gap_segments_break_where_nothing_was_measured():
    dates = pd.to_datetime(["2006-08-16", "2012-08-01", "2013-02-08", "2014-10-01"])
    assert gap_segments(dates, 365).tolist() == [0, 1, 1, 2]
    assert gap_segments(dates, 10_000).tolist() == [0, 0, 0, 0]
    assert gap_segments([], 365).tolist() == []


def test_unmeasured_spans_include_the_time_to_last_follow_up():
    dates = pd.to_datetime(["2012-08-01", "2006-08-16", "2013-02-08"])
    spans = unmeasured_spans(dates, until="2019-08-27", min_days=365)
    assert list(spans.itertuples(index=False, name=None)) == [
        (pd.Timestamp("2006-08-16"), pd.Timestamp("2012-08-01")),
        (pd.Timestamp("2013-02-08"), pd.Timestamp("2019-08-27")),
    ]


def test_assign_tiers_keeps_one_row_when_labels_fit():
    tiers, placed = assign_tiers([10.0, 50.0], [5.0, 5.0], 0.0, 100.0)
    assert tiers.tolist() == [0, 0] and placed.tolist() == [10.0, 50.0]


def test_assign_tiers_adds_a_row_rather_than_moving_labels_far():
    centers, widths = [40.0, 42.0, 44.0, 46.0], [10.0] * 4
    tiers, placed = assign_tiers(centers, widths, 0.0, 100.0, max_shift=8.0)
    assert tiers.tolist() == [0, 1, 0, 1]
    assert np.max(np.abs(placed - centers)) == 3.0
    one_row, _ = assign_tiers(centers, widths, 0.0, 100.0)
    assert one_row.tolist() == [0, 0, 0, 0]


def test_assign_tiers_reports_labels_that_cannot_fit():
    with pytest.raises(ValueError, match="do not fit in 2 rows"):
        assign_tiers([1.0, 2.0, 3.0], [60.0] * 3, 0.0, 100.0, max_tiers=2)


def test_layout_track_stacks_lanes_and_places_labels_above_marks():
    treatments = pd.DataFrame(
        {
            "lane": ["TACE", "TACE", "RT"],
            "kind": ["tace", "tace", "radiotherapy"],
            "start": pd.to_datetime(["2011-01-01", "2011-01-10", "2011-03-01"]),
            "end": pd.to_datetime([None, None, "2011-03-31"]),
            "label": ["#1", "#2", "Liver RT"],
            "date_precision": ["day", "approximate", "day"],
            "dose_gy": [float("nan"), float("nan"), 30.0],
            "fractions": pd.array([None, None, 12], dtype="Int64"),
        }
    )
    items = track_items(treatments)
    lanes = track_lanes(treatments)
    assert lanes == ["TACE", "RT"]
    assert items["label"].tolist() == ["#1", "#2", "Liver RT\n30 Gy/12 fx"]
    assert items["approx"].tolist() == [False, True, False]
    xlim = (
        mdates.date2num(pd.Timestamp("2010-12-01")),
        mdates.date2num(pd.Timestamp("2011-05-01")),
    )
    sizes = [(0.15, 0.1), (0.15, 0.1), (0.6, 0.2)]
    layout = layout_track(items, lanes, xlim=xlim, width_in=3.0, sizes_in=sizes)
    assert layout.lanes == ("TACE", "RT")
    assert layout.mark_y["TACE"] > layout.mark_y["RT"]
    placed = layout.items
    assert (placed["label_y"] > placed["mark_y"]).all()
    rt = placed[placed["lane"] == "RT"].iloc[0]
    march = mdates.date2num(pd.to_datetime(["2011-03-01", "2011-03-31"]))
    assert rt["center"] == march.mean()
    per_inch = (xlim[1] - xlim[0]) / 3.0
    tace = placed[placed["lane"] == "TACE"].sort_values("label_x")
    assert tace["label_x"].diff().iloc[1] >= (0.15 + 0.04) * per_inch - 1e-9
    # Each lane: labels start 0.21 in above its bottom, one tier of the tallest
    # label plus 0.03 in, and 0.03 in at the top: 0.37 in (TACE) + 0.47 in (RT).
    assert layout.height == pytest.approx(0.84)
    assert layout.mark_y == pytest.approx({"TACE": -0.29, "RT": -0.76})


def test_legend_columns_kept_only_for_the_same_entries_and_settings(monkeypatch):
    import matplotlib as mpl

    from plotting.drawing import legend

    entries = [
        legend.LegendEntry(f"Marker {i} (ng/mL)", {"color": "C0", "marker": "o"})
        for i in range(5)
    ]
    measured = []
    measure = legend._measure_columns
    monkeypatch.setattr(
        legend,
        "_measure_columns",
        lambda *args, **kws: measured.append(1) or measure(*args, **kws),
    )
    monkeypatch.setattr(legend, "_COLUMNS", {})
    first = legend.legend_columns(entries, width_in=6.0, dpi=100)
    assert legend.legend_columns(entries, width_in=6.0, dpi=100) == first
    assert len(measured) == 1 and 1 < first.columns < 5
    assert first.width <= 6.0
    with mpl.rc_context({"legend.fontsize": 14}):
        larger = legend.legend_columns(entries, width_in=6.0, dpi=100)
    assert larger.columns < first.columns and larger.height > first.height
    assert len(measured) == 2
    assert legend.legend_columns(entries[:2], width_in=6.0, dpi=100).columns == 2
    dashed = [legend.LegendEntry("Dashed", {"color": "C1", "dashes": [2, 1]})]
    fit = legend.legend_columns(dashed, width_in=6.0, dpi=100)
    again = legend._measure_columns(dashed, width_in=6.0, dpi=100)
    assert (fit.columns, fit.height) == (1, pytest.approx(again.height))
