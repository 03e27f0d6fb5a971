"""The package's contracts: cheap imports, typed options, fixed table schemas,
layout before drawing, any backend, no private matplotlib API."""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import ROOT, YU2020
from matplotlib.figure import Figure

import plotting
from plotting import plot_aligned_cohort, plot_case, read_case
from plotting.core.schema import SCHEMAS
from plotting.drawing.case_layout import compute_case_layout
from plotting.drawing.options import FigureOptions


def _run(code: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return result.stdout.strip()


def test_import_and_reading_load_no_matplotlib():
    code = (
        "import sys, plotting\n"
        "print('matplotlib' in sys.modules)\n"
        "case = plotting.read_case('data/yu2020')\n"
        "cohort = plotting.read_cohort('data')\n"
        "print(any(m.startswith('matplotlib') for m in sys.modules))\n"
        "plotting.plot_case(case)\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    assert _run(code, MPLBACKEND="agg").split() == ["False", "False", "True"]


def test_public_names_resolve_lazily_and_unknown_names_fail():
    for name in plotting.__all__:
        assert getattr(plotting, name) is not None
    assert set(plotting.__all__) <= set(dir(plotting))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        plotting.nope  # noqa: B018


def test_table_schema_is_the_same_with_or_without_the_file(write_case):
    bare = read_case(write_case("date,marker,value,unit\n2010-03-01,AFP,12,ng/mL\n"))
    full = read_case(
        write_case(
            "date,marker,value,unit\n2010-03-01,AFP,12,ng/mL\n",
            treatments="kind,start\ntace,2010-04-01\n",
            events="date,label\n2010-01-01,Diagnosis\n",
        )
    )
    for name, schema in SCHEMAS.items():
        for case in (bare, full):
            table = getattr(case, name)
            assert dict(table.dtypes.astype(str)) == schema, name
    assert bare.treatments.empty and len(full.treatments) == 1


def test_options_are_checked_when_made():
    with pytest.raises(ValueError, match=r"preset must be one of single, 1\.5, double"):
        FigureOptions(preset="triple")
    with pytest.raises(ValueError, match="time_axis must be one of calendar"):
        FigureOptions(time_axis="years")
    with pytest.raises(ValueError, match="width_mm must be a number above 0"):
        FigureOptions(width_mm=-5)
    with pytest.raises(ValueError, match="the window must end after it starts"):
        FigureOptions(start="2015", end="2014")
    with pytest.raises(TypeError, match="colour"):
        FigureOptions(colour="red")
    options = FigureOptions(markers=["AFP"], start="2011-01", response=["Bone RT"])
    assert options.markers == ("AFP",) and options.response == ("Bone RT",)
    assert options.start == pd.Timestamp("2011-01-01")
    with pytest.raises(AttributeError):
        options.preset = "single"


def test_cohort_figures_name_the_preset_choices(tmp_path):
    folder = plotting.write_cohort(plotting.synthetic_cohort(3, seed=1), tmp_path)
    cohort = plotting.read_cohort(folder, today="2025-01-01")
    with pytest.raises(ValueError, match=r"preset must be one of single, 1\.5, double"):
        plot_aligned_cohort(cohort, marker="AFP", preset="x")


def test_the_layout_is_computed_before_drawing_and_drawn_as_computed(yu2020):
    options = FigureOptions(preset="single", title="Patient 1")
    with plotting.house_style():
        layout = compute_case_layout(yu2020, options, dpi=100)
    assert plt.get_fignums() == []
    assert layout.width * 25.4 == pytest.approx(89.0)
    assert layout.legend_columns >= 1 and layout.track.lanes[0] == "Events"
    fig = plot_case(yu2020, options)
    assert tuple(fig.get_size_inches()) == pytest.approx((layout.width, layout.height))
    trend, track = fig.axes
    box = trend.get_position()
    assert (box.x0, box.y0, box.width, box.height) == pytest.approx(layout.trend_rect())
    legend = trend.get_legend().get_window_extent()
    assert legend.height / fig.dpi == pytest.approx(layout.legend_height)
    assert legend.x1 / fig.dpi <= layout.width
    labels = [t.get_text() for t in track.texts if t.get_gid() == "track-label"]
    assert labels == list(layout.track.items["label"])


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72, metadata={"Software": None})
    return buffer.getvalue()


def test_plot_case_draws_on_a_bare_figure_as_on_a_pyplot_one(yu2020):
    bare = Figure()
    assert plot_case(yu2020, fig=bare) is bare
    assert _png(bare) == _png(plot_case(yu2020))
    with pytest.raises(ValueError, match="fig must be an empty Figure"):
        plot_case(yu2020, fig=bare)


@pytest.mark.parametrize("backend", ["agg", "pdf", "svg"])
def test_plot_case_renders_on_every_backend(backend, tmp_path):
    code = (
        "import matplotlib, plotting\n"
        "case = plotting.read_case('data/yu2020')\n"
        "fig = plotting.plot_case(case, response=['Bone RT'], uln_crossings=True)\n"
        "print(matplotlib.get_backend().lower(), len(fig.axes[1].texts))\n"
        f"plotting.save_figure(fig, r'{tmp_path}/fig4', formats=('png', 'svg'))\n"
    )
    shown, labels = _run(code, MPLBACKEND=backend).split()
    assert shown == backend and int(labels) > 10
    assert (tmp_path / "fig4.png").stat().st_size > 50_000


def test_svg_ids_are_unique_and_artists_keep_theirs(yu2020, tmp_path):
    fig = plot_case(yu2020)
    (path,) = plotting.save_figure(fig, tmp_path / "fig4", formats=("svg",))
    ids = re.findall(r' id="([^"]+)"', path.read_text())
    assert len(ids) == len(set(ids)) and "track-label-15" in ids
    assert [t.get_gid() for t in fig.axes[1].texts].count("track-label") == 15


# The private API matplotlib may change, and the renderer of a figure's own
# canvas, which only Agg canvases have (the scratch Agg canvas is fine).
PRIVATE_MATPLOTLIB = (
    "._get_lines",
    "_get_renderer",
    "fig.canvas.get_renderer",
    "figure.canvas.get_renderer",
)


def test_the_package_uses_no_private_matplotlib_api():
    found = []
    for path in sorted((ROOT / "plotting").rglob("*.py")):
        text = path.read_text()
        found += [(path.name, p) for p in PRIVATE_MATPLOTLIB if p in text]
        ast.parse(text)
    assert found == []


def test_reading_never_imports_matplotlib():
    for path in sorted((ROOT / "plotting" / "reading").rglob("*.py")):
        tree = ast.parse(path.read_text())
        names = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in getattr(node, "names", [])
        ] + [
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        ]
        assert not [n for n in names if n.startswith("matplotlib")], path.name


def test_modules_stay_small():
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text().splitlines())
        for p in (ROOT / "plotting").rglob("*.py")
    }
    assert {p: n for p, n in sizes.items() if n > 400} == {}
    assert YU2020.exists()
