"""Command line: ``marker-trends render`` and ``marker-trends check``."""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings

import pandas as pd

from ... import __version__
from ...reading.case import TIME_AXES, read_case
from ...reading.dates import parse_date
from ...reading.errors import CaseDataError
from ..export import DEFAULT_FORMATS, FORMATS, save_figure

EXAMPLES = """examples:
  marker-trends render data/yu2020 -o figures/fig4
  marker-trends render data/yu2020 -o figures/fig4_afp --markers AFP --preset single
  marker-trends render data/yu2020 -o out/fig4 --format tiff pdf --dpi 600
  marker-trends render data/yu2020 -o out/zoom --from 2011-01 --to 2015-12 \\
      --time-axis both
  marker-trends check data/yu2020
  marker-trends batch cohort/ -o out/ --jobs 2
  marker-trends aligned cohort/ -o out/aligned --marker AFP --anchor tace --percent
  marker-trends grid cohort/ -o out/grid --marker AFP --max-patients 30
  marker-trends kinetics data/yu2020 --between 2012-08-01 2013-02-08
  marker-trends kinetics data/yu2020 --after "Bone RT" --response "Bone RT" \
      --criterion afp-20 --csv kinetics.csv

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


def _window(text: str):
    """Read a kinetics window: ``START:END`` dates, or a treatment label."""
    start, colon, end = text.partition(":")
    if not colon:
        return text
    return _date(start), _date(end)


def _parser() -> argparse.ArgumentParser:
    from ...drawing.presets import PRESETS

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
    render.add_argument(
        "--kinetics",
        nargs="+",
        metavar="WINDOW",
        type=_window,
        help="draw fitted rates: after a treatment (its label) or between two "
        "dates (START:END)",
    )
    render.add_argument(
        "--response",
        nargs="+",
        metavar="TREATMENT",
        help="write the percent change after these treatments",
    )
    render.add_argument(
        "--uln-crossing",
        action="store_true",
        help="mark where each marker falls below its upper limit",
    )
    check = commands.add_parser("check", help="validate a case and summarise it")
    check.add_argument("case", help="case folder (holding case.toml)")
    batch = commands.add_parser(
        "batch",
        help="one figure per patient of a cohort",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument(
        "cohort",
        help="folder of case folders, or of tidy tables with a patient_id column",
    )
    batch.add_argument("-o", "--output", required=True, help="output folder")
    batch.add_argument("--jobs", type=int, default=1, help="worker processes")
    batch.add_argument("--format", nargs="+", default=["png"], choices=FORMATS)
    batch.add_argument("--preset", choices=list(PRESETS), default="double")
    batch.add_argument("--dpi", type=int, help="raster resolution (default: 300)")
    batch.add_argument("--markers", nargs="+", help="markers to draw, in order")
    batch.add_argument("--time-axis", choices=TIME_AXES)
    for name, helptext in (
        ("aligned", "all patients' trajectories from a treatment on, with the median"),
        ("grid", "one small panel per patient, shared axes"),
    ):
        view = commands.add_parser(
            name,
            help=helptext,
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        view.add_argument("cohort", help="folder of case folders, or of tidy tables")
        view.add_argument(
            "-o", "--output", required=True, help="output path without extension"
        )
        view.add_argument("--marker", required=True, help="the marker to draw")
        view.add_argument("--format", nargs="+", default=["png"], choices=FORMATS)
        view.add_argument("--preset", choices=list(PRESETS), default="double")
        view.add_argument("--dpi", type=int, default=300)
        if name == "aligned":
            view.add_argument(
                "--anchor",
                default="tace",
                help="treatment kind or label at time 0 (default tace)",
            )
            view.add_argument(
                "--percent",
                action="store_true",
                help="percent of each patient's baseline",
            )
            view.add_argument("--linear", action="store_true", help="linear y axis")
        else:
            view.add_argument("--max-patients", type=int)
            view.add_argument("--ncols", type=int, default=5)
    synthetic = commands.add_parser(
        "synthetic", help="write a synthetic cohort (never real patients) as tables"
    )
    synthetic.add_argument("output", help="folder to write the tidy tables into")
    synthetic.add_argument("--patients", type=int, default=60)
    synthetic.add_argument("--seed", type=int, default=0)
    kinetics = commands.add_parser(
        "kinetics",
        help="half-lives, doubling times and responses as a table",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinetics.add_argument("case", help="case folder (holding case.toml)")
    kinetics.add_argument(
        "--after",
        action="append",
        metavar="TREATMENT",
        help="window from the baseline before a treatment to the "
        "next treatment (repeatable; default: every treatment)",
    )
    kinetics.add_argument(
        "--between",
        action="append",
        nargs=2,
        type=_date,
        metavar=("START", "END"),
        help="window between two dates",
    )
    kinetics.add_argument("--markers", nargs="+", help="markers, in order")
    kinetics.add_argument(
        "--response",
        action="append",
        metavar="TREATMENT",
        help="also assess the response to a treatment",
    )
    kinetics.add_argument(
        "--criterion",
        nargs="+",
        default=["afp-20", "dcp-50"],
        help="response criteria, each applied to the markers it is defined for: "
        "afp-50, afp-20, dcp-50 (default: afp-20 dcp-50)",
    )
    kinetics.add_argument("--csv", metavar="FILE", help="write the table as CSV")
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

    from ...drawing.case_figure import plot_case
    from ...drawing.presets import PRESETS

    fig = plot_case(
        case,
        markers=args.markers,
        preset=args.preset,
        time_axis=args.time_axis,
        start=args.start,
        end=args.end,
        title=args.title,
        kinetics=args.kinetics,
        response=args.response,
        uln_crossings=args.uln_crossing,
    )
    try:
        dpi = args.dpi or PRESETS[args.preset].dpi
        for path in save_figure(fig, args.output, formats=args.format, dpi=dpi):
            print(path)
    finally:
        plt.close(fig)


def _kinetics(case, args) -> None:
    from ...computing.kinetics import kinetics_table
    from ...computing.response import CRITERIA, assess_response
    from ..export import write_text
    from ..text_tables import to_markdown

    unknown = [c for c in args.criterion if c not in CRITERIA]
    if unknown:
        raise ValueError(
            f"--criterion {unknown[0]!r} is not one of {', '.join(CRITERIA)}"
        )
    if args.markers:
        unknown = [m for m in args.markers if m not in case.markers]
        if unknown:
            raise ValueError(
                f"markers {unknown} are not in this case; choose from "
                f"{list(case.markers)}"
            )
        case.markers = {m: case.markers[m] for m in args.markers}
    windows = [*(args.after or []), *(args.between or [])] or None
    table = kinetics_table(case, windows=windows)
    shown = table[
        [
            "marker",
            "window",
            "points",
            "censored_left_out",
            "half_life_days",
            "half_life_months",
            "doubling_time_days",
            "doubling_time_months",
            "r_squared",
            "note",
        ]
    ]
    print(
        to_markdown(
            shown.rename(
                columns={
                    "censored_left_out": "censored",
                    "half_life_days": "t½ (d)",
                    "half_life_months": "t½ (mo)",
                    "doubling_time_days": "DT (d)",
                    "doubling_time_months": "DT (mo)",
                    "r_squared": "R²",
                }
            )
        )
    )
    if args.csv:
        write_text(args.csv, table.to_csv(index=False, date_format="%Y-%m-%d"))
    responses = [
        assess_response(
            case.measurements, case.treatments, name, marker=marker, criterion=criterion
        )
        for name in args.response or []
        for marker in case.markers
        for criterion in args.criterion
        if not CRITERIA[criterion].markers or marker in CRITERIA[criterion].markers
    ]
    if responses:
        print()
        print(
            to_markdown(
                pd.DataFrame(
                    [
                        {
                            "marker": r.marker,
                            "treatment": r.treatment,
                            "criterion": r.criterion,
                            "baseline": r.baseline,
                            "baseline date": r.baseline_date,
                            "nadir": r.nadir,
                            "nadir date": r.nadir_date,
                            "days to nadir": r.days_to_nadir,
                            "change %": r.percent_change,
                            "verdict": r.verdict,
                            "reason": r.reason,
                        }
                        for r in responses
                    ]
                )
            )
        )


def _cohort_command(args) -> int:
    import matplotlib.pyplot as plt

    from ...drawing.presets import PRESETS
    from ...reading.cohort import read_cohort

    cohort = read_cohort(args.cohort)
    if args.command == "batch":
        from ...drawing.options import FigureOptions
        from ..batch import render_cohort

        report = render_cohort(
            cohort,
            args.output,
            formats=args.format,
            dpi=args.dpi or PRESETS[args.preset].dpi,
            jobs=args.jobs,
            options=FigureOptions(
                preset=args.preset, markers=args.markers, time_axis=args.time_axis
            ),
        )
        print(
            f"{len(report.written)} of {len(cohort)} patients rendered into "
            f"{args.output}"
        )
        for pid, error in sorted(report.failed.items()):
            first, *rest = str(error).splitlines()
            print(f"patient {pid!r}: {first}", file=sys.stderr)
            for line in rest:
                print(f"  {line}", file=sys.stderr)
        return 2 if report.failed else 0
    from ...drawing.cohort_figures import plot_aligned_cohort, plot_small_multiples

    if args.command == "aligned":
        fig = plot_aligned_cohort(
            cohort,
            marker=args.marker,
            anchor=args.anchor,
            percent=args.percent,
            log=not args.linear,
            preset=args.preset,
        )
    else:
        fig = plot_small_multiples(
            cohort,
            marker=args.marker,
            ncols=args.ncols,
            max_patients=args.max_patients,
            preset=args.preset,
        )
    try:
        for path in save_figure(fig, args.output, formats=args.format, dpi=args.dpi):
            print(path)
    finally:
        plt.close(fig)
    for pid in sorted(cohort.problems):
        print(
            f"marker-trends: patient {pid!r} left out: bad data (see "
            "'marker-trends batch' for the details)",
            file=sys.stderr,
        )
    return 0


def main(argv=None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 other)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            case = read_case(args.case) if hasattr(args, "case") else None
        for warning in caught:
            print(f"marker-trends: warning: {warning.message}", file=sys.stderr)
        if args.command in ("batch", "aligned", "grid"):
            return _cohort_command(args)
        if args.command == "synthetic":
            from ..synthetic import synthetic_cohort, write_cohort

            tables = synthetic_cohort(args.patients, seed=args.seed)
            print(write_cohort(tables, args.output))
            return 0
        if args.command == "check":
            print(_summary(case))
        elif args.command == "kinetics":
            _kinetics(case, args)
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
