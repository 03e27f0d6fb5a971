"""The geometry of a treatment track, computed before anything is drawn.

Pure numpy and pandas: lanes, marks and label positions in inches and day numbers,
so the layout is tested without rendering.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.vocabulary import LANE_ORDER
from .labels import assign_tiers
from .sublanes import item_rows
from .timeline import day_numbers

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

EVENTS_LANE = "Events"
LABEL_WRAP_CHARS = 16
# Track geometry in inches: marks sit near the bottom of a lane, labels above them.
MARK_ABOVE_BOTTOM_IN = 0.08
LABEL_ABOVE_BOTTOM_IN = 0.21
TIER_GAP_IN = 0.03
LANE_TOP_PAD_IN = 0.03
# Dose segments: their labels sit under the bar, in a row added to the lane.
BAR_HALF_HEIGHT_IN = 0.035
SEGMENT_LABEL_GAP_IN = 0.015
SEGMENT_PAD_IN = 0.03
# Rows written one after the other (the next starts the day the last ends, or the
# day after) are one therapy whose dose changed.
CONTIGUOUS_DAYS = 1
_LEADING_NUMBER = re.compile(r"^\s*[0-9]+(?:[.,][0-9]+)?")


def track_lanes(treatments, events=None) -> list[str]:
    """Return the lanes a track needs, top to bottom: events, then known kinds."""
    present = list(dict.fromkeys(treatments["lane"])) if len(treatments) else []
    known = [lane for lane in LANE_ORDER if lane in present]
    lanes = [EVENTS_LANE] if events is not None and len(events) else []
    return lanes + known + [lane for lane in present if lane not in known]


def course_label(row) -> str:
    """Return a treatment's track label, with dose and fractions when given.

    A course's ``dose`` is written under its bar (see ``track_items``); a
    single-day treatment's under its label.
    """
    label = row.get("label") or str(row["kind"]).capitalize()
    if pd.notna(row.get("dose_gy")) and pd.notna(row.get("fractions")):
        label += f"\n{row['dose_gy']:g} Gy/{row['fractions']} fx"
    if _dose(row) and pd.isna(row.get("end")):
        label += f"\n{_dose(row)}"
    return label


def _dose(row) -> str:
    dose = row.get("dose")
    return "" if dose is None or pd.isna(dose) else str(dose).strip()


def therapies(treatments) -> list[list[int]]:
    """Group treatment rows into therapies: positions in ``treatments``.

    Courses of one kind and label, each with a ``dose`` and an end, each starting
    the day the one before ends (or the day after), are one therapy whose dose
    changed; every other row is a therapy of its own.
    """
    groups: list[list[int]] = []
    rows = treatments.reset_index(drop=True).to_dict("records")
    order = sorted(range(len(rows)), key=lambda i: rows[i]["start"])
    open_by_key: dict = {}
    for i in order:
        row = rows[i]
        key = (row["kind"], str(row.get("label") or "").strip().casefold())
        last = open_by_key.get(key)
        if (
            last is not None
            and _dose(row)
            and pd.notna(row["end"])
            and 0 <= (row["start"] - rows[last[-1]]["end"]).days <= CONTIGUOUS_DAYS
        ):
            last.append(i)
        else:
            groups.append([i])
        open_by_key[key] = groups[-1] if _dose(row) and pd.notna(row["end"]) else None
    return sorted(groups, key=lambda group: group[0])


def _wrap(text: str) -> str:
    if "\n" in text:
        return text
    return "\n".join(textwrap.wrap(text, LABEL_WRAP_CHARS)) or text


def track_items(treatments, events=None) -> pd.DataFrame:
    """Return one row per mark on the track: lane, start, end, label, approx.

    A therapy whose dose changed (see :func:`therapies`) is one item; its
    ``segments`` are ``(start, end, dose)`` of each dose, and a course with a
    dose is a one-segment therapy. Other items have no segments.
    """
    treatments = _merge_therapies(treatments)
    columns = ("label", "kind", "dose_gy", "fractions", "dose", "end")
    labels = [
        course_label(row)
        for row in treatments[[c for c in columns if c in treatments]].to_dict(
            "records"
        )
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
            "start_unknown": [
                *(
                    treatments["start_unknown"]
                    if "start_unknown" in treatments
                    else [False] * len(treatments)
                ),
                *[False] * len(events),
            ],
            "approx": [
                *(treatments["date_precision"] != "day"),
                *(events["date_precision"] != "day"),
            ],
            "segments": [*treatments["segments"], *[()] * len(events)],
        }
    )
    return items


def _merge_therapies(treatments) -> pd.DataFrame:
    """Return one row per therapy, with its dose ``segments``."""
    treatments = treatments.reset_index(drop=True)
    # Most cases give no doses: skip the grouping, row by row, for them.
    if (
        "dose" not in treatments
        or not (treatments["dose"].fillna("").astype(str).str.strip() != "").any()
    ):
        return treatments.assign(segments=[()] * len(treatments))
    merged = []
    for group in therapies(treatments):
        rows = treatments.iloc[group]
        first = rows.iloc[0].copy()
        segments = tuple(
            (row.start, row.end, _dose(row._asdict()))
            for row in rows.itertuples()
            if pd.notna(row.end) and _dose(row._asdict())
        )
        first["end"] = rows["end"].iloc[-1]
        if "ongoing" in rows:
            first["ongoing"] = bool(rows["ongoing"].iloc[-1])
        if (rows["date_precision"] != "day").any():
            first["date_precision"] = rows.loc[
                rows["date_precision"] != "day", "date_precision"
            ].iloc[0]
        first["segments"] = segments
        merged.append(first)
    if not merged:
        return treatments.assign(segments=[()] * len(treatments))
    return pd.DataFrame(merged).reset_index(drop=True)


def abbreviated_dose(text: str) -> str:
    """Return the dose's leading number ("12 mg/d" -> "12"), or "" if none."""
    found = _LEADING_NUMBER.match(text)
    return found.group(0).strip() if found else ""


def segment_texts(items) -> list[str]:
    """Return every text a segment may be labelled with: full and abbreviated."""
    texts = {
        text
        for segments in items["segments"]
        for *_, dose in segments
        for text in (dose, abbreviated_dose(dose))
        if text
    }
    return sorted(texts)


def label_doses(items, *, xlim, width_in, segment_sizes_in) -> pd.DataFrame:
    """Choose the dose labels under each bar; where one cannot be written, even
    as its number, the item's label above lists every dose of the therapy
    ("Lenvatinib" becomes "Lenvatinib\n12 → 4 → 6 mg/d"), so no dose is lost.

    Call before measuring the labels; :func:`layout_track` keeps the choice.
    """
    items = items.reset_index(drop=True).copy()
    per_inch = (xlim[1] - xlim[0]) / width_in
    chosen, labels = [], []
    for label, segments in zip(items["label"], items["segments"], strict=True):
        placed = place_segment_labels(
            segments, per_inch=per_inch, sizes=segment_sizes_in
        )
        if len(placed) < len(segments):
            label = f"{label}\n{dose_sequence([dose for *_, dose in segments])}"
            placed = ()
        chosen.append(placed)
        labels.append(label)
    items["label"], items["segment_labels"] = labels, chosen
    return items


def dose_sequence(doses) -> str:
    """Return doses as one line: "12 mg/d → 4 mg/d" is "12 → 4 mg/d" when the
    doses end in one unit."""
    units = {dose[len(abbreviated_dose(dose)) :].strip() for dose in doses}
    numbers = [abbreviated_dose(dose) for dose in doses]
    if len(units) == 1 and all(numbers) and next(iter(units)):
        return f"{' → '.join(numbers)} {units.pop()}"
    return " → ".join(doses)


def place_segment_labels(segments, *, per_inch, sizes) -> tuple:
    """Choose each segment's label: its dose if it fits inside the segment, else
    the dose's number if that fits, else none; return (center x, text) pairs.

    Labels never reach past their segment, so they never overlap one another.
    """
    placed = []
    for start, end, dose in segments:
        left, right = day_numbers(np.array([start, end], dtype="datetime64[ns]"))
        room = (right - left) / per_inch - SEGMENT_PAD_IN
        for text in (dose, abbreviated_dose(dose)):
            if text and sizes[text][0] <= room:
                placed.append(((left + right) / 2, text))
                break
    return tuple(placed)


@dataclass(frozen=True)
class TrackLayout:
    """Where every lane, mark and label of a treatment track goes, in inches.

    Attributes
    ----------
    lanes : tuple of str
        Lane titles, top to bottom.
    mark_y : dict
        Lane title to the height of the marks of its top row (0 is the top of the
        track, negative downward).
    height : float
        Total height of the track.
    items : DataFrame
        ``track_items`` plus ``center`` (mark x), ``label_x``, ``label_y`` (label
        bottom), ``tier``, ``row`` (the item's row in its lane, see
        ``plotting.computing.sublanes.sublanes``) and ``mark_y``, x in data
        units.
    rows : dict
        Lane title to the heights of the marks of each of its rows, top to
        bottom; one row unless items of the lane overlap.
    """

    lanes: tuple[str, ...]
    mark_y: dict
    height: float
    items: pd.DataFrame
    rows: dict

    def title_y(self, lane) -> float:
        """Return the height of a lane's title: the middle of its rows.

        Parameters
        ----------
        lane : str
            One of the layout's lanes.

        Returns
        -------
        float
            In axes units.
        """
        heights = self.rows[lane]
        return (heights[0] + heights[-1]) / 2


def layout_track(
    items: pd.DataFrame,
    lanes: Sequence[str],
    *,
    xlim: tuple[float, float],
    width_in: float,
    sizes_in: Sequence[tuple[float, float]],
    segment_sizes_in: Mapping[Any, Any] | None = None,
    gap_in: float = 0.04,
    max_shift_in: float = 0.45,
) -> TrackLayout:
    """Compute the geometry of a treatment track before anything is drawn.

    Items of one lane that would be drawn on one another go to rows of their own
    in the lane (``plotting.computing.sublanes.item_rows``), top down; each
    row is laid out as a lane is, with its own label tiers, so a lane without
    overlaps keeps the one row it always had.

    Parameters
    ----------
    items : DataFrame
        As ``track_items`` returns.
    lanes : sequence of str
        Lane titles, top to bottom.
    xlim : (float, float)
        The x limits, in data units (matplotlib date numbers).
    width_in : float
        Width of the Axes in inches, which fixes how many days an inch holds.
    sizes_in : sequence of (float, float)
        Width and height of each item's label in inches, in ``items`` order.
    segment_sizes_in : dict, optional
        Width and height in inches of each text ``segment_texts`` returns;
        needed when an item has dose segments.
    gap_in, max_shift_in : float
        Clear space between labels, and the furthest a label should move from its
        mark before another tier is used.

    Returns
    -------
    TrackLayout
        Where each lane, row, bar and label goes, in axes units.
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
    if "segments" not in items:
        items["segments"] = [()] * len(items)
    segment_labels = (
        list(items["segment_labels"])
        if "segment_labels" in items
        else [
            place_segment_labels(
                segments, per_inch=per_inch, sizes=segment_sizes_in or {}
            )
            for segments in items["segments"]
        ]
    )
    dividers = [
        tuple(day_numbers(np.array([s[0] for s in segments[1:]], "datetime64[ns]")))
        for segments in items["segments"]
    ]
    row_of = item_rows(items, per_inch=per_inch)
    counts = {lane: row_of[lane_of == lane].max(initial=0) + 1 for lane in lanes}
    mark_y, lane_rows, top = {}, {}, 0.0
    for lane, row in ((name, r) for name in lanes for r in range(counts[name])):
        rows = np.flatnonzero((lane_of == lane) & (row_of == row))
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
        below = _segment_row(rows, segment_labels, segment_sizes_in or {})
        height = below + LABEL_ABOVE_BOTTOM_IN + (int(tiers.max(initial=0)) + 1) * step
        # Rows of a lane are spaced as lanes are: a closer row would bring its
        # labels nearer the marks above them than their own.
        bottom = top - height - LANE_TOP_PAD_IN
        mark = bottom + below + MARK_ABOVE_BOTTOM_IN
        lane_rows[lane] = (*lane_rows.get(lane, ()), mark)
        mark_y.setdefault(lane, mark)
        tier_of[rows], label_x[rows] = tiers, placed
        label_y[rows] = bottom + below + LABEL_ABOVE_BOTTOM_IN + tiers * step
        marks[rows] = mark
        top = bottom
    items["center"], items["label_x"], items["label_y"] = centers, label_x, label_y
    items["tier"], items["mark_y"] = tier_of, marks
    items["segment_labels"], items["dividers"] = segment_labels, dividers
    items["segment_label_y"] = (
        marks - BAR_HALF_HEIGHT_IN - SEGMENT_LABEL_GAP_IN if len(items) else marks
    )
    items["row"] = row_of
    return TrackLayout(tuple(lanes), mark_y, -top, items, lane_rows)


def _segment_row(rows, segment_labels, sizes) -> float:
    """Return the height a lane adds under its marks for dose labels."""
    heights = [sizes[text][1] for i in rows for _, text in segment_labels[i]]
    if not heights:
        return 0.0
    # The labels hang below the bar, which reaches below the marks' line.
    return max(0.0, max(heights) + BAR_HALF_HEIGHT_IN + SEGMENT_LABEL_GAP_IN - 0.05)
