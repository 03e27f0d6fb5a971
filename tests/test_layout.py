"""Geometry computed before drawing, tested without rendering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plotting import gap_segments, spread_labels, unmeasured_spans


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
