"""The published cases in data/: each figure compared with its baseline, its artists
checked against the case's rows, and the committed figures/cases PNG kept current."""

from __future__ import annotations

import re
import warnings

import matplotlib.dates as mdates
import pandas as pd
import pytest
from artists import (
    lines_with_gid,
    outside_figure,
    overlapping_texts,
    overlapping_track_artists,
    plotted_points,
)
from conftest import ROOT
from matplotlib.testing.compare import compare_images

from plotting import plot_case, read_case
from plotting.cli import main
from plotting.core.dates import DAYS_PER_MONTH, relative_value

HOSOGOE = ROOT / "data" / "hosogoe2015"
MATSUKI = ROOT / "data" / "matsuki2020"
YEAR = re.compile(r"\b(19|20)\d\d\b")


def num(date):
    return mdates.date2num(pd.Timestamp(date))


def texts_with_gid(ax, gid):
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def draw_without_warnings(folder):
    """Read and draw a case, failing on any warning (unknown kind, font, layout)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case = read_case(folder)
        fig = plot_case(case)
        fig.canvas.draw()
    return case, fig


@pytest.mark.mpl_image_compare(filename="published_hosogoe2015.png")
def test_hosogoe2015():
    case, fig = draw_without_warnings(HOSOGOE)
    trend, track = fig.axes
    psa = case.measurements
    # Every PSA row is drawn, once, at its date and value.
    assert plotted_points(trend, "PSA") == sorted(
        zip(psa["date"], psa["value"].astype(float), strict=True)
    )
    assert len(plotted_points(trend, "PSA")) == len(psa) == 7
    # No screening limit after prostatectomy; the AUA recurrence level only.
    assert lines_with_gid(trend, "reference-limit") == []
    (threshold,) = lines_with_gid(trend, "threshold")
    assert set(threshold.get_ydata()) == {0.2}
    labels = [
        t.get_text()
        for t in trend.texts
        if (t.get_gid() or "").startswith(("threshold", "reference-limit"))
    ]
    assert labels == ["BCR after prostatectomy 0.2 ng/mL"]
    # Only April 2012 to January 2013 is under a year apart: one solid line; the
    # other five intervals are dotted links.
    (solid,) = lines_with_gid(trend, "trend-line:PSA")
    assert list(solid.get_xdata()) == [num(d) for d in psa["date"].iloc[-2:]]
    assert len(lines_with_gid(trend, "gap-link:PSA")) == 5
    # Leuprorelin runs on to the last follow-up and ends in the arrow.
    (arrow,) = lines_with_gid(track, "ongoing:")
    assert arrow.get_xdata()[0] == pytest.approx(num("2013-01-01"), abs=1)
    bars = [p for p in track.patches if (p.get_gid() or "").startswith("course:")]
    leuprorelin = max(bars, key=lambda p: p.get_width())
    starts = case.treatments.set_index("label")["start"]
    assert leuprorelin.get_x() == num(starts["Leuprorelin"])
    assert leuprorelin.get_x() + leuprorelin.get_width() == num("2013-01-01")
    # Brachytherapy is drawn in the RT lane, with its dose.
    assert len(lines_with_gid(track, "mark:RT")) >= 1
    track_labels = texts_with_gid(track, "track-label")
    assert any(t.startswith("Salvage LDR brachytherapy") for t in track_labels)
    assert any("145 Gy" in text for text in track_labels)
    # Nothing shaded: only radiotherapy courses are, by default, and the 12-year
    # hormone course is not one.
    assert [p for p in trend.patches if p.get_gid() == "course-band"] == []
    # Bicalutamide was added to leuprorelin: its mark is in a row of its own in
    # the Systemic lane, not on the bar; nothing on the track is on anything else.
    (bicalutamide,) = [
        line
        for line in lines_with_gid(track, "mark:Systemic")
        if line.get_xdata()[0] == num(starts["Bicalutamide added"])
    ]
    dot = track.transData.transform(
        (bicalutamide.get_xdata()[0], bicalutamide.get_ydata()[0])
    )
    bar = leuprorelin.get_window_extent()
    assert not bar.contains(*dot)
    assert bicalutamide.get_ydata()[0] < leuprorelin.get_y()
    assert overlapping_track_artists(track) == []
    assert [t.get_text() for t in track.get_yticklabels()].count("Systemic") == 1
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig


@pytest.mark.mpl_image_compare(filename="published_matsuki2020.png")
def test_matsuki2020():
    case, fig = draw_without_warnings(MATSUKI)
    track = fig.axes[1]
    assert case.time_unit == "months"
    # Months since the start of lenvatinib, and no calendar year anywhere.
    assert track.get_xlabel() == "Months since start of lenvatinib"
    ticks = [t.get_text() for t in track.get_xticklabels()]
    assert ticks == [str(n) for n in range(14)]
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [ax.get_xlabel() for ax in fig.axes] + ticks
    assert [t for t in texts if YEAR.search(t)] == []
    # DCP is read as PIVKA-II, on the right axis; 44,550 is forty-four thousand.
    values = case.measurements.set_index(["marker"])["value"]
    assert sorted(values["PIVKA-II"]) == [26, 44550]
    assert sorted(values["AFP"]) == [1.9, 220]
    right = fig.axes[2]
    pivka = [
        (round(x / DAYS_PER_MONTH, 2), y)
        for line in lines_with_gid(right, "trend-points:PIVKA-II:")
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ]
    assert sorted(pivka) == [(0.0, 44550.0)]
    # The untimed low results are ranges across months 5 to 13, not points.
    for ax, value in ((fig.axes[0], 1.9), (right, 26.0)):
        (bar,) = [
            line
            for line in ax.get_lines()
            if (line.get_gid() or "").startswith("trend-range:")
        ]
        assert [round(x / DAYS_PER_MONTH, 2) for x in bar.get_xdata()] == [5.0, 13.0]
        assert list(bar.get_ydata()) == [value, value]
    # The paper's own normal ranges, not the package defaults.
    limits = sorted(
        line.get_ydata()[0]
        for ax in fig.axes
        for line in lines_with_gid(ax, "reference-limit")
    )
    assert limits == [20.0, 40.0]
    # Lenvatinib: the week at 12 mg/d is a bar of its own (the interruption is a
    # gap); 4 then 6 mg/d are one bar from month 3 to 13 with a tick at month 5.
    bars = sorted(
        (p for p in track.patches if p.get_gid() == "course:Systemic"),
        key=lambda p: p.get_x(),
    )
    spans = [
        (round(b.get_x() / DAYS_PER_MONTH, 2), round(b.get_width() / DAYS_PER_MONTH, 2))
        for b in bars
    ]
    assert spans == [(0.0, 0.23), (3.0, 10.0)]
    (divider,) = lines_with_gid(track, "dose-divider")
    assert divider.get_xdata()[0] == pytest.approx(5 * DAYS_PER_MONTH)
    assert texts_with_gid(track, "dose-label") == ["4 mg/d", "6 mg/d"]
    labels = texts_with_gid(track, "track-label")
    assert "Lenvatinib\n12 mg/d" in labels and "Lenvatinib" in labels
    assert [relative_value(t, "months") for t in case.treatments["end"]][:3] == [
        0.23,
        5,
        13,
    ]
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig


# figures/ holds what the pinned stack renders.
@pytest.mark.pinned_stack
@pytest.mark.parametrize("name", ["hosogoe2015", "matsuki2020"])
def test_committed_case_figure_matches_what_the_makefile_renders(tmp_path, name):
    # The same command as the Makefile rule for figures/cases/<name>.png.
    stem = tmp_path / name
    assert (
        main(["render", str(ROOT / "data" / name), "-o", str(stem), "--format", "png"])
        == 0
    )
    committed = ROOT / "figures" / "cases" / f"{name}.png"
    assert committed.exists(), "run `make figures` and commit figures/cases/"
    difference = compare_images(str(committed), f"{stem}.png", tol=2)
    assert difference is None, (
        f"figures/cases is stale; run `make figures`: {difference}"
    )


@pytest.mark.parametrize("name", ["hosogoe2015", "matsuki2020"])
def test_makefile_renders_each_case_into_figures(name):
    makefile = (ROOT / "Makefile").read_text()
    target = f"figures/cases/{name}.png"
    assert target in makefile.split("figures:", 1)[1].split("\n\n", 1)[0]
    assert (
        f"$(BIN)/marker-trends render data/{name} -o figures/cases/{name} --format png"
        in makefile
    )


@pytest.mark.parametrize("folder", [HOSOGOE, MATSUKI])
def test_every_row_says_where_it_comes_from(folder):
    case = read_case(folder)
    for table in (case.measurements, case.treatments, case.events):
        assert (table["source"].str.len() > 20).all()
        assert (table["date_reasoning"].str.len() > 10).all()
    assert (folder / "NOTES.md").exists()
