"""The choices a figure's look takes: each marker's style (and its series' in
other specimens), and which courses are shaded, from the house defaults,
case.toml's choices and the options."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from matplotlib.colors import to_rgba

from ..core.errors import InputError
from ..core.markers import find_marker
from ..core.vocabulary import KINDS, LANE_ORDER, canonical_kind
from .style import (
    DEFAULT_LINESTYLES,
    DEFAULT_MARKER_COLORS,
    DEFAULT_MARKER_SYMBOLS,
    OKABE_ITO,
)

# Radiotherapy courses (the RT lane) are shaded across the trend panel unless the
# options say otherwise: a systemic therapy running for years would tint it all.
SHADE_ALL = "all"
DEFAULT_SHADE = ("RT",)


@dataclass(frozen=True)
class MarkerStyle:
    """How one marker is drawn: its axis side, color, symbol and line style."""

    side: str
    color: str
    symbol: str
    linestyle: object


def marker_styles(case, markers, options) -> dict:
    """Return each marker's :class:`MarkerStyle` for ``options``."""
    return _styles(case, markers, _chosen_styles(case, options))


def _styles(case, markers, chosen) -> dict:
    """Return each marker's style: its choices, else a default that no other
    marker's choice already takes, so two markers never look alike by accident."""
    palette = list(OKABE_ITO.values())
    defaults = {
        "color": lambda name, n: [
            DEFAULT_MARKER_COLORS.get(name, palette[n % len(palette)]),
            *palette[n:],
            *palette[:n],
        ],
        "symbol": lambda name, n: _rotated(DEFAULT_MARKER_SYMBOLS, n),
        "linestyle": lambda name, n: _rotated(DEFAULT_LINESTYLES, n),
    }
    taken = {
        key: {_kind(key, c[key]) for c in chosen.values() if key in c}
        for key in defaults
    }
    styles = {}
    for number, name in enumerate(markers):
        own = dict(chosen.get(name, {}))
        for key, candidates in defaults.items():
            if key not in own:
                options = candidates(name, number)
                own[key] = next(
                    (v for v in options if _kind(key, v) not in taken[key]),
                    options[0],
                )
        styles[name] = MarkerStyle(side=case.axes.get(name, "left"), **own)
    _refuse_lookalikes(styles)
    return styles


def series_styles(styles, series) -> dict:
    """Return each series' style: ``(marker, specimen)`` to a :class:`MarkerStyle`.

    A marker's first series (in the order of
    :func:`plotting.computing.series.series_of`: not stated, serum, plasma, ...)
    is drawn in the marker's style. Each further one keeps its color and axis,
    as it is the same marker, but takes the next house symbol and line style
    that neither the marker's earlier series nor (for symbols) another marker
    has: the two CEA series differ without color, in grayscale too.
    """
    taken = {style.symbol for style in styles.values()}
    chosen, seen = {}, {}
    for marker, specimen in series:
        style = styles[marker]
        earlier = seen.setdefault(marker, [])
        if earlier:
            symbols = _after(DEFAULT_MARKER_SYMBOLS, style.symbol)
            used = {chosen[key].symbol for key in earlier}
            symbol = next(
                (s for s in symbols if s not in taken | used),
                next((s for s in symbols if s not in used), style.symbol),
            )
            dashes = {_kind("linestyle", chosen[key].linestyle) for key in earlier}
            linestyle = next(
                (
                    d
                    for d in _after(DEFAULT_LINESTYLES, style.linestyle, "linestyle")
                    if _kind("linestyle", d) not in dashes
                ),
                style.linestyle,
            )
            style = replace(style, symbol=symbol, linestyle=linestyle)
        chosen[marker, specimen] = style
        earlier.append((marker, specimen))
    return chosen


def _after(values, value, key="symbol") -> list:
    """Return the house values after ``value``, ``value`` left out (all of them,
    from the first, if it is none of theirs)."""
    kinds = [_kind(key, v) for v in values]
    wanted = _kind(key, value)
    start = kinds.index(wanted) + 1 if wanted in kinds else 0
    return [v for v in _rotated(values, start) if _kind(key, v) != wanted]


def _rotated(values, number):
    start = number % len(values)
    return [*values[start:], *values[:start]]


# The house line styles are the named ones with print-friendly dash lengths, and
# a long dash no name gives.
_LINESTYLE_KINDS = dict(
    zip(DEFAULT_LINESTYLES, ("-", "--", "-.", "long dash"), strict=True)
)


def _kind(key, value):
    if key == "linestyle":
        return _LINESTYLE_KINDS.get(value, value)
    # "red", "RED", "r" and "#ff0000" are one color to a reader.
    return to_rgba(value) if key == "color" else value


def _refuse_lookalikes(styles) -> None:
    names = list(styles)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = styles[first], styles[second]
            if _kind("color", a.color) == _kind("color", b.color) and (
                a.symbol == b.symbol
            ):
                raise InputError(
                    f"{first} and {second} would be drawn alike (color {a.color}, "
                    f"symbol {a.symbol}); give one of them another color or symbol"
                )


def compute_shade(case, options) -> tuple[str, ...]:
    """Return what to shade, refusing names that mean no kind, lane or label."""
    shade = options.shade
    if shade is None:
        shade = tuple(case.figure.get("shade", DEFAULT_SHADE))
    labels = set(case.treatments["label"].astype(str).str.strip().str.casefold())
    lanes = {lane.casefold() for lane in (*LANE_ORDER, *case.treatments["lane"])}
    for name in shade:
        folded = str(name).strip().casefold()
        if folded == SHADE_ALL or canonical_kind(name) or folded in (lanes | labels):
            continue
        choices = sorted({*LANE_ORDER, *KINDS})
        near = difflib.get_close_matches(folded, choices, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise InputError(
            f"shade {name!r} is no treatment kind, lane or label of this case{hint} "
            f"(kinds: {', '.join(KINDS)}; lanes: {', '.join(LANE_ORDER)})"
        )
    return tuple(shade)


def shaded_courses(treatments, shade):
    """Return the treatments whose kind, lane or label is among ``shade``."""
    if not len(treatments):
        return treatments
    kinds = {canonical_kind(name) for name in shade} - {None}
    names = {str(name).strip().casefold() for name in shade}
    if SHADE_ALL in names:
        return treatments
    chosen = [
        row["kind"] in kinds
        or str(row["lane"]).casefold() in names
        or str(row["label"]).strip().casefold() in names
        for row in treatments[["kind", "lane", "label"]].to_dict("records")
    ]
    return treatments[chosen]


def _chosen_styles(case, options) -> dict:
    """Return each marker's color, symbol and line style choices: the case's,
    then the options', by canonical marker name."""
    chosen = {name: dict(style) for name, style in case.marker_styles.items()}
    for name, style in (options.marker_styles or {}).items():
        # A marker a patient of a cohort lacks is no mistake; a typo is.
        known = find_marker(name, case.markers) or find_marker(name)
        if known is None:
            raise InputError(
                f"marker_styles: {name!r} is not a marker; choose from "
                f"{', '.join(case.markers)}"
            )
        chosen[known.name] = {**chosen.get(known.name, {}), **style}
    return chosen
