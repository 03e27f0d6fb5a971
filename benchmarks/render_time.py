"""Time `marker-trends render data/yu2020 --format png` against Fig. 4 by hand.

The baseline, measured in the same run, is ``benchmarks/fig4_by_hand.py``: the
same figure written with pyplot and pandas and no package code, saved as a PNG of
the same size at the same dpi. Each run is one task of a process pool that starts
a fresh interpreter for every task (``spawn``, one task per child, one worker), so
both pay their imports (pandas, matplotlib, and for the package its own modules)
alike, and nothing one run loaded is left for the next. A task's clock starts
before its first import and stops when the PNG is written:

- package: ``plotting.cli.main(["render", ...])``, what the ``marker-trends``
  script runs (its entry point is ``sys.exit(main())``);
- by hand: ``fig4_by_hand.main(path)``.

Both run from compiled bytecode, as any Python does after a first run (and pip
after a non-editable install): the script compiles ``plotting/`` and the script
first, since an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise
have the package compile its hundred modules on every run and the script its
one. Interpreter start-up and the spawning of the worker are the same for both and left
out of the clock, so they do not dilute the ratio. Runs alternate (package, then by
hand, pair after pair; the first pair is a warm-up of the file cache, not counted),
and the script prints each pair's ratio and the median ratio package / by hand;
the goal is 0.9 or less. Each pair also times the imports alone (pandas and
matplotlib with Agg, what both runs must load), printed as a share of the
by-hand run: what is left of 0.9 is all the time the package has to read,
check, draw and save. Then, with ``--as-typed``, the same pairs as whole
commands (``marker-trends ...`` and ``python fig4_by_hand.py``), start-up
included. Usage:

    python benchmarks/render_time.py [--pairs 7] [--as-typed]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import io
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Only the standard library above: a spawned worker imports this module first.
ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "yu2020"
BY_HAND = ROOT / "benchmarks" / "fig4_by_hand.py"
GOAL = 0.9


def package_run(out: str) -> float:
    """Render Fig. 4 as the command line does; return the seconds taken."""
    start = time.perf_counter()
    from plotting.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["render", str(CASE), "-o", f"{out}/fig4", "--format", "png"])
    assert status == 0, status
    seconds = time.perf_counter() - start
    assert Path(f"{out}/fig4.png").stat().st_size > 0
    return seconds


def by_hand_run(out: str) -> float:
    """Draw Fig. 4 with the hand-written script; return the seconds taken."""
    start = time.perf_counter()
    import importlib.util

    spec = importlib.util.spec_from_file_location("fig4_by_hand", BY_HAND)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(f"{out}/fig4_by_hand.png")
    seconds = time.perf_counter() - start
    assert Path(f"{out}/fig4_by_hand.png").stat().st_size > 0
    return seconds


def imports_run(out: str) -> float:
    """Import what both must (pandas, matplotlib with Agg); return the seconds.

    No figure can be drawn from the CSVs faster than this: it is the floor
    under both runs, and the share of the by-hand run left above it is all a
    package can save.
    """
    start = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.backends.backend_agg
    import matplotlib.figure
    import pandas  # noqa: F401

    return time.perf_counter() - start


def in_pool(pairs: int) -> tuple[list[tuple[float, float]], list[float]]:
    """Return (package, by hand) seconds of each pair, each run a fresh process,
    and the seconds of the imports alone, once per pair."""
    times, floors = [], []
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        max_tasks_per_child=1,
    ) as pool:
        for _ in range(pairs + 1):
            with tempfile.TemporaryDirectory() as out:
                package = pool.submit(package_run, out).result()
                by_hand = pool.submit(by_hand_run, out).result()
                floors.append(pool.submit(imports_run, out).result())
            times.append((package, by_hand))
    return times[1:], floors[1:]


def as_typed(pairs: int) -> list[tuple[float, float]]:
    """Return (package, by hand) wall seconds of the two whole commands."""
    script = Path(sys.executable).with_name("marker-trends")
    times = []
    for _ in range(pairs + 1):
        with tempfile.TemporaryDirectory() as out:
            pair = []
            for command in (
                [script, "render", CASE, "-o", f"{out}/fig4", "--format", "png"],
                [sys.executable, BY_HAND, f"{out}/fig4_by_hand.png"],
            ):
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                pair.append(time.perf_counter() - start)
        times.append(tuple(pair))
    return times[1:]


def report(title: str, times: list[tuple[float, float]]) -> float:
    """Print each pair and the medians; return the median ratio."""
    ratios = [package / by_hand for package, by_hand in times]
    print(title)
    for number, ((package, by_hand), ratio) in enumerate(
        zip(times, ratios, strict=True), 1
    ):
        print(
            f"  pair {number}: package {package:5.2f} s, by hand {by_hand:5.2f} s, "
            f"ratio {ratio:.2f}"
        )
    median = statistics.median(ratios)
    print(
        f"  median: package {statistics.median(t[0] for t in times):.2f} s, "
        f"by hand {statistics.median(t[1] for t in times):.2f} s, "
        f"ratio {median:.2f}x (goal {GOAL}x: {'met' if median <= GOAL else 'NOT met'})"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument(
        "--as-typed",
        action="store_true",
        help="also time the two whole commands, interpreter start-up included",
    )
    args = parser.parse_args()
    for path in (ROOT / "plotting", BY_HAND):
        compiled = compileall.compile_dir if path.is_dir() else compileall.compile_file
        compiled(path, quiet=1)
    print(f"Fig. 4 as PNG at 300 dpi, {args.pairs} alternating pairs")
    times, floors = in_pool(args.pairs)
    report("each run a fresh process of one pool, imports timed:", times)
    floor = statistics.median(floors)
    by_hand = statistics.median(t[1] for t in times)
    print(
        f"  imports alone (pandas, matplotlib with Agg): {floor:.2f} s, "
        f"{floor / by_hand:.2f} of by hand; the package's reading, checking, "
        f"drawing and saving must fit in the other {GOAL - floor / by_hand:.2f} "
        f"to meet the goal, where by hand's take {1 - floor / by_hand:.2f}"
    )
    if args.as_typed:
        report("whole commands, as typed:", as_typed(args.pairs))


if __name__ == "__main__":
    main()
