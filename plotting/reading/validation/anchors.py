"""Times counted from a named moment of the case (``after``), not from its origin.

Papers time one thing from another: "17 months after complete remission", "three
weeks later", "after 15 months of letrozole". A row's ``after`` names an event's
``label`` or a treatment's ``label`` (that treatment's start); its times are then
counted from there, in its ``time_unit`` or the case's. Anchors may themselves be
timed from anchors; every chain is followed to the origin, and a chain that
returns to where it began, names nothing, or names two rows is refused.
"""

from __future__ import annotations

import pandas as pd

from ...core.dates import RELATIVE_ORIGIN
from ...core.errors import Problem
from ..tables.columns import text_column

# Coarser precisions win when an offset is added to an anchor: three weeks after
# a time known to the month is known to the month.
_COARSENESS = {"day": 0, "month": 1, "year": 2, "approximate": 3}
# The table each kind of anchor lives in, and the column holding its time.
_ANCHOR_TIME = {"events": "date", "treatments": "start"}


def anchor_key(label: str) -> str:
    """Return how an anchor's name is compared: without case or extra spaces."""
    return " ".join(str(label).split()).casefold()


def resolve_anchors(frames: dict, tables: dict, meta, problems: list) -> dict:
    """Return the case's tables with every time written ``after`` an anchor placed.

    Parameters
    ----------
    frames : dict
        ``measurements``, ``treatments`` and ``events`` as checked tables, with
        the ``after`` text of each row (empty for times from the origin).
    tables : dict
        The same tables as read (:class:`plotting.reading.tables.files.RawTable`
        or None), for the file, row and column of each problem.
    meta : CaseMetadata
        Calendar cases take no ``after``: their rows are dated.
    problems : list of Problem
        Problems found are added.

    Returns
    -------
    dict
        The three tables, rows with ``after`` moved by their anchor's time from
        the origin (``date``, ``latest``, ``start`` and a written ``end``), their
        precision the coarser of their own and their anchor's.
    """
    written = {
        name: tables[name] is not None and "after" in tables[name].frame
        for name in frames
    }
    if not any(written.values()):
        return frames
    if meta.time_unit is None:
        for name, table in tables.items():
            if written.get(name):
                _refuse_calendar(table, frames[name], problems)
        return frames
    anchors = _anchors(frames)
    shifts = {}
    for name, frame in frames.items():
        if not written[name]:
            continue
        for index in frame.index[frame["after"].astype(str).str.strip() != ""]:
            _shift((name, index), frames, tables, anchors, problems, shifts, ())
    out = {name: frame.copy() for name, frame in frames.items()}
    for (name, index), found in shifts.items():
        if found is None or not str(frames[name].at[index, "after"]).strip():
            continue
        shift, precision = found
        frame = out[name]
        columns = {
            "measurements": ("date", "latest"),
            "events": ("date",),
            "treatments": ("start", "end"),
        }[name]
        for column in columns:
            if column == "end" and frame.at[index, "ongoing"]:
                continue
            if column in frame and pd.notna(frame.at[index, column]):
                frame.at[index, column] = frame.at[index, column] + shift
        own = frame.at[index, "date_precision"]
        if _COARSENESS.get(precision, 0) > _COARSENESS.get(own, 0):
            frame.at[index, "date_precision"] = precision
    time = {"measurements": "date", "events": "date", "treatments": "start"}
    return {
        name: frame.sort_values([time[name], "row"], kind="stable").reset_index(
            drop=True
        )
        for name, frame in out.items()
    }


def _anchors(frames) -> dict:
    """Return each anchor name to the rows it names, as ``(table, index)``."""
    anchors: dict[str, list] = {}
    for name in _ANCHOR_TIME:
        frame = frames[name]
        for index, label in zip(frame.index, frame["label"], strict=True):
            if str(label).strip():
                anchors.setdefault(anchor_key(label), []).append((name, index))
    return anchors


def _shift(where, frames, tables, anchors, problems, shifts, chain):
    """Return ``(time from the origin to the row's anchor, its precision)``, or
    None when the anchor cannot be placed (a problem says why)."""
    if where in shifts:
        return shifts[where]
    found = _place_anchor(where, frames, tables, anchors, problems, shifts, chain)
    shifts[where] = found
    return found


def _place_anchor(where, frames, tables, anchors, problems, shifts, chain):
    name, index = where
    frame = frames[name]
    written = str(frame.at[index, "after"]).strip()
    if not written:
        return pd.Timedelta(0), "day"
    table = tables[name]

    def problem(message):
        problems.append(
            Problem(
                table.name,
                message,
                int(frame.at[index, "row"]),
                table.column_name("after"),
                written,
            )
        )

    named = anchors.get(anchor_key(written), [])
    if not named:
        known = sorted({str(frames[n].at[i, "label"]) for n, i in _all(anchors)})
        listed = "; ".join(repr(k) for k in known[:8]) or "none"
        problem(
            "names no event or treatment of this case; write the label of an event "
            f"(events.csv) or a treatment (treatments.csv) as written there: {listed}"
        )
        return None
    if len(named) > 1:
        rows = ", ".join(
            f"{tables[n].name} row {int(frames[n].at[i, 'row'])}" for n, i in named
        )
        problem(
            f"names two rows ({rows}); give them labels of their own so that the "
            "anchor is one moment"
        )
        return None
    anchor = named[0]
    if anchor == where or anchor in chain:
        problem(
            "the times form a circle (each counted from the other); count one of "
            "them from the origin"
        )
        return None
    anchor_name, anchor_index = anchor
    anchor_frame = frames[anchor_name]
    column = _ANCHOR_TIME[anchor_name]
    position = anchor_frame.at[anchor_index, column]
    if pd.isna(position):
        what = (
            "its start is not known"
            if anchor_name == "treatments"
            else "its date was not read"
        )
        problem(f"the anchor {written!r} has no time ({what}); count from another")
        return None
    before = _shift(anchor, frames, tables, anchors, problems, shifts, (*chain, where))
    if before is None:
        return None
    shift, precision = before
    own = anchor_frame.at[anchor_index, "date_precision"]
    if _COARSENESS.get(own, 0) > _COARSENESS.get(precision, 0):
        precision = own
    return position - RELATIVE_ORIGIN + shift, precision


def _all(anchors):
    for rows in anchors.values():
        yield from rows


def _refuse_calendar(table, frame, problems):
    for row, text in zip(frame["row"], text_column(table, "after"), strict=True):
        if text.strip():
            problems.append(
                Problem(
                    table.name,
                    "after is for times counted from an event ([time] relative in "
                    "case.toml); in a calendar case write the date itself, and how "
                    "it follows from the event in date_reasoning",
                    int(row),
                    table.column_name("after"),
                    text,
                )
            )
