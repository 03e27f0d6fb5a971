"""``marker-trends import``: what it prints, what it writes, its exit status."""

from __future__ import annotations

import shlex

import pytest
from conftest import ROOT
from test_cli_help import examples, help_text, option_helps

from plotting.cli import build_parser, main

IMPORTS = ROOT / "tests" / "cases" / "imports"
COLUMNS = [
    "--columns",
    "patient=PatientID",
    "marker=TestName",
    "value=Result",
    "unit=Units",
    "date=CollectionDate",
    "loinc=LOINC",
]


# The example files hold rows an import refuses (an invalid value, on purpose):
# these tests show what is written when the rest is taken, and exit 0 for it.
# tests/test_import_misreads.py tests the refusals and exit statuses themselves.
LEAVE_OUT = ["--leave-out-refused", "--allow-skipped"]


def run(capsys, *argv):
    status = main(["import", *map(str, argv), *LEAVE_OUT])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_a_bundle_prints_what_was_read_skipped_and_imported(tmp_path, capsys):
    status, out, err = run(
        capsys, IMPORTS / "example_bundle.json", "-o", tmp_path / "bundle"
    )
    assert (status, err) == (0, "")
    assert out == [
        "example_bundle.json: 2 patients",
        "  read: 24 (Condition: 2, Encounter: 1, Medication: 1, MedicationRequest: 1, "
        "MedicationStatement: 1, Observation: 11, Patient: 2, Procedure: 5)",
        "  invalid: 1 (Observation: 1)",
        "  skipped, resource type: 4 (Encounter: 1, Medication: 1, Patient: 2)",
        "  skipped, status: 1 (Observation entered-in-error: 1)",
        "  skipped, not a tumour marker: 2 (718-7: 1, "
        "http://hospital.example/lab|TM-99: 1)",
        "  unmapped kind: 1 (Port catheter insertion: 1)",
        "  open period, ongoing: 1 (MedicationStatement: 1)",
        "  imported: 16 (events: 2, measurements: 7, treatments: 7)",
        "  problems: 1",
        "    example_bundle.json: entry 22 (Observation/obs-bad): invalid: "
        "valueQuantity.value: Value error, Decimal value string does not match spec "
        "regex.",
        "  note: example_bundle.json: patient p1: 1 measurements row(s) before the "
        "diagnosis marked prior_history = yes; check they belong on the figure",
        "  note: example_bundle.json: patient p2: 1 measurements row(s) before the "
        "diagnosis marked prior_history = yes; check they belong on the figure",
        str(tmp_path / "bundle"),
    ]
    assert (tmp_path / "bundle" / "patients.csv").exists()


def test_ndjson_counts(tmp_path, capsys):
    status, out, _ = run(capsys, IMPORTS / "example.ndjson", "-o", tmp_path / "n")
    assert status == 0
    assert out[1:9] == [
        "  read: 20 (Condition: 2, Encounter: 1, MedicationAdministration: 1, "
        "MedicationRequest: 2, MedicationStatement: 1, Observation: 8, Patient: 2, "
        "Procedure: 3)",
        "  invalid: 2 ((not a resource): 1, Procedure: 1)",
        "  skipped, resource type: 3 (Encounter: 1, Patient: 2)",
        "  skipped, status: 1 (Observation cancelled: 1)",
        "  skipped, not a tumour marker: 1 (718-7: 1)",
        "  rejected: 1 (Observation: 1)",
        "  unmapped kind: 1 (Mirvetuximab 6 mg/kg: 1)",
        "  imported: 13 (events: 2, measurements: 5, treatments: 6)",
    ]


def test_a_lab_export_with_its_columns_date_order_and_decimal(tmp_path, capsys):
    options = [*COLUMNS, "--date-order", "DMY", "--decimal", "."]
    status, out, _ = run(capsys, IMPORTS / "lab_export.csv", "-o", tmp_path, *options)
    assert status == 0
    assert out[:6] == [
        "lab_export.csv: 3 patients",
        "  read: 17 rows",
        "  skipped, not a tumour marker: 5 (ALT: 1, Creatinine: 1, Free PSA: 1, "
        "GGT: 1, Hemoglobin: 1)",
        "  rejected: 3 (AFP: 1, CEA: 2)",
        "  imported: 9 (measurements: 9)",
        "  problems: 3",
    ]
    assert out[-1] == str(tmp_path)


def test_an_ambiguous_date_is_refused_unless_the_order_is_given(tmp_path, capsys):
    source = IMPORTS / "lab_export.xlsx"
    status, out, _ = run(capsys, source, "-o", tmp_path / "a", *COLUMNS)
    assert status == 0
    assert "  rejected: 4 (AFP: 2, CEA: 2)" in out
    assert (
        "    lab_export.xlsx, row 7, column \"CollectionDate\": '05/04/2020 09:40': "
        'day and month cannot be told apart; give the date order, date_order "DMY" '
        'or "MDY" (--date-order on the command line)'
    ) in out
    status, out, _ = run(
        capsys, source, "-o", tmp_path / "b", *COLUMNS, "--date-order", "DMY"
    )
    assert "  rejected: 3 (AFP: 1, CEA: 2)" in out
    assert (
        "2020-04-05,day,AFP,<2.0" in (tmp_path / "b" / "measurements.csv").read_text()
    )


HEADERS = "PatientID, TestName, Result, Units, CollectionDate, LOINC"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["lab_export.csv"],
            "a lab export needs --columns, its header for each of patient, marker, "
            "value, unit, date (and optionally loinc), such as --columns "
            "patient=PatientID marker=TestName value=Result unit=Units "
            f"date=CollectionDate; the columns of lab_export.csv are {HEADERS}",
        ),
        (
            ["lab_export.csv", *COLUMNS[:4], "unit=UoM", "date=CollectionDate"],
            "--columns unit=UoM: lab_export.csv has no column 'UoM' (given for unit); "
            f"its columns are {HEADERS}",
        ),
        (
            ["lab_export.csv", "--columns", "patient", "marker=TestName"],
            "--columns 'patient': write ROLE=HEADER, such as unit=Units",
        ),
        (
            ["lab_export.csv", "--columns", "test=TestName"],
            "--columns test=TestName: 'test' is not a role; the roles are patient, "
            "marker, value, unit, date and loinc",
        ),
        (
            ["example.ndjson", "--date-order", "DMY"],
            "--date-order is for lab exports; a FHIR file names its fields and writes "
            "dates and numbers one way",
        ),
        (
            ["lab_export.csv", "--format", "fhir"],
            f"{IMPORTS / 'lab_export.csv'}: not JSON (Expecting value: line 1 column 1 "
            "(char 0))",
        ),
        (
            ["nothing.json"],
            f"{IMPORTS / 'nothing.json'}: no such file; give the export file",
        ),
    ],
)
def test_mistakes_exit_2_with_one_line(tmp_path, capsys, argv, message):
    source, *options = argv
    status, out, err = run(capsys, IMPORTS / source, "-o", tmp_path / "x", *options)
    assert (status, out) == (2, [])
    assert err == f"marker-trends: {message}\n"
    assert not (tmp_path / "x").exists()


def test_a_folder_with_case_data_needs_force(tmp_path, capsys):
    source = IMPORTS / "example.ndjson"
    assert run(capsys, source, "-o", tmp_path)[0] == 0
    status, out, err = run(capsys, source, "-o", tmp_path)
    assert (status, out) == (2, [])
    assert err == (
        f"marker-trends: -o {tmp_path}: {tmp_path} already holds case or cohort data "
        "(events.csv, measurements.csv, patients.csv, treatments.csv); import into a "
        "new folder, or replace them with --force\n"
    )
    assert run(capsys, source, "-o", tmp_path, "--force")[0] == 0


def test_an_unknown_extension_needs_the_format(tmp_path, capsys):
    source = tmp_path / "export.dat"
    source.write_text("{}")
    status, _, err = run(capsys, source, "-o", tmp_path / "x")
    assert status == 2
    assert err == (
        f"marker-trends: {source}: cannot tell the format from the extension '.dat'; "
        "add --format fhir or --format lab\n"
    )


def test_help_shows_examples_that_parse_and_every_default(capsys):
    text = help_text(capsys, "import")
    shown = examples(text)
    assert 2 <= len(shown) <= 4
    parser = build_parser()
    for line in shown:
        program, *argv = shlex.split(line)
        assert (program, argv[0]) == ("marker-trends", "import")
        assert parser.parse_args(argv).command == "import"
    helps = option_helps(text)
    assert "--debug" in helps
    for option, help_ in helps.items():
        if option != "-h":
            assert "(default: " in help_ or "(required)" in help_, help_
    assert "marker-trends import" in help_text(capsys)


def test_an_imported_cohort_renders_with_one_line_warnings(tmp_path, capsys):
    from plotting.cli import main

    source = ROOT / "tests" / "cases" / "imports" / "example_bundle.json"
    assert main(["import", str(source), "-o", str(tmp_path / "fhir"), *LEAVE_OUT]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "batch",
                str(tmp_path / "fhir"),
                "-o",
                str(tmp_path / "figs"),
                "--dpi",
                "30",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert out == f"2 of 2 patients rendered into {tmp_path / 'figs'}\n"
    assert err.splitlines() == [
        f"marker-trends: warning: {tmp_path / 'fhir' / 'treatments.csv'}, row 4: "
        "treatment kind 'Port catheter insertion' has no style of its own; drawn "
        "in a neutral lane"
    ]
