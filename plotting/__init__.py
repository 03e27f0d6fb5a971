"""Tumor-marker trend figures with treatment tracks.

Public names load on first use, so ``import plotting`` is cheap and reading a case
never imports matplotlib.
"""

from __future__ import annotations

import importlib

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


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'plotting' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_PUBLIC})
