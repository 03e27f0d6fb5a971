"""Shared fixtures: the Fig. 4 case and small synthetic cases written to disk."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from plotting import read_case

ROOT = Path(__file__).resolve().parents[1]
YU2020 = ROOT / "data" / "yu2020"

DEFAULT_TOML = """
title = "Synthetic case"
[time]
origin = "2010-01-01"
last_follow_up = "2014-12-31"
"""


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def yu2020():
    return read_case(YU2020)


@pytest.fixture
def write_case(tmp_path):
    """Return a function that writes a case folder from file texts."""

    def write(measurements, treatments=None, events=None, toml=DEFAULT_TOML):
        folder = tmp_path / "case"
        folder.mkdir(exist_ok=True)
        files = {
            "case.toml": toml,
            "measurements.csv": measurements,
            "treatments.csv": treatments,
            "events.csv": events,
        }
        for name, text in files.items():
            if text is not None:
                (folder / name).write_text(textwrap.dedent(text).lstrip())
        return folder

    return write


def synthetic_measurements(rows):
    """Build a tidy measurement table from (date, marker, value, precision) rows."""
    table = pd.DataFrame(rows, columns=["date", "marker", "value", "date_precision"])
    table["date"] = pd.to_datetime(table["date"])
    units = {"AFP": "ng/mL", "PIVKA-II": "mAU/mL", "CEA": "ng/mL"}
    table["unit"] = table["marker"].map(units)
    return table


def synthetic_treatments(rows):
    """Build a tidy treatment table from (kind, lane, start, end, label, precision)."""
    table = pd.DataFrame(
        rows, columns=["kind", "lane", "start", "end", "label", "date_precision"]
    )
    table["start"] = pd.to_datetime(table["start"])
    table["end"] = pd.to_datetime(table["end"])
    table["dose_gy"] = float("nan")
    table["fractions"] = pd.array([None] * len(table), dtype="Int64")
    return table
