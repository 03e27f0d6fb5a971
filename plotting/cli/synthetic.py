"""``marker-trends synthetic``: write a synthetic cohort (never real patients)."""

from __future__ import annotations

from . import parser as shared
from .common import output_folder, writing

EXAMPLES = (
    "marker-trends synthetic build/cohort --patients 60 --seed 7",
    "marker-trends synthetic build/cohort --patients 500 --force",
)


def add_parser(subparsers):
    """Add ``synthetic`` and its options."""
    parser = shared.add_command(
        subparsers,
        "synthetic",
        summary="write a synthetic cohort (never real patients) as tables",
        examples=EXAMPLES,
        parents=[],
        run=run,
    )
    parser.add_argument("output", help="folder to write the tidy tables into")
    parser.add_argument(
        "--patients", type=shared.integer(1), default=60, help="how many patients"
    )
    parser.add_argument(
        "--seed",
        type=shared.integer(0),
        default=0,
        help="seed of the random generator; the same seed gives the same cohort",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the tables of a folder that already holds case or cohort data",
    )


def run(args) -> int:
    """Write the tables and print their folder."""
    from ..output.synthetic import synthetic_cohort, write_cohort

    # write_cohort refuses to replace case or cohort data itself, unless forced.
    folder = output_folder(args.output, "output folder", force=True)
    tables = synthetic_cohort(args.patients, seed=args.seed)
    with writing(f"output folder {args.output}", folder):
        print(write_cohort(tables, folder, force=args.force))
    return 0
