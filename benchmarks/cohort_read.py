"""Time reading and checking a cohort: tidy tables checked at once, against the
same patients read one case folder at a time, in the same run.

The per-folder reader checks each patient on its own (the reader every cohort
used before the tables were checked whole); both give the same cases. Usage:

    python benchmarks/cohort_read.py [--patients 1000 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from plotting.output.synthetic import synthetic_cohort, write_cohort
from plotting.reading.cohort import read_cohort

TODAY = "2026-01-01"


def _as_case_folders(tables, folder: Path) -> Path:
    """Write each patient of tidy tables as its own case folder."""
    spans = tables["patients"].set_index("patient_id")
    for pid, span in spans.iterrows():
        case = folder / pid
        case.mkdir(parents=True)
        (case / "case.toml").write_text(
            f'[time]\norigin = "{span.origin}"\n'
            f'last_follow_up = "{span.last_follow_up}"\n'
        )
        for name in ("measurements", "treatments", "events"):
            rows = tables[name][tables[name]["patient_id"] == pid]
            rows.drop(columns="patient_id").to_csv(case / f"{name}.csv", index=False)
    return folder


def _seconds(folder: Path, *, every_case: bool) -> float:
    """Return the seconds to read a cohort (and build every case, if asked)."""
    start = time.perf_counter()
    cohort = read_cohort(folder, today=TODAY)
    if every_case:
        assert not cohort.problems
        assert len(cohort.cases) == len(cohort)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--folders-up-to",
        type=int,
        default=1000,
        help="largest cohort also read folder by folder (it is slow)",
    )
    args = parser.parse_args()
    print("patients  tidy tables (s)  per patient (ms)  case folders (s)  ratio")
    for count in args.patients:
        tables = synthetic_cohort(count, seed=1)
        with tempfile.TemporaryDirectory() as tmp:
            tidy = write_cohort(tables, Path(tmp) / "tidy")
            whole = _seconds(tidy, every_case=False)
            line = f"{count:8d}  {whole:15.2f}  {whole / count * 1000:16.2f}"
            if count <= args.folders_up_to:
                folders = _as_case_folders(tables, Path(tmp) / "folders")
                one_by_one = _seconds(folders, every_case=True)
                line += f"  {one_by_one:16.2f}  {one_by_one / whole:5.1f}x"
            print(line)


if __name__ == "__main__":
    main()
