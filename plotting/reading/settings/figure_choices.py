"""Checks of the figure choices a case or a caller may make (pure Python).

Colors, symbols and line styles are checked here as matplotlib will read them, so
a typo in ``case.toml`` or on the command line is reported with its place and a
suggestion before anything is drawn. Colors are checked by matplotlib itself
(imported only when a color is given); symbols and line styles against the short
lists the figures offer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from ...core.errors import InputError

# matplotlib marker symbols that can be drawn filled (a result dated to the day)
# and open (an approximate date): "+" and "x" cannot, so they are not offered.
SYMBOLS = {
    "o": "circle",
    "s": "square",
    "D": "diamond",
    "d": "thin diamond",
    "<": "triangle left",
    ">": "triangle right",
    "p": "pentagon",
    "h": "hexagon",
    "H": "hexagon (flat)",
    "8": "octagon",
    "*": "star",
    "P": "plus (filled)",
    "X": "x (filled)",
}
# Taken: triangles up and down are censored results (above or below a limit).
RESERVED_SYMBOLS = {"^": "a result above its limit", "v": "a result below its limit"}
# Line styles by their matplotlib short name; the long names mean the same.
LINESTYLE_NAMES = {
    "-": "-",
    "--": "--",
    "-.": "-.",
    "solid": "-",
    "dashed": "--",
    "dashdot": "-.",
}
# Taken: dots join results across an interval without results ("Dotted: over
# 365 days without a result"); a marker drawn dotted would read as unmeasured.
RESERVED_LINESTYLES = {":", "dotted"}
STYLE_KEYS = ("color", "symbol", "linestyle")
# Where the legend goes: above the trend panel (the default), inside one of its
# corners, beside it, below the whole figure, or nowhere.
LEGEND_POSITIONS = (
    "above",
    "upper right",
    "upper left",
    "lower right",
    "lower left",
    "outside right",
    "below",
    "none",
)


def _suggest(text: str, choices) -> str:
    near = difflib.get_close_matches(str(text).casefold(), list(choices), n=1)
    return f"; did you mean {near[0]!r}?" if near else ""


def check_color(value):
    """Return a color as matplotlib will read it, or raise naming what to write.

    Anything matplotlib takes is accepted: a name (``"navy"``, ``"tab:red"``,
    ``"xkcd:sky blue"``), a cycle color (``"C0"``), a grey level (``"0.5"``),
    ``#rgb``, ``#rrggbb`` or ``#rrggbbaa``, ``"none"``, or an RGB or RGBA tuple of
    numbers from 0 to 1. matplotlib is imported only when a color is given, so a
    case without colors is read without it.
    """
    from matplotlib.colors import get_named_colors_mapping, is_color_like

    if isinstance(value, list | tuple):
        if 3 <= len(value) <= 4 and all(_is_unit_number(v) for v in value):
            return tuple(float(v) for v in value)
        raise InputError(
            f"color {value!r}: an RGB color is three or four numbers from 0 to 1, "
            "such as [0.12, 0.47, 0.71]"
        )
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            f'color {value!r}: write a color in quotes, such as "#1f77b4" or "navy"'
        )
    text = value.strip()
    if is_color_like(text):
        # One spelling for one color, so two markers given "red" and "RED" are
        # seen to share it; matplotlib reads names in any case.
        folded = text.casefold()
        if folded in get_named_colors_mapping() or text.startswith("#"):
            return folded
        return text
    if re.fullmatch(r"#?[0-9a-fA-F]+", text) or text.startswith("#"):
        raise InputError(
            f"color {value!r} is not a hex color; write # and 3, 6 or 8 hex digits, "
            'such as "#d62728"'
        )
    hint = _suggest(text.casefold(), get_named_colors_mapping())
    raise InputError(
        f"color {value!r} is not a color matplotlib knows{hint} (write a name such "
        'as "navy" or "tab:red", a cycle color such as "C0", or a hex color such '
        'as "#d62728")'
    )


def _is_unit_number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= 1
    )


def check_symbol(value) -> str:
    """Return a matplotlib marker symbol, or raise listing the accepted ones."""
    if isinstance(value, str) and value.strip() in SYMBOLS:
        return value.strip()
    named = {name: code for code, name in SYMBOLS.items()}
    if isinstance(value, str) and value.strip().casefold() in named:
        return named[value.strip().casefold()]
    listed = ", ".join(f"{code} ({name})" for code, name in SYMBOLS.items())
    taken = RESERVED_SYMBOLS.get(value.strip()) if isinstance(value, str) else None
    if taken:
        raise InputError(
            f"symbol {value!r} is taken: the figure draws {taken} with it; use one "
            f"of {listed}"
        )
    raise InputError(f"symbol {value!r} is not a known symbol; use one of {listed}")


def check_linestyle(value) -> str:
    """Return a matplotlib line style, or raise listing the accepted ones."""
    if isinstance(value, str) and value.strip().casefold() in LINESTYLE_NAMES:
        return LINESTYLE_NAMES[value.strip().casefold()]
    if isinstance(value, str) and value.strip().casefold() in RESERVED_LINESTYLES:
        raise InputError(
            f"linestyle {value!r} is taken: the figure draws dotted links between "
            "results with no result in between; use one of "
            f"{', '.join(LINESTYLE_NAMES)}"
        )
    raise InputError(
        f"linestyle {value!r} is not a known line style; use one of "
        f"{', '.join(LINESTYLE_NAMES)}"
    )


_CHECKS = {"color": check_color, "symbol": check_symbol, "linestyle": check_linestyle}


def check_marker_style(style: Mapping) -> dict:
    """Return a marker's ``color``, ``symbol`` and ``linestyle`` choices, checked.

    Raises
    ------
    InputError
        Naming the key or value to change.
    """
    if not isinstance(style, Mapping):
        raise InputError(
            f"a marker style must be a mapping such as {{'color': 'navy'}}, not "
            f"{style!r}"
        )
    checked = {}
    for key, value in style.items():
        if key not in _CHECKS:
            raise InputError(
                f"unknown style key {key!r}{_suggest(key, STYLE_KEYS)}; "
                f"known: {', '.join(STYLE_KEYS)}"
            )
        checked[key] = _CHECKS[key](value)
    return checked


def check_legend_position(value) -> str:
    """Return a legend position, or raise listing the accepted ones."""
    text = value.strip().casefold() if isinstance(value, str) else value
    if text in LEGEND_POSITIONS:
        return text
    hint = _suggest(str(value), LEGEND_POSITIONS) if isinstance(value, str) else ""
    raise InputError(
        f"legend {value!r} is not a legend position{hint}; use one of "
        f"{', '.join(LEGEND_POSITIONS)}"
    )


def check_panel(value) -> str:
    """Return a panel letter (a short label such as ``A`` or ``b``), checked."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 3:
        raise InputError(
            f'panel {value!r}: write a short panel label in quotes, such as "A"'
        )
    return value.strip()


def read_marker_style(name, table: dict, problem) -> dict:
    """Check a ``[markers.X]`` table's color, symbol and linestyle.

    ``problem`` is called with each message; the checked values are returned.
    """
    where = f"[markers.{name}]"
    written = {key: table[key] for key in STYLE_KEYS if key in table}
    try:
        return check_marker_style(written)
    except InputError as err:
        problem(f"{where} {err}")
        return {}


def read_figure(table: dict, problem) -> dict:
    """Check ``[figure]``: legend position, panel letter and what to shade.

    ``problem`` is called with each message; the checked values are returned.
    """
    checked = {}
    for key, check in (("legend", check_legend_position), ("panel", check_panel)):
        if key in table:
            try:
                checked[key] = check(table[key])
            except InputError as err:
                problem(f"[figure] {err}")
    if "shade" in table:
        shade = table["shade"]
        if isinstance(shade, str):
            shade = [shade]
        if not isinstance(shade, list) or not all(isinstance(s, str) for s in shade):
            problem(
                "[figure] shade must be a list of treatment kinds or labels in "
                'quotes, such as shade = ["radiotherapy", "targeted therapy"]'
            )
        else:
            checked["shade"] = tuple(shade)
    return checked
