"""Parse dates as case authors and lab exports write them, keeping their precision."""

from __future__ import annotations

import functools
import re

import pandas as pd

PRECISIONS = ("day", "month", "year", "approximate")
DATE_ORDERS = ("DMY", "MDY")

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
