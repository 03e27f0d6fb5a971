"""``marker-trends render``: draw a case's figure."""

from __future__ import annotations

import warnings

from ..computing.view import select_view
from ..core.dates import format_time
from ..core.errors import InputError
from ..core.markers import find_marker
from ..drawing.choices import compute_shade
from ..output.export import DEFAULT_FORMATS
from . import parser as shared
from .common import (
    UsageError,
    bare_figure,
    case_time,
    case_window,
    check_markers,
    figure_options,
    load_case,
    output_stem,
    refuse_unknown_treatments,
    save,
    say,
)

EXAMPLES = (
    "marker-trends render data/yu2020 -o figures/fig4",
    "marker-trends render data/yu2020 -o build/fig4_afp --markers AFP --preset single",
    "marker-trends render data/yu2020 -o build/zoom --from 2011-01 --to 2015-12 "
    "--time-axis both",
    "marker-trends render data/yu2020 -o build/fig4b --style AFP:color=navy,symbol=s "
    "--legend below --panel B --format tiff --dpi 600 --rgb",
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
            shared.figure_files(DEFAULT_FORMATS, case_pages=True),
            shared.markers_option(),
            shared.time_axis_option(),
            shared.figure_look(),
            shared.rgb_option(),
        ],
        run=run,
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=shared.time,
        help="first date shown, or for relative times the first time since the "
        "origin, such as -1 (default: the case's first date)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=shared.time,
        help="last date (or time since the origin) shown (default: the last follow-up)",
    )
    parser.add_argument("--title", help="title above the figure (default: none)")
    parser.add_argument(
        "--kinetics",
        nargs="+",
        metavar="WINDOW",
        type=shared.window,
        help="draw fitted rates: after a treatment (its label) or between two "
        "dates, or times since the origin (START:END) (default: none)",
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
    from ..drawing import case_figure

    stem = output_stem(args.output, args.format, force=args.force)
    case = load_case(args.case)
    options = checked_options(case, args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        fig = case_figure.plot_case(case, options, fig=bare_figure(options.rc))
    for warning in caught:
        say(f"warning: {warning.message}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        save(fig, stem, args, case=case)
    for warning in caught:
        say(f"warning: {warning.message}")
    return 0


def checked_options(case, args):
    """Return the figure options asked for, checked against the case."""
    if args.markers:
        check_markers(
            args.markers, list(case.markers), option="--markers", where="case"
        )
    labels = [w for w in args.kinetics or () if isinstance(w, str)]
    refuse_unknown_treatments(case, labels, option="--kinetics")
    refuse_unknown_treatments(case, args.response, option="--response")
    if case.time_unit is not None and args.time_axis not in (None, "since-diagnosis"):
        raise UsageError(
            f"--time-axis {args.time_axis}: this case gives times in "
            f"{case.time_unit} since {case.origin_label}, not calendar dates; leave "
            "--time-axis out"
        )
    start = case_time(case, args.start, "--from")
    end = case_time(case, args.end, "--to", end=True)
    if start is not None and end is not None and end <= start:
        raise UsageError(
            f"--from {args.start} --to {args.end}: the window must end after it "
            "starts; give a --to after --from"
        )
    kinetics = [
        w if isinstance(w, str) else case_window(case, w, "--kinetics")
        for w in args.kinetics or ()
    ]
    window = start, end
    if case.time_unit is not None:
        # Checked above; the figure places relative times itself.
        window = args.start, args.end
        kinetics = list(args.kinetics or ())
    options = figure_options(
        markers=args.markers,
        preset=args.preset,
        time_axis=args.time_axis,
        start=window[0],
        end=window[1],
        title=args.title,
        kinetics=tuple(kinetics),
        show_poor_fits=args.show_poor_fits,
        response=tuple(args.response or ()),
        uln_crossings=args.uln_crossing,
        marker_styles=_styles(case, args.style),
        legend=args.legend,
        panel=args.panel,
        shade=None if args.shade is None else tuple(args.shade),
    )
    markers = options.markers or tuple(case.markers)
    try:
        compute_shade(case, options)
    except InputError as err:
        raise UsageError(f"--shade: {err}") from None
    try:
        # A window given by one end only may still lie outside the case.
        select_view(case, markers, start=start, end=end)
    except InputError as err:
        raise UsageError(
            f"--from/--to: {err}; the case runs from "
            f"{format_time(case.origin, case.time_unit)} to "
            f"{format_time(case.last_follow_up, case.time_unit)}"
        ) from None
    return options


def _styles(case, styles) -> dict | None:
    """Return ``--style`` choices by marker, each marker checked against the case."""
    if not styles:
        return None
    chosen: dict = {}
    for marker, style in styles:
        known = find_marker(marker, case.markers)
        if known is None:
            check_markers(marker, list(case.markers), option="--style", where="case")
        chosen[known.name] = {**chosen.get(known.name, {}), **style}
    return chosen
