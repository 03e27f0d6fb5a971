"""What a case figure annotates, computed before drawing: reference limits and
thresholds, kinetics fits, percent changes and ULN crossings."""

from __future__ import annotations

import warnings
from dataclasses import replace

from ..computing.crossings import uln_crossings as find_uln_crossings
from ..computing.kinetics import (
    KineticsError,
    fit_kinetics,
    poor_fit_message,
    require_times,
)
from ..computing.kinetics_windows import treatment_window
from ..computing.limit_values import marker_limits
from ..computing.response import Criterion, assess_response
from ..computing.series import marker_specimens, series_label
from ..core.dates import time_position
from ..core.errors import InputError
from ..core.specimens import is_reference_specimen

# Percent change only: any change counts, so no criterion decides what is drawn.
PERCENT_CHANGE = Criterion("percent change", 0.0, window_days=(1.0, 365.0))


def case_limits(case, markers, chosen) -> tuple:
    """Return the limits drawn for ``markers``: each one's ULN and thresholds,
    with ``FigureOptions.limits`` (``chosen``) in place of the case's.

    Raises
    ------
    InputError
        For limits given for a marker the figure does not draw: they would be
        dropped without a word.
    """
    undrawn = [name for name in chosen or {} if name not in markers]
    if undrawn:
        raise InputError(
            f"limits are given for {', '.join(map(repr, undrawn))}, but the figure "
            f"draws {', '.join(map(repr, markers))}; give limits for those, or add "
            "the marker to markers"
        )
    return tuple(
        limit
        for name in markers
        for limit in marker_limits(
            _with_limit_options(case.markers[name], chosen),
            case.measurements,
            case.treatments,
            time_unit=case.time_unit,
        )
    )


def _with_limit_options(marker, limits):
    """Return the marker with ``FigureOptions.limits`` applied to it."""
    chosen = (limits or {}).get(marker.name)
    if not chosen:
        return marker
    changes = {}
    if "uln" in chosen:
        changes["uln"] = None if chosen["uln"] is False else float(chosen["uln"])
    if "thresholds" in chosen:
        changes["thresholds"] = tuple(
            t if t.unit else replace(t, unit=marker.unit) for t in chosen["thresholds"]
        )
    return replace(marker, **changes)


def crossings_by_marker(case, view, markers) -> tuple:
    """Return ``(marker, dates)`` pairs: where each marker falls below its ULN.

    The ULN is of serum or plasma, so only those series (and one whose specimen
    is not stated) cross it; each series' line is followed on its own.
    """
    return tuple(
        (
            name,
            tuple(
                sorted(
                    date
                    for specimen in marker_specimens(view.measurements, name)
                    if is_reference_specimen(specimen)
                    for date in find_uln_crossings(
                        view.measurements,
                        marker=name,
                        uln=case.markers[name].uln,
                        max_gap_days=case.max_gap_days,
                        specimen=specimen,
                    )
                )
            ),
        )
        for name in markers
        if case.markers[name].uln is not None
    )


def kinetics_fits(case, view, markers, windows, *, show_poor_fits=False) -> tuple:
    """Fit each series (a marker in one specimen) in each window; poor fits are
    warned about, not kept, unless ``show_poor_fits``. Windows too short to fit
    are skipped."""
    fits = []
    if windows:
        require_times(case.time_unit, "a kinetics fit")
    series = [
        (name, specimen)
        for name in markers
        for specimen in marker_specimens(view.measurements, name)
    ]
    for name, specimen in series:
        for window in windows:
            if isinstance(window, str):
                start, end, _ = treatment_window(
                    case.measurements,
                    case.treatments,
                    window,
                    marker=name,
                    until=case.last_follow_up,
                    specimen=specimen,
                )
            else:
                try:
                    start = time_position(window[0], case.time_unit)
                    end = time_position(window[1], case.time_unit, end=True)
                except ValueError as err:
                    raise InputError(f"kinetics window {window}: {err}") from None
            try:
                fit = fit_kinetics(
                    view.measurements,
                    marker=name,
                    start=start,
                    end=end,
                    time_unit=case.time_unit,
                    specimen=specimen,
                )
            except KineticsError:
                continue
            # Named from the whole case, as the legend is (the view may hide
            # the marker's other specimen).
            named = series_label(case.measurements, name, specimen)
            fit = replace(fit, series="" if named == name else named)
            if fit.poor_fit and not show_poor_fits:
                warnings.warn(poor_fit_message(fit), UserWarning, stacklevel=4)
            else:
                fits.append(fit)
    return tuple(fits)


def percent_changes(case, markers, treatments) -> tuple:
    """Return each series' change from baseline to nadir after each treatment."""
    if treatments:
        # Its windows (a baseline within days of the start) need times.
        require_times(case.time_unit, "a response")
    return tuple(
        assess_response(
            case.measurements,
            case.treatments,
            treatment,
            marker=name,
            criterion=PERCENT_CHANGE,
            specimen=specimen,
        )
        for name in markers
        for specimen in marker_specimens(case.measurements, name)
        for treatment in treatments
    )
