"""Concurrent therapies in one lane: each in a row (sub-lane) of its own, so no bar,
mark or label is drawn on another; lanes without overlap keep their one row."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from artists import (
    lines_with_gid,
    outside_figure,
    overlapping_texts,
    overlapping_track_artists,
)
from conftest import synthetic_treatments

from plotting import plot_case, read_case
from plotting.computing.sublanes import sublanes
from plotting.computing.track_layout import layout_track, track_items, track_lanes

CONCURRENT = """\
kind,start,end,label
resection,2010-02-15,,Resection
chemotherapy,2010-04-01,2010-09-30,Adjuvant capecitabine
radiotherapy,2011-01-10,2011-02-04,Bone RT
targeted therapy,2011-06-01,ongoing,Sorafenib
chemotherapy,2012-02-01,2012-11-30,Capecitabine
immunotherapy,2012-08-01,ongoing,Nivolumab
"""
MEASUREMENTS = """\
date,marker,value,unit
2010-01-20,AFP,850,ng/mL
2010-06-01,AFP,12,ng/mL
2011-05-10,AFP,240,ng/mL
2012-01-15,AFP,410,ng/mL
2012-07-20,AFP,190,ng/mL
2013-06-01,AFP,35,ng/mL
2014-10-01,AFP,9,ng/mL
"""


def num(date):
    return mdates.date2num(pd.Timestamp(date))


def test_sublanes_first_fit_by_start():
    # Touching spans share a row; a span starting inside another takes the first
    # row free at its start; input order does not matter, only starts do.
    lefts = np.array([0.0, 10.0, 5.0, 12.0, 20.0, 30.0])
    rights = np.array([10.0, 25.0, 15.0, 14.0, 40.0, 31.0])
    assert sublanes(lefts, rights).tolist() == [0, 0, 1, 2, 1, 0]
    assert sublanes([0.0, 5.0], [10.0, 6.0]).tolist() == [0, 1]
    # Marks (no end): one under a course, or whose center is under another mark,
    # takes another row; marks that only touch share one.
    nan = float("nan")
    assert sublanes([0.0, 4.0], [10.0, nan], reach=1.0).tolist() == [0, 1]
    assert sublanes([0.0, 10.5], [10.0, nan], reach=1.0).tolist() == [0, 1]
    assert sublanes([0.0, 11.0], [10.0, nan], reach=1.0).tolist() == [0, 0]
    assert sublanes([3.0, 3.5, 4.5], [nan, nan, nan], reach=1.0).tolist() == [0, 1, 0]
    assert sublanes([], []).tolist() == []


def test_sublanes_never_share_a_row_between_overlapping_spans():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 10))
        lefts = rng.integers(0, 50, n).astype(float)
        rights = lefts + rng.integers(0, 20, n)
        rows = sublanes(lefts, rights)
        for i in range(n):
            for j in range(i + 1, n):
                if rows[i] == rows[j]:
                    a, b = sorted((i, j), key=lambda k: (lefts[k], k))
                    assert lefts[b] >= rights[a] and lefts[b] != lefts[a]
        # First fit by start uses no more rows than spans overlap at one time.
        depth = max(
            int(np.sum((lefts <= x) & ((x < rights) | (lefts == x)))) for x in lefts
        )
        assert rows.max() + 1 == depth
        assert sublanes(lefts, rights).tolist() == rows.tolist()


def _one_row_case():
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
    xlim = (num("2010-12-01"), num("2011-05-01"))
    return treatments, xlim


def test_a_lane_without_overlap_keeps_one_row():
    treatments, xlim = _one_row_case()
    items, lanes = track_items(treatments), track_lanes(treatments)
    sizes = [(0.15, 0.1), (0.15, 0.1), (0.6, 0.2)]
    layout = layout_track(items, lanes, xlim=xlim, width_in=3.0, sizes_in=sizes)
    # The geometry of test_layout's one-row lanes, unchanged: one row per lane,
    # its title on its marks' line.
    assert layout.height == pytest.approx(0.84)
    assert layout.mark_y == pytest.approx({"TACE": -0.29, "RT": -0.76})
    assert layout.rows == {lane: (layout.mark_y[lane],) for lane in lanes}
    assert {lane: layout.title_y(lane) for lane in lanes} == layout.mark_y
    assert layout.items["row"].tolist() == [0, 0, 0]


def test_a_mark_on_a_course_takes_a_row_below_it():
    treatments = synthetic_treatments(
        [
            ("hormone therapy", "Systemic", "2011-01-01", "2011-04-01", "ADT", "day"),
            ("hormone therapy", "Systemic", "2011-02-01", None, "Added", "day"),
            ("hormone therapy", "Systemic", "2011-04-01", None, "After", "day"),
        ]
    )
    xlim = (num("2010-12-01"), num("2011-06-01"))
    items, lanes = track_items(treatments), track_lanes(treatments)
    sizes = [(0.3, 0.1)] * 3
    layout = layout_track(items, lanes, xlim=xlim, width_in=3.0, sizes_in=sizes)
    alone = layout_track(
        items.iloc[[0]], lanes, xlim=xlim, width_in=3.0, sizes_in=sizes[:1]
    )
    # The mark inside the course is drawn in a second row; the mark at its end
    # would cover the bar's end, so it goes there too.
    assert layout.items["row"].tolist() == [0, 1, 1]
    (top, below) = layout.rows["Systemic"]
    assert top == alone.mark_y["Systemic"] == layout.mark_y["Systemic"]
    assert below < top and layout.height > alone.height
    assert layout.items["mark_y"].tolist() == [top, below, below]
    # The lower row's labels stay under the upper row's marks.
    second = layout.items.iloc[1]
    assert second["label_y"] + 0.1 < top
    assert layout.title_y("Systemic") == pytest.approx((top + below) / 2)


@pytest.mark.mpl_image_compare(filename="track_concurrent_systemic.png")
def test_three_concurrent_drugs_get_three_rows(write_case):
    case = read_case(write_case(MEASUREMENTS, treatments=CONCURRENT))
    fig = plot_case(case)
    track = fig.axes[1]
    starts = case.treatments.set_index("label")["start"]
    bars = {
        label: patch
        for patch in track.patches
        if (patch.get_gid() or "").startswith("course:")
        for label in starts.index
        if patch.get_x() == num(starts[label])
    }
    systemic = ["Adjuvant capecitabine", "Sorafenib", "Capecitabine", "Nivolumab"]
    heights = {label: bars[label].get_y() for label in systemic}
    # The adjuvant course ended before sorafenib began: they share the top row.
    assert heights["Adjuvant capecitabine"] == heights["Sorafenib"]
    assert heights["Sorafenib"] > heights["Capecitabine"] > heights["Nivolumab"]
    # One title per lane, the Systemic one beside its three rows.
    ticks = track.get_yticklabels()
    assert [t.get_text() for t in ticks] == ["Surgery", "RT", "Systemic"]
    centres = [bars[label].get_y() + bars[label].get_height() / 2 for label in systemic]
    title = ticks[-1].get_position()[1]
    assert title == pytest.approx((min(centres) + max(centres)) / 2)
    assert len(lines_with_gid(track, "sublane-bracket")) == 1
    # Both ongoing drugs end at the last follow-up, in an arrow on their own row.
    arrows = sorted(
        (line.get_ydata()[0], line.get_xdata()[0])
        for line in lines_with_gid(track, "ongoing:")
    )
    ongoing = sorted(
        (bars[label].get_y() + bars[label].get_height() / 2, bars[label])
        for label in ("Sorafenib", "Nivolumab")
    )
    assert len(arrows) == 2
    for (y, x), (centre, bar) in zip(arrows, ongoing, strict=True):
        assert y == pytest.approx(centre)
        assert x == num("2014-12-31") == bar.get_x() + bar.get_width()
    assert overlapping_track_artists(track) == []
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig
