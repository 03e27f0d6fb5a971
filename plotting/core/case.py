"""A case as every layer sees it: one patient's checked tables and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .markers import Marker

# Results further apart than this are not joined by a line (``[time] max_gap_days``).
DEFAULT_MAX_GAP_DAYS = 365.0
# How the time axis may be labelled: dates, time since the origin, or both.
TIME_AXES = ("calendar", "since-diagnosis", "both")


@dataclass
class Case:
    """One patient's marker results, treatments and events, checked and tidy.

    Attributes
    ----------
    path : Path or None
        The case folder read; None for a case made from DataFrames.
    measurements : DataFrame
        One row per result: ``row`` (spreadsheet row), ``date`` (where to draw it),
        ``date_text``, ``date_precision``, ``marker``, ``value`` (the limit for a
        censored result), ``censor`` (``"<"``, ``">"`` or ``""``), ``unit``,
        ``value_text``, ``marker_text`` and ``unit_text`` as written, conversion
        columns, ``prior_history``, provenance, and any other column of the file.
    treatments : DataFrame
        One row per treatment: ``kind``, ``lane``, ``start``, ``end`` (NaT for a
        single-day procedure), ``label``, ``dose_gy``, ``fractions``, ``target``,
        ``technique``, ``date_precision`` and provenance.
    events : DataFrame
        Framing events (diagnosis, recurrence, last follow-up): ``date``, ``label``,
        ``date_precision`` and provenance.
    origin, last_follow_up : Timestamp
        The time origin (diagnosis, or ``[time] origin``) and the last follow-up,
        where the figure's time axis starts and ends.
    markers : dict of str to Marker
        The markers to draw, in order, with the case's limits and units applied.
    axes : dict of str to {"left", "right"}
        The y axis each marker is drawn on.
    max_gap_days : float
        Results further apart are not joined by the solid line.
    title, caption, reference : str
        From case.toml: a title, the figure's caption and the source's citation.
    notes : list of str
        What the package did to the data that a caption must say (conversions).
    time_axis : {"calendar", "since-diagnosis", "both"}
        The time axis drawn by default (``[time] axis``).
    origin_label : str
        What the origin is, for time-since axes ("diagnosis", "start of
        lenvatinib").
    time_unit : {"days", "weeks", "months", "years"} or None
        For a case whose times are relative to its origin (``[time] relative``):
        the unit they are written in. Every date column then holds
        ``plotting.core.dates.RELATIVE_ORIGIN`` plus that time, an arbitrary
        instant never shown: read them back with
        ``plotting.core.dates.relative_value``. None for calendar dates.
    marker_styles : dict
        Marker name to the ``color``, ``symbol`` and ``linestyle`` case.toml sets.
    figure : dict
        case.toml's ``[figure]`` choices: ``legend``, ``panel``, ``shade``.
    files : dict of str to str
        Table name to its file as a reader finds it in the case folder
        (``lab_export.xlsx [sheet Tumour markers]``); empty for a case made from
        DataFrames, whose rows are ``measurements.csv`` rows as written.
    """

    path: Path | None
    measurements: pd.DataFrame
    treatments: pd.DataFrame
    events: pd.DataFrame
    origin: pd.Timestamp
    last_follow_up: pd.Timestamp
    markers: dict[str, Marker]
    axes: dict[str, str] = field(default_factory=dict)
    max_gap_days: float = DEFAULT_MAX_GAP_DAYS
    title: str = ""
    caption: str = ""
    reference: str = ""
    notes: list[str] = field(default_factory=list)
    time_axis: str = "calendar"
    origin_label: str = "diagnosis"
    time_unit: str | None = None
    marker_styles: dict = field(default_factory=dict)
    figure: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
