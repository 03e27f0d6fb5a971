"""Lab exports that say the specimen: a urine CEA is never one more serum CEA."""

from __future__ import annotations

import json

import pytest
from artists import lines_with_gid

from plotting import plot_case, read_case
from plotting.cli import main
from plotting.reading.importers import SourceError, read_fhir, read_lab_export

COLUMNS = {
    "patient": "Patient",
    "marker": "Test",
    "value": "Result",
    "unit": "Unit",
    "date": "Collected",
}
HEADER = "Patient,Test,Result,Unit,Collected"


def export(tmp_path, header, *lines, name="export.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def measured(result):
    table = result.tables["measurements"]
    specimen = table["specimen"] if "specimen" in table else [""] * len(table)
    return sorted(zip(table["date"], table["value"], specimen, strict=True))


@pytest.mark.parametrize("header", ["Specimen", "Sample type", "Material"])
def test_a_specimen_column_parts_serum_from_urine(tmp_path, header):
    path = export(
        tmp_path,
        f"{HEADER},{header}",
        "7,CEA,1296.5,ng/mL,2021-03-01,Serum",
        "7,CEA,137,ng/mL,2021-03-01,Urine",
        "7,CEA,23,ng/mL,2021-07-01,SER",
        "7,CEA,2.4,ng/mL,2021-07-01,UR",
    )
    result = read_lab_export(path, COLUMNS)
    assert list(result.problems) == []
    assert measured(result) == [
        ("2021-03-01", "1296.5", "serum"),
        ("2021-03-01", "137", "urine"),
        ("2021-07-01", "2.4", "urine"),
        ("2021-07-01", "23", "serum"),
    ]


def test_the_test_name_can_say_the_specimen(tmp_path):
    path = export(
        tmp_path,
        HEADER,
        "7,CEA (serum),1296.5,ng/mL,2021-03-01",
        "7,CEA (urine),137,ng/mL,2021-03-01",
        "7,CEA,23,ng/mL,2021-07-01",
    )
    result = read_lab_export(path, COLUMNS)
    assert list(result.problems) == []
    # A name that states nothing is not guessed to be serum: two series.
    assert measured(result) == [
        ("2021-03-01", "1296.5", "serum"),
        ("2021-03-01", "137", "urine"),
        ("2021-07-01", "23", ""),
    ]


def test_a_column_and_a_name_that_disagree_are_refused_naming_both(tmp_path):
    path = export(
        tmp_path,
        f"{HEADER},Specimen",
        "7,CEA (urine),137,ng/mL,2021-03-01,serum",
        "7,CEA,5,ng/mL,2021-04-01,serum",
    )
    result = read_lab_export(path, COLUMNS)
    assert [str(p) for p in result.problems] == [
        "export.csv, row 2, column \"Test\": 'urine': the specimen is urine here, "
        "but specimen says serum; correct the one that is wrong"
    ]
    assert measured(result) == [("2021-04-01", "5", "serum")]


def test_an_unknown_specimen_is_refused_with_the_nearest_known(tmp_path):
    path = export(
        tmp_path,
        f"{HEADER},Specimen",
        "7,CEA,137,ng/mL,2021-03-01,Urin",
        "7,CEA,9,ng/mL,2021-03-01,saliva",
    )
    problems = [str(p) for p in read_lab_export(path, COLUMNS).problems]
    assert len(problems) == 2
    assert problems[0].startswith(
        "export.csv, row 2, column \"Specimen\": 'Urin': unknown specimen; "
        "did you mean 'urine'?"
    )
    assert "row 3" in problems[1] and "write one of serum, plasma" in problems[1]


def test_a_loinc_code_of_serum_is_not_a_urine_result(tmp_path):
    path = export(
        tmp_path,
        f"{HEADER},LOINC,Specimen",
        "7,CEA,137,ng/mL,2021-03-01,2039-6,urine",
        "7,CEA,12,ng/mL,2021-03-01,2037-0,",
    )
    result = read_lab_export(path, {**COLUMNS, "loinc": "LOINC"})
    assert [str(p) for p in result.problems] == [
        "export.csv, row 2, column \"Specimen\": 'urine': the specimen is urine, but "
        "LOINC 2039-6 is CEA in serum or plasma; correct the one that is wrong"
    ]
    # The code's own System says the specimen when no column does.
    assert measured(result) == [("2021-03-01", "12", "CSF")]


def test_two_columns_that_say_the_specimen_are_refused(tmp_path):
    path = export(
        tmp_path,
        f"{HEADER},Specimen,Material",
        "7,CEA,137,ng/mL,2021-03-01,urine,urine",
    )
    with pytest.raises(SourceError, match="both say the specimen; name the one"):
        read_lab_export(path, COLUMNS)
    # Named, the other is an ordinary column.
    result = read_lab_export(path, {**COLUMNS, "specimen": "Material"})
    assert measured(result) == [("2021-03-01", "137", "urine")]


def test_one_time_in_two_specimens_is_no_disagreement(tmp_path):
    path = export(
        tmp_path,
        f"{HEADER},Specimen",
        "7,CEA,1296.5,ng/mL,2021-03-01 08:00,serum",
        "7,CEA,137,ng/mL,2021-03-01 08:00,urine",
        "7,CEA,140,ng/mL,2021-03-01 08:00,urine",
    )
    result = read_lab_export(path, COLUMNS)
    assert measured(result) == [("2021-03-01", "1296.5", "serum")]
    assert len(result.problems) == 2
    at = "CEA of patient 7 at 2021-03-01 08:00"
    assert all(at in str(problem) for problem in result.problems)


def test_an_imported_export_draws_two_series_named_in_the_legend(tmp_path, capsys):
    path = export(
        tmp_path,
        f"{HEADER},Specimen",
        "7,CEA,1296.5,ng/mL,2021-03-01,serum",
        "7,CEA,137,ng/mL,2021-03-01,urine",
        "7,CEA,23,ng/mL,2021-07-01,serum",
        "7,CEA,2.4,ng/mL,2021-07-01,urine",
    )
    columns = [f"{role}={header}" for role, header in COLUMNS.items()]
    out = tmp_path / "cases"
    assert main(["import", str(path), "-o", str(out), "--columns", *columns]) == 0
    capsys.readouterr()
    case = read_case(out)
    fig = plot_case(case)
    fig.savefig(tmp_path / "two_specimens.png")
    trend = fig.axes[0]
    assert len(lines_with_gid(trend, "trend-line:CEA[urine]")) == 1
    assert len(lines_with_gid(trend, "trend-line:CEA[serum]")) == 1
    legend = fig.legends[0] if fig.legends else trend.get_legend()
    labels = [text.get_text() for text in legend.get_texts()]
    assert any("CEA, urine" in label for label in labels)
    assert any("CEA, serum" in label for label in labels)


def _cea(rid, code, value, specimen=None):
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/a"},
        "effectiveDateTime": "2021-03-01T08:00:00Z",
        "valueQuantity": {"value": value, "unit": "ng/mL"},
        **({"specimen": {"display": specimen}} if specimen else {}),
    }


def test_fhir_reads_the_specimen_its_code_or_reference_states(tmp_path):
    path = tmp_path / "in.ndjson"
    resources = [
        _cea("o1", "2039-6", 40),  # in Serum or Plasma: states neither
        _cea("o2", "2037-0", 12),  # in CSF: a series of its own, same time
        _cea("o3", "2039-6", 38, specimen="Serum"),
        _cea("o4", "2039-6", 137, specimen="Urine"),  # the code is not of urine
    ]
    path.write_text("\n".join(json.dumps(r) for r in resources) + "\n")
    result = read_fhir(path)
    table = result.tables["measurements"]
    assert sorted(zip(table["value"], table["specimen"], strict=True)) == [
        ("12", "CSF"),
        ("38", "serum"),
        ("40", ""),
    ]
    assert [str(p) for p in result.problems] == [
        "in.ndjson: line 4 (Observation/o4): specimen.display 'Urine': the specimen "
        "is urine, but LOINC 2039-6 is CEA in serum or plasma; correct the one that "
        "is wrong"
    ]
