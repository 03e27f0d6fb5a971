"""Throughput of batch rendering against a naive loop, and memory at two sizes.

Both are run in this process on the same synthetic cohort (fixed seed):

- naive: for each patient, plot_case (a new pyplot figure), savefig PNG, close;
- batch: render_cohort with one worker, then with ``--jobs`` worker processes,
  then on a Dask LocalCluster of ``--jobs`` worker processes (started before the
  clock starts; its start-up is printed apart).

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
from plotting.output.batch import render_cohort
from plotting.output.synthetic import synthetic_cohort, write_cohort
from plotting.reading.cohort import read_cohort

# Runs `marker-trends batch` on a cohort written beforehand, watching the peak
# RSS (VmHWM) of every process it starts; prints this process's peak, then the
# largest of the others' (KiB). Workers are started by a fork server, so they are
# not this process's children: they are found in /proc.
MEMORY_PROBE = """
import os, sys, threading, time
from pathlib import Path
from plotting.cli import main

def peak_of(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

def descendants():
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError):
            pass
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier}
        found |= frontier
    return found

others, done = {}, threading.Event()
def watch():
    while not done.is_set():
        for pid in descendants():
            try:
                others[pid] = max(others.get(pid, 0), peak_of(pid))
            except OSError:
                pass
        time.sleep(0.2)

threading.Thread(target=watch, daemon=True).start()
status = main(["batch", sys.argv[1], "-o", sys.argv[2], "--dpi", sys.argv[3],
               "--jobs", sys.argv[4]])
done.set()
assert status == 0, status
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the process that
# started this one (the benchmark, holding its own cohort) across exec.
print(peak_of(os.getpid()), max(others.values(), default=0))
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


def on_dask(cohort, out: Path, dpi: int, jobs: int) -> tuple[float, float]:
    """Return (cluster start-up seconds, rendering seconds) on a LocalCluster."""
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=jobs, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("plotting.drawing.case_figure"))
        ready = time.perf_counter()
        report = render_cohort(
            cohort,
            out,
            dpi=dpi,
            executor=client.get_executor(),
            workers=sum(client.nthreads().values()),
            progress=False,
        )
        assert not report.failed, report.failed
        return ready - start, time.perf_counter() - ready


def peak_memory_kib(patients: int, dpi: int, jobs: int) -> tuple[int, int]:
    """Return the peak RSS of a fresh `marker-trends batch` and of its workers."""
    with tempfile.TemporaryDirectory() as tmp:
        cohort = write_cohort(synthetic_cohort(patients, seed=1), f"{tmp}/in")
        command = [sys.executable, "-c", MEMORY_PROBE, str(cohort), f"{tmp}/out"]
        result = subprocess.run(
            [*command, str(dpi), str(jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
    parent, worker = result.stdout.split()[-2:]
    return int(parent), int(worker)


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
        for name in ("naive", "one", "jobs", "dask"):
            (tmp / name).mkdir()
        seconds = {
            "naive loop": naive(cohort, tmp / "naive", args.dpi),
            "batch, 1 process": batch(cohort, tmp / "one", args.dpi, 1),
            f"batch, {args.jobs} workers": batch(
                cohort, tmp / "jobs", args.dpi, args.jobs
            ),
        }
        startup, seconds[f"Dask, {args.jobs} workers"] = on_dask(
            cohort, tmp / "dask", args.dpi, args.jobs
        )
    base = n / seconds["naive loop"]
    print(f"{n} patients, PNG at {args.dpi} dpi")
    for name, value in seconds.items():
        print(
            f"  {name:20s} {n / value:7.2f} patients/s   {n / value / base:5.2f}x naive"
        )
    print(f"  (the Dask cluster took {startup:.1f} s to start, not counted)")
    if not args.skip_memory:
        print(f"peak memory (MiB) of marker-trends batch at {args.dpi} dpi")
        for jobs in (1, args.jobs):
            small = peak_memory_kib(args.small, args.dpi, jobs)
            large = peak_memory_kib(args.large, args.dpi, jobs)
            roles = ("process",) if jobs == 1 else ("parent", "worker")
            for index, role in enumerate(roles):
                low, high = small[index] / 1024, large[index] / 1024
                print(
                    f"  --jobs {jobs} {role:8s} {args.small} patients {low:6.1f}, "
                    f"{args.large} patients {high:6.1f}, ratio {high / low:.3f}"
                )


if __name__ == "__main__":
    main()
