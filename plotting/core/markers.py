"""Registry of tumor markers: canonical names, units and reference limits.

The facts are data: ``plotting/core/facts/markers.toml`` (each with its source,
and the tables of ``docs/markers.md`` checked against it), read at import by
:mod:`plotting.core.fact_files`. Every limit is assay- and
laboratory-dependent, so a case file may override it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import fact_files
from .specimens import SPECIMENS
from .thresholds import Threshold


@dataclass(frozen=True)
class Marker:
    """A serum tumor marker as the package knows it.

    Parameters
    ----------
    name : str
        Canonical name used in figures and tables.
    unit : str
        Default unit of results.
    uln : float or None
        Upper reference limit in ``unit``; None when no limit applies.
    units : tuple of str
        Every unit a result of this marker may be given in.
    loinc : dict
        LOINC code to the unit its results are in (see ``docs/markers.md``). A
        unit may have several codes: PSA 2857-1 and the ultrasensitive 35741-8
        are both ng/mL.
    loinc_specimens : dict
        LOINC code to the specimen of its LOINC System (``serum or plasma`` for
        most; ``urine`` for PSA 34611-4), as ``plotting.core.specimens``
        names it.
    aliases : tuple of str
        Other names a lab export may use (compared case-insensitively).
    uln_source : str
        Where the limit comes from, for legends and captions.
    thresholds : tuple of Threshold
        Other lines drawn with this marker (``thresholds`` in case.toml).
    exact_conversions : dict
        ``(from unit, to unit)`` to the factor of a conversion between two of
        ``units`` that holds for any assay (g/dL to g/L: 10), from
        ``facts/units.toml``. Unlike ``CONVERSIONS`` (calibrations a case
        asks for), these follow from the units alone.
    """

    name: str
    unit: str
    uln: float | None
    units: tuple[str, ...] = ()
    loinc: dict[str, str] = field(default_factory=dict)
    loinc_specimens: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    uln_source: str = ""
    thresholds: tuple[Threshold, ...] = ()
    exact_conversions: dict[tuple[str, str], float] = field(default_factory=dict)


def _key(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def find_marker(name: str, registry: dict[str, Marker] | None = None) -> Marker | None:
    """Return the marker whose name or alias is ``name``, or None.

    Parameters
    ----------
    name : str
        Name as written in a file, compared case- and space-insensitively.
    registry : dict, optional
        Markers to search; defaults to :data:`DEFAULT_MARKERS`.

    Returns
    -------
    Marker or None
        The registry's marker, or None when no name or alias matches.
    """
    registry = DEFAULT_MARKERS if registry is None else registry
    wanted = _key(name)
    for marker in registry.values():
        if wanted in {_key(n) for n in (marker.name, *marker.aliases)}:
            return marker
    return None


def marker_lookup(registry: dict[str, Marker]):
    """Return a function like :func:`find_marker` for one registry, but fast.

    A cohort looks up a marker name for every result; the names and aliases are
    folded once here instead of at every look-up.
    """
    names = {}
    for marker in reversed(list(registry.values())):
        for name in (marker.name, *marker.aliases):
            names[_key(name)] = marker
    cache: dict[str, Marker | None] = {}

    def lookup(name: str) -> Marker | None:
        if name not in cache:
            cache[name] = names.get(_key(name))
        return cache[name]

    return lookup


# Canonical name -> Marker, in the order messages list them.
DEFAULT_MARKERS: dict[str, Marker]
# (marker, from unit, to unit) -> default factor: 1 IU/mL AFP is commonly taken as
# 1.21 ng/mL (WHO 1st International Standard 72/225); assays differ by up to 19%,
# so a case converts only when it asks, and may set its own factor.
CONVERSIONS: dict[tuple[str, str, str], float]
DEFAULT_MARKERS, CONVERSIONS = fact_files.markers(Marker, _key, specimens=SPECIMENS)
