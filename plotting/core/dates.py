"""Parse dates as case authors and lab exports write them, keeping their precision."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

PRECISIONS = ("day", "month", "year", "approximate")
DATE_ORDERS = ("DMY", "MDY")
DAYS_PER_YEAR = 365.25
# Months of 365.25 / 12 days, as kinetics are reported (docs/markers.md).
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
# Units of relative time ([time] relative): their length in days, and the precision a
# number in that unit has. "3 months after" is known to the month, like 2006-08; a
# week count is a visit schedule, known to about the day.
RELATIVE_UNITS = {
    "days": 1.0,
    "weeks": 7.0,
    "months": DAYS_PER_MONTH,
    "years": DAYS_PER_YEAR,
    # Counts with no length in days: treatment cycles of a length the source does
    # not state, and order positions of a source that gives no times. They are
    # placed one nominal day apart, which is never shown, converted or fitted.
    "cycles": 1.0,
    "order": 1.0,
}
UNTIMED_UNITS = frozenset({"cycles", "order"})
RELATIVE_PRECISION = {
    "days": "day",
    "weeks": "day",
    "months": "month",
    "years": "year",
    "cycles": "approximate",
    "order": "approximate",
}
# Column headers that stand for ``date`` and say its unit ("order" is too common a
# column name to mean that).
TIME_COLUMNS = {
    name: unit
    for unit in RELATIVE_UNITS
    if unit != "order"
    for name in (unit, unit.removesuffix("s"))
}
# Relative times are placed on this fixed, arbitrary instant so that every stage keeps
# working on timestamps; it is never shown (1970-01-01: day numbers are then days
# since the origin).
RELATIVE_ORIGIN = pd.Timestamp("1970-01-01")
# Times further from the origin than this are typos (a year, 2006, as a month count).
MAX_RELATIVE_YEARS = 120
_RELATIVE = re.compile(r"^([+\-\u2212]?)(\d+)(?:([.,])(\d+))?$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_YMD = re.compile(
    r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?(?:[ T]00:00(?::00)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_NAMED = re.compile(
    r"^(?:(\d{1,2})[ -])?([a-z]+)\.?[ -](?:(\d{1,2}),? )?(\d{4})$", re.IGNORECASE
)
_HOW = "write it as YYYY-MM-DD, YYYY-MM or YYYY"
# Years a case date may fall in; anything else is a typo (0211 for 2011).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_date(text: str, *, order: str | None = None):
    """Parse a date written as a day, a month or a year.

    Accepted: ISO (``2006-08-15``, ``2006-08``, ``2006``), the same with ``.`` or
    ``/`` (``2006.08.15``), month names (``Aug 2006``, ``15 Aug 2006``,
    ``Aug 15, 2006``, ``15-Aug-2006``) and numeric day/month orders (``15/08/2006``)
    when the order is unambiguous or given.

    Parameters
    ----------
    text : str
        The date as written.
    order : {"DMY", "MDY"}, optional
        How to read ``03/04/2011``; without it such a date is an error unless one of
        the first two numbers is above 12.

    Returns
    -------
    position : Timestamp
        Where to draw it: the day itself, or the middle of the month or year, so a
        month-only date is not silently read as the 1st.
    start : Timestamp
        First day of the period the text names.
    precision : {"day", "month", "year"}
        How much the text says.

    Raises
    ------
    ValueError
        With a message that says how to write the date.
    """
    return _parse_date(text, order)


# A cohort writes the same dates thousands of times; parsing is a pure function.
@functools.lru_cache(maxsize=65536)
def _parse_date(text: str, order: str | None):
    text = " ".join(text.strip().split())
    year, month, day = _split(text, order)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"the year {year:04d} is not plausible; check the year ({_HOW})"
        )
    try:
        if day is not None:
            start = pd.Timestamp(year, month, day)
            return start, start, "day"
        if month is not None:
            start = pd.Timestamp(year, month, 1)
            middle = start + pd.Timedelta(days=(start.days_in_month - 1) // 2)
            return middle, start, "month"
    except ValueError:
        raise ValueError(f"no such day; {_HOW}") from None
    start = pd.Timestamp(year, 1, 1)
    return start + pd.Timedelta(days=182), start, "year"


def _split(text: str, order: str | None):
    if match := _YMD.match(text):
        year, month, day = match.groups()
        if month is not None and day is None and text[4] == ".":
            # 2011.5 is how a spreadsheet writes a decimal year (mid-2011) as
            # much as May 2011; 2011.10 could be October or early February.
            if not 1 <= int(month) <= 12:
                raise ValueError(
                    f"{text} reads as a decimal year; write the year as {year}, or "
                    "the day as YYYY-MM-DD"
                )
            raise ValueError(
                f"{text} reads as a decimal year or as a month; write the month "
                f"as {year}-{int(month):02d}, or the day as YYYY-MM-DD"
            )
        return tuple(int(g) if g else None for g in match.groups())
    if match := _NUMERIC.match(text):
        first, second, year = (int(g) for g in match.groups())
        if order is None:
            if first > 12 >= second:
                order = "DMY"
            elif second > 12 >= first:
                order = "MDY"
            else:
                raise ValueError(
                    "day and month order is ambiguous; write it as YYYY-MM-DD, or set "
                    'date_order = "DMY" or "MDY" under [time] in case.toml'
                )
        day, month = (first, second) if order == "DMY" else (second, first)
        return year, month, day
    if match := _NAMED.match(text):
        day_before, name, day_after, year = match.groups()
        month = _MONTHS.get(name.casefold())
        if month is not None and not (day_before and day_after):
            day = day_before or day_after
            return int(year), month, int(day) if day else None
    raise ValueError(f"not a date; {_HOW}")


def check_precision(stated: str, written: str) -> str | None:
    """Return a message when a stated precision claims more than the date says."""
    if stated not in PRECISIONS:
        return f"unknown date precision; write one of {', '.join(PRECISIONS)}"
    if stated == "approximate":
        return None
    order = {"day": 0, "month": 1, "year": 2}
    if order[stated] < order[written]:
        return (
            f"the date is only known to the {written}, not the {stated}; write "
            f"date_precision {written} (or approximate), or give the full date"
        )
    return None


def period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    """Return the last day of the day, month or year that starts at ``start``."""
    if precision == "month":
        return start + pd.offsets.MonthEnd(0)
    if precision == "year":
        return pd.Timestamp(start.year, 12, 31)
    return start


def named_time_unit(text: str) -> str:
    """Return the unit a ``time_unit`` cell names: ``Weeks`` and ``week`` are
    ``weeks``; a cell naming no unit comes back plural, to be refused."""
    cell = text.strip().casefold()
    return cell if cell in RELATIVE_UNITS else f"{cell}s"


def singular(unit: str) -> str:
    """Return a unit's singular ("months" -> "month"; "order" -> "position")."""
    return "position" if unit == "order" else unit.removesuffix("s")


def relative_position(value: float, unit: str) -> pd.Timestamp:
    """Return where a time of ``value`` units after the origin is placed."""
    return RELATIVE_ORIGIN + pd.Timedelta(days=float(value) * RELATIVE_UNITS[unit])


def relative_value(when, unit: str) -> float:
    """Return the units since the origin of a placed time (the inverse of
    :func:`relative_position`), rounded to 6 decimals to undo nanosecond rounding."""
    days = (pd.Timestamp(when) - RELATIVE_ORIGIN) / pd.Timedelta(days=1)
    return round(days / RELATIVE_UNITS[unit], 6)


def format_time(when, unit: str | None) -> str:
    """Return a time as a person reads it: ``2012-08-01``, or ``month 3``."""
    if unit is None:
        return f"{pd.Timestamp(when):%Y-%m-%d}"
    return f"{singular(unit)} {round(relative_value(when, unit), 3):g}"


def parse_relative(text: str, unit: str, *, decimal: str | None = None) -> float:
    """Read a number of ``unit`` since the origin: ``3``, ``-1``, ``1.5``, ``1,5``.

    Raises
    ------
    ValueError
        For a calendar date, a number that is not one (``3 months``, ``1e2``), a
        decimal comma that could be a thousands separator, or a time more than
        ``MAX_RELATIVE_YEARS`` from the origin; the message says what to write.
    """
    cell = " ".join(text.strip().split())
    example = f"write the {unit} since the origin as a number, such as 3, -1 or 1.5"
    match = _RELATIVE.match(cell)
    if match is None:
        try:
            parse_date(cell)
        except ValueError:
            raise ValueError(f"not a number of {unit}; {example}") from None
        raise ValueError(
            f"a calendar date, but this case counts {unit} from its origin; {example}"
        )
    sign, whole, mark, fraction = match.groups()
    digits = f"{whole}.{fraction}" if mark else whole
    # As for results: only one mark before exactly three digits reads two ways.
    grouped = mark and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0"
    if grouped and decimal is None:
        raise ValueError(
            f"ambiguous: {cell} is {whole}{fraction} with a thousands separator or "
            f"{digits} with a decimal mark; write it without the mark, or declare "
            'decimal = "," or "." under [files] in case.toml'
        )
    # Other marks are decimals whatever is declared, as for results
    # (reading/tables/cells.py): 1.5 is 1.5 in a case of decimal commas.
    if grouped and mark != decimal:
        digits = whole + fraction
    value = float(digits)
    value = -value if sign in ("-", "\u2212") else value
    if abs(value) * RELATIVE_UNITS[unit] > MAX_RELATIVE_YEARS * DAYS_PER_YEAR:
        raise ValueError(
            f"{cell} {unit} is more than {MAX_RELATIVE_YEARS} years from the origin; "
            f"{example} (a year such as 2006 is not a time since the origin)"
        )
    return value


def time_position(value, unit: str | None, *, end: bool = False):
    """Return where a time asked for (a window's start or end) is placed.

    A calendar case takes dates (text or datetime-like); a case of relative times
    takes numbers of its unit since the origin (``3``, ``"-1.5"``). A date written
    to the month or the year names all of it: as a window's start it is the
    period's first day, as its ``end`` its last, so ``2012-08`` to ``2013-02``
    holds a result of 2013-02-08.

    Raises
    ------
    ValueError
        For a number asked of a calendar case, or a date of a relative one.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time; {_TIME_HINT}")
    value = _as_written(value)
    number = isinstance(value, int | float | np.number)
    if unit is None:
        if number:
            raise ValueError(
                f"{value:g} is a number, but this case has calendar dates; give a "
                "date such as 2012-08-01"
            )
        if not isinstance(value, str):
            return pd.Timestamp(value)
        _, start, precision = parse_date(value)
        return period_end(start, precision) if end else start
    if isinstance(value, str):
        return relative_position(parse_relative(value, unit, decimal="."), unit)
    if not number:
        raise ValueError(
            f"{pd.Timestamp(value):%Y-%m-%d} is a date, but this case counts {unit} "
            "since its origin; give a number such as 3 or -1.5"
        )
    return relative_position(float(value), unit)


_TIME_HINT = "give a date such as 2012-08-01, or a number of units since the origin"


def _as_written(value):
    """Return a period-valued time (a month, a year) as the text that names it.

    ``np.datetime64("2013-02")`` and ``pd.Period("2013-02", "M")`` name a whole
    month as ``"2013-02"`` does; as a Timestamp they would be its first day only.
    """
    if isinstance(value, np.datetime64) and np.datetime_data(value.dtype)[0] in (
        "Y",
        "M",
    ):
        return str(value)
    if isinstance(value, pd.Period):
        return str(value)
    tz = getattr(value, "tzinfo", None)
    if tz is not None and not isinstance(value, str):
        raise ValueError(
            f"{value} has a time zone; results are dated by the day, so give the "
            "date without one (such as 2012-08-01)"
        )
    return value
