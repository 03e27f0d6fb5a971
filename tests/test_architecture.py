"""The package's contracts: cheap imports, typed options, fixed table schemas,
layout before drawing, any backend, rooms that import one way, and private
matplotlib names in one guarded module only."""

from __future__ import annotations

import ast
import importlib
import io
import os
import re
import subprocess
import sys

import doc_pages
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from architecture_rules import (
    circles,
    foreign_private_names,
    import_graph,
    imported_names,
    package_modules,
)
from conftest import ROOT
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


def test_render_command_imports_no_pyplot(tmp_path):
    # The command saves its figure and drops it: importing pyplot would be a
    # tenth of `marker-trends render` for nothing (benchmarks/render_time.py).
    code = (
        "import sys\n"
        "from plotting.cli import main\n"
        f"status = main(['render', 'data/yu2020', '-o', {str(tmp_path / 'f')!r},"
        " '--format', 'png'])\n"
        "print(status, 'matplotlib.pyplot' in sys.modules)\n"
    )
    assert _run(code).split()[-2:] == ["0", "False"]


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
    for width in (-5, 0, 1000, 2000, True, "80"):
        with pytest.raises(
            ValueError,
            match=f"width_mm must be a number above 0 and below 1000, not {width!r}",
        ):
            FigureOptions(width_mm=width)
    assert FigureOptions(width_mm=999.5).width_mm == 999.5
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


# The rooms of the package, bottom to top: a module imports only its own room and
# those below it, and nothing inside the package imports the package's facade.
ROOMS = ("core", "reading", "computing", "drawing", "output", "cli")
# The one module allowed matplotlib's private names: the guarded accelerator,
# whose every fast path has a plain path with the same pixels.
ACCELERATORS = {"plotting.output.mpl_accel"}


@pytest.fixture(scope="module")
def modules():
    return package_modules(ROOT)


def test_no_import_circles(modules):
    assert circles(import_graph(modules)) == []


def test_rooms_import_one_way(modules):
    wrong = []
    for name, targets in import_graph(modules).items():
        if name in ("plotting", "plotting.__main__"):  # the facade and `python -m`
            continue
        room = name.split(".")[1]
        assert room in ROOMS, name
        for target in targets:
            above = ROOMS.index(target.split(".")[1]) > ROOMS.index(room)
            if target == "plotting" or above:
                wrong.append((name, target))
    assert wrong == []


# Colors are checked by matplotlib itself, imported when a color is given.
MATPLOTLIB_ON_DEMAND = {"plotting.reading.settings.figure_choices"}


def test_the_model_reading_and_computing_never_import_matplotlib(modules):
    lower = [
        m
        for n, m in modules.items()
        if n.split(".")[1:2] in (["core"], ["reading"], ["computing"])
    ]
    assert len(lower) > 30
    found = [
        (m.name, i)
        for m in lower
        for i in imported_names(m)
        if i.startswith("matplotlib") and m.name not in MATPLOTLIB_ON_DEMAND
    ]
    assert found == []
    for name in MATPLOTLIB_ON_DEMAND:
        top = [
            n
            for n in modules[name].tree.body
            if isinstance(n, ast.Import | ast.ImportFrom)
        ]
        assert not [
            n for n in top if (getattr(n, "module", "") or "").startswith("matplotlib")
        ]


def test_private_matplotlib_names_only_in_the_accelerator(modules):
    found = foreign_private_names(modules)
    outside = {name: names for name, names in found.items() if name not in ACCELERATORS}
    assert outside == {}
    assert set(modules) >= ACCELERATORS


def test_figures_never_ask_their_own_canvas_for_a_renderer():
    # Only Agg canvases have one; the scratch Agg canvas of measure.py is fine.
    asks = ("fig.canvas.get_renderer", "figure.canvas.get_renderer", "._get_lines")
    found = [
        (path.name, text)
        for path in sorted((ROOT / "plotting").rglob("*.py"))
        for text in asks
        if text in path.read_text()
    ]
    assert found == []


def _package(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / "plotting" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package_modules(tmp_path)


def test_the_rules_see_circles_through_function_imports(tmp_path):
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/a.py": "from .b import x\n",
            "core/b.py": "def x():\n    from .a import y\n",
            "core/c.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from .a import y\n"
            ),
        },
    )
    graph = import_graph(modules)
    assert circles(graph) == [["plotting.core.a", "plotting.core.b"]]
    assert graph["plotting.core.c"] == set()


def test_the_rules_see_private_matplotlib_names(tmp_path):
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "drawing/__init__.py": "",
            "drawing/a.py": (
                "from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
                "class Ours:\n    def __init__(self):\n        self._mine = 1\n"
                "class Canvas(FigureCanvasAgg):\n"
                "    def _private(self):\n        pass\n"
                "def f(text, axes):\n    text._renderer = None\n"
                "    return axes._axis_map, Ours()._mine\n"
            ),
        },
    )
    assert foreign_private_names(modules) == {
        "plotting.drawing.a": {"_renderer", "_axis_map", "_private"}
    }


def _resolves(dotted: str) -> bool:
    """Whether ``plotting.a.b.C.d`` names a module, then attributes (or fields)."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:]:
            fields = getattr(found, "__dataclass_fields__", {})
            if attr in fields:
                return True
            if not hasattr(found, attr):
                return False
            found = getattr(found, attr)
        return True
    return False


def test_every_dotted_name_in_the_docs_and_docstrings_exists():
    texts = [*sorted((ROOT / "plotting").rglob("*.py")), *doc_pages.pages()]
    texts += sorted((ROOT / "docs" / "gallery").rglob("*.py"))
    texts += sorted((ROOT / "data").glob("*.md"))
    stale = sorted(
        {
            (path.relative_to(ROOT).as_posix(), name)
            for path in texts
            for name in re.findall(
                r"\bplotting(?:\.[A-Za-z_]\w*)+", path.read_text(encoding="utf-8")
            )
            if "__main__" not in name
            and not name.endswith((".py", ".toml", ".md"))
            and not _resolves(name)
        }
    )
    assert stale == []
