"""The truth of a generated case folder, its class, and the one judge of a read.

Every input the oracle and property tests write is put in one of two classes by
the rules below, taken from data/README.md and never from trying the reader:

MUST_READ
    A well-formed file a lab system or spreadsheet writes and that means one
    thing only: ISO dates, plain decimals (``187.8``, ``2,3``, ``1.250,5``,
    ``1 250,5``), thousands separators that cannot be decimal marks, censored
    results (``<0.5``, a ``<`` in a qualifier column, a ``"<"0.0`` number
    format), known markers and units, any documented encoding and separator.
    A refusal fails; the case read must equal the truth exactly.
MAY_REFUSE
    An input that is ambiguous or wrong: a number with one mark followed by three
    digits (``2,160``) when case.toml does not declare the decimal mark, two rows
    that are the same result once their dates are placed, anything the rules do
    not recognise. A refusal with a clear message passes; a read must still equal
    the truth when the input has one.

:func:`judge` applies the verdict to any reader, so the tests can also show that
a reader refusing everything, or misreading a value, is caught.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from plotting import CaseDataError, Problem

MUST_READ = "must read"
MAY_REFUSE = "may refuse"
AMBIGUOUS = "ambiguous"
TODAY = "2025-01-01"

# The documented units of each built-in marker, and spellings labs print.
MARKER_UNITS = {
    "AFP": ("ng/mL", "IU/mL"),
    "PIVKA-II": ("mAU/mL", "ng/mL"),
    "CEA": ("ng/mL",),
    "CA 19-9": ("U/mL",),
}
MARKER_NAMES = {
    "afp": "AFP",
    "pivka-ii": "PIVKA-II",
    "dcp": "PIVKA-II",
    "cea": "CEA",
    "ca 19-9": "CA 19-9",
}
UNIT_SPELLINGS = {
    "ng/ml": "ng/mL",
    "\u00b5g/l": "ng/mL",
    "iu/ml": "IU/mL",
    "kiu/l": "IU/mL",
    "u/ml": "U/mL",
    "ku/l": "U/mL",
    "mau/ml": "mAU/mL",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            *("jan", "feb", "mar", "apr", "may", "jun"),
            *("jul", "aug", "sep", "oct", "nov", "dec"),
        ],
        start=1,
    )
}


@dataclass(frozen=True, order=True)
class Result:
    """One result as the file means it: where it is drawn and what it says."""

    date: pd.Timestamp
    marker: str
    value: float
    censor: str
    unit: str
    precision: str


def placed(year: int, month: int | None = None, day: int | None = None):
    """Return where a date known to the day, month or year is drawn, and how well.

    A month or year is drawn at its middle (data/README.md: "the 16th of August,
    not the 1st"; "a year at 2 July"): the month's first day plus half its
    remaining days, rounded down (14 February, 15 April, 16 August), and 1
    January plus 182 days (2 July; 1 July in a leap year).
    """
    if month is None:
        return pd.Timestamp(year, 1, 1) + pd.Timedelta(days=182), "year"
    if day is None:
        first = pd.Timestamp(year, month, 1)
        return first + pd.Timedelta(days=(first.days_in_month - 1) // 2), "month"
    return pd.Timestamp(year, month, day), "day"


def date_truth(text: str):
    """Return ``(date drawn, precision)`` of a documented date form, else None.

    Read: ``2006-08-15``, ``2006-08``, ``2006``, ``2006/08/15``, ``2006.08.15``,
    ``Aug 2006``, ``15 Aug 2006``, ``Aug 15, 2006``, ``15-Aug-2006`` and
    ``15/08/2006`` when the day is above 12, in the years 1900 to 2100.
    Anything else (``03/04/2011``, ``2011-02-30``, ``0002-01-01``) has no truth
    here.
    """
    text = text.strip()
    patterns = (
        (r"(\d{4})-(\d{2})-(\d{2})", "ymd"),
        (r"(\d{4})/(\d{2})/(\d{2})", "ymd"),
        (r"(\d{4})\.(\d{2})\.(\d{2})", "ymd"),
        (r"(\d{4})-(\d{2})", "ym"),
        (r"(\d{4})", "y"),
        (r"([A-Za-z]{3}) (\d{4})", "by"),
        (r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})", "dby"),
        (r"([A-Za-z]{3}) (\d{1,2}), (\d{4})", "bdy"),
        (r"(\d{1,2})-([A-Za-z]{3})-(\d{4})", "dby"),
        (r"(\d{2})/(\d{2})/(\d{4})", "dmy"),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=False))
        if order == "bdy":
            parts = {"b": match[1], "d": match[2], "y": match[3]}
        if "b" in parts:
            month = MONTHS.get(parts["b"].casefold())
            if month is None:
                return None
            parts["m"] = str(month)
        if order == "dmy" and int(parts["d"]) <= 12:
            return None  # 03/04/2011 reads two ways without date_order
        year = int(parts["y"])
        month = int(parts["m"]) if "m" in parts else None
        day = int(parts["d"]) if "d" in parts else None
        if not 1900 <= year <= 2100:
            return None  # no tumour marker was measured in 0002 or 9999
        try:
            dt.date(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError:
            return None  # 2011-02-30, 2006-00
        return placed(year, month, day)
    return None


def number_truth(text: str, declared: str | None = None):
    """Return the number a result cell means, AMBIGUOUS, or None (not a number).

    One mark followed by exactly three digits after one to three digits that do
    not start with 0 (``2,160``, ``2.160``, ``123,456``) reads as a decimal or as
    thousands: AMBIGUOUS unless ``declared`` names the decimal mark. Every other
    documented form means one number: ``2160``, ``187.8``, ``2,3``, ``0,160``,
    ``1234,567``, ``1,250.5``, ``1.250,5``, ``1 250`` and ``1 250,5`` (a space or
    no-break space groups thousands only).
    """
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return float(text)
    spaced = re.fullmatch(r"(\d{1,3}(?:[ \u00a0]\d{3})+)(?:([.,])(\d+))?", text)
    if spaced:
        whole, mark, fraction = spaced.groups()
        if mark and declared not in (None, mark):
            return None
        whole = re.sub(r"[ \u00a0]", "", whole)
        return float(f"{whole}.{fraction}" if mark else whole)
    single = re.fullmatch(r"(\d+)([.,])(\d+)", text)
    if single:
        whole, mark, fraction = single.groups()
        grouping = len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0"
        if declared in (None, mark):
            if grouping and declared is None:
                return AMBIGUOUS
            return float(f"{whole}.{fraction}")
        return float(whole + fraction) if grouping else None
    grouped = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)([.,])(\d+)", text)
    if grouped:
        whole, thousands, mark, fraction = grouped.groups()
        if thousands == mark or declared not in (None, mark):
            return None
        return float(whole.replace(thousands, "") + "." + fraction)
    repeated = re.fullmatch(r"\d{1,3}(?:([.,])\d{3}){2,}", text)
    if repeated and declared != repeated[1]:
        return float(text.replace(repeated[1], ""))
    return None


def shown_mark(texts) -> str | None:
    """Return the decimal mark a column's written numbers show, or None.

    A number that means one thing and has a mark shows its decimal mark: the
    mark of ``187.8``, ``2,3``, ``0,160`` and ``1 250,5``, the last of
    ``1,250.5``, the other mark than the repeated one of ``1.250.000``. The
    column shows a mark if its numbers show that one only; ``2,160`` (AMBIGUOUS),
    ``2160`` and text that is no number show none.
    """
    marks = set()
    for text in texts:
        text = re.sub(r"^(<=|>=|[<>])\s*", "", text.strip())
        if number_truth(text) in (None, AMBIGUOUS) or not re.search(r"[.,]", text):
            continue
        repeated = re.fullmatch(r"\d{1,3}([.,])\d{3}(?:\1\d{3})+", text)
        if repeated:
            marks.add({".": ",", ",": "."}[repeated[1]])
        else:
            marks.add(re.findall(r"[.,]", text)[-1])
    return marks.pop() if len(marks) == 1 else None


def result_truth(text: str, declared: str | None = None):
    """Return ``(value, censor)`` of a result cell, AMBIGUOUS, or None.

    ``<0.5``, ``< 0.5`` and ``>60000`` are censored at their limit; ``0``,
    ``0.0`` and ``0,00`` are a result reported as 0 (any other zero, such as
    ``000`` or a censored ``<0``, has no truth); a value that no assay reports
    (below 1e-6, above 1e8) has no truth.
    """
    text = text.strip()
    censor = ""
    sign = re.match(r"([<>]) ?", text)
    if sign:
        censor, text = sign[1], text[sign.end() :]
    value = number_truth(text, declared)
    if value is None or value == AMBIGUOUS:
        return value
    if value == 0:
        written = re.fullmatch(r"0?(?:[.,]0+)?", text.strip())
        return (0.0, "") if written and not censor else None
    if not 1e-6 <= value <= 1e8:
        return None
    return value, censor


def marker_truth(text: str):
    """Return the built-in marker a cell names (any case), else None."""
    return MARKER_NAMES.get(" ".join(text.split()).casefold())


def unit_truth(text: str):
    """Return a unit's canonical spelling, else None."""
    # casefold() turns the micro sign into a Greek mu; fold both to the sign.
    key = "".join(text.split()).casefold().replace("\u03bc", "\u00b5")
    return UNIT_SPELLINGS.get(key)


def repeats(truth) -> bool:
    """Whether two results are the same result once their dates are placed.

    A file that says AFP 12 in 2015-03 and AFP 12 on 2015-03-16 holds one
    result twice (it would count twice in fits): it may be refused.
    """
    keys = [(r.date, r.marker, r.value, r.censor, r.unit) for r in truth]
    return len(set(keys)) != len(keys)


def one_unit_per_marker(truth) -> bool:
    units = {}
    return all(units.setdefault(r.marker, r.unit) == r.unit for r in truth)


def read_quietly(reader, folder: Path):
    """Call ``reader(folder, today=TODAY)``, ignoring its UserWarnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return reader(folder, today=TODAY)


def results_read(case) -> list[Result]:
    """Return a case's measurements as sorted Results."""
    m = case.measurements
    return sorted(
        Result(pd.Timestamp(d), k, float(v), c, u, p)
        for d, k, v, c, u, p in zip(
            m["date"],
            m["marker"],
            m["value"],
            m["censor"],
            m["unit"],
            m["date_precision"],
            strict=True,
        )
    )


def judge(reader, folder: Path, kind: str, truth=None):
    """Read ``folder`` with ``reader`` and fail unless the read is acceptable.

    Parameters
    ----------
    reader : callable
        ``read_case`` or a stand-in with its signature.
    folder : Path
    kind : MUST_READ or MAY_REFUSE
    truth : list of Result, optional
        What the folder's measurements mean; None when the input has no one
        meaning (only a refusal or a read that keeps the invariants can pass).

    Returns
    -------
    Case or None
        The case read, or None for an accepted refusal.

    Raises
    ------
    AssertionError
        When a MUST_READ input is refused, a refusal names no problem or a
        file outside ``folder``, or the
        results read differ from ``truth`` in number, date, precision, marker,
        value, censoring or unit.
    """
    assert kind in (MUST_READ, MAY_REFUSE), kind
    assert kind == MAY_REFUSE or truth is not None, "a must-read input needs a truth"
    try:
        case = read_quietly(reader, folder)
    except CaseDataError as err:
        assert kind == MAY_REFUSE, f"refused an input it must read:\n{err}"
        assert err.problems and str(err), "a refusal must say what is wrong"
        # Each problem names a file of the case, as the user gave its folder.
        assert all(p.file.startswith(str(folder)) for p in err.problems), err
        return None
    if truth is not None:
        got, expected = results_read(case), sorted(truth)
        assert len(got) == len(expected), (
            f"read {len(got)} results, the file holds {len(expected)}"
        )
        for read, true in zip(got, expected, strict=True):
            assert read == true, f"read {read}, the file says {true}"
    return case


# Readers that are wrong on purpose: the judge must catch each of them.


def refuse_everything(path, *, today=None):
    """A reader that refuses every folder, with a clear message."""
    raise CaseDataError([Problem(str(path), "refused (a mutant reader)")])


def _corrupting(change):
    def reader(path, *, today=None):
        from plotting import read_case

        case = read_case(path, today=today)
        return replace(case, measurements=change(case.measurements.copy()))

    return reader


def _times_ten(m):
    m["value"] = m["value"] * 10
    return m


def _drop_censoring(m):
    m["censor"] = ""
    return m


def _months_at_their_first(m):
    months = m["date_precision"] == "month"
    m.loc[months, "date"] = m.loc[months, "date"] - pd.Timedelta(days=15)
    return m


def _every_date_a_day(m):
    m["date_precision"] = "day"
    return m


def _round_values(m):
    m["value"] = m["value"].round()
    return m


def _one_unit(m):
    m["unit"] = "U/mL"
    return m


def _drop_last(m):
    return m.iloc[:-1]


# Name -> reader. Every must-read example of the tests' mutation checks has a
# censored result, a month, a value with decimals and a unit other than U/mL,
# so each mutant changes something in each.
MUTANTS = {
    "refuses every folder": refuse_everything,
    "multiplies every value by 10": _corrupting(_times_ten),
    "drops censoring": _corrupting(_drop_censoring),
    "draws a month at its first day": _corrupting(_months_at_their_first),
    "calls every date known to the day": _corrupting(_every_date_a_day),
    "rounds values": _corrupting(_round_values),
    "writes every unit U/mL": _corrupting(_one_unit),
    "loses the last result": _corrupting(_drop_last),
}
