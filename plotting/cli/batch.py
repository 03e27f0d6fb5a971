"""``marker-trends batch``: one figure per patient of a cohort."""

from __future__ import annotations

import sys

from . import parser as shared
from .common import (
    check_cohort_markers,
    figure_options,
    load_cohort,
    output_folder,
    resolution,
    writing,
)

EXAMPLES = (
    "marker-trends batch cohort/ -o build/ --jobs 2",
    "marker-trends batch cohort/ -o build/ --format png pdf --preset single --dpi 150",
    "marker-trends batch cohort/ -o build/ --markers AFP --time-axis since-diagnosis",
    "marker-trends batch cohort/ -o build/ --format png html",
)


def add_parser(subparsers):
    """Add ``batch`` and its options."""
    parser = shared.add_command(
        subparsers,
        "batch",
        summary="one figure per patient of a cohort",
        examples=EXAMPLES,
        parents=[
            shared.cohort_argument(),
            shared.figure_files(("png",), case_pages=True),
            shared.markers_option(),
            shared.time_axis_option(),
            shared.force_option(),
        ],
        run=run,
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FOLDER",
        help="output folder, made if missing (required)",
    )
    parser.add_argument(
        "--jobs", type=shared.integer(1), default=1, help="worker processes"
    )


def run(args) -> int:
    """Render every patient; exit status 2 if any could not be rendered."""
    from ..output.batch import render_cohort
    from ..output.canvas import release_large_buffers

    release_large_buffers()
    folder = output_folder(args.output, "-o", force=args.force)
    cohort = load_cohort(args.cohort)
    if args.markers:
        check_cohort_markers(cohort, args.markers, option="--markers")
    options = figure_options(
        preset=args.preset, markers=args.markers, time_axis=args.time_axis
    )
    with writing(f"-o {args.output}", folder):
        report = render_cohort(
            cohort,
            folder,
            formats=args.format,
            dpi=resolution(args),
            jobs=args.jobs,
            options=options,
        )
    print(
        f"{len(report.written)} of {len(cohort)} patients rendered into {args.output}"
    )
    if report.index is not None:
        print(f"index of every patient's page: {report.index}")
    for pid, error in sorted(report.failed.items()):
        first, *rest = str(error).splitlines()
        print(f"patient {pid!r}: {first}", file=sys.stderr)
        for line in rest:
            print(f"  {line}", file=sys.stderr)
        for path in report.stale.get(pid, ()):
            print(
                f"  {path} is from an earlier run, drawn from data now refused: "
                "delete it or fix the data",
                file=sys.stderr,
            )
    return 2 if report.failed else 0
