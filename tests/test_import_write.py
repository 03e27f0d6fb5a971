"""Writing an import: a case folder for one patient, a tidy cohort for several,
read back by the package with no problems and the values of the source."""

from __future__ import annotations

import csv
import json

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from plotting import read_case, read_cohort
from plotting.core.errors import InputError
from plotting.output.imported_cases import write_import
from plotting.reading.importers import read_fhir, read_lab_export

IMPORTS = ROOT / "tests" / "cases" / "imports"
COLUMNS = {
    "patient": "PatientID",
    "marker": "TestName",
    "value": "Result",
    "unit": "Units",
    "date": "CollectionDate",
    "loinc": "LOINC",
}
TODAY = "2025-01-01"


def fhir_resources(path):
    """The source's resources by ``Type/id``, as JSON."""
    text = path.read_text()
    if path.suffix == ".json":
        found = [e["resource"] for e in json.loads(text)["entry"]]
    else:
        found = [json.loads(line) for line in text.splitlines() if line.endswith("}")]
    return {f"{r['resourceType']}/{r.get('id')}": r for r in found}


def one_patient(tmp_path, pid="p4"):
    """The example NDJSON's lines about one patient, as a file of its own."""
    lines = (IMPORTS / "example.ndjson").read_text().splitlines()
    own = [line for line in lines if f'"Patient/{pid}"' in line or f'"{pid}"' in line]
    path = tmp_path / f"{pid}.ndjson"
    path.write_text("\n".join(own) + "\n")
    return path


def assert_values_are_the_sources(measurements, resources):
    for row in measurements.itertuples():
        quantity = resources[row.source]["valueQuantity"]
        assert row.value == float(quantity["value"]), row.source
        assert row.censor == quantity.get("comparator", "").rstrip("="), row.source
        when = resources[row.source]["effectiveDateTime"]
        assert row.date_text == when[:10], row.source


def test_one_patient_gives_a_case_folder_read_as_the_source(tmp_path):
    source = one_patient(tmp_path)
    folder = write_import(read_fhir(source), tmp_path / "p4")
    assert sorted(p.name for p in folder.iterdir()) == [
        "case.toml",
        "events.csv",
        "measurements.csv",
        "treatments.csv",
    ]
    assert (folder / "case.toml").read_text() == (
        '# Imported from p4.ndjson (patient_id "p4") by marker-trends import.\n'
        "# Check every row, the origin and the last follow-up before use.\n"
        "\n"
        "[time]\n"
        'origin = "2021-02-15"\n'
        'last_follow_up = "2021-09"\n'
    )
    assert (folder / "measurements.csv").read_text() == (
        "date,date_precision,marker,value,unit,source,prior_history\n"
        "2021-02-10,day,CA-125,845,U/mL,Observation/obs-41,yes\n"
        "2021-09,month,CA-125,12,U/mL,Observation/obs-44,\n"
    )
    unmapped = "'Mirvetuximab 6 mg/kg' has no style of its own"
    with pytest.warns(UserWarning, match=unmapped):
        case = read_case(folder, today=TODAY)
    assert_values_are_the_sources(case.measurements, fhir_resources(source))
    assert case.origin == pd.Timestamp("2021-02-15")
    assert case.last_follow_up == pd.Timestamp("2021-09-15")
    assert list(case.measurements["prior_history"]) == [True, False]
    assert list(case.treatments["kind"]) == [
        "resection",
        "chemotherapy",
        "Mirvetuximab 6 mg/kg",
    ]
    assert list(case.events["label"]) == ["Diagnosis"]
    assert not list(folder.glob(".*.part"))


def test_the_bundle_gives_a_tidy_cohort_read_as_the_source(tmp_path):
    source = IMPORTS / "example_bundle.json"
    folder = write_import(read_fhir(source), tmp_path / "bundle")
    assert sorted(p.name for p in folder.iterdir()) == [
        "events.csv",
        "measurements.csv",
        "patients.csv",
        "treatments.csv",
    ]
    assert (folder / "patients.csv").read_text() == (
        "patient_id,origin,last_follow_up\n"
        "p1,2019-03-12,2020-05\n"
        "p2,2018-12-03,2020-09-01\n"
    )
    with pytest.warns(UserWarning, match="'Port catheter insertion' has no style"):
        cohort = read_cohort(folder, today=TODAY)
    assert cohort.problems == {}
    resources = fhir_resources(source)
    p1, p2 = cohort.cases["p1"], cohort.cases["p2"]
    assert_values_are_the_sources(
        pd.concat([p1.measurements, p2.measurements]), resources
    )
    assert list(p1.measurements["marker"]) == ["AFP", "PIVKA-II", "AFP", "AFP"]
    assert list(p2.measurements["value"]) == [48.3, 0.03, 0.21]
    for row in pd.concat([p1.treatments, p2.treatments]).itertuples():
        resource = resources[row.source]
        started = (
            resource.get("performedDateTime")
            or (resource.get("performedPeriod") or {}).get("start")
            or (resource.get("effectivePeriod") or {}).get("start")
            or resource["dispenseRequest"]["validityPeriod"]["start"]
        )
        assert row.start_text == started[:10], row.source
    assert p2.treatments["end"].dt.strftime("%Y-%m-%d").tolist()[1:] == [
        "2019-10-11",
        "2020-08-01",
    ]
    # The open MedicationStatement period runs to the last follow-up.
    ongoing = p1.treatments["ongoing"]
    assert ongoing.tolist() == [False, False, False, True]
    assert p1.treatments["end"][~ongoing].isna().all()
    assert (p1.treatments["end"][ongoing] == p1.last_follow_up).all()


def test_a_lab_export_gives_a_cohort_whose_values_are_the_exports(tmp_path):
    source = IMPORTS / "lab_export.csv"
    result = read_lab_export(source, COLUMNS, date_order="DMY", decimal=".")
    folder = write_import(result, tmp_path / "lab")
    assert sorted(p.name for p in folder.iterdir()) == [
        "cohort.toml",
        "measurements.csv",
        "patients.csv",
    ]
    assert (folder / "cohort.toml").read_text().endswith('[files]\ndecimal = "."\n')
    cohort = read_cohort(folder, today=TODAY)
    assert cohort.problems == {} and sorted(cohort.cases) == ["L001", "L002", "L003"]
    with source.open(newline="") as stream:
        reader = csv.DictReader(stream)
        printed = {}
        for row in reader:
            printed[reader.line_num] = row
    for case in cohort.cases.values():
        for row in case.measurements.itertuples():
            cell = printed[int(row.source.rsplit(" ", 1)[1])]["Result"]
            sign = cell[0] if cell[0] in "<>" else ""
            number = float(cell.lstrip("<>").replace(",", ""))
            assert (row.value, row.censor) == (number, sign), row.source
    assert cohort.cases["L001"].measurements["value"].tolist() == [2160, 5658, 2, 17]


def test_a_workbook_export_keeps_its_numbers(tmp_path):
    source = IMPORTS / "lab_export.xlsx"
    result = read_lab_export(source, COLUMNS, date_order="DMY", decimal=".")
    cohort = read_cohort(write_import(result, tmp_path / "xlsx"), today=TODAY)
    assert cohort.problems == {}
    sheet = openpyxl.load_workbook(source).active
    for case in cohort.cases.values():
        for row in case.measurements.itertuples():
            cell = sheet.cell(int(row.source.rsplit(" ", 1)[1]), 3).value
            if isinstance(cell, int | float):
                assert row.value == cell


def test_a_folder_with_case_data_is_refused_unless_forced(tmp_path):
    bundle = read_fhir(IMPORTS / "example_bundle.json")
    folder = write_import(read_fhir(one_patient(tmp_path)), tmp_path / "out")
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="already holds case or cohort data"):
        write_import(bundle, folder)
    write_import(bundle, folder, force=True)
    assert sorted(p.name for p in folder.iterdir()) == [
        "events.csv",
        "measurements.csv",
        "notes.txt",
        "patients.csv",
        "treatments.csv",
    ]
    (folder / "treatments.xlsx").write_bytes(b"")
    with pytest.raises(InputError, match=r"holds treatments\.xlsx, which an import"):
        write_import(bundle, folder, force=True)


def test_tables_beside_case_folders_are_refused(tmp_path):
    (tmp_path / "cohort" / "p9").mkdir(parents=True)
    (tmp_path / "cohort" / "p9" / "case.toml").write_text("")
    bundle = read_fhir(IMPORTS / "example_bundle.json")
    for force in (False, True):
        with pytest.raises(InputError, match=r"p9/case\.toml"):
            write_import(bundle, tmp_path / "cohort", force=force)


def test_nothing_to_write(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("P,T,R,U,D\n1,Ferritin,300,ng/mL,2020-01-01\n")
    columns = dict(
        zip(("patient", "marker", "value", "unit", "date"), "PTRUD", strict=True)
    )
    with pytest.raises(InputError, match="nothing to write"):
        write_import(read_lab_export(path, columns), tmp_path / "empty")
    assert not (tmp_path / "empty").exists()
