"""Time importing the package and rendering Fig. 4 against importing matplotlib
and pandas.

Both are run as fresh processes, several times, in the same run on the same
machine; the script prints the medians and their ratio. Usage:

    python benchmarks/render_time.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(command: list[str], repeat: int) -> float:
    """Return the median wall time of running ``command`` ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        baseline = median_seconds(
            [sys.executable, "-c", "import matplotlib.pyplot, pandas"], args.repeat
        )
        rows = [("import matplotlib.pyplot, pandas", baseline)]
        for name, code in (
            ("import plotting", "import plotting"),
            (
                "import plotting; read_case(Fig. 4)",
                f"import plotting; plotting.read_case({str(ROOT / 'data/yu2020')!r})",
            ),
        ):
            rows.append(
                (name, median_seconds([sys.executable, "-c", code], args.repeat))
            )
        for formats in (["png"], ["png", "pdf", "svg"], ["tiff"]):
            command = [
                sys.executable,
                "-m",
                "plotting",
                "render",
                str(ROOT / "data" / "yu2020"),
                "-o",
                f"{out}/fig4",
                "--format",
                *formats,
            ]
            rows.append(
                (
                    f"render Fig. 4 ({' '.join(formats)})",
                    median_seconds(command, args.repeat),
                )
            )
    print(f"median of {args.repeat} runs each")
    for name, seconds in rows:
        print(f"{name:40s} {seconds:6.2f} s   {seconds / baseline:5.2f}x baseline")


if __name__ == "__main__":
    main()
