"""Command line: ``marker-trends render`` and ``marker-trends check``."""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings

from . import __version__
from .case import read_case
from .errors import CaseDataError
from .export import DEFAULT_DPI, DEFAULT_FORMATS, save_figure

EXAMPLES = """examples:
  marker-trends render data/yu2020 -o figures/fig4
  marker-trends render data/yu2020 -o figures/fig4_afp --markers AFP --format png
  marker-trends check data/yu2020
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marker-trends",
        description="Draw tumor-marker trend figures with treatment tracks.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of unexpected errors"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="draw a case's figure")
    render.add_argument("case", help="case folder (holding case.toml)")
    render.add_argument(
        "-o",
        "--output",
        required=True,
        help="output path without extension, e.g. figures/fig4",
    )
    render.add_argument(
        "--format",
        nargs="+",
        default=list(DEFAULT_FORMATS),
        choices=["png", "pdf", "svg", "tiff", "eps"],
    )
    render.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    render.add_argument("--markers", nargs="+", help="markers to draw, in order")
    check = commands.add_parser("check", help="validate a case and summarise it")
    check.add_argument("case", help="case folder (holding case.toml)")
    return parser


def _summary(case) -> str:
    m = case.measurements
    lines = [
        f"{case.path}: {len(m)} results, {len(case.treatments)} treatments, "
        f"{len(case.events)} events"
    ]
    for name, rows in m.groupby("marker", sort=False):
        lines.append(
            f"  {name}: {len(rows)} results in {rows['unit'].iloc[0]}, "
            f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}"
        )
    lines.append(
        f"  follow-up: {case.origin:%Y-%m-%d} to {case.last_follow_up:%Y-%m-%d}"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 other)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            case = read_case(args.case)
        for warning in caught:
            print(f"marker-trends: warning: {warning.message}", file=sys.stderr)
        if args.command == "check":
            print(_summary(case))
            return 0
        import matplotlib.pyplot as plt

        from .figure import plot_case

        fig = plot_case(case, markers=args.markers)
        try:
            for path in save_figure(
                fig, args.output, formats=args.format, dpi=args.dpi
            ):
                print(path)
        finally:
            plt.close(fig)
        return 0
    except CaseDataError as err:
        print(err, file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"marker-trends: {err}", file=sys.stderr)
        return 2
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        print(
            f"marker-trends: unexpected error: {err} (rerun with --debug for the "
            "traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
