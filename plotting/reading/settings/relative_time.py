"""Read the ``[time]`` settings of a case whose times are relative to an origin.

``[time] relative = "months"`` (or a ``month`` column in place of ``date``): every
time is a number of that unit since the origin, placed at ``RELATIVE_ORIGIN``
plus that many units, and calendar settings are refused, never silently ignored.
"""

from __future__ import annotations

import numpy as np

from ...core.dates import (
    RELATIVE_ORIGIN,
    RELATIVE_UNITS,
    UNTIMED_UNITS,
    parse_date,
    parse_relative,
    relative_position,
    singular,
)


def relative_unit(time: dict, problem, column_unit) -> str | None:
    """Return the unit of relative times: ``[time] relative``, or the columns'."""
    written = time.get("relative")
    if written is None:
        return column_unit
    folded = written.strip().casefold() if isinstance(written, str) else None
    unit = folded if folded in RELATIVE_UNITS else f"{folded}s"
    if unit not in RELATIVE_UNITS:
        problem(
            f"[time] relative must be one of {', '.join(map(repr, RELATIVE_UNITS))}, "
            f'such as relative = "months", not {written!r}'
        )
        return None
    return unit


def is_number(value) -> bool:
    """Return whether a setting is a number (0, 13, "1.5"), not a date."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def read_relative_time(time: dict, unit: str, problem, *, need_time=True) -> dict:
    """Read ``[time]`` of a case whose times are numbers of ``unit`` since the
    origin; calendar settings are refused, never silently ignored.

    Without ``[time] relative``, ``unit`` comes from a table's column name
    (``month``). ``origin_label`` and ``max_gap_days`` are read as for any case.
    """
    inferred = "relative" not in time
    how = (
        f"the tables' {singular(unit)} column (times in {unit} since the origin)"
        if inferred
        else f"[time] relative = {unit!r}"
    )
    values = {
        "time_axis": "since-diagnosis",
        "date_order": None,
        "time_unit": unit,
        "origin": RELATIVE_ORIGIN,
    }
    if "origin_label" not in time:
        problem(
            f'[time] needs origin_label = "..." with {how}: what time 0 is, such as '
            'origin_label = "start of lenvatinib"; the axis reads "'
            f'{unit.capitalize()} since <origin_label>"'
        )
    if "axis" in time:
        problem(
            f"[time] axis does not apply with {how}: the axis always shows {unit} "
            "since the origin, never a calendar; delete axis"
        )
    if "date_order" in time:
        problem(f"[time] date_order is for calendar dates; delete it with {how}")
    origin = time.get("origin", 0)
    if not (is_number(origin) and float(str(origin)) == 0):
        kind = "a calendar date" if _is_date(origin) else "not 0"
        problem(
            f"[time] origin {origin!r} is {kind}, but {how} counts every time from "
            "the origin; write origin = 0 or delete it"
        )
    values["cycle_days"] = _cycle_days(time, unit, problem)
    last = time.get("last_follow_up")
    values["last_follow_up"] = values["follow_up_end"] = None
    if unit == "order" and "max_gap_days" in time:
        problem(
            '[time] max_gap_days does not apply with relative = "order": positions '
            "are not times, so results are only ever joined by dotted links; delete it"
        )
    if last is None:
        # An order has no follow-up beyond its last position (the case sets it).
        if need_time and unit != "order":
            problem(
                f"[time] needs last_follow_up = the {unit} from the origin to the "
                "last follow-up, such as 13"
            )
        return values
    try:
        if isinstance(last, int | float) and not isinstance(last, bool):
            # A TOML number is typed: 12.125 is 12.125, with no mark to weigh.
            text = np.format_float_positional(float(last), trim="-")
            position = relative_position(parse_relative(text, unit, decimal="."), unit)
        else:
            position = relative_position(parse_relative(str(last), unit), unit)
    except ValueError as err:
        problem(f"[time] last_follow_up {last!r}: {err}")
        return values
    if position < RELATIVE_ORIGIN:
        problem("[time] last_follow_up is before origin; check both")
    values["last_follow_up"] = values["follow_up_end"] = position
    return values


# A cycle longer than a year is a typo (a cycle count, or days per course written
# as weeks).
MAX_CYCLE_DAYS = 366


def _cycle_days(time: dict, unit: str, problem) -> float | None:
    """Return ``[time] cycle_days``, the stated length of one treatment cycle."""
    if "cycle_days" not in time:
        return None
    written = time["cycle_days"]
    if unit in UNTIMED_UNITS:
        advice = (
            'count the times in days (relative = "days") and write '
            'time_unit = "cycles" on the rows counted in cycles'
            if unit == "cycles"
            else "delete it: an order has no times"
        )
        problem(f'[time] cycle_days does not apply with relative = "{unit}"; {advice}')
        return None
    if (
        isinstance(written, bool)
        or not isinstance(written, int | float)
        or not 0 < written <= MAX_CYCLE_DAYS
    ):
        problem(
            f"[time] cycle_days {written!r} is not a number of days from 1 to "
            f"{MAX_CYCLE_DAYS}; write the stated cycle length, such as cycle_days = 21"
        )
        return None
    return float(written)


def _is_date(value) -> bool:
    try:
        parse_date(str(value))
    except ValueError:
        return False
    return not is_number(value)
