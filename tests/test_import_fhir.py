"""FHIR import: the example Bundle and NDJSON give exactly these counts and rows;
each mapping rule and each refusal on single resources."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from plotting.reading.importers import SourceError, read_fhir

IMPORTS = ROOT / "tests" / "cases" / "imports"
M = ("patient_id", "date", "date_precision", "marker", "value", "unit", "source")
T = (
    "patient_id",
    "kind",
    "start",
    "end",
    "label",
    "target",
    "date_precision",
    "date_reasoning",
    "source",
)
E = ("patient_id", "date", "label", "date_precision", "source")
OPEN = "the period has no end: ongoing at the last follow-up"
AUTHORED = "authoredOn of the request; the end of the course is not given"


def rows(columns, *values, prior=None):
    """Row dicts from tuples; ``prior`` lists prior_history per row, if any."""
    out = [dict(zip(columns, v, strict=True)) for v in values]
    for row, flag in zip(out, prior or [], strict=False):
        row["prior_history"] = flag
    return out


def records(frame) -> list[dict]:
    return frame.to_dict(orient="records")


def test_the_bundle_counts_problems_and_notes():
    result = read_fhir(IMPORTS / "example_bundle.json")
    assert result.counts == {
        "read": {
            "Patient": 2,
            "Condition": 2,
            "Observation": 11,
            "Procedure": 5,
            "Medication": 1,
            "MedicationStatement": 1,
            "MedicationRequest": 1,
            "Encounter": 1,
        },
        "invalid": {"Observation": 1},
        "skipped, resource type": {"Patient": 2, "Medication": 1, "Encounter": 1},
        "skipped, status": {"Observation entered-in-error": 1},
        "skipped, not a tumour marker": {
            "718-7": 1,
            "http://hospital.example/lab|TM-99": 1,
        },
        "unmapped kind": {"Port catheter insertion": 1},
        "open period, ongoing": {"MedicationStatement": 1},
        "imported": {"measurements": 7, "treatments": 7, "events": 2},
    }
    assert [str(p) for p in result.problems] == [
        "example_bundle.json: entry 22 (Observation/obs-bad): invalid: "
        "valueQuantity.value: Value error, Decimal value string does not match "
        "spec regex."
    ]
    assert result.notes == tuple(
        f"example_bundle.json: patient {p}: 1 measurements row(s) before the "
        "diagnosis marked prior_history = yes; check they belong on the figure"
        for p in ("p1", "p2")
    )
    assert (result.source, result.decimal) == ("example_bundle.json", None)


def test_the_bundle_rows():
    tables = read_fhir(IMPORTS / "example_bundle.json").tables
    assert records(tables["measurements"]) == rows(
        M,
        ("p1", "2019-03-10", "day", "AFP", "2160", "ng/mL", "Observation/obs-1"),
        ("p1", "2019-03-14", "day", "PIVKA-II", "5658", "mAU/mL", "Observation/obs-2"),
        ("p1", "2019-06-01", "day", "AFP", "<2.0", "ng/mL", "Observation/obs-3"),
        ("p1", "2020-05", "month", "AFP", "35.2", "ng/mL", "Observation/obs-6"),
        ("p2", "2018-11-20", "day", "PSA", "48.3", "ng/mL", "Observation/obs-7"),
        # 35741-8, the ultrasensitive PSA assay: a censored result.
        ("p2", "2019-03-01", "day", "PSA", "<0.03", "ng/mL", "Observation/obs-8"),
        ("p2", "2020-09-01", "day", "PSA", "0.21", "ng/mL", "Observation/obs-10"),
        prior=["yes", "", "", "", "yes", "", ""],
    )
    hepatectomy = "Hepatectomy (segments 5 and 6)"
    port = "Port catheter insertion"
    salvage = "Salvage radiotherapy to prostate bed"
    assert records(tables["treatments"]) == rows(
        T,
        ("p1", "resection", "2019-04-02", "", hepatectomy, "", "day", "",
         "Procedure/proc-1"),
        ("p1", "tace", "2020-01-15", "", "Transarterial chemoembolization", "",
         "day", "", "Procedure/proc-2"),
        ("p1", port, "2020-02-20", "", port, "", "day", "", "Procedure/proc-5"),
        ("p1", "targeted therapy", "2020-03-01", "ongoing", "Lenvatinib", "", "day",
         OPEN, "MedicationStatement/medstmt-1"),
        ("p2", "resection", "2019-01-10", "", "Radical prostatectomy", "", "day", "",
         "Procedure/proc-3"),
        ("p2", "radiotherapy", "2019-09-02", "2019-10-11", salvage, "", "day", "",
         "Procedure/proc-4"),
        ("p2", "hormone therapy", "2020-02-01", "2020-08-01", "Enzalutamide", "",
         "day", "", "MedicationRequest/medreq-1"),
    )  # fmt: skip
    assert records(tables["events"]) == rows(
        E,
        ("p1", "2019-03-12", "Diagnosis", "day", "Condition/cond-p1"),
        ("p2", "2018-12-03", "Diagnosis", "day", "Condition/cond-p2"),
    )
    assert records(tables["patients"]) == rows(
        ("patient_id", "origin", "last_follow_up"),
        ("p1", "2019-03-12", "2020-05"),
        ("p2", "2018-12-03", "2020-09-01"),
    )


def test_the_ndjson_counts_problems_and_rows():
    result = read_fhir(IMPORTS / "example.ndjson")
    assert result.counts == {
        "read": {
            "Patient": 2,
            "Condition": 2,
            "Observation": 8,
            "Procedure": 3,
            "MedicationAdministration": 1,
            "MedicationStatement": 1,
            "MedicationRequest": 2,
            "Encounter": 1,
        },
        "invalid": {"(not a resource)": 1, "Procedure": 1},
        "skipped, resource type": {"Patient": 2, "Encounter": 1},
        "skipped, status": {"Observation cancelled": 1},
        "skipped, not a tumour marker": {"718-7": 1},
        "rejected": {"Observation": 1},
        "unmapped kind": {"Mirvetuximab 6 mg/kg": 1},
        "imported": {"measurements": 5, "treatments": 6, "events": 2},
    }
    assert [str(p) for p in result.problems] == [
        "example.ndjson: line 9 (Observation/obs-33): unit 'mg/dL' is not a known "
        "unit of CEA; use one of ng/mL",
        "example.ndjson: line 11: not JSON (Unterminated string starting at, "
        "column 59)",
        "example.ndjson: line 12 (Procedure/proc-32): invalid: performedDateTime: "
        "Value error, DateTime value string does not match spec regex.",
    ]
    tables = result.tables
    assert records(tables["measurements"]) == rows(
        M,
        ("p3", "2017-06-20", "day", "CEA", "12.4", "ng/mL", "Observation/obs-31"),
        ("p3", "2017-06-20", "day", "CA 19-9", ">60000", "U/mL", "Observation/obs-32"),
        ("p3", "2018-10-02", "day", "CEA", "3.1", "ng/mL", "Observation/obs-34"),
        ("p4", "2021-02-10", "day", "CA-125", "845", "U/mL", "Observation/obs-41"),
        ("p4", "2021-09", "month", "CA-125", "12", "U/mL", "Observation/obs-44"),
        prior=["", "", "", "yes", ""],
    )
    assert records(tables["treatments"]) == rows(
        T,
        ("p3", "resection", "2017-07-04", "", "Laparoscopic sigmoid colectomy", "",
         "day", "", "Procedure/proc-31"),
        ("p3", "chemotherapy", "2017-08-01", "2017-08-03", "FOLFOX", "", "day", "",
         "MedicationAdministration/medadm-31"),
        ("p3", "immunotherapy", "2018-02-01", "2018-09-30", "Nivolumab", "", "day",
         "", "MedicationStatement/medstmt-31"),
        ("p4", "resection", "2021-02-24", "", "Debulking surgery", "", "day", "",
         "Procedure/proc-41"),
        ("p4", "chemotherapy", "2021-03-01", "2021-06-30", "Carboplatin + Paclitaxel",
         "", "day", "", "MedicationRequest/medreq-41"),
        ("p4", "Mirvetuximab 6 mg/kg", "2021-08-01", "", "Mirvetuximab 6 mg/kg",
         "", "day", AUTHORED, "MedicationRequest/medreq-42"),
    )  # fmt: skip
    assert records(tables["patients"]) == rows(
        ("patient_id", "origin", "last_follow_up"),
        ("p3", "2017-06", "2018-10-02"),
        ("p4", "2021-02-15", "2021-09"),
    )


def write_ndjson(tmp_path, *resources, name="in.ndjson"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in resources) + "\n")
    return path


def afp(value=5, unit="ng/mL", when="2020-01-02", rid="o1", **extra):
    quantity = {"value": value, "unit": unit, **extra.pop("quantity", {})}
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1834-1"}]},
        "subject": {"reference": "Patient/a"},
        "effectiveDateTime": when,
        "valueQuantity": quantity,
        **extra,
    }


def course(rid, start, end=None, kind="MedicationStatement", text="Sorafenib"):
    period = {"start": start, **({"end": end} if end else {})}
    return {
        "resourceType": kind,
        "id": rid,
        "status": "completed",
        "subject": {"reference": "Patient/a"},
        "medicationCodeableConcept": {"text": text},
        "effectivePeriod": period,
    }


@pytest.mark.parametrize(
    ("unit", "code", "expected"),
    [
        ("ng/ml", None, "ng/mL"),
        ("ug/L", None, "ng/mL"),
        ("IU/mL", "[IU]/mL", "IU/mL"),
        ("kIU/L", "k[IU]/L", "IU/mL"),
    ],
)
def test_ucum_and_printed_units_are_the_packages(tmp_path, unit, code, expected):
    obs = afp(unit=unit, quantity={"code": code} if code else {})
    result = read_fhir(write_ndjson(tmp_path, obs))
    assert list(result.tables["measurements"]["unit"]) == [expected]


@pytest.mark.parametrize(
    ("comparator", "value", "written"),
    [
        ("<", 2.0, "<2.0"),
        ("<=", 5, "<=5"),
        (">", 60000, ">60000"),
        (">=", 1.25, ">=1.25"),
    ],
)
def test_comparators_write_censored_results(tmp_path, comparator, value, written):
    obs = afp(value=value, quantity={"comparator": comparator})
    result = read_fhir(write_ndjson(tmp_path, obs))
    assert list(result.tables["measurements"]["value"]) == [written]


@pytest.mark.parametrize(
    ("when", "date", "precision"),
    [
        ("2020", "2020", "year"),
        ("2020-05", "2020-05", "month"),
        ("2020-05-03T23:59:00-11:00", "2020-05-03", "day"),
    ],
)
def test_dates_keep_their_precision_and_written_day(tmp_path, when, date, precision):
    result = read_fhir(write_ndjson(tmp_path, afp(when=when)))
    row = records(result.tables["measurements"])[0]
    assert (row["date"], row["date_precision"]) == (date, precision)


def test_a_decimal_that_reads_two_ways_is_declared(tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text(json.dumps(afp()).replace('"value": 5', '"value": 2.160') + "\n")
    result = read_fhir(path)
    assert list(result.tables["measurements"]["value"]) == ["2.160"]
    assert result.decimal == "."


def test_refusals_name_the_line_and_the_resource(tmp_path):
    no_subject = afp(rid="o2")
    del no_subject["subject"]
    result = read_fhir(
        write_ndjson(
            tmp_path,
            afp(unit="U/mL"),
            no_subject,
            afp(rid="o3", value=-1),
            afp(rid="o4", when="2099-01-01"),
            afp(rid="o5", bogus=1),
            course("s1", "2020-03-01", "2020-02-01"),
        )
    )
    assert [str(p) for p in result.problems] == [
        "in.ndjson: line 1 (Observation/o1): unit U/mL is not a unit of AFP; use "
        "one of ng/mL, IU/mL",
        "in.ndjson: line 2 (Observation/o2): no subject.reference; the patient is "
        "not known",
        "in.ndjson: line 3 (Observation/o3): valueQuantity '-1': negative: no "
        "assay reports a level below 0; write the result as the lab reported it, "
        "such as 0, or <2.0 below the detection limit",
        "in.ndjson: line 4 (Observation/o4): effectiveDateTime '2099-01-01': in "
        "the future; check the year",
        "in.ndjson: line 5 (Observation/o5): invalid: bogus: Extra inputs are not "
        "permitted",
        "in.ndjson: line 6 (MedicationStatement/s1): effectivePeriod.end "
        "'2020-02-01' is before its start",
    ]
    assert result.counts["rejected"] == {"Observation": 4, "MedicationStatement": 1}
    assert result.patient_ids == []


def test_a_second_unit_and_a_repeated_result_are_left_out(tmp_path):
    result = read_fhir(
        write_ndjson(
            tmp_path,
            afp(),
            afp(rid="o2"),
            afp(rid="o3", unit="IU/mL", when="2020-02-02"),
        )
    )
    assert list(result.tables["measurements"]["source"]) == ["Observation/o1"]
    assert result.counts["skipped, same result twice"] == {"AFP": 1}
    assert [str(p) for p in result.problems] == [
        "in.ndjson: line 3 (Observation/o3): AFP in IU/mL, but patient a's first "
        "AFP result is in ng/mL; a marker keeps one unit throughout a case"
    ]


def test_open_periods_are_counted_and_a_same_day_end_is_dropped(tmp_path):
    result = read_fhir(
        write_ndjson(
            tmp_path,
            afp(),
            course("s1", "2020-03-01"),
            course("s2", "2020-04-01T09:00:00Z", "2020-04-01T17:00:00Z"),
            course("s3", "2020-05", "2020-07", text="nivolumab + FOLFOX"),
        )
    )
    table = result.tables["treatments"][["kind", "start", "end", "date_reasoning"]]
    assert table.values.tolist() == [
        ["targeted therapy", "2020-03-01", "ongoing", OPEN],
        ["targeted therapy", "2020-04-01", "", ""],
        ["systemic", "2020-05", "2020-07", ""],
    ]
    assert result.counts["open period, ongoing"] == {"MedicationStatement": 1}


def test_conditions_set_the_origin_and_a_patient_without_results_is_left_out(
    tmp_path,
):
    def cond(cid, text, onset, patient="Patient/a"):
        return {
            "resourceType": "Condition",
            "id": cid,
            "code": {"text": text},
            "subject": {"reference": patient},
            "onsetDateTime": onset,
        }

    result = read_fhir(
        write_ndjson(
            tmp_path,
            cond("c2", "Bone metastasis", "2020-06-01"),
            cond("c1", "Hepatocellular carcinoma", "2019-11"),
            cond("c9", "Prostate cancer", "2019-01-01", patient="Patient/b"),
            afp(when="2020-07-01"),
        )
    )
    assert list(result.tables["events"]["label"]) == ["Diagnosis", "Bone metastasis"]
    assert records(result.tables["patients"]) == [
        {"patient_id": "a", "origin": "2019-11", "last_follow_up": "2020-07-01"}
    ]
    assert result.counts["skipped, patient without marker results"] == {"events": 1}
    assert result.notes == (
        "in.ndjson: patient b has no tumour-marker result; its events are left out",
    )


def test_without_a_condition_the_origin_is_the_first_row(tmp_path):
    result = read_fhir(write_ndjson(tmp_path, afp(when="2020-03"), afp(rid="o2")))
    assert records(result.tables["patients"]) == [
        {"patient_id": "a", "origin": "2020-01-02", "last_follow_up": "2020-03"}
    ]
    assert result.notes == (
        "in.ndjson: patient a has no diagnosis date; origin set to its earliest "
        "row, 2020-01-02",
    )


def test_a_bundle_resolves_urn_uuid_subjects(tmp_path):
    url = "urn:uuid:0b7d2f7e-1111-4222-8333-944455556666"
    obs = afp()
    obs["subject"] = {"reference": url}
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": url, "resource": {"resourceType": "Patient", "id": "pat-9"}},
            {"fullUrl": "urn:uuid:x", "resource": obs},
            {"request": {"method": "DELETE", "url": "Observation/old"}},
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    result = read_fhir(path)
    assert list(result.tables["measurements"]["patient_id"]) == ["pat-9"]
    assert [str(p) for p in result.problems] == [
        "b.json: entry 3: entry without a resource"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("not json at all", "not JSON"), ("[1, 2]", "not a")],
)
def test_files_that_are_no_fhir_are_refused(tmp_path, text, message):
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(SourceError, match=message):
        read_fhir(path)
