"""Shared fixtures: the Fig. 4 case and small synthetic cases written to disk."""

from __future__ import annotations

import subprocess
import sys
import tarfile
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


# -W error: a deprecation in the build configuration fails the build, and so this.
BUILD = "import sys; from setuptools import build_meta as b; print(b.{}(sys.argv[1]))"


def run_checked(argv, cwd, **kwargs) -> str:
    """Run a command; return its output, failing with its output if it fails."""
    result = subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _build(kind: str, source: Path, into: Path) -> Path:
    # No isolation and no download: the setuptools of the test environment builds.
    out = run_checked(
        [sys.executable, "-W", "error", "-c", BUILD.format(kind), into], source
    )
    return into / out.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The sdist built from the repository's files, and the wheel built from it.

    Shared by tests/test_wheel.py and tests/test_facts.py: one build a session.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    # The files a fresh clone has, copied so that no build output lands in ROOT.
    listed = run_checked(["git", "ls-files", "-co", "--exclude-standard", "-z"], ROOT)
    clone = tmp / "clone"
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            (clone / name).write_bytes((ROOT / name).read_bytes())
    sdist = _build("build_sdist", clone, tmp / "dist")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp / "unpacked", filter="data")
    (unpacked,) = (tmp / "unpacked").iterdir()
    wheel = _build("build_wheel", unpacked, tmp / "dist")
    return sdist, wheel


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
