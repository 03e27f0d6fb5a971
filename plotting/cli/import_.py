"""``marker-trends import``: a FHIR or lab export as a case or cohort folder."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from . import parser as shared
from .common import UsageError, output_folder, say, writing

# The example files hold rows that cannot be imported, to show how each is told.
EXAMPLES = (
    "marker-trends import tests/cases/imports/example_bundle.json -o build/bundle "
    "--leave-out-refused",
    "marker-trends import tests/cases/imports/example.ndjson -o build/ndjson --force "
    "--leave-out-refused --allow-skipped",
    "marker-trends import tests/cases/imports/lab_export.csv -o build/lab "
    "--columns patient=PatientID marker=TestName value=Result unit=Units "
    "date=CollectionDate loinc=LOINC --date-order DMY --decimal .",
)
# What a file is, from its extension, when --format is not given.
FORMATS = {
    ".json": "fhir",
    ".ndjson": "fhir",
    ".jsonl": "fhir",
    ".csv": "lab",
    ".tsv": "lab",
    ".txt": "lab",
    ".xlsx": "lab",
    ".xlsm": "lab",
}
ROLES = ("patient", "marker", "value", "unit", "date")
EXAMPLE_COLUMNS = (
    "--columns patient=PatientID marker=TestName value=Result unit=Units "
    "date=CollectionDate"
)
LEFT_OUT = 3
EXIT_STATUS = f"""\
exit status:
  0  written; nothing left out but what is no result of a registry marker
     (other tests, resource types not read, results voided by their status)
  {LEFT_OUT}  written, but tumour-marker results of the source were left out by rule
     (the same result twice, superseded by a later status, a marker name with a
     qualifier not known, a marker without a LOINC code) or, with
     --leave-out-refused, refused; each is listed in the summary.
     --allow-skipped makes this 0
  2  nothing written: a mistake in the command, a source that cannot be read, or
     rows that cannot be imported as the source gives them (listed with file,
     entry or row, field and value; fix them, or add --leave-out-refused)
  1  an unexpected error (rerun with --debug for the traceback)
  130 interrupted (Ctrl-C); 143 terminated (SIGTERM)"""


def add_parser(subparsers):
    """Add ``import`` and its options."""
    parser = shared.add_command(
        subparsers,
        "import",
        summary="import a FHIR R4 or long lab export as a case or cohort folder",
        examples=EXAMPLES,
        parents=[shared.force_option()],
        run=run,
    )
    parser.add_argument(
        "source",
        help="a FHIR Bundle (.json) or NDJSON (.ndjson), or a long lab export "
        "(.csv or .xlsx, one row per test)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FOLDER",
        help="folder to write, made if missing: a case folder for one patient, a "
        "tidy cohort folder for several (required)",
    )
    parser.add_argument(
        "--format",
        choices=("fhir", "lab"),
        help="what SOURCE is (default: from its extension, .json and .ndjson fhir, "
        ".csv and .xlsx lab)",
    )
    parser.add_argument(
        "--columns",
        nargs="+",
        metavar="ROLE=HEADER",
        help="a lab export's header for each of patient, marker, value, unit, date "
        "and optionally loinc (default: none; a lab export needs them)",
    )
    parser.add_argument(
        "--date-order",
        choices=("DMY", "MDY"),
        help="how to read 05/04/2020 in a lab export (default: refuse a date whose "
        "day and month could be swapped)",
    )
    parser.add_argument(
        "--decimal",
        choices=(".", ","),
        metavar="MARK",
        help="decimal mark of a lab export's results, . or , (default: refuse a "
        "result that reads two ways, such as 2,160)",
    )
    parser.add_argument(
        "--allow-skipped",
        action="store_true",
        help=f"exit 0, not {LEFT_OUT}, when tumour-marker results were left out by "
        "rule (still listed in the summary)",
    )
    parser.add_argument(
        "--leave-out-refused",
        action="store_true",
        help="write the folder without the rows that cannot be imported (listed as "
        f"problems; exit {LEFT_OUT}) instead of writing nothing (exit 2)",
    )
    examples = "\n".join(f"  {example}" for example in EXAMPLES)
    parser.epilog = f"examples:\n{examples}\n\n{EXIT_STATUS}\n"


def run(args) -> int:
    """Read the export, print what was read and skipped, write the folder."""
    from ..output.imported_cases import check_destination, write_import

    source = Path(args.source)
    if not source.is_file():
        what = "is a folder" if source.is_dir() else "no such file"
        raise UsageError(f"{args.source}: {what}; give the export file")
    kind = args.format or _guess(source)
    folder = output_folder(args.output, "-o", force=True)
    try:
        check_destination(folder, force=args.force)
    except InputError as err:
        raise UsageError(f"-o {args.output}: {err}") from None
    result = _read_fhir(source, args) if kind == "fhir" else _read_lab(source, args)
    refused = len(result.problems)
    stop = bool(refused) and not args.leave_out_refused
    print(summary(result, written=not stop))
    if stop:
        raise UsageError(
            f"nothing written to {args.output}: {_rows(refused)} of {source.name} "
            "cannot be imported as written (the problems above); correct them in "
            "the source, or add --leave-out-refused to write the rest"
        )
    with writing(f"-o {args.output}", folder):
        print(write_import(result, folder, force=args.force))
    left_out = result.results_left_out + refused
    if left_out and not args.allow_skipped:
        say(
            f"{_rows(left_out)} of {source.name} left out (listed above): exit "
            f"status {LEFT_OUT}; add --allow-skipped to exit 0"
        )
        return LEFT_OUT
    return 0


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def _read_fhir(source: Path, args):
    from ..reading.importers import read_fhir

    for option in ("columns", "date_order", "decimal"):
        if getattr(args, option) is not None:
            raise UsageError(
                f"--{option.replace('_', '-')} is for lab exports; a FHIR file names "
                "its fields and writes dates and numbers one way"
            )
    return read_fhir(source)


def _read_lab(source: Path, args):
    from ..reading.importers import ColumnError, read_lab_export
    from ..reading.importers.lab import export_headers

    if not args.columns:
        headers = export_headers(source)
        listed = f"; the columns of {source.name} are {', '.join(headers)}"
        raise UsageError(
            f"a lab export needs --columns, its header for each of {', '.join(ROLES)}"
            f" (and optionally loinc), such as {EXAMPLE_COLUMNS}"
            + (listed if headers else "")
        )
    columns = _columns(args.columns)
    try:
        return read_lab_export(
            source, columns, date_order=args.date_order, decimal=args.decimal
        )
    except ColumnError as err:
        raise UsageError(f"--columns {err.role}={err.header}: {err}") from None


def _guess(source: Path) -> str:
    kind = FORMATS.get(source.suffix.casefold())
    if kind is None:
        raise UsageError(
            f"{source}: cannot tell the format from the extension "
            f"{source.suffix or '(none)'!r}; add --format fhir or --format lab"
        )
    return kind


def _columns(pairs) -> dict[str, str]:
    """Return ``--columns`` as a role-to-header dict, or raise a UsageError."""
    columns: dict[str, str] = {}
    for pair in pairs:
        role, _, header = pair.partition("=")
        role, header = role.strip().casefold(), header.strip()
        if not role or not header:
            raise UsageError(
                f"--columns {pair!r}: write ROLE=HEADER, such as unit=Units"
            )
        if role not in (*ROLES, "loinc"):
            raise UsageError(
                f"--columns {pair}: {role!r} is not a role; the roles are "
                f"{', '.join(ROLES)} and loinc"
            )
        if role in columns:
            raise UsageError(f"--columns {pair}: {role} is given twice; give it once")
        columns[role] = header
    missing = [role for role in ROLES if role not in columns]
    if missing:
        raise UsageError(
            f"--columns: no header given for {', '.join(missing)}; give ROLE=HEADER "
            f"for each of {', '.join(ROLES)}, such as {EXAMPLE_COLUMNS}"
        )
    return columns


def summary(result, *, written: bool = True) -> str:
    """Return what an import read, skipped and imported, by reason, as lines.

    Results left out by rule are listed under their reason; when the import is
    refused (``written`` False), nothing is imported, and the line says so.
    """
    patients = len(result.patient_ids)
    lines = [f"{result.source}: {patients} patient{'s' if patients != 1 else ''}"]
    for reason, by_key in result.counts.items():
        detail = ", ".join(f"{key}: {n}" for key, n in sorted(by_key.items()))
        shown = "rows" if list(by_key) == ["rows"] else f"({detail})"
        if reason == "imported" and not written:
            lines.append(f"  imported: none, nothing written ({detail} readable)")
            continue
        lines.append(f"  {reason}: {sum(by_key.values())} {shown}")
        lines += [f"    {where}" for where in result.left_out.get(reason, ())]
    lines.append(f"  problems: {len(result.problems)}")
    lines += [f"    {problem}" for problem in result.problems]
    lines += [f"  note: {note}" for note in result.notes]
    return "\n".join(lines)
