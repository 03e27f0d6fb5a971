"""A case's own limits, units and markers laid over the registry."""

from __future__ import annotations

from dataclasses import replace

from ...core.markers import Marker, find_marker
from ...core.units import canonical_unit
from .limits import read_thresholds


def with_overrides(
    registry: dict[str, Marker], overrides: dict[str, dict]
) -> dict[str, Marker]:
    """Return a copy of ``registry`` with per-case limits, units or new markers.

    Parameters
    ----------
    registry : dict
        The markers to start from.
    overrides : dict
        Marker name to a mapping with any of ``uln`` (``False``: none drawn),
        ``unit`` (a new marker needs ``unit``), ``uln_source`` and ``thresholds``
        (checked already by :mod:`plotting.reading.settings.case_toml`).
    """
    merged = dict(registry)
    for name, options in overrides.items():
        known = find_marker(name, merged)
        base = known or Marker(name, options.get("unit", ""), None)
        changes = {k: options[k] for k in ("uln", "unit", "uln_source") if k in options}
        if "unit" in options:
            changes["unit"] = canonical_unit(options["unit"]) or options["unit"].strip()
            if changes["unit"] != base.unit and "uln" not in options:
                # The default limit is in the default unit; never relabel it.
                changes["uln"], changes["uln_source"] = None, ""
        if "uln" in options and "uln_source" not in options:
            changes["uln_source"] = "set by the case"
        if options.get("uln") is False:
            changes["uln"], changes["uln_source"] = None, "none (uln = false)"
        marker = replace(base, **changes)
        if marker.unit not in marker.units:
            marker = replace(marker, units=(*marker.units, marker.unit))
        if "thresholds" in options:
            marker = replace(
                marker,
                thresholds=read_thresholds(
                    options["thresholds"],
                    marker=marker.name,
                    units=(marker.unit, *(u for u in marker.units if u != marker.unit)),
                    where=f"[markers.{name}]",
                    problem=_reported_already,
                    factor=options.get("factor"),
                ),
            )
        merged[marker.name] = marker
    return merged


def _reported_already(message):
    """Drop a problem the case.toml reader has already reported."""
