"""Command line: ``marker-trends render`` and ``marker-trends check``."""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings

from . import __version__
from .case import read_case
from .dates import parse_date
from .errors import CaseDataError
from .export import DEFAULT_FORMATS, FORMATS, save_figure
from .time_axis import TIME_AXES

EXAMPLES = """examples:
  marker-trends render data/yu2020 -o figures/fig4
  marker-trends render data/yu2020 -o figures/fig4_afp --markers AFP --preset single
  marker-trends render data/yu2020 -o out/fig4 --format tiff pdf --dpi 600
  marker-trends render data/yu2020 -o out/zoom --from 2011-01 --to 2015-12 \\
      --time-axis both
  marker-trends check data/yu2020

exit status: 0 success, 2 bad input or usage, 1 unexpected error (see --debug)
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def _date(text: str):
    try:
        return parse_date(text)[1]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def _parser() -> argparse.ArgumentParser:
    from .figure import PRESETS

    parser = _Parser(
        prog="marker-trends",
        description="Draw tumor-marker trend figures with treatment tracks.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of unexpected errors"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    render = commands.add_parser(
        "render",
        help="draw a case's figure",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        choices=FORMATS,
        help="file formats (default: png pdf svg)",
    )
    render.add_argument(
        "--preset",
        choices=list(PRESETS),
        default="double",
        help="journal width: single 89 mm, 1.5 140 mm, double 174 mm",
    )
    render.add_argument("--dpi", type=int, help="raster resolution (default: 300)")
    render.add_argument("--markers", nargs="+", help="markers to draw, in order")
    render.add_argument(
        "--time-axis",
        choices=TIME_AXES,
        help="calendar years, years since diagnosis, or both",
    )
    render.add_argument("--from", dest="start", type=_date, help="first date shown")
    render.add_argument("--to", dest="end", type=_date, help="last date shown")
    render.add_argument("--title", help="title above the figure")
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
        censored = (rows["censor"] != "").sum()
        extra = f" ({censored} censored)" if censored else ""
        lines.append(
            f"  {name}: {len(rows)} results{extra} in {rows['unit'].iloc[0]}, "
            f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}"
        )
    for lane, rows in case.treatments.groupby("lane", sort=False):
        lines.append(
            f"  {lane}: {len(rows)} treatments, "
            f"{rows['start'].min():%Y-%m-%d} to {rows['start'].max():%Y-%m-%d}"
        )
    lines.append(
        f"  follow-up: {case.origin:%Y-%m-%d} to {case.last_follow_up:%Y-%m-%d}"
    )
    lines += [f"  note: {note}" for note in case.notes]
    return "\n".join(lines)


def _render(case, args) -> None:
    import matplotlib.pyplot as plt

    from .figure import PRESETS, plot_case

    fig = plot_case(
        case,
        markers=args.markers,
        preset=args.preset,
        time_axis=args.time_axis,
        start=args.start,
        end=args.end,
        title=args.title,
    )
    try:
        dpi = args.dpi or PRESETS[args.preset].dpi
        for path in save_figure(fig, args.output, formats=args.format, dpi=dpi):
            print(path)
    finally:
        plt.close(fig)


def main(argv=None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 other)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            case = read_case(args.case)
        for warning in caught:
            print(f"marker-trends: warning: {warning.message}", file=sys.stderr)
        if args.command == "check":
            print(_summary(case))
        else:
            _render(case, args)
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
            f"marker-trends: unexpected error: {type(err).__name__}: {err} "
            "(rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
