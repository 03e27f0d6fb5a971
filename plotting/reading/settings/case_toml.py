"""Read a case's ``case.toml`` (or a cohort's ``cohort.toml``) into typed metadata."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...core.case import DEFAULT_MAX_GAP_DAYS, TIME_AXES
from ...core.dates import DATE_ORDERS, parse_date, period_end
from ...core.errors import Problem
from ...core.markers import CONVERSIONS, DEFAULT_MARKERS, find_marker
from ...core.units import canonical_unit
from ..tables.paths import special_file
from .figure_choices import STYLE_KEYS, read_figure, read_marker_style
from .limits import (
    implausible,
    is_plausible_limit,
    is_positive_number,
    read_thresholds,
)
from .relative_time import is_number, read_relative_time, relative_unit

AXES = ("left", "right")
DECIMAL_MARKS = (".", ",")
TABLE_NAMES = ("measurements", "treatments", "events", "patients")
FIGURE_KEYS = ("legend", "panel", "shade")
# The keys case.toml may hold, by table; anything else is a typo to report.
KEYS = {
    "": ("title", "caption", "reference", "time", "markers", "files", "figure"),
    "time": (
        "origin",
        "last_follow_up",
        "max_gap_days",
        "axis",
        "origin_label",
        "date_order",
        "relative",
        "cycle_days",
    ),
    "markers": (
        "axis",
        "uln",
        "unit",
        "uln_source",
        "convert_to",
        "factor",
        *STYLE_KEYS,
        "thresholds",
    ),
    "figure": FIGURE_KEYS,
    "files": (
        *TABLE_NAMES,
        *(f"{name}_sheet" for name in TABLE_NAMES),
        "decimal",
    ),
}


@dataclass(frozen=True)
class CaseMetadata:
    """What ``case.toml`` says about a case, checked.

    Attributes
    ----------
    origin, last_follow_up : Timestamp or None
        The time origin (start of the period written) and the last follow-up (its
        drawing position); None only in a cohort's shared settings.
    marker_options : dict
        Canonical marker name to its ``[markers.X]`` table, in declared order.
    axes : dict
        Canonical marker name to ``"left"`` or ``"right"``.
    max_gap_days : float
        Longest interval a line may span.
    files : dict
        ``[files]``: table name (or ``<name>_sheet``) to a file or sheet name.
    date_order : {"DMY", "MDY"} or None
        How to read ``03/04/2011``.
    decimal : {".", ","} or None
        The decimal mark of numbers written as text, when the case declares it
        (``[files] decimal``); needed to read ``2,160`` in a semicolon file.
    follow_up_end : Timestamp or None
        The last day of the period ``last_follow_up`` names (the day itself, or
        the end of its month or year): later results are errors.
    title, caption, reference : str
    time_axis : {"calendar", "since-diagnosis", "both"}
    origin_label : str
        What the origin is called on a time-since axis ("diagnosis").
    time_unit : {"days", "weeks", "months", "years", "cycles", "order"} or None
        The unit of relative times (``[time] relative``, or a ``month`` column):
        every time is then a number of units since the origin, placed at
        ``RELATIVE_ORIGIN`` plus that many units; None for calendar dates.
        ``"cycles"`` (of a length the source does not state) and ``"order"``
        (positions, no times) have no length in days.
    cycle_days : float or None
        ``[time] cycle_days``: the stated length of a treatment cycle, so that
        rows with ``time_unit = "cycles"`` convert to days.
    marker_styles : dict
        Canonical marker name to its checked ``color``, ``symbol`` and
        ``linestyle`` choices (only those written).
    figure : dict
        ``[figure]``: ``legend``, ``panel`` and ``shade``, checked (only those
        written).
    """

    origin: pd.Timestamp | None = None
    last_follow_up: pd.Timestamp | None = None
    marker_options: dict = field(default_factory=dict)
    axes: dict = field(default_factory=dict)
    max_gap_days: float = DEFAULT_MAX_GAP_DAYS
    files: dict = field(default_factory=dict)
    date_order: str | None = None
    decimal: str | None = None
    follow_up_end: pd.Timestamp | None = None
    title: str = ""
    caption: str = ""
    reference: str = ""
    time_axis: str = "calendar"
    origin_label: str = "diagnosis"
    time_unit: str | None = None
    cycle_days: float | None = None
    marker_styles: dict = field(default_factory=dict)
    figure: dict = field(default_factory=dict)


def read_metadata(
    path: Path, today, problems: list[Problem], *, need_time=True, column_unit=None
) -> CaseMetadata:
    """Read a case.toml (or a cohort's cohort.toml, whose times may be absent).

    Problems are added to ``problems``; the metadata returned holds what could be
    read, with defaults elsewhere. ``column_unit`` is the unit the tables' time
    column names (a ``month`` column), used when ``[time] relative`` is not set.
    """
    name = str(path)

    def problem(message):
        problems.append(Problem(name, message))

    if (special := special_file(path)) is not None:
        problem(special)
        return CaseMetadata()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        if need_time:
            problem("missing; every case folder needs one")
        raw = {}
    except IsADirectoryError:
        problem("a folder, not a file; case.toml must be a text file")
        return CaseMetadata()
    except OSError as err:
        # As for the tables (reading/tables/files.py): unreadable is the user's
        # to fix, not an unexpected error.
        problem(
            f"cannot be read ({err.strerror or err}); check that the file exists "
            "and that you may read it"
        )
        return CaseMetadata()
    except UnicodeDecodeError:
        problem("not UTF-8 text; save it as UTF-8")
        return CaseMetadata()
    except tomllib.TOMLDecodeError as err:
        problem(f"not valid TOML ({err}); check quotes and = signs on that line")
        return CaseMetadata()
    return metadata_from_mapping(
        raw, name, today, problems, need_time=need_time, column_unit=column_unit
    )


def metadata_from_mapping(
    raw: dict,
    name: str,
    today,
    problems: list[Problem],
    *,
    need_time=True,
    column_unit=None,
) -> CaseMetadata:
    """Check settings given as a mapping, as case.toml would hold them.

    ``name`` is how problems name the source (a file, or "case_from_frames").
    """

    def problem(message):
        problems.append(Problem(name, message))

    _check_keys(raw, "", problem)
    values = {key: _text(raw, key, "", problem) for key in ("title", "caption")}
    values["reference"] = _text(raw, "reference", "", problem)
    files = _table(raw, "files", problem)
    _check_keys(files, "files", problem)
    decimal = files.get("decimal")
    if decimal is not None and decimal not in DECIMAL_MARKS:
        problem('[files] decimal must be "." or ","')
        decimal = None
    values["decimal"] = decimal
    values["files"] = {
        key: str(value) for key, value in files.items() if key != "decimal"
    }
    time = _table(raw, "time", problem)
    _check_keys(time, "time", problem)
    unit = relative_unit(time, problem, column_unit)
    if unit is None:
        if "cycle_days" in time:
            problem(
                "[time] cycle_days is for times counted from an origin "
                '([time] relative = "days", "weeks" or "months"); delete it, and '
                "write the dates of a calendar case as dates"
            )
        values.update(_read_time(time, today, problem, need_time))
    else:
        values.update(read_relative_time(time, unit, problem, need_time=need_time))
        values["origin_label"] = _text(time, "origin_label", "time", problem, "")
        # Order positions are not times: every result is joined by a dotted link.
        values["max_gap_days"] = 0.0 if unit == "order" else _max_gap(time, problem)
    options, axes, styles = {}, {}, {}
    for marker_name, table in _table(raw, "markers", problem).items():
        read = _read_marker_options(marker_name, table, problem)
        if read is None:
            continue
        canonical, axis = read
        if canonical in options:
            problem(
                f"[markers.{marker_name}] is {canonical}, declared already; "
                "keep one table per marker"
            )
            continue
        options[canonical], axes[canonical] = table, axis
        styles[canonical] = read_marker_style(marker_name, table, problem)
    figure = _table(raw, "figure", problem)
    _check_keys(figure, "figure", problem)
    values["figure"] = read_figure(figure, problem)
    return CaseMetadata(
        marker_options=options, axes=axes, marker_styles=styles, **values
    )


def _table(raw: dict, key: str, problem) -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        problem(f"{key} must be a table ([{key}] on a line of its own)")
        return {}
    return value


def _text(raw: dict, key: str, where: str, problem, default: str = "") -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        place = f"[{where}] " if where else ""
        problem(f'{place}{key} must be text in quotes, such as {key} = "..."')
        return default
    return value


def _check_keys(table: dict, section: str, problem, where: str | None = None):
    """Report every key the section does not know, with the nearest known one."""
    known = KEYS[section]
    place = where or (f"[{section}] " if section else "")
    for key in table:
        if key in known:
            continue
        folded = {k.casefold(): k for k in known}
        near = folded.get(key.casefold()) or next(
            iter(difflib.get_close_matches(key, known, n=1, cutoff=0.6)), None
        )
        hint = f"; did you mean {near!r}?" if near else f"; known: {', '.join(known)}"
        problem(f"{place}unknown key {key!r}{hint}")


def _read_time(time: dict, today, problem, need_time) -> dict:
    values = {"origin_label": _text(time, "origin_label", "time", problem, "diagnosis")}
    values["time_axis"] = time.get("axis", "calendar")
    if values["time_axis"] not in TIME_AXES:
        problem(f"[time] axis must be one of {', '.join(TIME_AXES)}")
        values["time_axis"] = "calendar"
    order = time.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        problem(f"[time] date_order must be one of {', '.join(DATE_ORDERS)}")
        order = None
    values["date_order"] = order
    values["follow_up_end"] = None
    for key in ("origin", "last_follow_up"):
        values[key] = None
        text = time.get(key)
        if text is None:
            if need_time:
                problem(f"[time] needs {key} = YYYY-MM-DD")
            continue
        try:
            if isinstance(text, float):
                # 2016.10 reaches us as 2016.1: what was typed is lost.
                raise ValueError(
                    f"a number, which reads as a decimal year; write the date in "
                    f'quotes, such as {key} = "2016-10" or "2016-10-15"'
                )
            position, start, precision = parse_date(str(text), order=order)
        except ValueError as err:
            hint = ""
            # A float such as 2016.10 is a date typed without quotes, not a time.
            if is_number(text) and not isinstance(text, float):
                hint = (
                    '; for times counted from the origin, write relative = "months" '
                    '(or "days", "weeks", "years") under [time]'
                )
            problem(f"[time] {key} {str(text)!r}: {err}{hint}")
            continue
        values[key] = start if key == "origin" else position
        if key == "last_follow_up":
            values["follow_up_end"] = period_end(start, precision)
        if position > today:
            problem(f"[time] {key} {text!r} is in the future; check the year")
    origin, last = values["origin"], values["last_follow_up"]
    if origin is not None and last is not None and last < origin:
        problem("[time] last_follow_up is before origin; check both")
    values["max_gap_days"] = _max_gap(time, problem)
    return values


def _max_gap(time: dict, problem) -> float:
    gap = time.get("max_gap_days", DEFAULT_MAX_GAP_DAYS)
    if not is_positive_number(gap):
        problem("[time] max_gap_days must be a number of days above 0")
        gap = DEFAULT_MAX_GAP_DAYS
    return float(gap)


def _read_marker_options(name, options, problem):
    """Check one ``[markers.X]`` table; return (canonical name, axis) or None."""
    where = f"[markers.{name}]"
    if not isinstance(options, dict):
        problem(f"{where} must be a table of options")
        return None
    _check_keys(options, "markers", problem, where=f"{where} ")
    axis = options.get("axis", "left")
    if axis not in AXES:
        problem(f"{where} axis must be one of {', '.join(AXES)}")
    for key in ("uln", "factor"):
        value = options.get(key)
        # uln = false: draw no upper reference limit for this marker.
        off = key == "uln" and value is False
        if value is not None and not off and not is_positive_number(value):
            hint = " (without quotes)" if isinstance(value, str) else ""
            none = ", or uln = false to draw none" if key == "uln" else ""
            problem(
                f"{where} {key} must be a finite number above 0{hint}, such as 7{none}"
            )
            return None
        if (
            key == "uln"
            and value not in (None, False)
            and not is_plausible_limit(value)
        ):
            problem(f"{where} uln {implausible(value)}")
            return None
    for key in ("unit", "uln_source", "convert_to"):
        if key in options and not isinstance(options[key], str):
            problem(f'{where} {key} must be text in quotes, such as {key} = "..."')
            return None
    known = find_marker(name)
    unit = options.get("unit")
    if known is not None and unit is not None:
        spelled = canonical_unit(unit) or unit.strip()
        if spelled not in known.units:
            problem(
                f"{where} unit {unit!r} is not a unit of {known.name}; write one of "
                f"{', '.join(known.units)}"
            )
            return None
    if known is None and "unit" not in options:
        problem(
            f'{where} is not a known marker; give its unit (unit = "U/mL") and '
            f"uln, or use one of {', '.join(DEFAULT_MARKERS)}"
        )
        return None
    canonical = known.name if known else name
    if "thresholds" in options:
        units = known.units if known else (canonical_unit(unit) or unit.strip(),)
        read_thresholds(
            options["thresholds"],
            marker=canonical,
            units=units,
            where=where,
            problem=problem,
        )
    target = options.get("convert_to")
    if target is not None and not any(
        key[0] == canonical and key[2] == target for key in CONVERSIONS
    ):
        problem(
            f"{where} convert_to {target!r}: no accepted conversion exists; "
            f"known: {', '.join(f'{k[0]} {k[1]} to {k[2]}' for k in CONVERSIONS)}"
        )
        return None
    return canonical, axis
