"""``marker-trends render``: draw a case's figure."""

from __future__ import annotations

import warnings

from ...computing.view import select_view
from ...reading.errors import InputError
from ..export import DEFAULT_FORMATS
from . import parser as shared
from .common import (
    UsageError,
    check_markers,
    check_treatments,
    figure_options,
    load_case,
    output_stem,
    save,
    say,
)

EXAMPLES = (
    "marker-trends render data/yu2020 -o figures/fig4",
    "marker-trends render data/yu2020 -o build/fig4_afp --markers AFP --preset single",
    "marker-trends render data/yu2020 -o build/fig4.tiff --format tiff --dpi 600",
    "marker-trends render data/yu2020 -o build/zoom --from 2011-01 --to 2015-12 "
    "--time-axis both",
)


def add_parser(subparsers):
    """Add ``render`` and its options."""
    parser = shared.add_command(
        subparsers,
        "render",
        summary="draw a case's figure",
        examples=EXAMPLES,
        parents=[
            shared.case_argument(),
            shared.output_stem(),
            shared.figure_files(DEFAULT_FORMATS),
            shared.markers_option(),
            shared.time_axis_option(),
        ],
        run=run,
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=shared.date,
        help="first date shown (default: the case's first date)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=shared.date,
        help="last date shown (default: the last follow-up)",
    )
    parser.add_argument("--title", help="title above the figure (default: none)")
    parser.add_argument(
        "--kinetics",
        nargs="+",
        metavar="WINDOW",
        type=shared.window,
        help="draw fitted rates: after a treatment (its label) or between two "
        "dates (START:END) (default: none)",
    )
    parser.add_argument(
        "--response",
        nargs="+",
        metavar="TREATMENT",
        help="write the percent change after these treatments (default: none)",
    )
    parser.add_argument(
        "--show-poor-fits",
        action="store_true",
        help="also draw --kinetics fits with R² below 0.8 or a change of direction "
        "(default: left out, with a warning)",
    )
    parser.add_argument(
        "--uln-crossing",
        action="store_true",
        help="mark where each marker falls below its upper limit",
    )


def run(args) -> int:
    """Draw the case and save it in each format; print the files written."""
    # Looked up when called, so that a test can replace plot_case.
    from ...drawing import case_figure

    stem = output_stem(args.output, args.format, force=args.force)
    case = load_case(args.case)
    options = checked_options(case, args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        fig = case_figure.plot_case(case, options)
    for warning in caught:
        say(f"warning: {warning.message}")
    save(fig, stem, args)
    return 0


def checked_options(case, args):
    """Return the figure options asked for, checked against the case."""
    if args.markers:
        check_markers(
            args.markers, list(case.markers), option="--markers", where="case"
        )
    labels = [w for w in args.kinetics or () if isinstance(w, str)]
    check_treatments(case, labels, option="--kinetics")
    check_treatments(case, args.response, option="--response")
    if args.start is not None and args.end is not None and args.end <= args.start:
        raise UsageError(
            f"--from {args.start:%Y-%m-%d} --to {args.end:%Y-%m-%d}: the window must "
            "end after it starts; give a --to after --from"
        )
    options = figure_options(
        markers=args.markers,
        preset=args.preset,
        time_axis=args.time_axis,
        start=args.start,
        end=args.end,
        title=args.title,
        kinetics=tuple(args.kinetics or ()),
        show_poor_fits=args.show_poor_fits,
        response=tuple(args.response or ()),
        uln_crossings=args.uln_crossing,
    )
    markers = options.markers or tuple(case.markers)
    try:
        # A window given by one end only may still lie outside the case.
        select_view(case, markers, start=options.start, end=options.end)
    except InputError as err:
        raise UsageError(
            f"--from/--to: {err}; the case runs from {case.origin:%Y-%m-%d} to "
            f"{case.last_follow_up:%Y-%m-%d}"
        ) from None
    return options
