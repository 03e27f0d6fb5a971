"""Tumor-marker trend figures with treatment tracks.

Public names load on first use, so ``import plotting`` is cheap and reading a case
never imports matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Public name -> the module (relative to this package) that defines it.
_PUBLIC = {
    "Case": "core.case",
    "read_case": "reading.case",
    "example_case": "reading.examples",
    "example_names": "reading.examples",
    "CaseDataError": "core.errors",
    "InputError": "core.errors",
    "Problem": "core.errors",
    "DEFAULT_MARKERS": "core.markers",
    "Marker": "core.markers",
    "find_marker": "core.markers",
    "Cohort": "core.cohort",
    "case_from_frames": "reading.frames",
    "cohort_from_frames": "reading.frames",
    "read_cohort": "reading.cohort",
    "gap_segments": "computing.gaps",
    "unmeasured_spans": "computing.gaps",
    "spread_labels": "computing.labels",
    "layout_track": "computing.track_layout",
    "TrackLayout": "computing.track_layout",
    "fit_kinetics": "computing.kinetics",
    "kinetics_table": "computing.kinetics_windows",
    "Criterion": "computing.response",
    "assess_response": "computing.response",
    "align_cohort": "computing.alignment",
    "median_trajectory": "computing.alignment",
    "house_style": "drawing.style",
    "plot_marker_trend": "drawing.trend",
    "add_reference_limit": "drawing.trend",
    "add_gap_notes": "drawing.trend",
    "add_treatment_track": "drawing.track",
    "shade_courses": "drawing.track",
    "plot_case": "drawing.case_figure",
    "FigureOptions": "drawing.options",
    "plot_aligned_cohort": "drawing.aligned_figure",
    "plot_small_multiples": "drawing.small_multiples",
    "save_figure": "output.export",
    "render_cohort": "output.batch",
    "synthetic_cohort": "output.synthetic",
    "write_cohort": "output.synthetic",
}
__all__ = sorted(_PUBLIC)

if TYPE_CHECKING:
    # What __getattr__ loads, spelled out for type checkers and IDEs (mypy sees
    # each name's real signature; `as` marks it exported). tests/test_typing.py
    # keeps it equal to _PUBLIC. isort off: it would give each alias its own line.
    # isort: off
    from .computing.alignment import (
        align_cohort as align_cohort,
        median_trajectory as median_trajectory,
    )
    from .computing.gaps import (
        gap_segments as gap_segments,
        unmeasured_spans as unmeasured_spans,
    )
    from .computing.kinetics import (
        fit_kinetics as fit_kinetics,
    )
    from .computing.kinetics_windows import (
        kinetics_table as kinetics_table,
    )
    from .computing.labels import (
        spread_labels as spread_labels,
    )
    from .computing.response import (
        Criterion as Criterion,
        assess_response as assess_response,
    )
    from .computing.track_layout import (
        TrackLayout as TrackLayout,
        layout_track as layout_track,
    )
    from .core.case import (
        Case as Case,
    )
    from .core.cohort import (
        Cohort as Cohort,
    )
    from .core.errors import (
        CaseDataError as CaseDataError,
        InputError as InputError,
        Problem as Problem,
    )
    from .core.markers import (
        DEFAULT_MARKERS as DEFAULT_MARKERS,
        Marker as Marker,
        find_marker as find_marker,
    )
    from .drawing.aligned_figure import (
        plot_aligned_cohort as plot_aligned_cohort,
    )
    from .drawing.case_figure import (
        plot_case as plot_case,
    )
    from .drawing.options import (
        FigureOptions as FigureOptions,
    )
    from .drawing.small_multiples import (
        plot_small_multiples as plot_small_multiples,
    )
    from .drawing.style import (
        house_style as house_style,
    )
    from .drawing.track import (
        add_treatment_track as add_treatment_track,
        shade_courses as shade_courses,
    )
    from .drawing.trend import (
        add_gap_notes as add_gap_notes,
        add_reference_limit as add_reference_limit,
        plot_marker_trend as plot_marker_trend,
    )
    from .output.batch import (
        render_cohort as render_cohort,
    )
    from .output.export import (
        save_figure as save_figure,
    )
    from .output.synthetic import (
        synthetic_cohort as synthetic_cohort,
        write_cohort as write_cohort,
    )
    from .reading.case import (
        read_case as read_case,
    )
    from .reading.cohort import (
        read_cohort as read_cohort,
    )
    from .reading.examples import (
        example_case as example_case,
        example_names as example_names,
    )
    from .reading.frames import (
        case_from_frames as case_from_frames,
        cohort_from_frames as cohort_from_frames,
    )
    # isort: on


# Hidden from type checkers, which would otherwise accept any name as plotting's.
if not TYPE_CHECKING:

    def __getattr__(name: str):
        module = _PUBLIC.get(name)
        if module is None:
            raise AttributeError(f"module 'plotting' has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    # The public names only: not importlib, annotations or _PUBLIC.
    return [*__all__, "__version__"]
