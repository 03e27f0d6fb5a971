"""``marker-trends grid``: one small panel per patient of a cohort."""

from __future__ import annotations

from . import parser as shared
from .common import (
    check_cohort_markers,
    load_cohort,
    output_stem,
    readable_cases,
    report_left_out,
    save,
)

EXAMPLES = (
    "marker-trends grid cohort/ -o build/grid --marker AFP --max-patients 30",
    "marker-trends grid cohort/ -o build/grid --marker PIVKA-II --ncols 4 --preset 1.5",
)


def add_parser(subparsers):
    """Add ``grid`` and its options."""
    parser = shared.add_command(
        subparsers,
        "grid",
        summary="one small panel per patient, shared axes",
        examples=EXAMPLES,
        parents=[
            shared.cohort_argument(),
            shared.output_stem(),
            shared.marker_option(),
            shared.figure_files(("png",)),
            shared.rgb_option(),
        ],
        run=run,
    )
    parser.add_argument(
        "--max-patients",
        type=shared.integer(1),
        help="draw only the first patients, by id (default: all)",
    )
    parser.add_argument(
        "--ncols", type=shared.integer(1), default=5, help="panels per row"
    )


def run(args) -> int:
    """Draw the panels and save them in each format."""
    from ..drawing.small_multiples import plot_small_multiples

    stem = output_stem(args.output, args.format, force=args.force)
    cohort = load_cohort(args.cohort)
    readable_cases(cohort, args.cohort)
    check_cohort_markers(cohort, args.marker, option="--marker")
    fig = plot_small_multiples(
        cohort,
        marker=args.marker,
        ncols=args.ncols,
        max_patients=args.max_patients,
        preset=args.preset,
        specimen=args.specimen,
    )
    save(fig, stem, args)
    report_left_out(cohort)
    return 0
