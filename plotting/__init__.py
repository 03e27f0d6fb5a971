"""Tumor-marker trend figures with treatment tracks."""

from .case import Case, read_case
from .errors import CaseDataError, Problem
from .export import save_figure
from .figure import plot_case
from .layout import gap_segments, spread_labels, unmeasured_spans
from .markers import DEFAULT_MARKERS, Marker, find_marker
from .style import house_style
from .track import add_treatment_track, shade_courses
from .trend import add_gap_notes, add_reference_limit, plot_marker_trend

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_MARKERS",
    "Case",
    "CaseDataError",
    "Marker",
    "Problem",
    "add_gap_notes",
    "add_reference_limit",
    "add_treatment_track",
    "find_marker",
    "gap_segments",
    "house_style",
    "plot_case",
    "plot_marker_trend",
    "read_case",
    "save_figure",
    "shade_courses",
    "spread_labels",
    "unmeasured_spans",
]
