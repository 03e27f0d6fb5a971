"""The batch's fast paths (kept glyphs, ticks computed once) give plot_case's pixels."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import ROOT
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from PIL import Image

from plotting import plot_case, save_figure
from plotting.drawing.options import FigureOptions
from plotting.output import mpl_accel
from plotting.output.batch import render_cohort
from plotting.output.canvas import BufferPool, ReusingCanvas, rasterise
from plotting.reading.cohort import read_cohort

PUBLISHED = ("yu2020", "hosogoe2015", "matsuki2020")


@pytest.mark.pinned_stack
def test_the_cache_is_used_with_the_matplotlib_it_was_checked_with():
    assert mpl.__version__.startswith(mpl_accel.SUPPORTED)
    assert mpl_accel.text_cache_is_exact()
    canvas = ReusingCanvas(Figure(figsize=(2, 1)))
    assert isinstance(canvas.get_renderer(), mpl_accel.CachingRendererAgg)


def test_other_matplotlib_releases_get_matplotlibs_renderer(monkeypatch):
    monkeypatch.setattr(mpl, "__version__", "3.12.0")
    assert not mpl_accel.text_cache_is_exact.__wrapped__()
    monkeypatch.setattr(mpl_accel, "text_cache_is_exact", lambda: False)
    renderer = ReusingCanvas(Figure(figsize=(2, 1))).get_renderer()
    assert type(renderer) is RendererAgg


@pytest.mark.pinned_stack
def test_the_check_fails_when_kept_glyphs_land_a_pixel_off(monkeypatch):
    render = mpl_accel._render

    def off_by_one(*args):
        buffer, left, top = render(*args)
        return buffer, left + 1, top

    monkeypatch.setattr(mpl_accel, "_render", off_by_one)
    monkeypatch.setattr(mpl_accel, "_THREAD", type(mpl_accel._THREAD)())
    assert not mpl_accel.text_cache_is_exact.__wrapped__()


@pytest.mark.pinned_stack
def test_each_axis_computes_its_ticks_once_a_draw(published, monkeypatch):
    calls = []
    update = Axis._update_ticks

    def counted(axis):
        calls.append(axis)
        return update(axis)

    monkeypatch.setattr(Axis, "_update_ticks", counted)
    fig = plot_case(published.cases["yu2020"])
    ReusingCanvas(fig)
    expected = np.asarray(fig.canvas.draw() or fig.canvas.buffer_rgba()).copy()
    drawn_by_matplotlib = len(calls)
    calls.clear()
    rows = rasterise(fig, fig.dpi, BufferPool(1))
    plt.close(fig)
    # Each axis once; matplotlib computed the shared time axis three times.
    assert drawn_by_matplotlib > len(calls) == len(set(calls)) >= 4
    np.testing.assert_array_equal(rows[:, 1:].reshape(expected.shape), expected)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("published")
    for name in PUBLISHED:
        shutil.copytree(ROOT / "data" / name, folder / name)
    return read_cohort(folder)


def pixels(path):
    return np.asarray(Image.open(path))


@pytest.mark.parametrize("dpi, preset", [(300, None), (200, "single")])
def test_published_cases_drawn_by_two_threads_match_plot_case(
    published, tmp_path, monkeypatch, dpi, preset
):
    # A tiny cache is emptied many times a figure: kept or not, the same pixels.
    monkeypatch.setattr(mpl_accel, "KEPT_GLYPHS", 40 if preset else 8192)
    options = FigureOptions(preset=preset) if preset else FigureOptions()
    with ThreadPoolExecutor(max_workers=2) as pool:
        report = render_cohort(
            published,
            tmp_path / "batch",
            dpi=dpi,
            executor=pool,
            workers=2,
            chunk_size=1,
            options=options,
            progress=False,
        )
    assert sorted(report.written) == sorted(PUBLISHED) and not report.failed
    for name in PUBLISHED:
        fig = plot_case(published.cases[name], options)
        save_figure(fig, tmp_path / name, formats=("png",), dpi=dpi)
        plt.close(fig)
        expected = pixels(tmp_path / f"{name}.png")
        assert expected.shape[0] > 500
        np.testing.assert_array_equal(
            pixels(tmp_path / "batch" / f"{name}.png"), expected, err_msg=name
        )


def test_a_reset_frame_keeps_no_renderer_alive(published):
    from matplotlib.text import Text

    from plotting.drawing.case_figure import CaseFrame, draw_case

    frame = CaseFrame.new(pyplot=False)
    ReusingCanvas(frame.fig)
    drawn = []
    for name in PUBLISHED:
        mpl_accel.forget_text_renderers(frame.fig)
        frame.reset()
        draw_case(frame, published.cases[name], FigureOptions())
        BufferPool(1).give_back(rasterise(frame.fig, 100, BufferPool(1)))
        drawn += frame.fig.findobj(Text)
    assert sum(text._renderer is not None for text in drawn) > 100
    mpl_accel.forget_text_renderers(frame.fig)
    frame.reset()
    # Removed texts (legends, notes, the right axis) too: they live on in
    # reference cycles, each holding a raster, until a full collection.
    assert not [text for text in drawn if text._renderer is not None]


@pytest.mark.parametrize(
    "rc",
    [
        {"font.family": "serif", "text.antialiased": False},
        {"text.hinting": "none", "font.size": 12},
    ],
)
def test_styles_that_change_texts_as_they_are_made_match_plot_case(
    published, tmp_path, rc
):
    # Tick labels and axis titles take their font when made: a frame kept from
    # the previous batch (another style) drew them in the wrong font.
    options = FigureOptions(rc=rc)
    report = render_cohort(
        published, tmp_path / "batch", dpi=60, options=options, progress=False
    )
    assert not report.failed
    for name in PUBLISHED:
        fig = plot_case(published.cases[name], options)
        save_figure(fig, tmp_path / name, formats=("png",), dpi=60)
        plt.close(fig)
        np.testing.assert_array_equal(
            pixels(tmp_path / "batch" / f"{name}.png"),
            pixels(tmp_path / f"{name}.png"),
            err_msg=name,
        )
