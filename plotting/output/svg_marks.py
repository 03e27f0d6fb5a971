"""Read a case figure's marks off its artists, and name them in its SVG.

Matplotlib writes a series' symbols as one group holding a ``<use>`` per point.
Each ``<use>`` is matched to its point by where it is drawn (the SVG coordinates
the artist's transform gives), not by counting, so a point matplotlib leaves out
(off the page) never shifts the others onto the wrong rows. The SVG text is then
changed only by adding ``<title>`` tooltips (and, for the page, attributes that
make each mark focusable): every drawn byte stays where it was.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np

from .figure_marks import DrawnMark, FigureMarks, Mark, index_figure

# Gid prefixes (plotting/drawing/trend.py and track.py) to the kind they draw.
_KINDS = {
    "trend-points": "points",
    "trend-zero": "zeros",
    "trend-range": "range",
    "course": "course",
    "mark": "mark",
}
_CENSOR_SIGNS = ("<", ">")
# SVG coordinates are written with up to 6 decimals: a point is where its
# <use> is to well within this many points (1/72 inch).
_SAME_PLACE_PT = 0.01
_USE = re.compile(r"<use\b[^>]*?/>")
_XY = re.compile(r'\bx="(?P<x>[-0-9.e]+)" y="(?P<y>[-0-9.e]+)"')
_GROUP_TAG = re.compile(r"<g[\s>]|</g>")


@dataclass(frozen=True)
class _Placed:
    drawn: DrawnMark
    # Where each point's <use> is in the SVG, in points from the top left.
    places: tuple[tuple[float, float], ...]


def drawn_marks(fig, original_gids=None) -> list[_Placed]:
    """Return the figure's result, treatment and event artists as plain values.

    Parameters
    ----------
    fig : Figure
        A figure ``plot_case`` drew.
    original_gids : dict, optional
        Artist to the gid it had before ids were numbered for the SVG; the
        artist's current gid is its SVG id.
    """
    original_gids = original_gids or {}
    placed = []
    for artist in fig.findobj(lambda a: bool(a.get_gid())):
        gid = original_gids.get(artist, artist.get_gid())
        prefix, _, rest = gid.partition(":")
        kind = _KINDS.get(prefix)
        if kind is None or not rest:
            continue
        parts = rest.split(":")
        censor = ""
        if kind in ("points", "zeros"):
            if parts[-1] in _CENSOR_SIGNS:
                censor = parts.pop()
            parts.pop()  # exact or approx: the row's date precision says which
        name = ":".join(parts)
        if kind == "course":
            xs = (float(artist.get_x()), float(artist.get_x() + artist.get_width()))
            ys: tuple[float, ...] = ()
        else:
            xs = tuple(float(x) for x in _numbers(artist.get_xdata(orig=False)))
            ys = tuple(float(y) for y in _numbers(artist.get_ydata(orig=False)))
        drawn = DrawnMark(
            element=artist.get_gid(),
            kind=kind,
            name=name,
            xs=xs,
            ys=ys,
            censor=censor,
        )
        places = _svg_places(fig, artist) if kind in ("points", "zeros") else ()
        placed.append(_Placed(drawn, places))
    return placed


def _numbers(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _svg_places(fig, artist) -> tuple[tuple[float, float], ...]:
    """Where the SVG backend puts each point of a line: points from top left."""
    xy = np.column_stack(
        [_numbers(artist.get_xdata(orig=False)), _numbers(artist.get_ydata(orig=False))]
    )
    display = artist.get_transform().transform(xy) * (72.0 / fig.dpi)
    height = fig.get_figheight() * 72.0
    return tuple((float(x), float(height - y)) for x, y in display)


def figure_marks(case, fig, original_gids=None) -> tuple[FigureMarks, dict]:
    """Match a figure's marks to the case's rows.

    Returns
    -------
    FigureMarks, dict
        The marks, and for each points element the SVG places of its points.
    """
    placed = drawn_marks(fig, original_gids)
    marks = index_figure(
        case, [p.drawn for p in placed], day_number=lambda s: mdates.date2num(s)
    )
    return marks, {p.drawn.element: p.places for p in placed if p.places}


def annotate_svg(
    svg: str,
    marks: Sequence[Mark],
    places: dict,
    *,
    focusable: bool = False,
) -> str:
    """Return the SVG text with a ``<title>`` on each mark's element.

    With ``focusable`` each mark's element also gets ``tabindex="0"``, the
    class ``mark``, ``data-mark`` (its position in ``marks``) and ``data-row``
    (``table:row``), for the page's script. A mark whose element is not found
    is said in a warning: it would be a point a reader cannot ask about.
    """
    edits: list[tuple[int, int, str]] = []
    by_element: dict[str, list[tuple[int, Mark]]] = {}
    for number, mark in enumerate(marks):
        by_element.setdefault(mark.element, []).append((number, mark))
    placed: set[int] = set()
    for element, found in by_element.items():
        opening = f"<g id={_svg_attribute(element)}>"
        start = svg.find(opening)
        if start < 0:
            continue
        end = _group_end(svg, start)
        for number, mark in found:
            extra = _attributes(number, mark) if focusable else ""
            title = f"<title>{_text(mark.title)}</title>"
            if mark.point is None:
                at = start + len(opening) - 1
                edits.append((at, at + 1, f"{extra}>{title}"))
                placed.add(number)
        points = {mark.point: (n, mark) for n, mark in found if mark.point is not None}
        if not points:
            continue
        uses = list(_USE.finditer(svg, start, end))
        matched = _points_of([use.group(0) for use in uses], places.get(element, ()))
        for use, point in zip(uses, matched, strict=True):
            if point not in points:
                continue
            number, mark = points[point]
            extra = _attributes(number, mark) if focusable else ""
            tag = use.group(0)[: -len("/>")].rstrip()
            title = f"<title>{_text(mark.title)}</title>"
            edits.append((use.start(), use.end(), f"{tag}{extra}>{title}</use>"))
            placed.add(number)
    missing = [
        mark.heading for number, mark in enumerate(marks) if number not in placed
    ]
    if missing:
        warnings.warn(
            f"{len(missing)} of the figure's {len(marks)} marks could not be found "
            f"in its SVG and show no details: {'; '.join(missing[:5])}"
            f"{' ...' if len(missing) > 5 else ''}. This is a bug of marker-trends; "
            "please report it with the case",
            UserWarning,
            stacklevel=2,
        )
    for begin, finish, text in sorted(edits, reverse=True):
        svg = svg[:begin] + text + svg[finish:]
    return svg


def _points_of(uses: Sequence[str], places) -> list[int | None]:
    """Return the point each ``<use>`` draws, or None.

    The writer draws a line's points in their order, leaving out only those
    off the page, so each ``<use>`` is the next point drawn where it is: two
    points a hair apart (two results of one day, 5000 and 5001) still go to
    their own rows, in order.
    """
    found: list[int | None] = []
    following = 0
    for use in uses:
        at = _XY.search(use)
        point = None
        if at is not None:
            x, y = float(at["x"]), float(at["y"])
            for number in range(following, len(places)):
                px, py = places[number]
                if abs(px - x) <= _SAME_PLACE_PT and abs(py - y) <= _SAME_PLACE_PT:
                    point = number
                    following = number + 1
                    break
        found.append(point)
    return found


def _group_end(svg: str, start: int) -> int:
    depth = 0
    for tag in _GROUP_TAG.finditer(svg, start):
        depth += -1 if tag.group(0) == "</g>" else 1
        if depth == 0:
            return tag.end()
    return len(svg)


def _attributes(number: int, mark: Mark) -> str:
    rows = " ".join(f"{mark.table}:{row}" for row in mark.rows)
    return (
        f' class="mark" tabindex="0" role="button" data-mark="{number}"'
        f' data-row="{_attribute(rows)}" aria-label="{_attribute(mark.heading)}"'
    )


def _svg_attribute(text: str) -> str:
    """An attribute's value as matplotlib's SVG writer quotes it: in double
    quotes, in single quotes if it holds a double quote, entities if both."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if '"' not in text:
        return f'"{escaped}"'
    if "'" not in text:
        return f"'{escaped}'"
    return '"' + escaped.replace("'", "&apos;").replace('"', "&quot;") + '"'


def _attribute(text: str) -> str:
    return html.escape(text, quote=True)


def _text(text: str) -> str:
    return html.escape(text, quote=False)
