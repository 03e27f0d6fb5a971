"""
From a FHIR bundle to a figure
==============================

A hospital's FHIR R4 export becomes a case folder: Observations with a tumour
marker's LOINC code are results (a ``comparator`` is censoring), Procedures and
medication periods are treatments, the earliest Condition is the diagnosis. Each
resource is validated with the maintained ``fhir.resources`` models, and each row
names the resource it came from. The bundle here is made up.
"""

import json
import tempfile
from pathlib import Path

import plotting
from plotting.output.imported_cases import write_import
from plotting.reading.importers import read_fhir

LOINC, UCUM = "http://loinc.org", "http://unitsofmeasure.org"


def afp(day, value, comparator=None):
    """An AFP Observation (LOINC 1834-1) in ng/mL."""
    quantity = {"value": value, "unit": "ng/mL", "system": UCUM, "code": "ng/mL"}
    if comparator:
        quantity["comparator"] = comparator
    return {
        "resourceType": "Observation",
        "id": f"afp-{day}",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "1834-1", "display": "AFP"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": day,
        "valueQuantity": quantity,
    }


resources = [
    {"resourceType": "Patient", "id": "p1"},
    {
        "resourceType": "Condition",
        "id": "hcc",
        "code": {"text": "Hepatocellular carcinoma"},
        "subject": {"reference": "Patient/p1"},
        "onsetDateTime": "2019-03-12",
    },
    {
        "resourceType": "Procedure",
        "id": "tace-1",
        "status": "completed",
        "code": {"text": "TACE"},
        "subject": {"reference": "Patient/p1"},
        "performedDateTime": "2019-03-20",
    },
    afp("2019-03-10", 2160),
    afp("2019-05-02", 310),
    afp("2019-08-01", 21.5),
    afp("2020-01-15", 2.0, comparator="<"),
]
bundle = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [{"resource": resource} for resource in resources],
}

with tempfile.TemporaryDirectory() as tmp:
    export = Path(tmp) / "bundle.json"
    export.write_text(json.dumps(bundle), encoding="utf-8")
    imported = read_fhir(export, today="2020-06-01")
    folder = write_import(imported, Path(tmp) / "case")
    case = plotting.read_case(folder)
    fig = plotting.plot_case(case, preset="single")

case.measurements[["date", "marker", "value", "censor", "unit", "source"]]
