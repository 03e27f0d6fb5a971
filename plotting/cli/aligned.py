"""``marker-trends aligned``: a cohort's trajectories from a treatment on."""

from __future__ import annotations

from . import parser as shared
from .common import (
    UsageError,
    check_cohort_markers,
    listing,
    load_cohort,
    output_stem,
    readable_cases,
    report_left_out,
    save,
)

EXAMPLES = (
    "marker-trends aligned cohort/ -o build/aligned --marker AFP --anchor tace "
    "--percent",
    "marker-trends aligned cohort/ -o build/aligned_rt --marker PIVKA-II "
    "--anchor radiotherapy",
    "marker-trends aligned cohort/ -o build/aligned.pdf --format pdf --marker AFP "
    "--linear",
)


def add_parser(subparsers):
    """Add ``aligned`` and its options."""
    parser = shared.add_command(
        subparsers,
        "aligned",
        summary="all patients' trajectories from a treatment on, with the median",
        examples=EXAMPLES,
        parents=[
            shared.cohort_argument(),
            shared.output_stem(),
            shared.marker_option(),
            shared.figure_files(("png",)),
        ],
        run=run,
    )
    parser.add_argument(
        "--anchor", default="tace", help="treatment kind or label at time 0"
    )
    parser.add_argument(
        "--percent", action="store_true", help="percent of each patient's baseline"
    )
    parser.add_argument("--linear", action="store_true", help="linear y axis")


def run(args) -> int:
    """Draw the aligned trajectories and save them in each format."""
    from ..drawing.aligned_figure import plot_aligned_cohort

    stem = output_stem(args.output, args.format, force=args.force)
    cohort = load_cohort(args.cohort)
    cases = readable_cases(cohort, args.cohort)
    check_cohort_markers(cohort, args.marker, option="--marker")
    _check_anchor(cases.values(), args.anchor)
    fig = plot_aligned_cohort(
        cohort,
        marker=args.marker,
        anchor=args.anchor,
        percent=args.percent,
        log=not args.linear,
        preset=args.preset,
        specimen=args.specimen,
    )
    save(fig, stem, args)
    report_left_out(cohort)
    return 0


def _check_anchor(cases, anchor: str) -> None:
    kinds, labels = {}, {}
    for case in cases:
        kinds.update(dict.fromkeys(case.treatments["kind"].dropna()))
        labels.update(dict.fromkeys(case.treatments["label"].dropna()))
    labels.pop("", None)
    key = anchor.strip().casefold()
    if key not in {str(name).casefold() for name in [*kinds, *labels]}:
        raise UsageError(
            f"--anchor {anchor!r} matches no treatment of any patient; give a kind "
            f"({listing(sorted(kinds)) or 'none'}) or a label "
            f"({listing(sorted(labels)) or 'none'})"
        )
