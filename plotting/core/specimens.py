"""Specimens: what a result was measured in (serum, urine, CSF, ...), and the
spellings labs use for each.

A marker's results in two specimens are two series: never joined by a line,
never fitted together, each named in the legend ("CEA, serum", "CEA, urine").
The vocabulary is data: ``plotting/core/facts/specimens.toml``, each specimen
with its HL7 v2 table 0487, LOINC System and SNOMED CT codes.

A result whose specimen is not stated (an empty cell, or a table without the
column) is read as the package always read it: a result of the registry's
serum or plasma tests, to which the registry's limits apply. It is still a
series of its own, never joined with one whose specimen is stated.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from . import fact_files


@dataclass(frozen=True)
class Specimen:
    """A specimen as the package knows it.

    Parameters
    ----------
    name : str
        Canonical name, as legends and tables write it.
    reference : bool
        Whether the registry's limits, threshold presets and response criteria
        (all defined in serum or plasma) apply to results in it.
    includes : tuple of str
        Narrower specimens the name covers (serum or plasma: serum, plasma).
    aliases : tuple of str
        Other spellings labs use (compared as :func:`canonical_specimen` does).
    hl7, loinc, snomed : str
        The HL7 v2 table 0487 code, the LOINC System, the SNOMED CT concept.
    """

    name: str
    reference: bool
    includes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    hl7: str = ""
    loinc: str = ""
    snomed: str = ""


# An empty specimen cell: not stated.
NOT_STATED = ""
NOT_STATED_LABEL = "specimen not stated"


def _key(text: str) -> str:
    text = " ".join(str(text).split()).casefold()
    return re.sub(r"\s*/\s*", "/", text)


# Canonical name -> Specimen, in the order figures and tables list them.
SPECIMENS: dict[str, Specimen] = fact_files.specimens(Specimen, _key)
_SPELLINGS: dict[str, str] = {
    _key(written): specimen.name
    for specimen in SPECIMENS.values()
    for written in (
        specimen.name,
        *specimen.aliases,
        specimen.hl7,
        specimen.loinc,
        specimen.snomed,
    )
    if written
}
_ORDER = {name: number for number, name in enumerate(SPECIMENS, 1)}


def canonical_specimen(text) -> str | None:
    """Return the canonical name of a specimen as written, or None if unknown.

    Case, surrounding and repeated spaces and spaces around ``/`` are ignored:
    ``Urine ``, ``URINE`` and ``UR`` are urine, ``Ser / Plas`` is serum or plasma.
    An empty cell is :data:`NOT_STATED` (``""``).

    Examples
    --------
    >>> canonical_specimen("Ser/Plas")
    'serum or plasma'
    >>> canonical_specimen("saliva") is None
    True
    """
    key = _key(text)
    if not key:
        return NOT_STATED
    return _SPELLINGS.get(key)


def nearest_specimen(text) -> str | None:
    """Return the known specimen nearest to an unknown text, for a "did you mean".

    Text after a comma is a detail (``urine, after prostatic massage``): the
    part before it is compared.
    """
    head = _key(str(text).split(",")[0])
    if head in _SPELLINGS:
        return _SPELLINGS[head]
    near = difflib.get_close_matches(head, list(_SPELLINGS), n=1, cutoff=0.75)
    return _SPELLINGS[near[0]] if near else None


def unknown_specimen(text) -> str:
    """Return the message for a specimen that is not known, naming the nearest."""
    near = nearest_specimen(text)
    known = ", ".join(SPECIMENS)
    if "," in str(text) and near is not None:
        detail = str(text).split(",", 1)[1].strip()
        return (
            f"a specimen followed by a detail; write the specimen alone ({near}) and "
            f"the detail ({detail}) in a column of its own, such as specimen_detail"
        )
    hint = f"did you mean {near!r}? " if near else ""
    return f"unknown specimen; {hint}write one of {known}, or leave it empty"


_IN_PARENTHESES = re.compile(r"^(?P<head>.*?)\s*\((?P<specimen>[^()]*)\)\s*$")
_AFTER_COMMA = re.compile(r"^(?P<head>[^,]*?)\s*,\s*(?P<specimen>[^,]*)$")


def split_specimen(text) -> tuple[str, str] | None:
    """Split a marker written with its specimen into the marker and the specimen.

    Labs and papers write ``CEA (urine)``, ``CEA, serum`` and ``Urine CEA``;
    each names a specimen as a specimen column would. Only a known specimen
    (:func:`canonical_specimen`) splits: ``CA 19-9 (tumour antigen)`` does not.

    Returns
    -------
    tuple of (str, str) or None
        The marker as written and the canonical specimen, or None.

    Examples
    --------
    >>> split_specimen("CEA (urine)")
    ('CEA', 'urine')
    >>> split_specimen("Pleural fluid CEA")
    ('CEA', 'pleural fluid')
    >>> split_specimen("CA 19-9") is None
    True
    """
    text = " ".join(str(text).split())
    for pattern in (_IN_PARENTHESES, _AFTER_COMMA):
        found = pattern.match(text)
        if found and found["head"]:
            specimen = canonical_specimen(found["specimen"])
            if specimen:
                return found["head"], specimen
    words = text.split(" ")
    for count in range(min(3, len(words) - 1), 0, -1):
        specimen = canonical_specimen(" ".join(words[:count]))
        if specimen:
            return " ".join(words[count:]), specimen
    return None


def is_reference_specimen(specimen: str) -> bool:
    """Return whether the registry's (serum or plasma) limits apply to a specimen.

    A specimen not stated is read as the registry's: its limits apply.
    """
    return specimen == NOT_STATED or SPECIMENS[specimen].reference


def covers(broad: str, narrow: str) -> bool:
    """Return whether a result in ``narrow`` is a result in ``broad`` too.

    Serum or plasma covers serum and plasma; every specimen covers itself.
    """
    return broad == narrow or narrow in SPECIMENS[broad].includes


def specimen_order(specimen: str) -> int:
    """Return a specimen's place in lists: not stated first, then file order."""
    return _ORDER.get(specimen, 0)


def series_name(marker: str, specimen: str) -> str:
    """Return how a marker's series in a specimen is named: ``CEA, urine``.

    A specimen not stated is named so (``CEA, specimen not stated``); whether a
    figure names the specimen at all is decided where the series are known
    (:func:`plotting.computing.series.names_specimen`).
    """
    return f"{marker}, {specimen or NOT_STATED_LABEL}"
