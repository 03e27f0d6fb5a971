"""Dates, results and codes as exports write them, checked as the package reads them.

An importer writes each date and result as text in the case-folder format. Both
are parsed here with the package's own parsers (:func:`plotting.core.dates.
parse_date`, :func:`plotting.reading.tables.cells.parse_result`), so that a written cell
is read back exactly as it was checked. LOINC codes are the registry's
(:attr:`plotting.core.markers.Marker.loinc`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ...core.dates import DATE_ORDERS, parse_date
from ...core.markers import DEFAULT_MARKERS, Marker, find_marker
from ...core.specimens import (
    canonical_specimen,
    covers,
    unknown_specimen,
)
from ...core.units import canonical_unit
from ..tables.cells import DECLARE, AmbiguousMarkError, parse_result

# A time of day after a date (08:13, 08:13:00.250, 8:13 PM, with a time zone).
_TIME = re.compile(
    r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp][Mm])?\s*"
    r"(?:Z|[+-]\d{2}:?\d{2})?$"
)
_WRITTEN = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
DECIMAL_MARKS = (".", ",")
DECLARE_EXPORT = (
    'give the decimal mark, decimal "." or "," (--decimal on the command line)'
)
# LOINC code -> (marker, the unit the code's property implies).
LOINC_MARKERS: dict[str, tuple[str, str]] = {
    code: (marker.name, unit)
    for marker in DEFAULT_MARKERS.values()
    for code, unit in marker.loinc.items()
}
# LOINC code -> the specimen of its LOINC System (serum or plasma for most).
LOINC_SPECIMENS: dict[str, str] = {
    code: specimen
    for marker in DEFAULT_MARKERS.values()
    for code, specimen in marker.loinc_specimens.items()
}
DEFAULT_SYSTEM = "serum or plasma"
LOINC_CODE = re.compile(r"\d{1,7}-\d")
# What may follow a marker's name and leave it that marker: "PSA, total",
# "CEA (serum)"; a specimen ("CEA (urine)") also does, and says the specimen.
# Nothing else is guessed.
SAME_ANALYTE = {"total"}
# Words that make a marker's name another test: free PSA, AFP-L3, a ratio.
OTHER_ANALYTE = {
    "free",
    "complexed",
    "bound",
    "l3",
    "afp-l3",
    "ratio",
    "index",
    "percent",
    "%",
    "fraction",
    "velocity",
    "density",
    "doubling",
}
_TAIL = re.compile(r"^(?P<head>.*?\S)\s*(?:\((?P<paren>[^()]*)\)|,(?P<comma>[^,()]*))$")
_WORDS = re.compile(r"%|[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True)
class NameMatch:
    """What a test's name says about the registry's markers.

    Attributes
    ----------
    verdict : {"marker", "none", "other analyte", "unknown qualifier", "two markers"}
        ``marker``: the name is a marker's name or alias, or one followed by a
        qualifier that keeps it that marker (``PSA, total``, ``CEA (serum)``,
        ``AFP (alpha-fetoprotein)``, ``AFP (ng/mL)``); ``none``: it names no
        marker; ``other analyte``: a marker's name made another test by its
        qualifier (``PSA, free``); ``unknown qualifier``: a marker's name followed
        by something not known to keep it that marker; ``two markers``: the name
        names two markers (``AFP (CEA)``).
    marker : Marker or None
        The marker named (for ``two markers``, the first).
    other : Marker or None
        For ``two markers``, the second.
    qualifier : str
        What follows the marker's name, for messages.
    unit : str or None
        A unit the name gives (``AFP (ng/mL)``), which the result's must be.
    specimen : str
        A specimen the name gives (``CEA (urine)``: urine), or ``""``.
    """

    verdict: str
    marker: Marker | None = None
    other: Marker | None = None
    qualifier: str = ""
    unit: str | None = None
    specimen: str = ""


def match_name(name: str) -> NameMatch:
    """Return what a test name says: a marker, none, or a refusal's reason.

    A name is the registry's name or alias of a marker (:func:`plotting.core.
    markers.find_marker`), exactly, followed by nothing or by qualifiers in
    parentheses or after commas. A qualifier keeps the marker when it is total,
    serum or plasma, another name or alias of the same marker, one of its
    units, or a specimen (``CEA (urine)``, which gives the result's specimen);
    anything else does not (no fuzzy matching).

    Examples
    --------
    >>> match_name("AFP (Alpha Fetoprotein)").marker.name
    'AFP'
    >>> match_name("PSA, free").verdict
    'other analyte'
    """
    if found := find_marker(name):
        return NameMatch("marker", found)
    parts, head = [], name.strip()
    found = None
    while match := _TAIL.match(head):
        head = match["head"].strip()
        parts.insert(
            0, match["paren"] if match["paren"] is not None else match["comma"]
        )
        if found := find_marker(head):
            break
    if found is None:
        # "Carbohydrate antigen 19-9 (CA 19-9)": a marker, but after a name that
        # is not one of its names; not read as the marker, and not "no marker".
        named = [m for m in map(find_marker, parts) if m is not None]
        if named:
            return NameMatch("unknown qualifier", named[0], qualifier=head)
        return _inside(name)
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    qualifier = name.strip()[len(head) :].strip()
    units, unknown, other, specimens = [], [], False, []
    for part in parts:
        named = find_marker(part)
        if named is not None and named is not found:
            return NameMatch("two markers", found, named, qualifier)
        if named is found or part.casefold() in SAME_ANALYTE:
            continue
        if unit := canonical_unit(part):
            units.append(unit)
        elif specimen := canonical_specimen(part):
            specimens.append(specimen)
        elif any(w.casefold() in OTHER_ANALYTE for w in _WORDS.findall(part)):
            other = True
        else:
            unknown.append(part)
    if other:
        return NameMatch("other analyte", found, qualifier=qualifier)
    if unknown or len(set(units)) > 1 or len(set(specimens)) > 1:
        return NameMatch("unknown qualifier", found, qualifier=qualifier)
    return NameMatch(
        "marker",
        found,
        qualifier=qualifier,
        unit=units[0] if units else None,
        specimen=specimens[0] if specimens else "",
    )


class SpecimenError(ValueError):
    """Two statements of a result's specimen that disagree, or one unknown:
    ``(source, text, message)``, source naming which statement is wrong."""


def result_specimen(stated, *, code: str = "") -> str:
    """Return a result's specimen from what the source states, checked.

    Parameters
    ----------
    stated : sequence of (str, str)
        ``(where, text)`` for each statement: a specimen column, the test
        name's qualifier, FHIR's Observation.specimen. Empty texts say nothing.
    code : str, optional
        The result's LOINC code; its LOINC System (serum or plasma for most)
        must cover what is stated.

    Returns
    -------
    str
        The canonical name of the specimen stated (``serum``, ``urine``), as a
        case folder's specimen column reads it, or ``""`` when nothing states
        one: a series per specimen, as everywhere, so a lab's "CEA" and "CEA
        (serum)" are two series, each named, rather than joined by a guess.

    Raises
    ------
    SpecimenError
        For an unknown specimen, two statements that name different ones, or
        a specimen the LOINC code is not of.
    """
    found = ""
    first = ""
    for where, text in stated:
        if not str(text).strip():
            continue
        specimen = canonical_specimen(text)
        if specimen is None:
            raise SpecimenError(where, text, unknown_specimen(text))
        if found and not (covers(found, specimen) or covers(specimen, found)):
            raise SpecimenError(
                where,
                text,
                f"the specimen is {specimen} here, but {first} says {found}; "
                "correct the one that is wrong",
            )
        if not found or covers(found, specimen):
            found, first = specimen, where
    system = LOINC_SPECIMENS.get(code, "")
    if found and system and not covers(system, found):
        marker = LOINC_MARKERS[code][0]
        raise SpecimenError(
            first,
            dict(stated)[first],
            f"the specimen is {found}, but LOINC {code} is {marker} in {system}; "
            "correct the one that is wrong",
        )
    # "Serum or Plasma", the System of most of the registry's codes, allows
    # either and states neither; a code of one specimen (CEA in CSF) states it.
    return found or ("" if system == DEFAULT_SYSTEM else system)


@dataclass(frozen=True)
class Day:
    """A date as an importer writes it.

    Attributes
    ----------
    text : str
        ``2020-05-03``, ``2020-05`` or ``2020``: as precise as the source.
    precision : {"day", "month", "year"}
    position : Timestamp
        Where the package draws it (the middle of a month or year).
    start : Timestamp
        The first day of the period it names.
    """

    text: str
    precision: str
    position: pd.Timestamp
    start: pd.Timestamp


def read_day(cell, *, order: str | None = None, today=None) -> Day:
    """Read a date cell of an export; a time of day is dropped, never converted.

    Parameters
    ----------
    cell : str
        ``2020-01-05``, ``2020-01-05 08:13``, ``2020-01-05T08:13:00+09:00``,
        ``05/01/2020 08:13``, ``2020-05``, or any form
        :func:`plotting.core.dates.parse_date` reads.
    order : {"DMY", "MDY"}, optional
        How to read ``05/01/2020``; without it such a date is refused.
    today : Timestamp, optional
        Later dates are refused.

    Returns
    -------
    Day

    Raises
    ------
    ValueError
        With a message that says what to write or pass.

    Examples
    --------
    >>> read_day("2019-03-10T09:30:00+09:00").text
    '2019-03-10'
    """
    text = _TIME.sub("", " ".join(str(cell).split()))
    try:
        position, start, precision = parse_date(text, order=order)
    except ValueError:
        if order is None and _reads_with_an_order(text):
            raise ValueError(
                "day and month cannot be told apart; give the date order, "
                'date_order "DMY" or "MDY" (--date-order on the command line)'
            ) from None
        raise
    if today is not None and position > today:
        raise ValueError("in the future; check the year")
    return Day(start.strftime(_WRITTEN[precision]), precision, position, start)


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp][Mm])?")


def time_of_day(cell) -> str | None:
    """Return the time of day a date cell gives, as ``HH:MM:SS``, else None.

    Examples
    --------
    >>> time_of_day("05/01/2020 8:13 PM")
    '20:13:00'
    """
    text = " ".join(str(cell).split())
    found = _TIME.search(text)
    clock = _CLOCK.search(found.group()) if found else None
    if clock is None:
        return None
    hour, minute, second, half = clock.groups()
    hour = (
        int(hour) % 12 + (12 if half and half.casefold() == "pm" else 0)
        if half
        else int(hour)
    )
    return f"{hour:02d}:{minute}:{second or '00'}"


def _reads_with_an_order(text: str) -> bool:
    try:
        parse_date(text, order=DATE_ORDERS[0])
    except ValueError:
        return False
    return True


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _WORDS.findall(text))


# Each marker's names and aliases as words, longest first.
_NAMES = sorted(
    (
        (_tokens(name), marker)
        for marker in DEFAULT_MARKERS.values()
        for name in (marker.name, *marker.aliases)
    ),
    key=lambda pair: -len(pair[0]),
)


def _inside(name: str) -> NameMatch:
    """A name with a marker's name among its words, in no form read: "PSA total".

    Not read as the marker, and not said to be no marker; words that make it
    another test ("Free PSA", "AFP/CEA ratio") make it no registry marker.
    """
    words = _tokens(name)
    if any(word in OTHER_ANALYTE for word in words):
        return NameMatch("none")
    found = []
    for phrase, marker in _NAMES:
        size = len(phrase)
        if marker not in found and any(
            words[at : at + size] == phrase for at in range(len(words) - size + 1)
        ):
            found.append(marker)
    if len(found) > 1:
        return NameMatch("two markers", found[0], found[1])
    return NameMatch("unknown qualifier", found[0]) if found else NameMatch("none")


def check_result(text: str, *, decimal: str | None = None) -> tuple[float, str]:
    """Return a result cell's value and censoring sign, as the package reads it.

    Parameters
    ----------
    text : str
        ``187.8``, ``<2.0``, ``>60000``, ``2,3``; ``2,160`` only with ``decimal``.
    decimal : {".", ","}, optional
        The decimal mark of the export; without it a number that reads two ways
        (one mark followed by three digits) is refused.

    Raises
    ------
    ValueError
        With the package's message, saying how to give the decimal mark.
    """
    try:
        return parse_result(text, decimal=decimal)
    except ValueError as err:
        message = str(err)
        if message.endswith(DECLARE):
            message = message.removesuffix(DECLARE) + DECLARE_EXPORT
        kind = AmbiguousMarkError if isinstance(err, AmbiguousMarkError) else ValueError
        raise kind(message) from None


def needed_decimal(values, decimal: str | None) -> str | None:
    """Return ``decimal`` if a result reads only with it declared, else None.

    Every value was checked with ``decimal``; one the package refuses without a
    declared mark needs ``[files] decimal`` in the folder written. A value read
    under both reads as the same number.
    """
    if decimal is None:
        return None
    for text in values:
        try:
            parse_result(text)
        except ValueError:
            return decimal
    return None
