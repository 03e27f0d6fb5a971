"""Synthetic cohorts for tests, examples and benchmarks (never real patients)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..reading.settings.case_toml import TABLE_NAMES

if TYPE_CHECKING:
    from ..core.types import PathLike

AFP_FLOOR = 2.0
# Labs report results above the assay's range as ">60000".
UPPER_LIMIT = 60000.0


def synthetic_cohort(n_patients: int, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Make a cohort of HCC-like marker courses, as tidy tables with ``patient_id``.

    Each patient has a diagnosis, one to four TACE sessions, half of them a
    radiotherapy course, AFP and PIVKA-II every 4-10 weeks that fall with a
    half-life of 10-60 days after the first treatment, and in 40% regrow with a
    doubling time of 60-200 days. AFP below 2.0 ng/mL is reported censored.

    Parameters
    ----------
    n_patients : int
        How many patients.
    seed : int
        Seed of the random generator; the same seed gives the same cohort.

    Returns
    -------
    dict of DataFrame
        ``patients`` (patient_id, origin, last_follow_up), ``measurements``,
        ``treatments`` and ``events``, in the columns read_cohort accepts.
    """
    rng = np.random.default_rng(seed)
    patients, measurements, treatments, events = [], [], [], []
    for number in range(1, n_patients + 1):
        pid = f"SYN-{number:04d}"
        origin = pd.Timestamp("2010-01-01") + pd.Timedelta(
            days=int(rng.integers(0, 2500))
        )
        follow_up = origin + pd.Timedelta(days=int(rng.integers(540, 2200)))
        patients.append(
            {
                "patient_id": pid,
                "origin": f"{origin:%Y-%m-%d}",
                "last_follow_up": f"{follow_up:%Y-%m-%d}",
            }
        )
        events.append(
            {
                "patient_id": pid,
                "date": f"{origin:%Y-%m-%d}",
                "label": "Diagnosis",
                "date_precision": "day",
            }
        )
        first = origin + pd.Timedelta(days=int(rng.integers(10, 60)))
        day = first
        for session in range(1, int(rng.integers(1, 5)) + 1):
            treatments.append(
                {
                    "patient_id": pid,
                    "kind": "tace",
                    "start": f"{day:%Y-%m-%d}",
                    "end": "",
                    "label": f"#{session}",
                    "date_precision": "day",
                }
            )
            day += pd.Timedelta(days=int(rng.integers(50, 100)))
        if rng.random() < 0.5:
            fractions = int(rng.choice([5, 10, 15, 25]))
            end = day + pd.Timedelta(days=fractions * 7 // 5)
            treatments.append(
                {
                    "patient_id": pid,
                    "kind": "radiotherapy",
                    "start": f"{day:%Y-%m-%d}",
                    "end": f"{end:%Y-%m-%d}",
                    "label": "RT",
                    "dose_gy": 2.0 * fractions + 20,
                    "fractions": fractions,
                    "date_precision": "day",
                }
            )
        regrowth = rng.random() < 0.4
        relapse = first + pd.Timedelta(days=int(rng.integers(365, 730)))
        for marker, unit, median, nadir in (
            ("AFP", "ng/mL", 300.0, 4.0),
            ("PIVKA-II", "mAU/mL", 500.0, 25.0),
        ):
            baseline = float(median * np.exp(rng.normal(0, 1.2)))
            half_life = float(rng.uniform(10, 60))
            doubling = float(rng.uniform(60, 200))
            sample = origin + pd.Timedelta(days=int(rng.integers(0, 8)))
            while sample <= follow_up:
                value = _marker_value(
                    sample,
                    first,
                    baseline,
                    half_life,
                    nadir,
                    relapse if regrowth else None,
                    doubling,
                )
                value *= float(np.exp(rng.normal(0, 0.15)))
                text = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
                if marker == "AFP" and value < AFP_FLOOR:
                    text = f"<{AFP_FLOOR}"
                elif value > UPPER_LIMIT:
                    text = f">{UPPER_LIMIT:.0f}"
                precision = "approximate" if rng.random() < 0.1 else "day"
                measurements.append(
                    {
                        "patient_id": pid,
                        "date": f"{sample:%Y-%m-%d}",
                        "marker": marker,
                        "value": text,
                        "unit": unit,
                        "date_precision": precision,
                    }
                )
                sample += pd.Timedelta(days=int(rng.integers(28, 70)))
        events.append(
            {
                "patient_id": pid,
                "date": f"{follow_up:%Y-%m-%d}",
                "label": "Last follow-up",
                "date_precision": "day",
            }
        )
    return {
        "patients": pd.DataFrame(patients),
        "measurements": pd.DataFrame(measurements),
        "treatments": pd.DataFrame(treatments),
        "events": pd.DataFrame(events),
    }


def _marker_value(day, first, baseline, half_life, nadir, relapse, doubling):
    if day <= first:
        return baseline
    value = max(baseline * 0.5 ** ((day - first).days / half_life), nadir)
    if relapse is not None and day > relapse:
        value *= 2 ** ((day - relapse).days / doubling)
    return value


def write_cohort(
    tables: dict[str, pd.DataFrame], folder: PathLike, *, force: bool = False
) -> Path:
    """Write cohort tables as ``folder/<name>.csv`` and return the folder.

    Parameters
    ----------
    tables : dict of DataFrame
        Tables by name, as :func:`synthetic_cohort` returns them.
    folder : str or Path
        Where to write; made if missing.
    force : bool
        Write into a folder that already holds a case or cohort.

    Returns
    -------
    Path
        The folder, ready for :func:`read_cohort`.

    Raises
    ------
    InputError
        If the folder already holds a case or cohort (``case.toml``,
        ``cohort.toml`` or a table), unless ``force`` is set: synthetic data must
        never replace real data.
    """
    folder = Path(folder)
    held = sorted(
        p.name
        for p in folder.glob("*")
        if p.name in ("case.toml", "cohort.toml")
        or (p.stem in TABLE_NAMES and p.suffix.casefold() in (".csv", ".xlsx"))
    )
    if held and not force:
        raise InputError(
            f"{folder} already holds case or cohort data ({', '.join(held)}); "
            "write the synthetic cohort into a new folder, or replace them with "
            "--force"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    return folder
