"""Choices journals ask for: marker styles, legend position, panel letter, shading,
RGB raster files and the grid's axis label."""

from __future__ import annotations

import dataclasses
import re
import shutil

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts
from PIL import Image

from plotting import FigureOptions, plot_case, read_case, save_figure
from plotting.cli import main
from plotting.core.errors import CaseDataError, InputError
from plotting.output.export import composite_on_white, render_rgba
from plotting.reading.settings.figure_choices import LINESTYLE_NAMES, SYMBOLS

RED = "#d62728"


def legend_texts(fig):
    legend = fig.axes[0].get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def legend_handle(fig, text):
    legend = fig.axes[0].get_legend()
    for handle, label in zip(legend.legend_handles, legend.get_texts(), strict=True):
        if label.get_text() == text:
            return handle
    raise AssertionError(f"no legend entry {text!r}")


def styled_copy(tmp_path, source, extra_toml):
    folder = tmp_path / "case"
    shutil.copytree(source, folder)
    toml = folder / "case.toml"
    toml.write_text(toml.read_text() + "\n" + extra_toml)
    return folder


def test_marker_style_reaches_line_points_legend_and_limit(yu2020):
    style = {"color": RED, "symbol": "s", "linestyle": "--"}
    fig = plot_case(yu2020, marker_styles={"AFP": style}, uln_crossings=True)
    trend = fig.axes[0]
    lines = lines_with_gid(trend, "trend-line:AFP")
    points = lines_with_gid(trend, "trend-points:AFP:")
    assert lines and points
    assert {mcolors.to_hex(line.get_color()) for line in lines + points} == {RED}
    assert {line.get_linestyle() for line in lines} == {"--"}
    assert {line.get_marker() for line in points} == {"s"}
    handle = legend_handle(fig, "AFP (ng/mL)")
    assert mcolors.to_hex(handle.get_color()) == RED
    assert (handle.get_marker(), handle.get_linestyle()) == ("s", "--")
    limit = [t for t in trend.texts if t.get_text().startswith("AFP ULN")]
    assert [mcolors.to_hex(t.get_color()) for t in limit] == [RED]
    # PIVKA-II keeps its own color but no longer its default square and dash.
    other = lines_with_gid(trend, "trend-points:PIVKA-II:")
    assert {line.get_marker() for line in other} == {"D"}
    assert mcolors.to_hex(other[0].get_color()) == "#d55e00"
    plt.close(fig)


def test_default_options_draw_fig4_as_before(yu2020):
    fig = plot_case(yu2020)
    points = lines_with_gid(fig.axes[0], "trend-points:")
    assert {(line.get_gid().split(":")[1], line.get_marker()) for line in points} == {
        ("AFP", "o"),
        ("PIVKA-II", "s"),
    }
    assert not [t for t in fig.texts if t.get_gid() == "panel-letter"]
    assert len([p for p in fig.axes[0].patches if p.get_gid() == "course-band"]) == 3
    plt.close(fig)


def test_case_toml_styles_and_figure_table(tmp_path, yu2020):
    folder = styled_copy(
        tmp_path,
        yu2020.path,
        '[figure]\nlegend = "below"\npanel = "C"\nshade = ["Bone RT"]\n',
    )
    text = (folder / "case.toml").read_text()
    text = text.replace("[markers.AFP]", '[markers.AFP]\ncolor = "Navy"\nsymbol = "h"')
    (folder / "case.toml").write_text(text)
    case = read_case(folder)
    assert case.marker_styles == {"AFP": {"color": "navy", "symbol": "h"}}
    fig = plot_case(case)
    trend = fig.axes[0]
    assert {
        line.get_marker() for line in lines_with_gid(trend, "trend-points:AFP")
    } == {"h"}
    panel = [t for t in fig.texts if t.get_gid() == "panel-letter"]
    assert [(t.get_text(), t.get_fontweight()) for t in panel] == [("C", "bold")]
    # The letter is at the top left, left of the panels and above everything.
    box = panel[0].get_window_extent(fig.canvas.get_renderer())
    assert box.x1 < trend.get_window_extent().x0
    assert box.y0 >= trend.get_window_extent().y1 - 0.5
    legend = trend.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert legend.y1 < fig.axes[1].get_window_extent().y0
    bands = [p for p in trend.patches if p.get_gid() == "course-band"]
    assert len(bands) == 1
    # Options given by the caller win over case.toml.
    fig2 = plot_case(case, marker_styles={"AFP": {"symbol": "p"}}, legend="none")
    afp = lines_with_gid(fig2.axes[0], "trend-points:AFP")
    assert {line.get_marker() for line in afp} == {"p"}
    assert mcolors.to_hex(afp[0].get_color()) == "#000080"
    assert fig2.axes[0].get_legend() is None
    # No legend: the units must still be on the figure.
    assert fig2.axes[0].get_ylabel() == "AFP (ng/mL), PIVKA-II (mAU/mL)"
    for figure in (fig, fig2):
        assert overlapping_texts(figure) == [] and outside_figure(figure) == []
    plt.close("all")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('color = "nvay"', "did you mean 'navy'"),
        ('color = "#12"', "not a hex color"),
        ('symbol = "^"', "taken"),
        ('symbol = "q"', "not a known symbol"),
        ('linestyle = "dashy"', "not a known line style"),
        # Dots are the figure's links across intervals without results.
        ('linestyle = ":"', "taken: the figure draws dotted links"),
        ('linestyle = "dotted"', "taken: the figure draws dotted links"),
        ("color = 3", "write a color in quotes"),
        ('colour = "red"', "did you mean 'color'"),
    ],
)
def test_bad_marker_style_in_case_toml_names_the_table(tmp_path, yu2020, line, message):
    folder = styled_copy(tmp_path, yu2020.path, "")
    text = (folder / "case.toml").read_text()
    (folder / "case.toml").write_text(
        text.replace("[markers.AFP]", f"[markers.AFP]\n{line}")
    )
    with pytest.raises(CaseDataError, match=r"\[markers.AFP\].*") as caught:
        read_case(folder)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('legend = "top"', "not a legend position"),
        ('legend = "outside rigth"', "did you mean 'outside right'"),
        ('panel = ""', "short panel label"),
        ("shade = 3", "list of treatment kinds"),
        ('legnd = "below"', "did you mean 'legend'"),
    ],
)
def test_bad_figure_table(tmp_path, yu2020, table, message):
    folder = styled_copy(tmp_path, yu2020.path, f"[figure]\n{table}\n")
    with pytest.raises(CaseDataError, match=r"\[figure\]") as caught:
        read_case(folder)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"marker_styles": {"AFP": {"color": "reed"}}},
        {"marker_styles": {"AFP": "red"}},
        {"marker_styles": {"AFP": {"size": 3}}},
        {"legend": "middle"},
        {"panel": "ABCD"},
    ],
)
def test_bad_options_are_refused_when_made(changes):
    with pytest.raises(InputError):
        FigureOptions(**changes)


def test_bad_choices_refused_at_layout(yu2020):
    with pytest.raises(InputError, match="'CA 19-9X' is not a marker"):
        plot_case(yu2020, marker_styles={"CA 19-9X": {"color": "red"}})
    with pytest.raises(InputError, match="drawn alike"):
        plot_case(
            yu2020,
            marker_styles={
                "AFP": {"color": "red", "symbol": "s"},
                "DCP": {"color": "RED", "symbol": "s"},
            },
        )
    with pytest.raises(InputError, match="did you mean 'radiotherapy'"):
        plot_case(yu2020, shade=["radiotheraphy"])


def test_accepted_names_are_what_matplotlib_accepts():
    from matplotlib.lines import Line2D

    for symbol in SYMBOLS:
        assert symbol in Line2D.filled_markers
    for style in LINESTYLE_NAMES.values():
        Line2D([], [], linestyle=style)


@pytest.mark.parametrize(
    "color",
    [
        "C0",
        "k",
        "r",
        "xkcd:sky blue",
        "0.5",
        "#1f77b480",
        "none",
        "tab:red",
        (0.1, 0.2, 0.5),
        (0.1, 0.2, 0.5, 0.8),
        [1, 0, 0],
    ],
)
def test_every_color_matplotlib_takes_is_taken(yu2020, color):
    fig = plot_case(yu2020, marker_styles={"AFP": {"color": color}})
    lines = lines_with_gid(fig.axes[0], "trend-line:AFP")
    assert lines and mcolors.same_color(lines[0].get_color(), color)


@pytest.mark.parametrize(
    ("color", "message"),
    [
        ("xkcd:sky blu", "did you mean 'xkcd:sky blue'"),
        ("#1f77b", "not a hex color"),
        ((0.1, 2.0, 0.5), "three or four numbers from 0 to 1"),
        (0.5, "write a color in quotes"),
        ("C0x", "not a color matplotlib knows"),
    ],
)
def test_colors_matplotlib_refuses_are_refused_with_the_nearest(yu2020, color, message):
    with pytest.raises(InputError, match=message):
        plot_case(yu2020, marker_styles={"AFP": {"color": color}})


@pytest.mark.parametrize(
    "position", ["upper right", "lower left", "outside right", "below"]
)
def test_legend_positions_keep_text_apart(yu2020, position):
    fig = plot_case(yu2020, legend=position, panel="A", title="Patient 1")
    trend, track = fig.axes[:2]
    renderer = fig.canvas.get_renderer()
    legend = trend.get_legend().get_window_extent(renderer)
    panel = trend.get_window_extent(renderer)
    if position == "outside right":
        assert legend.x0 > panel.x1
    elif position == "below":
        assert legend.y1 < track.get_window_extent(renderer).y0
    else:
        assert panel.contains(legend.x0 + 1, legend.y0 + 1)
        assert panel.contains(legend.x1 - 1, legend.y1 - 1)
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("position", ["above", "below"])
def test_a_legend_wider_than_a_narrow_figure_is_refused_saying_how_much_wider(
    yu2020, position
):
    # Its widest entry alone does not fit: drawn, it ran past the figure's edge.
    with pytest.raises(InputError) as refused:
        plot_case(yu2020, width_mm=70, legend=position)
    message = str(refused.value)
    assert "(its widest entry: 'Open symbol: date approximate or month only')" in (
        message
    )
    # Both ways of asking for a wider figure or no legend are named.
    assert "(width_mm; on the command line, a wider --preset)" in message
    assert '(legend = "none"; --legend none)' in message
    wider = int(message.split("at least ")[1].split(" mm")[0])
    fig = plot_case(yu2020, width_mm=70 + wider, legend=position)
    assert outside_figure(fig) == [] and overlapping_texts(fig) == []
    plt.close(fig)
    with pytest.raises(InputError):
        plot_case(yu2020, width_mm=70 + wider - 2, legend=position)
    plt.close(plot_case(yu2020, width_mm=70, legend="none"))


@pytest.mark.parametrize(
    "options",
    [{}, {"preset": "single"}, {"time_axis": "both"}, {"width_mm": 100}],
)
def test_a_span_of_months_has_room_for_its_year(write_case, options):
    # Month ticks that name no January write the year once, under them: it was
    # cut in half at the figure's bottom edge, and a note ran through it.
    folder = write_case(
        "date,marker,value,unit\n2011-02-03,AFP,1250,IU/mL\n"
        "2011-03-03,AFP,300,ng/mL\n2011-09-03,AFP,18,ng/mL\n",
        "kind,start,end,label\nTACE,2011-02-20,,\n",
        toml=(
            '[time]\norigin = "2011-02-01"\nlast_follow_up = "2011-09-30"\n'
            '[markers.AFP]\nconvert_to = "ng/mL"\n'
        ),
    )
    fig = plot_case(read_case(folder), **options)
    fig.canvas.draw()
    track = fig.axes[1]
    assert track.xaxis.get_offset_text().get_text() == "2011"
    year = track.xaxis.get_offset_text().get_window_extent()
    assert year.y0 >= 0 and year.height > 5
    assert outside_figure(fig) == [] and overlapping_texts(fig) == []
    plt.close(fig)


def test_a_title_longer_than_the_figure_is_refused_not_cut(yu2020):
    title = "AFP and PIVKA-II after resection, TACE and radiotherapy"
    with pytest.raises(InputError) as refused:
        plot_case(yu2020, preset="single", title=title)
    assert re.match(
        rf"the title {re.escape(repr(title))} is 3\.\d\d in wide and the figure "
        r"leaves it 2\.\d\d in",
        str(refused.value),
    )
    assert "shorten it, or use a wider figure" in str(refused.value)
    fig = plot_case(yu2020, preset="double", title=title)
    assert outside_figure(fig) == [] and overlapping_texts(fig) == []
    plt.close(fig)


def test_a_figure_too_narrow_for_any_data_names_the_width_it_needs(yu2020):
    with pytest.raises(InputError) as refused:
        plot_case(yu2020, width_mm=30, legend="none")
    message = str(refused.value)
    # Not the message of a legend beside the panel: there is none.
    assert message.startswith("a 30 mm wide figure leaves 0.28 in for the data")
    assert "legend" not in message
    needed = int(message.rsplit(" ", 1)[1])
    with pytest.raises(InputError, match="figure leaves"):
        plot_case(yu2020, width_mm=needed - 1, legend="none")
    # At that width the data fit; Fig. 4's track labels are what stop it next.
    with pytest.raises(InputError, match="labels do not fit on the track"):
        plot_case(yu2020, width_mm=needed, legend="none")


@pytest.mark.parametrize(
    ("position", "hidden"),
    [
        # The first AFP result of Fig. 4, 2,160 ng/mL, lay under the legend.
        ("upper left", "1 AFP result"),
        ("lower right", "1 AFP result, the label 'AFP ULN 7 ng/mL'"),
    ],
)
def test_a_legend_inside_the_panel_that_would_hide_data_is_refused(
    yu2020, position, hidden
):
    with pytest.raises(InputError) as refused:
        plot_case(yu2020, legend=position)
    assert str(refused.value) == (
        f"the legend in the {position} corner would hide {hidden}; choose another "
        'corner, or legend = "above" (on the command line, --legend above)'
    )


def test_a_legend_larger_than_the_panel_is_refused(yu2020):
    with pytest.raises(InputError, match="upper right corner is larger than the panel"):
        plot_case(yu2020, legend="upper right", width_mm=75)


def test_legend_beside_a_right_axis_clears_its_labels(write_case):
    folder = write_case(
        """
        date,marker,value,unit
        2010-03-01,AFP,800,ng/mL
        2010-08-01,AFP,6,ng/mL
        2010-03-01,CEA,2.1,ng/mL
        2010-08-01,CEA,30,ng/mL
        """,
        toml="""
        [time]
        origin = "2010-02"
        last_follow_up = "2010-12-31"
        [markers.AFP]
        [markers.CEA]
        axis = "right"
        """,
    )
    fig = plot_case(read_case(folder), legend="outside right", width_mm=140)
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    plt.close(fig)


def test_rgb_png_and_tiff_have_no_alpha_and_equal_the_composited_render(
    yu2020, tmp_path
):
    fig = plot_case(yu2020, preset="single")
    fig.patch.set_alpha(0.5)  # a half-transparent page, so compositing matters
    paths = save_figure(fig, tmp_path / "f", formats=("png", "tiff"), dpi=120, rgb=True)
    expected = composite_on_white(render_rgba(fig, 120))
    assert expected.shape[2] == 3 and (expected != 255).any()
    for path in paths:
        with Image.open(path) as image:
            assert image.mode == "RGB"
            assert [round(v) for v in image.info["dpi"]] == [120, 120]
            assert np.array_equal(np.asarray(image), expected)
    rgba = save_figure(fig, tmp_path / "g", formats=("png",), dpi=120)
    with Image.open(rgba[0]) as image:
        assert image.mode == "RGBA"
    plt.close(fig)


def test_composite_on_white():
    pixels = np.array([[[0, 0, 0, 0], [200, 100, 0, 255], [0, 0, 0, 128]]], "uint8")
    assert composite_on_white(pixels).tolist() == [
        [[255, 255, 255], [200, 100, 0], [127, 127, 127]]
    ]


def test_cli_style_legend_panel_rgb(tmp_path, capsys, yu2020):
    stem = tmp_path / "fig"
    status = main(
        [
            "render",
            str(yu2020.path),
            "-o",
            str(stem),
            "--format",
            "tiff",
            "--rgb",
            "--dpi",
            "60",
            "--style",
            f"AFP:color={RED},symbol=s",
            "DCP:linestyle=-.",
            "--legend",
            "below",
            "--panel",
            "A",
            "--shade",
        ]
    )
    assert status == 0
    with Image.open(tmp_path / "fig.tiff") as image:
        assert image.mode == "RGB"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--style", "AFP:color=nvy"], "did you mean 'navy'"),
        (["--style", "AFP:colour=red"], "did you mean 'color'"),
        (["--style", "AFP"], "MARKER:key=value"),
        (["--style", "AFP:symbol=^"], "taken"),
        (["--style", "AFP:linestyle=:"], "dotted links"),
        (["--style", "CEA:color=red"], "'CEA' is not in this case"),
        (["--legend", "middle"], "invalid choice"),
        (["--panel", "ABCD"], "short panel label"),
        (["--shade", "radiotheraphy"], "did you mean 'radiotherapy'"),
    ],
)
def test_cli_refuses_bad_choices_with_status_2(
    tmp_path, capsys, yu2020, arguments, message
):
    status = main(["render", str(yu2020.path), "-o", str(tmp_path / "f"), *arguments])
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_grid_names_marker_and_unit(tmp_path):
    from plotting import plot_small_multiples, read_cohort

    assert (
        main(["synthetic", str(tmp_path / "c"), "--patients", "3", "--seed", "3"]) == 0
    )
    cohort = read_cohort(tmp_path / "c")
    fig = plot_small_multiples(cohort, marker="AFP", ncols=3)
    assert fig.get_supylabel() == "AFP (ng/mL, log scale)"
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    plt.close(fig)


def test_grid_refuses_mixed_units(tmp_path):
    from plotting import plot_small_multiples, read_cohort

    assert (
        main(["synthetic", str(tmp_path / "c"), "--patients", "2", "--seed", "3"]) == 0
    )
    cohort = read_cohort(tmp_path / "c")
    first = sorted(cohort.cases)[0]
    case = cohort.cases[first]
    rows = case.measurements["marker"] == "AFP"
    case.measurements.loc[rows, "unit"] = "IU/mL"
    with pytest.raises(InputError, match="more than one unit"):
        plot_small_multiples(cohort, marker="AFP")


def test_options_are_a_frozen_value():
    options = FigureOptions(marker_styles={"AFP": {"color": RED}}, shade=["RT"])
    assert options.shade == ("RT",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.legend = "below"


def test_no_marker_is_drawn_dotted_by_default():
    # A third and fourth marker, and a marker after one given the house dash,
    # take other dashes: dots would read as "not measured in between".
    from plotting.drawing.choices import _LINESTYLE_KINDS
    from plotting.drawing.style import DEFAULT_LINESTYLES

    assert len(set(_LINESTYLE_KINDS.values())) == len(DEFAULT_LINESTYLES)
    assert ":" not in _LINESTYLE_KINDS.values()
    for style in DEFAULT_LINESTYLES:
        if style != "-":
            _, dashes = style
            assert max(dashes[0::2]) >= 5, style  # a dash, not only dots
