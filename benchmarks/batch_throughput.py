"""Throughput of batch rendering against a naive loop, and memory at two sizes.

Both are run in this process on the same synthetic cohort (fixed seed):

- naive: for each patient, plot_case (a new pyplot figure), savefig PNG, close;
- batch: render_cohort with one worker, then with ``--jobs`` worker processes.

Then peak memory (max RSS) of a batch at ``--small`` and ``--large`` patients, each
in a fresh process. Prints throughputs (patients/s) and the ratios.

    python benchmarks/batch_throughput.py [--patients 500] [--jobs 2] [--dpi 300]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from plotting import plot_case
from plotting.app.batch import render_cohort
from plotting.app.synthetic import synthetic_cohort, write_cohort
from plotting.reading.cohort import read_cohort

# Reads a cohort written beforehand and renders it, as `marker-trends batch` does.
MEMORY_PROBE = """
import resource, sys
from plotting.app.batch import render_cohort
from plotting.reading.cohort import read_cohort
cohort = read_cohort(sys.argv[1])
report = render_cohort(cohort, sys.argv[2], dpi=int(sys.argv[3]), progress=False)
assert not report.failed
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def naive(cohort, out: Path, dpi: int) -> float:
    start = time.perf_counter()
    for pid, case in cohort.cases.items():
        fig = plot_case(case)
        fig.savefig(out / f"{pid}.png", dpi=dpi)
        plt.close(fig)
    return time.perf_counter() - start


def batch(cohort, out: Path, dpi: int, jobs: int) -> float:
    start = time.perf_counter()
    report = render_cohort(cohort, out, dpi=dpi, jobs=jobs, progress=False)
    assert not report.failed, report.failed
    return time.perf_counter() - start


def peak_memory_kib(patients: int, dpi: int) -> int:
    """Return the peak RSS of a fresh process that batch-renders a cohort."""
    with tempfile.TemporaryDirectory() as tmp:
        cohort = write_cohort(synthetic_cohort(patients, seed=1), f"{tmp}/in")
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(cohort), f"{tmp}/out", str(dpi)],
            capture_output=True,
            text=True,
            check=True,
        )
    return int(result.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cohort = read_cohort(
            write_cohort(synthetic_cohort(args.patients, seed=1), tmp / "cohort")
        )
        # Rendering is measured, not reading: both paths get the same read cases.
        n = len(cohort.cases)
        for name in ("naive", "one", "jobs"):
            (tmp / name).mkdir()
        seconds = {
            "naive loop": naive(cohort, tmp / "naive", args.dpi),
            "batch, 1 process": batch(cohort, tmp / "one", args.dpi, 1),
            f"batch, {args.jobs} workers": batch(
                cohort, tmp / "jobs", args.dpi, args.jobs
            ),
        }
    base = n / seconds["naive loop"]
    print(f"{n} patients, PNG at {args.dpi} dpi")
    for name, value in seconds.items():
        print(
            f"  {name:20s} {n / value:7.2f} patients/s   {n / value / base:5.2f}x naive"
        )
    if not args.skip_memory:
        small = peak_memory_kib(args.small, args.dpi)
        large = peak_memory_kib(args.large, args.dpi)
        print(
            f"peak memory: {args.small} patients {small / 1024:.1f} MiB, "
            f"{args.large} patients {large / 1024:.1f} MiB, ratio "
            f"{large / small:.3f}"
        )


if __name__ == "__main__":
    main()
