"""A therapy whose dose changed: one bar, a tick at each change, doses that never
overlap and are never lost."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from artists import outside_figure, overlapping_texts
from conftest import ROOT

from plotting import plot_case, read_case
from plotting.computing.track_layout import (
    abbreviated_dose,
    dose_sequence,
    label_doses,
    layout_track,
    therapies,
    track_items,
)
from plotting.core.dates import relative_position

MATSUKI = ROOT / "data" / "matsuki2020"
TREATMENTS = """\
kind,start,end,label,dose
targeted therapy,2019-01-15,2019-05-31,Lenvatinib,12 mg/d
targeted therapy,2019-06-01,2019-06-20,Lenvatinib,8 mg/d
targeted therapy,2019-06-20,2020-03-31,Lenvatinib,4 mg/d
immunotherapy,2020-05-01,ongoing,Atezolizumab,1200 mg q3w
radiotherapy,2020-06-01,2020-06-20,Bone RT,
"""
MEASUREMENTS = """\
date,marker,value,unit
2019-01-10,AFP,900,ng/mL
2019-04-01,AFP,300,ng/mL
2019-08-01,AFP,40,ng/mL
2020-01-10,AFP,12,ng/mL
2020-09-01,AFP,8,ng/mL
"""
TOML = '[time]\norigin = "2019-01-01"\nlast_follow_up = "2020-12-31"\n'


@pytest.fixture
def lenvatinib(write_case):
    return read_case(write_case(MEASUREMENTS, treatments=TREATMENTS, toml=TOML))


def table(rows):
    frame = pd.DataFrame(rows, columns=["kind", "start", "end", "label", "dose"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["lane"] = "Systemic"
    frame["date_precision"] = "day"
    frame["ongoing"] = False
    return frame


@pytest.mark.parametrize(
    ("rows", "groups"),
    [
        # the next starts the day the last ends, or the day after: one therapy
        (
            [
                ("targeted therapy", "2019-01-01", "2019-02-01", "Len", "12 mg"),
                ("targeted therapy", "2019-02-02", "2019-03-01", "Len", "8 mg"),
                ("targeted therapy", "2019-03-01", "2019-04-01", "len ", "4 mg"),
            ],
            [[0, 1, 2]],
        ),
        # an interruption of two days or more is a gap the bar must show
        (
            [
                ("targeted therapy", "2019-01-01", "2019-02-01", "Len", "12 mg"),
                ("targeted therapy", "2019-02-03", "2019-03-01", "Len", "8 mg"),
            ],
            [[0], [1]],
        ),
        # another drug, a row without a dose or without an end: not joined
        (
            [
                ("targeted therapy", "2019-01-01", "2019-02-01", "Len", "12 mg"),
                ("targeted therapy", "2019-02-01", "2019-03-01", "Sora", "400 mg"),
                ("targeted therapy", "2019-03-01", "2019-04-01", "Sora", ""),
                ("targeted therapy", "2019-04-01", None, "Sora", "200 mg"),
            ],
            [[0], [1], [2], [3]],
        ),
        # overlapping rows (a typo, or two courses at once) are not one therapy
        (
            [
                ("targeted therapy", "2019-01-01", "2019-03-01", "Len", "12 mg"),
                ("targeted therapy", "2019-02-01", "2019-04-01", "Len", "8 mg"),
            ],
            [[0], [1]],
        ),
    ],
)
def test_therapies_join_only_contiguous_doses_of_one_drug(rows, groups):
    assert therapies(table(rows)) == groups


def test_track_items_merge_a_therapy_into_one_item(lenvatinib):
    items = track_items(lenvatinib.treatments)
    lenva = items[items["label"] == "Lenvatinib"]
    assert len(lenva) == 1
    row = lenva.iloc[0]
    assert (row.start, row.end) == (
        pd.Timestamp("2019-01-15"),
        pd.Timestamp("2020-03-31"),
    )
    assert [dose for *_, dose in row.segments] == ["12 mg/d", "8 mg/d", "4 mg/d"]
    atezo = items[items["label"] == "Atezolizumab"].iloc[0]
    assert atezo.ongoing and [d for *_, d in atezo.segments] == ["1200 mg q3w"]
    rt = items[items["label"].str.startswith("Bone RT")].iloc[0]
    assert rt.segments == ()


def test_doses_and_their_rule():
    assert abbreviated_dose("12 mg/d") == "12"
    assert abbreviated_dose("2.5 mg/kg") == "2.5"
    assert abbreviated_dose("half dose") == ""
    assert dose_sequence(["12 mg/d", "8 mg/d", "4 mg/d"]) == "12 → 8 → 4 mg/d"
    assert dose_sequence(["12 mg/d", "800 mg bid"]) == "12 mg/d → 800 mg bid"
    assert dose_sequence(["full", "half"]) == "full → half"


def _layout(items, width_in, sizes):
    xlim = (
        mdates.date2num(pd.Timestamp("2019-01-01")),
        mdates.date2num(pd.Timestamp("2021-01-01")),
    )
    items = label_doses(items, xlim=xlim, width_in=width_in, segment_sizes_in=sizes)
    return layout_track(
        items,
        ["Systemic"],
        xlim=xlim,
        width_in=width_in,
        sizes_in=[(0.5, 0.1)] * len(items),
        segment_sizes_in=sizes,
    ).items


def test_doses_fit_their_segment_or_shorten_or_move_to_the_label(lenvatinib):
    items = track_items(lenvatinib.treatments)
    items = items[items["label"] == "Lenvatinib"]
    # Text sizes as if each character were 0.05 in wide.
    texts = ["12 mg/d", "8 mg/d", "4 mg/d", "12", "8", "4"]
    sizes = {t: (0.05 * len(t), 0.1) for t in texts}
    wide = _layout(items, 20.0, sizes).iloc[0]
    assert [t for _, t in wide.segment_labels] == ["12 mg/d", "8 mg/d", "4 mg/d"]
    assert wide.label == "Lenvatinib"
    changes = [mdates.date2num(pd.Timestamp(d)) for d in ("2019-06-01", "2019-06-20")]
    assert list(wide.dividers) == changes
    middle = _layout(items, 6.0, sizes).iloc[0]
    assert [t for _, t in middle.segment_labels] == ["12 mg/d", "8", "4 mg/d"]
    # Each label stays inside its own segment, so none overlap.
    per_inch = (
        mdates.date2num(pd.Timestamp("2021-01-01"))
        - mdates.date2num(pd.Timestamp("2019-01-01"))
    ) / 6.0
    for (x, text), (start, end, _) in zip(
        middle.segment_labels, middle.segments, strict=True
    ):
        left, right = mdates.date2num(start), mdates.date2num(end)
        half = sizes[text][0] * per_inch / 2
        assert left <= x - half and x + half <= right
    narrow = _layout(items, 2.0, sizes).iloc[0]
    assert narrow.segment_labels == ()
    assert narrow.label == "Lenvatinib\n12 → 8 → 4 mg/d"


def test_figure_draws_one_bar_ticks_and_doses(lenvatinib):
    fig = plot_case(lenvatinib, width_mm=174)
    track = fig.axes[1]
    bars = [p for p in track.patches if (p.get_gid() or "") == "course:Systemic"]
    assert len(bars) == 2  # lenvatinib (one bar for three doses) and atezolizumab
    lenva = min(bars, key=lambda p: p.get_x())
    assert lenva.get_x() == mdates.date2num(pd.Timestamp("2019-01-15"))
    assert lenva.get_x() + lenva.get_width() == mdates.date2num(
        pd.Timestamp("2020-03-31")
    )
    ticks = [line for line in track.lines if line.get_gid() == "dose-divider"]
    assert sorted(line.get_xdata()[0] for line in ticks) == [
        mdates.date2num(pd.Timestamp(d)) for d in ("2019-06-01", "2019-06-20")
    ]
    doses = [t.get_text() for t in track.texts if t.get_gid() == "dose-label"]
    assert doses == ["12 mg/d", "8", "4 mg/d", "1200 mg q3w"]
    labels = [t.get_text() for t in track.texts if t.get_gid() == "track-label"]
    assert labels.count("Lenvatinib") == 1
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    # Dose labels hang below their bar, inside the track.
    renderer = fig.canvas.get_renderer()
    for text in track.texts:
        if text.get_gid() == "dose-label":
            box = text.get_window_extent(renderer)
            bar = lenva.get_window_extent(renderer)
            assert box.y1 <= bar.y0 + 0.5
            assert box.y0 >= track.get_window_extent(renderer).y0 - 0.5
    plt.close(fig)


def test_single_column_moves_the_doses_into_the_label(lenvatinib):
    fig = plot_case(lenvatinib, preset="single")
    track = fig.axes[1]
    labels = [t.get_text() for t in track.texts if t.get_gid() == "track-label"]
    assert "Lenvatinib\n12 → 8 → 4 mg/d" in labels
    doses = [t.get_text() for t in track.texts if t.get_gid() == "dose-label"]
    assert doses == ["1200 mg q3w"]
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    plt.close(fig)


def test_systemic_courses_shaded_only_when_asked(lenvatinib):
    def bands(**changes):
        fig = plot_case(lenvatinib, **changes)
        found = [p for p in fig.axes[0].patches if p.get_gid() == "course-band"]
        plt.close(fig)
        return found

    assert len(bands()) == 1  # by default the RT lane only
    assert len(bands(shade=["all"])) == 5
    assert len(bands(shade=["radiotherapy"])) == 1
    assert len(bands(shade=["targeted therapy"])) == 3
    assert len(bands(shade=["Systemic"])) == 4
    assert len(bands(shade=["Atezolizumab", "RT"])) == 2
    assert bands(shade=[]) == []


def test_interrupted_lenvatinib_of_matsuki2020():
    # Matsuki 2020: 12 mg/d for a week, interrupted, 4 mg/d from month 3 to 5,
    # then 6 mg/d; the paper gives no stop, so data/ draws it to the hepatectomy
    # at month 13 (see its caption). The case names the drug once and gives each
    # dose in its dose column.
    case = read_case(MATSUKI)
    assert case.time_unit == "months"
    assert list(case.treatments["label"].iloc[:3]) == ["Lenvatinib"] * 3
    fig = plot_case(case)
    track = fig.axes[1]

    def month(value):
        return mdates.date2num(relative_position(value, "months"))

    bars = [p for p in track.patches if (p.get_gid() or "") == "course:Systemic"]
    # The interruption stays a gap; 4 then 6 mg/d are one contiguous bar.
    assert [(b.get_x(), b.get_x() + b.get_width()) for b in bars] == [
        pytest.approx((month(0), month(0.23)), abs=0.01),
        pytest.approx((month(3), month(13)), abs=0.01),
    ]
    labels = [t.get_text() for t in track.texts if t.get_gid() == "track-label"]
    # A week is too short for "12" under its bar: the dose goes to the label.
    assert "Lenvatinib\n12 mg/d" in labels
    assert "Lenvatinib" in labels  # the long bar: doses under it, not in its label
    doses = {
        t.get_text(): t.get_position()[0]
        for t in track.texts
        if t.get_gid() == "dose-label"
    }
    # Each dose is centred under its own segment, split at the change (month 5).
    assert doses == {
        "4 mg/d": pytest.approx((month(3) + month(5)) / 2, abs=0.01),
        "6 mg/d": pytest.approx((month(5) + month(13)) / 2, abs=0.01),
    }
    dividers = [line for line in track.lines if line.get_gid() == "dose-divider"]
    assert len(dividers) == 1
    assert list(dividers[0].get_xdata()) == pytest.approx([month(5)] * 2, abs=0.01)
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    plt.close(fig)
