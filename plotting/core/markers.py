"""Registry of serum tumor markers: canonical names, units and reference limits.

The facts come from ``docs/markers.md``; every limit is assay- and
laboratory-dependent, so a case file may override it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        LOINC code to the unit its results are in (serum or plasma; see
        ``docs/markers.md``). A unit may have several codes: PSA 2857-1 and the
        ultrasensitive 35741-8 are both ng/mL.
    aliases : tuple of str
        Other names a lab export may use (compared case-insensitively).
    uln_source : str
        Where the limit comes from, for legends and captions.
    thresholds : tuple of Threshold
        Other lines drawn with this marker (``thresholds`` in case.toml).
    """

    name: str
    unit: str
    uln: float | None
    units: tuple[str, ...] = ()
    loinc: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    uln_source: str = ""
    thresholds: tuple[Threshold, ...] = ()


DEFAULT_MARKERS: dict[str, Marker] = {
    m.name: m
    for m in (
        Marker(
            "AFP",
            "ng/mL",
            7.0,
            units=("ng/mL", "IU/mL"),
            loinc={"1834-1": "ng/mL", "19176-7": "IU/mL"},
            aliases=("alpha-fetoprotein", "alpha fetoprotein", "a-fetoprotein"),
            uln_source="adult reference limit, about 7 ng/mL",
        ),
        Marker(
            "PIVKA-II",
            "mAU/mL",
            40.0,
            units=("mAU/mL", "ng/mL"),
            loinc={"34444-0": "ng/mL", "93768-0": "mAU/mL"},
            aliases=("DCP", "des-gamma-carboxy prothrombin", "PIVKA II", "PIVKA2"),
            uln_source="40 mAU/mL",
        ),
        Marker(
            "CEA",
            "ng/mL",
            5.0,
            units=("ng/mL",),
            loinc={"2039-6": "ng/mL"},
            aliases=("carcinoembryonic antigen",),
            uln_source="5 ng/mL",
        ),
        Marker(
            "CA 19-9",
            "U/mL",
            37.0,
            units=("U/mL",),
            loinc={"24108-3": "U/mL"},
            aliases=("CA19-9", "CA 199", "CA19.9"),
            uln_source="37 U/mL",
        ),
        Marker(
            "CA-125",
            "U/mL",
            35.0,
            units=("U/mL",),
            loinc={"10334-1": "U/mL"},
            aliases=("CA125", "CA 125"),
            uln_source="35 U/mL",
        ),
        Marker(
            "PSA",
            "ng/mL",
            4.0,
            units=("ng/mL",),
            loinc={"2857-1": "ng/mL", "35741-8": "ng/mL"},
            aliases=("prostate specific antigen", "prostate-specific antigen"),
            uln_source="historical 4.0 ng/mL",
        ),
    )
}


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


# (marker, from unit, to unit) -> default factor: 1 IU/mL AFP is commonly taken as
# 1.21 ng/mL (WHO 1st International Standard 72/225); assays differ by up to 19%,
# so a case converts only when it asks, and may set its own factor.
CONVERSIONS: dict[tuple[str, str, str], float] = {("AFP", "IU/mL", "ng/mL"): 1.21}
