"""``marker-trends kinetics``: half-lives, doubling times and responses as tables."""

from __future__ import annotations

import dataclasses

from ..computing.kinetics_windows import kinetics_table
from ..computing.response import CRITERIA, assess_response, response_table
from ..computing.series import marker_specimens, series_label
from ..core.dates import singular
from ..output.export import write_text
from ..output.text_tables import relative_table, to_markdown
from . import parser as shared
from .common import (
    UsageError,
    case_window,
    check_markers,
    load_case,
    output_file,
    refuse_unknown_treatments,
    writing,
)

EXAMPLES = (
    "marker-trends kinetics data/yu2020 --between 2012-08-01 2013-02-08",
    'marker-trends kinetics data/yu2020 --after "Bone RT" --response "Bone RT"',
    'marker-trends kinetics data/yu2020 --response "Bone RT" --criterion afp-50',
    "marker-trends kinetics data/yu2020 --markers AFP --csv kinetics.csv",
)
DEFAULT_CRITERIA = ("afp-20", "dcp-50")
# Table columns shown, with their headings.
SHOWN = {
    "marker": "marker",
    "window": "window",
    "points": "points",
    "censored_left_out": "censored",
    "half_life_days": "t½ (d)",
    "half_life_months": "t½ (mo)",
    "doubling_time_days": "DT (d)",
    "doubling_time_months": "DT (mo)",
    "r_squared": "R²",
    "note": "note",
}
RESPONSE_HEADINGS = {
    "baseline_date": "baseline date",
    "nadir_date": "nadir date",
    "days_to_nadir": "days to nadir",
    "percent_change": "change %",
}


def add_parser(subparsers):
    """Add ``kinetics`` and its options."""
    parser = shared.add_command(
        subparsers,
        "kinetics",
        summary="half-lives, doubling times and responses as a table",
        examples=EXAMPLES,
        parents=[
            shared.case_argument(),
            shared.markers_option(),
            shared.force_option(),
        ],
        run=run,
    )
    parser.add_argument(
        "--after",
        action="append",
        metavar="TREATMENT",
        help="window after a treatment: from its baseline to the nadir of a fall, "
        "or from the nadir of a rise to the next treatment; repeatable (default: "
        "every treatment unless --between is given)",
    )
    parser.add_argument(
        "--between",
        action="append",
        nargs=2,
        type=shared.time,
        metavar=("START", "END"),
        help="window between two dates (or, for relative times, two times since "
        "the origin such as 0 6), kept as given; repeatable (default: none)",
    )
    parser.add_argument(
        "--response",
        action="append",
        metavar="TREATMENT",
        help="also assess the response to a treatment; repeatable (default: none)",
    )
    parser.add_argument(
        "--criterion",
        nargs="+",
        default=list(DEFAULT_CRITERIA),
        choices=list(CRITERIA),
        help="response criteria, each applied to the markers it is defined for",
    )
    parser.add_argument(
        "--csv", metavar="FILE", help="also write the table as CSV (default: none)"
    )


def run(args) -> int:
    """Print the kinetics table, then the responses, as Markdown."""
    csv = output_file(args.csv, "--csv", force=args.force) if args.csv else None
    case = load_case(args.case)
    between = [case_window(case, pair, "--between") for pair in args.between or ()]
    if args.markers:
        check_markers(
            args.markers, list(case.markers), option="--markers", where="case"
        )
        case = dataclasses.replace(
            case, markers={m: case.markers[m] for m in args.markers}
        )
    refuse_unknown_treatments(case, args.after, option="--after")
    refuse_unknown_treatments(case, args.response, option="--response")
    if args.response:
        assessed = [
            m
            for m in case.markers
            for c in args.criterion
            if not CRITERIA[c].markers or m in CRITERIA[c].markers
        ]
        if not assessed:
            known = "; ".join(
                f"{c} ({', '.join(CRITERIA[c].markers)})" for c in CRITERIA
            )
            raise UsageError(
                f"--response: no response criterion is defined for "
                f"{', '.join(case.markers)}; the criteria are {known}"
            )
    windows = [*(args.after or []), *between] or None
    table = kinetics_table(case, windows=windows)
    if case.time_unit is not None:
        table = relative_table(table, case.time_unit)
    if csv is not None:
        with writing(f"--csv {args.csv}", csv.parent):
            write_text(csv, table.to_csv(index=False, date_format="%Y-%m-%d"))
    print(to_markdown(_named(table, case)[list(SHOWN)].rename(columns=SHOWN)))
    responses = [
        assess_response(
            case.measurements,
            case.treatments,
            name,
            marker=marker,
            criterion=criterion,
            specimen=specimen,
        )
        for name in args.response or []
        for marker in case.markers
        for specimen in marker_specimens(case.measurements, marker)
        for criterion in args.criterion
        if not CRITERIA[criterion].markers or marker in CRITERIA[criterion].markers
    ]
    if responses:
        table = _named(response_table(responses), case)
        headings = RESPONSE_HEADINGS
        if case.time_unit is not None:
            table = relative_table(table, case.time_unit)
            word = singular(case.time_unit)
            headings = {
                f"baseline_{word}": f"baseline {word}",
                f"nadir_{word}": f"nadir {word}",
                **headings,
            }
        print()
        print(to_markdown(table.rename(columns=headings)))
    return 0


def _named(table, case):
    """Return a table for people: each row's series in ``marker`` (``CEA,
    urine`` where the specimen is named), without the ``specimen`` column the
    CSV keeps."""
    named = [
        series_label(case.measurements, marker, specimen)
        for marker, specimen in zip(table["marker"], table["specimen"], strict=True)
    ]
    return table.assign(marker=named).drop(columns="specimen")
