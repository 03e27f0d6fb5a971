"""The geometry of a treatment track, computed before anything is drawn.

Pure numpy and pandas: lanes, marks and label positions in inches and day numbers,
so the layout is tested without rendering.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..reading.errors import InputError
from ..reading.treatment_kinds import LANE_ORDER
from .labels import assign_tiers
from .timeline import day_numbers

EVENTS_LANE = "Events"
LABEL_WRAP_CHARS = 16
# Track geometry in inches: marks sit near the bottom of a lane, labels above them.
MARK_ABOVE_BOTTOM_IN = 0.08
LABEL_ABOVE_BOTTOM_IN = 0.21
TIER_GAP_IN = 0.03
LANE_TOP_PAD_IN = 0.03


def track_lanes(treatments, events=None) -> list[str]:
    """Return the lanes a track needs, top to bottom: events, then known kinds."""
    present = list(dict.fromkeys(treatments["lane"])) if len(treatments) else []
    known = [lane for lane in LANE_ORDER if lane in present]
    lanes = [EVENTS_LANE] if events is not None and len(events) else []
    return lanes + known + [lane for lane in present if lane not in known]


def course_label(row) -> str:
    """Return a treatment's track label, with dose and fractions when given."""
    label = row.get("label") or str(row["kind"]).capitalize()
    if pd.notna(row.get("dose_gy")) and pd.notna(row.get("fractions")):
        label += f"\n{row['dose_gy']:g} Gy/{row['fractions']} fx"
    return label


def _wrap(text: str) -> str:
    if "\n" in text:
        return text
    return "\n".join(textwrap.wrap(text, LABEL_WRAP_CHARS)) or text


def track_items(treatments, events=None) -> pd.DataFrame:
    """Return one row per mark on the track: lane, start, end, label, approx."""
    labels = [
        course_label(row)
        for row in treatments[
            [c for c in ("label", "kind", "dose_gy", "fractions") if c in treatments]
        ].to_dict("records")
    ]
    events = (
        events
        if events is not None
        else pd.DataFrame(columns=["date", "label", "date_precision"])
    )
    items = pd.DataFrame(
        {
            "lane": [*treatments["lane"], *[EVENTS_LANE] * len(events)],
            "start": pd.to_datetime([*treatments["start"], *events["date"]]),
            "end": pd.to_datetime([*treatments["end"], *[pd.NaT] * len(events)]),
            "label": [*labels, *(_wrap(label) for label in events["label"])],
            "ongoing": [
                *(
                    treatments["ongoing"]
                    if "ongoing" in treatments
                    else [False] * len(treatments)
                ),
                *[False] * len(events),
            ],
            "approx": [
                *(treatments["date_precision"] != "day"),
                *(events["date_precision"] != "day"),
            ],
        }
    )
    return items


@dataclass(frozen=True)
class TrackLayout:
    """Where every lane, mark and label of a treatment track goes, in inches.

    Attributes
    ----------
    lanes : tuple of str
        Lane titles, top to bottom.
    mark_y : dict
        Lane title to the height of its marks (0 is the top of the track, negative
        downward).
    height : float
        Total height of the track.
    items : DataFrame
        :func:`track_items` plus ``center`` (mark x), ``label_x``, ``label_y`` (label
        bottom), ``tier`` and ``mark_y``, x in data units.
    """

    lanes: tuple[str, ...]
    mark_y: dict
    height: float
    items: pd.DataFrame


def layout_track(
    items, lanes, *, xlim, width_in, sizes_in, gap_in=0.04, max_shift_in=0.45
) -> TrackLayout:
    """Compute the geometry of a treatment track before anything is drawn.

    Parameters
    ----------
    items : DataFrame
        As :func:`track_items` returns.
    lanes : sequence of str
        Lane titles, top to bottom.
    xlim : (float, float)
        The x limits, in data units (matplotlib date numbers).
    width_in : float
        Width of the Axes in inches, which fixes how many days an inch holds.
    sizes_in : sequence of (float, float)
        Width and height of each item's label in inches, in ``items`` order.
    gap_in, max_shift_in : float
        Clear space between labels, and the furthest a label should move from its
        mark before another tier is used.

    Returns
    -------
    TrackLayout
    """
    items = items.reset_index(drop=True).copy()
    per_inch = (xlim[1] - xlim[0]) / width_in
    sizes = np.asarray(sizes_in, dtype=float).reshape(-1, 2)
    starts = day_numbers(items["start"].to_numpy()) if len(items) else np.zeros(0)
    ends = (
        day_numbers(items["end"].fillna(items["start"]).to_numpy())
        if len(items)
        else starts
    )
    centers = (starts + ends) / 2
    label_x, label_y = centers.copy(), np.zeros(len(items))
    tier_of, marks = np.zeros(len(items), dtype=int), np.zeros(len(items))
    lane_of = items["lane"].to_numpy()
    mark_y, top = {}, 0.0
    for lane in lanes:
        rows = np.flatnonzero(lane_of == lane)
        rows = rows[np.argsort(centers[rows], kind="stable")]
        try:
            tiers, placed = assign_tiers(
                centers[rows],
                sizes[rows, 0] * per_inch,
                xlim[0],
                xlim[1],
                gap=gap_in * per_inch,
                max_shift=max_shift_in * per_inch,
            )
        except ValueError:
            widest = items["label"].iloc[rows[np.argmax(sizes[rows, 0])]]
            raise InputError(
                f"the {lane} labels do not fit on the track ({width_in:.1f} in "
                f"wide); the widest is {widest!r}: shorten it, or use a wider "
                "figure"
            ) from None
        step = float(sizes[rows, 1].max(initial=0.0)) + TIER_GAP_IN
        height = LABEL_ABOVE_BOTTOM_IN + (int(tiers.max(initial=0)) + 1) * step
        bottom = top - height - LANE_TOP_PAD_IN
        mark_y[lane] = bottom + MARK_ABOVE_BOTTOM_IN
        tier_of[rows], label_x[rows] = tiers, placed
        label_y[rows] = bottom + LABEL_ABOVE_BOTTOM_IN + tiers * step
        marks[rows] = mark_y[lane]
        top = bottom
    items["center"], items["label_x"], items["label_y"] = centers, label_x, label_y
    items["tier"], items["mark_y"] = tier_of, marks
    return TrackLayout(tuple(lanes), mark_y, -top, items)
