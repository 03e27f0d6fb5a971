"""What a user writes, type-checked by `make typecheck` (mypy): no error expected.

Never run: mypy reads it as a user's editor would.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

import plotting
from plotting import FigureOptions, example_case, plot_case, read_case, save_figure


def figure_of_the_paper(folder: Path) -> list[Path]:
    case = read_case(folder / "yu2020", today="2020-01-01")
    fig: Figure = plot_case(case, preset="single", markers=["AFP"], kinetics=[])
    options = FigureOptions(preset="double", title="Fig. 4")
    plotting.plot_case(example_case("yu2020"), options, start="2012-08", end=2014)
    return save_figure(fig, folder / "fig4", formats=["png", "pdf"], dpi=600)


def a_cohort(folder: str) -> int:
    cohort = plotting.read_cohort(folder)
    report = plotting.render_cohort(cohort, "build/batch", jobs=2)
    aligned = plotting.align_cohort(cohort, marker="AFP", anchor="tace")
    plotting.median_trajectory(aligned, step_days=14)
    plotting.plot_aligned_cohort(cohort, marker="AFP", percent=True)
    names: tuple[str, ...] = plotting.example_names()
    return len(names) + len(report.written) - len(report.failed)
