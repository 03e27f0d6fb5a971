"""Published cases timed as their papers time them (issue 17): each figure against
its baseline, its artists against the case's rows, and its committed PNG current."""

from __future__ import annotations

import warnings

import matplotlib.dates as mdates
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts, plotted_points
from conftest import ROOT
from matplotlib.testing.compare import compare_images

from plotting import plot_case, read_case
from plotting.cli import main
from plotting.core.dates import relative_value

DATA = ROOT / "data"
CASES = (
    "hong2025",
    "surgcaserep2015",
    "stenman2002",
    "blood2013myeloma",
    "daverede2014",
    "nepc_cea_olaparib",
)


def _draw(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case = read_case(DATA / name)
        fig = plot_case(case)
        fig.canvas.draw()
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return case, fig


def _ranges(ax, marker, unit):
    """Return (first, last, value) of each range bar, in ``unit`` since the origin."""
    return sorted(
        (
            round(relative_value(mdates.num2date(x0).replace(tzinfo=None), unit), 2),
            round(relative_value(mdates.num2date(x1).replace(tzinfo=None), unit), 2),
            float(y),
        )
        for line in lines_with_gid(ax, f"trend-range:{marker}")
        for (x0, x1), y in [(line.get_xdata(), line.get_ydata()[0])]
    )


def _points(ax, marker, unit):
    return [
        (round(relative_value(day, unit), 2), value)
        for day, value in plotted_points(ax, marker)
    ]


@pytest.mark.mpl_image_compare(filename="published_hong2025.png")
def test_hong2025_chained_times_and_untimed_peak_and_nadir():
    _, fig = _draw("hong2025")
    trend = fig.axes[0]
    assert _points(trend, "SCC antigen", "months") == [
        (-9.0, 1.2),
        (43.0, 3.5),
        (43.69, 5.5),
        (58.69, 2.1),
    ]
    # Peak and nadir: somewhere in the first 15 months of letrozole, never points.
    assert _ranges(trend, "SCC antigen", "months") == [
        (43.69, 58.69, 1.6),
        (43.69, 58.69, 6.9),
    ]
    assert fig.axes[1].get_xlabel() == "Months since start of tamoxifen"
    assert lines_with_gid(trend, "reference-limit") == []
    return fig


@pytest.mark.mpl_image_compare(filename="published_surgcaserep2015.png")
def test_surgcaserep2015_in_cycles_of_unstated_length():
    case, fig = _draw("surgcaserep2015")
    assert case.time_unit == "cycles"
    assert fig.axes[1].get_xlabel() == "Cycles since start of FOLFOX + bevacizumab"
    assert _points(fig.axes[0], "CEA", "cycles") == [(0.0, 1096.3), (6.0, 7.6)]
    right = fig.axes[2]
    assert _points(right, "CA 19-9", "cycles") == [(0.0, 3248.0), (6.0, 42.1)]
    # No rate can be computed from cycles whose length the paper does not give.
    assert main(["kinetics", str(DATA / "surgcaserep2015")]) == 2
    return fig


@pytest.mark.mpl_image_compare(filename="published_stenman2002.png")
def test_stenman2002_a_calendar_range_and_the_papers_limit():
    case, fig = _draw("stenman2002")
    trend = fig.axes[0]
    values = sorted(float(v) for v in case.measurements["value"])
    assert values == [19.0, 30.0, 66.0, 67.0]
    ranged = case.measurements[case.measurements["latest"].notna()].iloc[0]
    assert (ranged["value"], f"{ranged['date']:%Y-%m-%d}") == (30, "1990-04-15")
    assert f"{ranged['latest']:%Y-%m-%d}" == "1990-05-14"
    assert len(lines_with_gid(trend, "trend-range:hCG")) == 1
    limits = [line.get_ydata()[0] for line in lines_with_gid(trend, "reference-limit")]
    assert limits == [3.0]
    return fig


@pytest.mark.mpl_image_compare(filename="published_blood2013myeloma.png")
def test_blood2013myeloma_in_order_only():
    case, fig = _draw("blood2013myeloma")
    assert case.time_unit == "order"
    track = fig.axes[1]
    assert track.get_xlabel() == "Order in the source (no times given)"
    assert [t.get_text() for t in track.get_xticklabels() if t.get_text()] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    lines = [line for ax in fig.axes for line in lines_with_gid(ax, "trend-line")]
    assert lines == []
    assert main(["kinetics", str(DATA / "blood2013myeloma")]) == 2
    return fig


@pytest.mark.mpl_image_compare(filename="published_daverede2014.png")
def test_daverede2014_weeks_a_range_and_an_unknown_start():
    case, fig = _draw("daverede2014")
    trend, track = fig.axes[0], fig.axes[1]
    # The paper says serum; a stated specimen names the series in artist ids.
    assert _points(trend, "PSA[serum]", "months") == [(0.92, 276.0), (18.0, 0.14)]
    assert _ranges(trend, "PSA[serum]", "months") == [(4.0, 4.92, 4.1)]
    assert len(lines_with_gid(track, "start-unknown:")) == 1
    assert bool(case.treatments["start_unknown"].iloc[0])
    return fig


@pytest.mark.mpl_image_compare(filename="published_nepc_cea_olaparib.png")
def test_nepc_cea_in_serum_and_urine_is_two_series_never_joined():
    _, fig = _draw("nepc_cea_olaparib")
    trend = fig.axes[0]
    assert _points(trend, "CEA[serum]", "months") == [(0.0, 1296.5), (4.0, 23.0)]
    assert _points(trend, "CEA[urine]", "months") == [(0.0, 137.0), (4.0, 2.4)]
    assert _points(trend, "PSA", "months") == [(0.0, 0.47)]
    # Each series is one line of its own: none runs from serum to urine.
    for series, values in (
        ("CEA[serum]", [1296.5, 23.0]),
        ("CEA[urine]", [137.0, 2.4]),
    ):
        (line,) = lines_with_gid(trend, f"trend-line:{series}")
        assert line.get_ydata().tolist() == values
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert legend[:3] == ["CEA, serum (ng/mL)", "CEA, urine (ng/mL)", "PSA (ng/mL)"]
    # No limit: the paper states none, and a serum one means nothing for urine.
    assert lines_with_gid(trend, "reference-limit") == []
    assert trend.get_ylabel() == "Level (log scale)"
    return fig


@pytest.mark.parametrize("name", CASES)
def test_every_row_of_the_papers_cases_says_where_it_comes_from(name):
    case = read_case(DATA / name)
    for table in (case.measurements, case.treatments, case.events):
        assert (table["source"].str.len() > 15).all(), name
        assert (table["date_reasoning"].str.len() > 10).all(), name
    assert (DATA / name / "NOTES.md").read_text().strip()


# figures/ holds what the pinned stack renders.
@pytest.mark.pinned_stack
@pytest.mark.parametrize("name", CASES)
def test_committed_figure_matches_the_makefile_render(tmp_path, name):
    stem = tmp_path / name
    assert main(["render", str(DATA / name), "-o", str(stem), "--format", "png"]) == 0
    committed = ROOT / "figures" / "cases" / f"{name}.png"
    assert compare_images(str(committed), f"{stem}.png", tol=2) is None
    makefile = (ROOT / "Makefile").read_text()
    assert (
        f"figures/cases/{name}.png" in makefile.split("figures:", 1)[1].split("\n\n")[0]
    )
