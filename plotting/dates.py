"""Parse dates as case authors write them, keeping how precisely they are known."""

from __future__ import annotations

import re

import pandas as pd

PRECISIONS = ("day", "month", "year", "approximate")

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(text: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Parse an ISO day, month (``2006-08``) or year (``1997``).

    Parameters
    ----------
    text : str
        The date as written.

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
        If the text is not one of those forms or names no real day.
    """
    match = _ISO.match(text.strip())
    if not match:
        raise ValueError("not a date; write it as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    try:
        if day is not None:
            start = pd.Timestamp(int(year), int(month), int(day))
            return start, start, "day"
        if month is not None:
            start = pd.Timestamp(int(year), int(month), 1)
            middle = start + pd.Timedelta(days=(start.days_in_month - 1) // 2)
            return middle, start, "month"
    except ValueError as err:
        raise ValueError(f"no such day ({err}); write it as YYYY-MM-DD") from None
    start = pd.Timestamp(int(year), 1, 1)
    return start + pd.Timedelta(days=182), start, "year"


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
