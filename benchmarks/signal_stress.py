"""Send a batch SIGTERM or Ctrl-C at random moments; report any run that says more.

A loaded machine widens the windows: run a few CPU burners beside it, e.g.
``for i in 1 2 3; do python -c 'while True: pass' & done``. Usage::

    python benchmarks/signal_stress.py COHORT [--runs 40] [--within 4] [--sigint]

Prints each run whose stderr is not the one line (or empty, when the batch
ended first), or that left a file or a process behind; exits 1 if any did.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = ("", "marker-trends: terminated\n", "marker-trends: interrupted\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cohort")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--within", type=float, default=4.0, help="latest delay, s")
    parser.add_argument("--sigint", action="store_true", help="Ctrl-C to the group")
    args = parser.parse_args()
    bad = 0
    for run in range(args.runs):
        out = Path(tempfile.mkdtemp()) / "out"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plotting",
                "batch",
                args.cohort,
                "-o",
                out,
                "--jobs",
                "2",
                "--format",
                "png",
                "html",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        delay = random.uniform(0, args.within)
        time.sleep(delay)
        if args.sigint:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        # Returns once every process holding stderr has ended.
        err = process.communicate(timeout=60)[1]
        # Whole figures may stay; a temporary is half of one.
        left = [p.name for p in out.glob(".*.part")]
        if _group_lasts(process.pid, seconds=5):
            left.append("a process")
        if err not in LINES or left:
            bad += 1
            print(
                f"--- run {run}, after {delay:.2f} s, status {process.returncode},"
                f" left {left}\n{err}",
                flush=True,
            )
        shutil.rmtree(out.parent, ignore_errors=True)
    print(f"{bad} of {args.runs} runs said more than one line or left something")
    return 1 if bad else 0


def _group_lasts(group: int, *, seconds: float) -> bool:
    # An ended process is a zombie until reaped: give its parent a moment.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


if __name__ == "__main__":
    sys.exit(main())
