"""Gaps: dotted links across long gaps, and one rule for "no results reported"."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest
from artists import lines_with_gid, overlapping_texts

from plotting import case_from_frames, gap_segments, plot_case, unmeasured_spans
from plotting.computing.gaps import gap_links
from plotting.drawing.legend import GAP_LINK_ENTRY

TODAY = "2024-01-01"
# A result every 1-3 years, as case reports give them.
SPARSE = [
    ("2006-03-01", 40.0),
    ("2007-05-01", 12.0),
    ("2010-04-01", 3.0),
    ("2010-08-01", 2.5),
    ("2012-09-01", 8.0),
    ("2013-10-01", 30.0),
]


def sparse_case(rows=SPARSE, *, origin="2006-03", last="2016-12-31", censor=None):
    results = pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in rows]),
            "marker": "CEA",
            "value": [v for _, v in rows],
            "unit": "ng/mL",
        }
    )
    if censor is not None:
        results["qualifier"] = censor
    return case_from_frames(results, origin=origin, last_follow_up=last, today=TODAY)


def test_gap_links_join_only_long_gaps_between_known_values():
    dates = pd.to_datetime([d for d, _ in SPARSE])
    assert gap_links(dates, 365).tolist() == [0, 1, 3, 4]
    assert gap_segments(dates, 365).tolist() == [0, 1, 2, 2, 3, 4]
    censored = [False, False, False, False, True, False]
    assert gap_links(dates, 365, alone=censored).tolist() == [0, 1]
    assert gap_links(dates[:1], 365).tolist() == []


def test_unmeasured_spans_count_the_time_before_the_first_result():
    spans = unmeasured_spans(
        ["2008-01-01", "2008-06-01"],
        since="2006-01-01",
        until="2008-12-01",
        min_days=365,
    )
    assert list(spans.itertuples(index=False, name=None)) == [
        (pd.Timestamp("2006-01-01"), pd.Timestamp("2008-01-01"))
    ]


def num(day):
    return mdates.date2num(pd.Timestamp(day))


def test_sparse_series_get_dotted_links_and_solid_lines_within_sampling():
    fig = plot_case(sparse_case())
    trend = fig.axes[0]
    solid = [list(line.get_xdata()) for line in lines_with_gid(trend, "trend-line:")]
    assert solid == [[num("2010-04-01"), num("2010-08-01")]]
    links = [list(line.get_xdata()) for line in lines_with_gid(trend, "gap-link:CEA")]
    assert links == [
        [num("2006-03-01"), num("2007-05-01")],
        [num("2007-05-01"), num("2010-04-01")],
        [num("2010-08-01"), num("2012-09-01")],
        [num("2012-09-01"), num("2013-10-01")],
    ]
    (solid_line,) = lines_with_gid(trend, "trend-line:")
    for line in lines_with_gid(trend, "gap-link:"):
        # Thinner than the line, and broken into dots.
        assert line.get_linewidth() < solid_line.get_linewidth()
        assert line.get_linestyle() != "-"
        assert line.get_dash_capstyle() == "round"
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert GAP_LINK_ENTRY.format(days=365) in legend


def test_a_censored_result_is_never_linked():
    fig = plot_case(sparse_case(censor=["", "", "", "", "<", ""]))
    links = lines_with_gid(fig.axes[0], "gap-link:")
    assert [list(line.get_xdata()) for line in links] == [
        [num("2006-03-01"), num("2007-05-01")],
        [num("2007-05-01"), num("2010-04-01")],
    ]


def test_no_link_and_no_key_entry_without_long_gaps():
    rows = [("2006-03-01", 40.0), ("2006-09-01", 12.0), ("2007-03-01", 3.0)]
    fig = plot_case(sparse_case(rows, last="2007-06-30"))
    assert lines_with_gid(fig.axes[0], "gap-link:") == []
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert GAP_LINK_ENTRY.format(days=365) not in legend


def note_spans(fig):
    """Return the (start, end) interval each gap note stands in."""
    trend = fig.axes[0]
    return [
        mdates.num2date(t.get_position()[0]).year
        for t in trend.texts
        if t.get_gid() == "gap-note"
    ]


@pytest.mark.parametrize("preset", ["double", "single"])
def test_every_long_gap_gets_a_note_where_it_fits_clear(preset):
    # Results before the first (origin 2003), between, and after the last (2016).
    fig = plot_case(sparse_case(origin="2003-01"), preset=preset)
    fig.canvas.draw()
    trend = fig.axes[0]
    notes = [t for t in trend.texts if t.get_gid() == "gap-note"]
    spans = unmeasured_spans(
        [d for d, _ in SPARSE], since="2003-01-01", until="2016-12-31", min_days=365
    )
    assert len(spans) == 6
    # Every note lies inside its interval and clear of every other text.
    for note in notes:
        box = note.get_window_extent()
        starts, ends = (
            trend.transData.transform([(num(d), 1) for d in spans[c]])[:, 0]
            for c in ("start", "end")
        )
        assert any(
            s <= box.x0 and box.x1 <= e for s, e in zip(starts, ends, strict=False)
        )
    assert overlapping_texts(fig) == []
    if preset == "double":
        # Wide enough: the notes before the first result and after the last are
        # written like the others.
        years = note_spans(fig)
        assert min(years) < 2006 and max(years) > 2013


def test_the_same_gap_gets_the_same_note_whatever_else_is_there():
    one = plot_case(sparse_case(origin="2003-01"))
    notes = [t.get_text() for t in one.axes[0].texts if t.get_gid() == "gap-note"]
    assert set(notes) <= {"no results reported", "no results\nreported"}
    assert len(notes) >= 3
