"""A marker's series: its results in one specimen (pure pandas).

A line, a dotted gap link, a kinetics fit, a response and a limit crossing each
belong to one series, and two specimens of one marker are never one series: a
serum CEA and a urine CEA are not joined, not fitted together, and the legend
names each (``plotting.core.specimens``). A table without a ``specimen``
column holds results whose specimen is not stated: one series per marker, as
before specimens were read.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import InputError
from ..core.specimens import (
    NOT_STATED,
    is_reference_specimen,
    series_name,
    specimen_order,
)

SPECIMEN = "specimen"


class SeriesError(InputError):
    """Raised when results of two specimens would be taken as one series."""


def specimens_of(rows) -> pd.Series:
    """Return each result's specimen (``""`` where not stated).

    Tables without a ``specimen`` column hold results whose specimen is not
    stated.
    """
    if SPECIMEN not in rows:
        return pd.Series(NOT_STATED, index=rows.index, dtype=object)
    return rows[SPECIMEN].fillna(NOT_STATED).astype(object)


def marker_specimens(measurements, marker: str) -> tuple[str, ...]:
    """Return the specimens a marker's results are in: not stated first, then in
    the order of ``specimens.toml``."""
    rows = measurements[measurements["marker"] == marker]
    return tuple(sorted(set(specimens_of(rows)), key=specimen_order))


def series_of(measurements, markers) -> tuple[tuple[str, str], ...]:
    """Return the ``(marker, specimen)`` series of ``markers``, in their order.

    A marker without results has no series.
    """
    return tuple(
        (marker, specimen)
        for marker in markers
        for specimen in marker_specimens(measurements, marker)
    )


def series_rows(measurements, *, marker: str, specimen: str | None = None):
    """Return the rows of one series: ``marker`` in ``specimen``.

    Parameters
    ----------
    measurements : DataFrame
        With ``marker`` and, optionally, ``specimen`` columns.
    marker : str
        Canonical marker name.
    specimen : str, optional
        Canonical specimen (``""``: not stated). Without it, the marker's results
        must all be in one specimen.

    Raises
    ------
    SeriesError
        When ``specimen`` is not given and the marker's results are in several
        specimens: which series is meant cannot be told, and they are never one.
    """
    rows = measurements[measurements["marker"] == marker]
    found = specimens_of(rows)
    if specimen is not None:
        return rows[found == specimen]
    kinds = sorted(set(found), key=specimen_order)
    if len(kinds) > 1:
        named = " and ".join(kind or "no stated specimen" for kind in kinds)
        raise SeriesError(
            f"{marker} has results in {named}: series of their own, never drawn "
            "or fitted as one; choose one with specimen= (one of "
            f"{', '.join(repr(kind) for kind in kinds)}; '' for results whose "
            "specimen is not stated)"
        )
    return rows


def names_specimen(measurements, marker: str, specimen: str) -> bool:
    """Return whether a figure or table names a series' specimen.

    It does when the marker has results in another specimen too (``CEA,
    serum`` beside ``CEA, urine``), and for a specimen the registry's limits are
    not of (urine alone is still ``CEA, urine``). A marker measured in serum,
    plasma or a specimen not stated only keeps its name.
    """
    several = len(marker_specimens(measurements, marker)) > 1
    return several or not is_reference_specimen(specimen)


def series_label(measurements, marker: str, specimen: str) -> str:
    """Return a series' name as figures and tables write it: ``CEA`` or
    ``CEA, urine`` (:func:`names_specimen`)."""
    if names_specimen(measurements, marker, specimen):
        return series_name(marker, specimen)
    return marker


def reference_rows(measurements, *, marker: str):
    """Return a marker's results in the specimens the registry's limits are of:
    serum, plasma, serum or plasma, and not stated."""
    rows = measurements[measurements["marker"] == marker]
    return rows[specimens_of(rows).map(is_reference_specimen).astype(bool)]


def series_id(marker: str, specimen: str) -> str:
    """Return a series' name in artist ids: ``CEA``, or ``CEA[urine]`` and
    ``CEA[pleural-fluid]`` for a stated specimen (no spaces in SVG ids)."""
    if specimen == NOT_STATED:
        return marker
    return f"{marker}[{specimen.replace(' ', '-')}]"
