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
from dataclasses import dataclass, replace

from ..tables.cells import canonical_unit

# Matplotlib line styles by the names a case file may use.
LINESTYLES = {
    "dashed": (0, (4, 2)),
    "dotted": (0, (1, 1.6)),
    "dashdot": (0, (4, 1.5, 1, 1.5)),
    "solid": "-",
}
DEFAULT_THRESHOLD_STYLE = "dashed"
THRESHOLD_KEYS = ("value", "label", "unit", "style", "preset", "after")


@dataclass(frozen=True)
class Threshold:
    """One threshold of a marker, as the case declares it.

    Attributes
    ----------
    label : str
        Text drawn on the line; empty means a label made from the value.
    value : float
        The threshold in ``unit``; for a preset computed from the data (Phoenix),
        the amount added to the nadir.
    unit : str
        Unit of ``value`` (canonical spelling).
    preset : str
        The preset it comes from, or "".
    after : str
        Label of the treatment it applies after: the line starts there (for
        Phoenix, the radiotherapy whose nadir it is computed from).
    style : str
        A key of :data:`LINESTYLES`.
    factor : float or None
        The case's conversion factor for this marker (``[markers.X] factor``).
    """

    label: str
    value: float
    unit: str
    preset: str = ""
    after: str = ""
    style: str = DEFAULT_THRESHOLD_STYLE
    factor: float | None = None

    @property
    def computed(self) -> bool:
        """Whether the value is worked out from the results (Phoenix)."""
        return PRESETS[self.preset].from_nadir if self.preset else False


@dataclass(frozen=True)
class Preset:
    """A threshold with a published definition (see ``docs/markers.md``)."""

    marker: str
    value: float
    unit: str
    label: str
    source: str
    from_nadir: bool = False
    style: str = DEFAULT_THRESHOLD_STYLE


PRESETS = {
    "psa-bcr-prostatectomy": Preset(
        "PSA",
        0.2,
        "ng/mL",
        "BCR after prostatectomy 0.2 ng/mL",
        "AUA guideline; Cookson et al., J Urol 2007;177:540-545",
    ),
    "phoenix": Preset(
        "PSA",
        2.0,
        "ng/mL",
        "Phoenix: nadir + 2 ng/mL",
        "Roach et al., Int J Radiat Oncol Biol Phys 2006;65:965-974",
        from_nadir=True,
        style="dashdot",
    ),
}


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
    default = PRESETS.get(str(item.get("preset", "")).strip().casefold())
    style = item.get("style", default.style if default else DEFAULT_THRESHOLD_STYLE)
    if style not in LINESTYLES:
        problem(f"{place}: style must be one of {', '.join(LINESTYLES)}")
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
            f"(one of {', '.join(map(repr, PRESETS))})"
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


def _preset(name, marker, place, problem) -> Preset | None:
    if not isinstance(name, str) or name.strip().casefold() not in PRESETS:
        near = difflib.get_close_matches(str(name).casefold(), PRESETS, n=1, cutoff=0.4)
        hint = f"did you mean {near[0]!r}? " if near else ""
        problem(f"{place}: unknown preset {name!r}; {hint}known: {', '.join(PRESETS)}")
        return None
    preset = PRESETS[name.strip().casefold()]
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
    checked = {}
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
        checked[known.name if known else str(name)] = entry
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
