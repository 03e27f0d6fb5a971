"""Named thresholds a marker is drawn with, beside its upper reference limit.

A ``[markers.X]`` table may list any number of thresholds: a preset by name
(``"psa-bcr-prostatectomy"``), a preset with options (``{preset = "phoenix",
after = "Salvage EBRT"}``), or a value of its own (``{value = 0.2, label = "PSA
0.2 (BCR)"}``). They are checked here; a threshold computed from the data (the
Phoenix nadir + 2 ng/mL) gets its value in :mod:`plotting.computing.limit_values`.
The presets and their sources are in ``docs/markers.md``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import replace

from ...core.thresholds import (
    DEFAULT_THRESHOLD_STYLE,
    THRESHOLD_KEYS,
    THRESHOLD_PRESETS,
    THRESHOLD_STYLES,
    Threshold,
    ThresholdPreset,
)
from ...core.units import canonical_unit
from ..tables.cells import LARGEST, SMALLEST


def read_thresholds(
    raw, *, marker: str, units, where: str, problem, factor=None
) -> tuple[Threshold, ...]:
    """Check a ``thresholds`` list and return its thresholds.

    Parameters
    ----------
    raw : list
        As written under ``[markers.X]``: preset names and tables.
    marker : str
        Canonical marker name.
    units : sequence of str
        Units this marker's results may be in; the first is its default.
    where : str
        How messages name the table (``"[markers.PSA]"``).
    problem : callable
        Called with each message; a threshold with a problem is left out.
    factor : float, optional
        The case's conversion factor for the marker.
    """
    if not isinstance(raw, list):
        problem(
            f"{where} thresholds must be a list in brackets, such as "
            'thresholds = ["psa-bcr-prostatectomy"] or '
            'thresholds = [{value = 0.2, label = "PSA 0.2 (BCR)"}]'
        )
        return ()
    read = []
    for number, item in enumerate(raw, start=1):
        place = f"{where} thresholds item {number}"
        if isinstance(item, str):
            item = {"preset": item}
        if not isinstance(item, dict):
            problem(
                f"{place} must be a preset name in quotes or a table such as "
                '{value = 0.2, label = "PSA 0.2 (BCR)"}'
            )
            continue
        threshold = _read_one(item, marker, units, place, problem)
        if threshold is not None:
            read.append(replace(threshold, factor=factor))
    return tuple(read)


def _read_one(item, marker, units, place, problem) -> Threshold | None:
    ok = True
    for key in item:
        if key not in THRESHOLD_KEYS:
            near = difflib.get_close_matches(key.casefold(), THRESHOLD_KEYS, n=1)
            hint = (
                f"; did you mean {near[0]!r}?"
                if near
                else f"; known: {', '.join(THRESHOLD_KEYS)}"
            )
            problem(f"{place}: unknown key {key!r}{hint}")
            ok = False
    for key, example in (("label", "PSA 0.2 (BCR)"), ("after", "Salvage EBRT")):
        if key in item and not (isinstance(item[key], str) and item[key].strip()):
            problem(
                f'{place}: {key} must be text in quotes, such as {key} = "{example}"'
            )
            ok = False
    default = THRESHOLD_PRESETS.get(str(item.get("preset", "")).strip().casefold())
    style = item.get("style", default.style if default else DEFAULT_THRESHOLD_STYLE)
    if style not in THRESHOLD_STYLES:
        problem(f"{place}: style must be one of {', '.join(THRESHOLD_STYLES)}")
        ok = False
    unit = item.get("unit")
    if unit is not None:
        spelled = canonical_unit(unit) if isinstance(unit, str) else None
        spelled = spelled or (unit.strip() if isinstance(unit, str) else None)
        if spelled not in units:
            problem(
                f"{place}: unit {unit!r} is not a unit of {marker}; write one of "
                f"{', '.join(units)}"
            )
            ok = False
        unit = spelled
    has_value, name = "value" in item, item.get("preset")
    if not (ok or has_value or name is not None):
        return None
    if has_value == (name is not None):
        problem(
            f"{place}: give either value = (a number, such as 0.2) or preset = "
            f"(one of {', '.join(map(repr, THRESHOLD_PRESETS))})"
            + (", not both" if has_value else "")
        )
        return None
    if has_value:
        value = item["value"]
        if not is_positive_number(value):
            hint = " (without quotes)" if isinstance(value, str) else ""
            problem(
                f"{place}: value must be a finite number above 0{hint}, such as "
                "value = 0.2"
            )
            return None
        if not is_plausible_limit(value):
            problem(f"{place}: value {implausible(value)}")
            return None
        if not ok:
            return None
        return Threshold(
            label=item.get("label", "").strip(),
            value=float(value),
            unit=unit or units[0],
            after=item.get("after", "").strip(),
            style=style,
        )
    preset = _preset(name, marker, place, problem)
    if preset is None or not ok:
        return None
    if unit is not None and unit != preset.unit:
        problem(f"{place}: preset {name!r} is in {preset.unit}; leave out unit")
        return None
    return Threshold(
        label=item.get("label", "").strip() or preset.label,
        value=preset.value,
        unit=preset.unit,
        preset=name.strip().casefold(),
        after=item.get("after", "").strip(),
        style=style,
    )


def _preset(name, marker, place, problem) -> ThresholdPreset | None:
    if not isinstance(name, str) or name.strip().casefold() not in THRESHOLD_PRESETS:
        near = difflib.get_close_matches(
            str(name).casefold(), THRESHOLD_PRESETS, n=1, cutoff=0.4
        )
        hint = f"did you mean {near[0]!r}? " if near else ""
        known = ", ".join(THRESHOLD_PRESETS)
        problem(f"{place}: unknown preset {name!r}; {hint}known: {known}")
        return None
    preset = THRESHOLD_PRESETS[name.strip().casefold()]
    if preset.marker != marker:
        problem(
            f"{place}: preset {name!r} is a {preset.marker} threshold, not one of "
            f'{marker}; give {{value = ..., label = "..."}} instead'
        )
        return None
    return preset


def is_positive_number(value) -> bool:
    """Whether a TOML value is a finite number above 0 (not a bool, not text)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def is_plausible_limit(value: float) -> bool:
    """Whether a limit lies where results can (1e-30 would squash the data)."""
    return SMALLEST <= value <= LARGEST


def implausible(value: float) -> str:
    """Say why a limit outside :func:`is_plausible_limit` is refused."""
    return (
        f"{value:g} is outside what any assay reports ({SMALLEST:g} to "
        f"{LARGEST:,.0f}); check the number"
    )


LIMIT_OPTION_KEYS = ("uln", "thresholds")


def read_limit_options(limits, *, where="limits") -> dict:
    """Check per-marker limit options given in Python, as ``[markers.X]`` holds them.

    Parameters
    ----------
    limits : mapping
        Marker name to a mapping with ``uln`` (a number, or False for none) and
        ``thresholds`` (as in case.toml), e.g. ``{"PSA": {"uln": False,
        "thresholds": ["psa-bcr-prostatectomy"]}}``.

    Returns
    -------
    dict
        The same options; thresholds as :class:`Threshold` values in the
        marker's default unit where none is given (checked against the case's
        unit when drawn).

    Raises
    ------
    InputError
        Naming every problem.
    """
    from ...core.errors import InputError
    from ...core.markers import find_marker

    problems = []
    checked, spelled = {}, {}
    if not isinstance(limits, dict):
        raise InputError(
            f'{where} must be a mapping such as {{"PSA": {{"uln": False}}}}, not '
            f"{type(limits).__name__}"
        )
    for name, options in limits.items():
        place = f"{where}[{name!r}]"
        if not isinstance(options, dict):
            problems.append(f'{place} must be a mapping such as {{"uln": False}}')
            continue
        for key in options:
            if key not in LIMIT_OPTION_KEYS:
                near = difflib.get_close_matches(str(key), LIMIT_OPTION_KEYS, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(
                    f"{place}: unknown key {key!r}{hint} (known: "
                    f"{', '.join(LIMIT_OPTION_KEYS)})"
                )
        uln = options.get("uln")
        if uln is not None and uln is not False and not is_positive_number(uln):
            problems.append(
                f"{place}: uln must be a finite number above 0, or False to draw none"
            )
        elif uln not in (None, False) and not is_plausible_limit(uln):
            problems.append(f"{place}: uln {implausible(uln)}")
        known = find_marker(str(name))
        units = known.units if known else ()
        entry = {k: v for k, v in options.items() if k == "uln"}
        if "thresholds" in options:
            entry["thresholds"] = read_thresholds(
                options["thresholds"],
                marker=known.name if known else str(name),
                units=units or _any_unit(options["thresholds"]),
                where=place,
                problem=problems.append,
            )
        canonical = known.name if known else str(name)
        if canonical in checked:
            problems.append(
                f"{place}: {canonical} is given twice (as {spelled[canonical]!r} and "
                f"{name!r}); give its limits once"
            )
            continue
        spelled[canonical] = name
        checked[canonical] = entry
    if problems:
        raise InputError("; ".join(problems))
    return checked


def _any_unit(raw) -> tuple[str, ...]:
    """Units written in thresholds of a marker the registry does not know."""
    units = []
    for item in raw if isinstance(raw, list) else ():
        if isinstance(item, dict) and isinstance(item.get("unit"), str):
            units.append(canonical_unit(item["unit"]) or item["unit"].strip())
    return tuple(dict.fromkeys(units)) or ("",)
