"""Journal-ready output: presets, formats, fonts, reproducibility, grayscale, CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from artists import outside_figure, overlapping_texts, visible_texts
from conftest import YU2020
from PIL import Image

import plotting.drawing.case_figure
from plotting import plot_case, read_case
from plotting.cli import main
from plotting.drawing.journals import JOURNAL_PRESETS
from plotting.drawing.style import MIN_FONT_SIZE

MM = 25.4


def render(tmp_path, *extra, name="fig"):
    stem = tmp_path / name
    assert main(["render", str(YU2020), "-o", str(stem), *extra]) == 0
    return stem


def pdf_page_size_pt(data: bytes):
    match = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return float(match.group(1)), float(match.group(2))


@pytest.mark.parametrize("preset", list(JOURNAL_PRESETS))
def test_preset_widths_on_the_saved_files(tmp_path, preset):
    width_mm = JOURNAL_PRESETS[preset].width_mm
    stem = render(tmp_path, "--preset", preset, "--format", "png", "pdf", "svg", "tiff")
    with Image.open(f"{stem}.png") as png:
        assert png.size[0] == int(width_mm / MM * 300)
    with Image.open(f"{stem}.tiff") as tiff:
        assert tiff.size[0] == int(width_mm / MM * 300)
        assert tiff.info["compression"] == "tiff_lzw"
        assert round(tiff.info["dpi"][0]) == 300
    page_w, _ = pdf_page_size_pt((tmp_path / "fig.pdf").read_bytes())
    assert page_w == pytest.approx(width_mm / MM * 72, abs=0.01)
    svg = (tmp_path / "fig.svg").read_text()
    svg_w = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert svg_w == pytest.approx(width_mm / MM * 72, abs=0.01)


@pytest.mark.parametrize("preset", list(JOURNAL_PRESETS))
def test_layout_adapts_instead_of_shrinking_text(yu2020, preset):
    fig = plot_case(yu2020, preset=preset)
    assert overlapping_texts(fig) == []
    assert outside_figure(fig) == []
    assert min(t.get_fontsize() for t in visible_texts(fig)) >= MIN_FONT_SIZE
    assert fig.get_size_inches()[0] == pytest.approx(
        JOURNAL_PRESETS[preset].width_mm / MM
    )


def test_pdf_embeds_truetype_fonts_and_svg_keeps_text(tmp_path):
    stem = render(tmp_path, "--format", "pdf", "svg")
    pdf = (tmp_path / "fig.pdf").read_bytes()
    assert b"/Type3" not in pdf
    assert b"/FontFile2" in pdf
    svg = (tmp_path / "fig.svg").read_text()
    assert "<text" in svg and "AFP (ng/mL)" in svg
    assert stem.with_suffix(".svg").exists()


def test_all_formats_byte_identical_across_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for run in ("a", "b"):
        render(tmp_path / run, "--format", "png", "pdf", "svg", "tiff")
    for fmt in ("png", "pdf", "svg", "tiff"):
        first = (tmp_path / "a" / f"fig.{fmt}").read_bytes()
        assert first == (tmp_path / "b" / f"fig.{fmt}").read_bytes(), fmt
    assert b"CreationDate" not in (tmp_path / "a" / "fig.pdf").read_bytes()


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1566864000")  # 2019-08-27 00:00 UTC
    for run in ("a", "b"):
        render(tmp_path / run, "--format", "pdf", "svg")
    pdf = (tmp_path / "a" / "fig.pdf").read_bytes()
    assert b"/CreationDate (D:20190827000000Z)" in pdf
    assert pdf == (tmp_path / "b" / "fig.pdf").read_bytes()
    assert (
        "<dc:date>2019-08-27T00:00:00Z</dc:date>"
        in (tmp_path / "a" / "fig.svg").read_text()
    )


def _gray_crop(fig, artist):
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba(), dtype=float)[..., :3] / 255
    gray = rgba @ np.array([0.2126, 0.7152, 0.0722])
    box = artist.get_window_extent(fig.canvas.get_renderer())
    height = gray.shape[0]
    return gray[
        int(height - box.y1) : int(height - box.y0) + 1,
        int(box.x0) : int(box.x1) + 1,
    ]


def test_markers_stay_distinct_in_grayscale(yu2020):
    fig = plot_case(yu2020)
    legend = fig.axes[0].get_legend()
    afp, pivka = legend.legend_handles[:2]
    assert [t.get_text() for t in legend.get_texts()[:2]] == [
        "AFP (ng/mL)",
        "PIVKA-II (mAU/mL)",
    ]
    assert afp.get_linestyle() != pivka.get_linestyle()
    assert afp.get_marker() != pivka.get_marker()
    a, b = _gray_crop(fig, afp), _gray_crop(fig, pivka)
    rows, cols = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    differing = np.abs(a[:rows, :cols] - b[:rows, :cols]) > 0.25
    assert differing.mean() > 0.05


def test_time_axis_since_diagnosis_and_both(yu2020):
    fig = plot_case(yu2020, time_axis="since-diagnosis")
    track = fig.axes[1]
    fig.canvas.draw()
    labels = [t.get_text() for t in track.get_xticklabels() if t.get_text()]
    assert labels[0] == "0" and labels[1] == "1" and labels[-1] == "13"
    assert track.get_xlabel() == "Years since diagnosis"
    fig = plot_case(yu2020, time_axis="both")
    (top,) = fig.axes[0].child_axes
    assert top.get_xlabel() == "Years since diagnosis"
    fig.canvas.draw()
    low, high = fig.axes[1].get_xlim()
    shown = [
        t.get_text()
        for t, x in zip(
            fig.axes[1].get_xticklabels(), fig.axes[1].get_xticks(), strict=True
        )
        if low <= x <= high
    ]
    assert shown == [str(year) for year in range(2007, 2020)]
    assert overlapping_texts(fig) == []


def test_window_leaves_out_what_is_outside(yu2020):
    fig = plot_case(yu2020, start="2012-01-01", end="2014-12-31", title="Zoom")
    trend, track = fig.axes[:2]
    xs = [
        x
        for line in trend.get_lines()
        if (line.get_gid() or "").startswith("trend-")
        for x in line.get_xdata()
    ]
    assert xs
    assert min(xs) >= plt.matplotlib.dates.date2num(np.datetime64("2012-01-01"))
    labels = {t.get_text() for t in track.texts}
    assert "Diagnosis" not in labels and "Last follow-up" not in labels
    assert "Bone metastasis" in labels
    assert [t.get_text() for t in fig.texts if t.get_gid() == "figure-title"] == [
        "Zoom"
    ]
    assert overlapping_texts(fig) == []


def test_bad_options_are_usage_errors(capsys):
    assert main(["render", str(YU2020), "-o", "x", "--preset", "triple"]) == 2
    assert "invalid choice: 'triple'" in capsys.readouterr().err
    assert main(["render", str(YU2020), "-o", "x", "--from", "spring"]) == 2
    assert "'spring': not a date" in capsys.readouterr().err
    assert main(["render", str(YU2020), "-o", "x", "--markers", "CEA"]) == 2
    assert "['CEA'] are not in this case" in capsys.readouterr().err
    assert (
        main(["render", str(YU2020), "-o", "x", "--from", "2015", "--to", "2014"]) == 2
    )
    assert "the window must end after it starts" in capsys.readouterr().err


def test_unexpected_errors_exit_1_with_a_hint(monkeypatch, capsys, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(plotting.drawing.case_figure, "plot_case", broken)
    assert main(["render", str(YU2020), "-o", str(tmp_path / "f")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "marker-trends: unexpected error: RuntimeError: renderer exploded "
        "(rerun with --debug for the traceback)\n"
    )
    assert main(["--debug", "render", str(YU2020), "-o", str(tmp_path / "f")]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "marker-trends"
    assert script.exists()
    result = subprocess.run(
        [script, "render", "--help"], capture_output=True, text=True, check=True
    )
    assert "--time-axis {calendar,since-diagnosis,both}" in result.stdout
    assert "exit status: 0 success" in result.stdout


def test_case_metadata_chooses_the_time_axis(write_case):
    toml = '[time]\norigin = "2010-01"\nlast_follow_up = "2014-12-31"\naxis = "both"\n'
    case = read_case(
        write_case("date,marker,value,unit\n2011-01-01,AFP,9,ng/mL\n", toml=toml)
    )
    assert case.time_axis == "both"
    assert len(plot_case(case).axes[0].child_axes) == 1
