"""``marker-trends example``: write a published case to a folder, to draw or edit."""

from __future__ import annotations

from . import parser as shared
from .common import UsageError, output_folder, writing

EXAMPLES = (
    "marker-trends example yu2020 data/yu2020",
    "marker-trends example --list",
)


def add_parser(subparsers):
    """Add ``example`` and its options."""
    parser = shared.add_command(
        subparsers,
        "example",
        summary="write a published case (case.toml, tables, notes) to a folder",
        examples=EXAMPLES,
        parents=[],
        run=run,
    )
    parser.add_argument(
        "name", nargs="?", help="the published case, e.g. yu2020 (see --list)"
    )
    parser.add_argument(
        "folder", nargs="?", help="folder to write it into (default: ./NAME)"
    )
    parser.add_argument(
        "--list", action="store_true", help="print the published cases' names"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace files of the same names the folder already holds",
    )


def run(args) -> int:
    """Write the case and print its folder, or list the names."""
    from ..core.errors import InputError
    from ..output.examples import write_example
    from ..reading.examples import example_folder, example_names

    if args.list:
        if args.name is not None:
            raise UsageError("--list takes no NAME; give one or the other")
        print("\n".join(example_names()))
        return 0
    if args.name is None:
        raise UsageError(
            "give the published case to write, one of "
            f"{', '.join(example_names())}; e.g. marker-trends example yu2020 DIR"
        )
    try:
        example_folder(args.name)
    except InputError as err:
        raise UsageError(str(err)) from None
    target = args.folder if args.folder is not None else args.name
    folder = output_folder(target, "folder", force=True)
    with writing(f"folder {target}", folder):
        print(write_example(args.name, folder, force=args.force))
    return 0
