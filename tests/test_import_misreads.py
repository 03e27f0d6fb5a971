"""Issue 21: results an import read wrong without a word, each class by its rule.

Inputs are as an EHR's FHIR API or a lab system's export gives them; each test
asserts the exact rows imported or the exact refusal (file, entry or row, field,
value), the exit status of ``marker-trends import`` and, on a refusal, that
nothing is written.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from plotting.cli import main
from plotting.reading.importers import SourceError, read_fhir, read_lab_export
from plotting.reading.importers.values import match_name

CASES = ROOT / "tests" / "cases" / "import_misreads"
IMPORTS = ROOT / "tests" / "cases" / "imports"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
BASE = "https://fhir.hospital.example/R4"
# LOINC codes as an EHR sends them, with its display.
AFP = ("1834-1", "Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma")
AFP_IU = ("19176-7", "Alpha-1-Fetoprotein [Units/volume] in Serum or Plasma")
CEA = ("2039-6", "Carcinoembryonic Ag [Mass/volume] in Serum or Plasma")
CA199 = ("24108-3", "Cancer Ag 19-9 [Units/volume] in Serum or Plasma")
PSA = ("2857-1", "Prostate specific Ag [Mass/volume] in Serum or Plasma")
HGB = ("718-7", "Hemoglobin [Mass/volume] in Blood")


# --- FHIR as an EHR's API returns it -------------------------------------------


def quantity(value, unit="ng/mL", code=None, **extra):
    """A valueQuantity with its UCUM code (the unit's own spelling by default)."""
    return {"value": value, "unit": unit, "system": UCUM, "code": code or unit, **extra}


def observation(
    rid,
    value=5.2,
    *,
    loinc=AFP,
    status="final",
    when="2021-03-01T08:15:00+01:00",
    patient="pat-1",
    unit="ng/mL",
    **fields,
):
    """A laboratory Observation as EHRs send it: category, issued, performer."""
    coding = [{"system": LOINC, "code": loinc[0], "display": loinc[1]}]
    resource = {
        "resourceType": "Observation",
        "id": rid,
        "meta": {"lastUpdated": "2021-03-02T10:00:00Z"},
        "status": status,
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/"
                        "observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": coding, "text": loinc[1]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when,
        "issued": "2021-03-01T14:02:11+01:00",
        "performer": [{"reference": "Organization/lab-1", "display": "Central Lab"}],
    }
    if value is not None:
        resource["valueQuantity"] = quantity(value, unit)
    resource.update(fields)
    return resource


def bundle(*resources):
    """A searchset Bundle, one entry per resource, as a FHIR search returns it."""
    return {
        "resourceType": "Bundle",
        "id": "search-1",
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": f"{BASE}/Observation?patient=pat-1"}],
        "entry": [
            {
                "fullUrl": f"{BASE}/{r['resourceType']}/{r.get('id')}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


def write_json(tmp_path, data, name="export.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2))
    return path


def fhir(tmp_path, *resources):
    return read_fhir(write_json(tmp_path, bundle(*resources)))


def measured(result) -> list[list[str]]:
    table = result.tables["measurements"]
    return table[["date", "marker", "value", "unit", "source"]].values.tolist()


def problems(result) -> list[str]:
    return [str(p) for p in result.problems]


def cli(capsys, *argv):
    """Run ``marker-trends import`` as the command line does: status, out, err."""
    status = main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def assert_refused(capsys, source, folder, *options, message):
    """The CLI exits 2, says why on stderr, and writes no folder at all."""
    status, out, err = cli(capsys, source, "-o", folder, *options)
    assert status == 2
    assert err == [f"marker-trends: {message}"]
    assert not folder.exists()
    return out


def refusal(source, n=1) -> str:
    rows = f"{n} row{'s' if n != 1 else ''}"
    return (
        f"nothing written to {{folder}}: {rows} of {source.name} cannot be imported "
        "as written (the problems above); correct them in the source, or add "
        "--leave-out-refused to write the rest"
    )


def assert_cli_refuses(capsys, tmp_path, source, *options, n=1, lines=()):
    """The CLI refuses the import: exit 2, nothing written, the problems listed."""
    folder = tmp_path / "case"
    out = assert_refused(
        capsys,
        source,
        folder,
        *options,
        message=refusal(source, n).format(folder=folder),
    )
    for line in lines:
        assert f"    {line}" in out
    return out


# --- 1. Observation.status: one test at one time ------------------------------


def test_a_final_supersedes_the_preliminary_of_the_same_time(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(
            observation("afp-prelim", 52, status="preliminary"),
            observation("afp-final", 48.6),
        ),
    )
    result = read_fhir(source)
    assert measured(result) == [
        ["2021-03-01", "AFP", "48.6", "ng/mL", "Observation/afp-final"]
    ]
    assert result.counts["skipped, superseded"] == {"AFP": 1}
    assert result.left_out == {
        "skipped, superseded": (
            "entry 1 (Observation/afp-prelim): AFP 52 ng/mL (preliminary) superseded "
            "by the final AFP 48.6 ng/mL of entry 2 (Observation/afp-final), the "
            "same test at the same time",
        )
    }
    assert result.problems == ()
    status, out, err = cli(capsys, source, "-o", tmp_path / "case")
    assert status == 3
    assert out[:5] == [
        "export.json: 1 patient",
        "  read: 2 (Observation: 2)",
        "  skipped, superseded: 1 (AFP: 1)",
        "    entry 1 (Observation/afp-prelim): AFP 52 ng/mL (preliminary) superseded "
        "by the final AFP 48.6 ng/mL of entry 2 (Observation/afp-final), the same "
        "test at the same time",
        "  imported: 1 (measurements: 1)",
    ]
    assert err == [
        "marker-trends: 1 row of export.json left out (listed above): exit status "
        "3; add --allow-skipped to exit 0"
    ]
    measurements = (tmp_path / "case" / "measurements.csv").read_text()
    assert measurements.splitlines()[1:] == [
        "2021-03-01,day,AFP,48.6,ng/mL,Observation/afp-final"
    ]
    status, _, err = cli(capsys, source, "-o", tmp_path / "again", "--allow-skipped")
    assert (status, err) == (0, [])


def test_two_finals_that_disagree_are_refused_naming_both(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(observation("afp-1", 48.6), observation("afp-2", 486)),
    )
    message = (
        "export.json: entry 1 (Observation/afp-1): 2 final results of one test at "
        "one time disagree, and none supersedes the others: entry 1 "
        "(Observation/afp-1) (final, 2021-03-01T08:15:00+01:00) is AFP 48.6 ng/mL; "
        "entry 2 (Observation/afp-2) (final, 2021-03-01T08:15:00+01:00) is AFP 486 "
        "ng/mL; none is imported: keep the right one in the source (amended or "
        "corrected, the others entered-in-error)"
    )
    result = read_fhir(source)
    assert problems(result) == [message]
    assert result.counts["rejected"] == {"Observation": 2}
    assert result.patient_ids == []
    out = assert_cli_refuses(capsys, tmp_path, source, n=1)
    assert f"    {message}" in out


def test_an_amendment_at_the_same_instant_in_another_zone_supersedes(tmp_path):
    result = fhir(
        tmp_path,
        observation("afp-1", 48.6),
        # The same specimen, its time written in UTC by the system that amended it.
        observation(
            "afp-1-amended", 46.1, status="amended", when="2021-03-01T07:15:00Z"
        ),
    )
    assert measured(result) == [
        ["2021-03-01", "AFP", "46.1", "ng/mL", "Observation/afp-1-amended"]
    ]
    assert result.counts["skipped, superseded"] == {"AFP": 1}


def test_amended_and_corrected_that_disagree_are_refused(tmp_path):
    result = fhir(
        tmp_path,
        observation("a", 48.6, status="amended"),
        observation("c", 46.1, status="corrected"),
        observation("f", 52),
    )
    assert problems(result) == [
        "export.json: entry 1 (Observation/a): results of one test at one time "
        "disagree, and none supersedes the others: entry 1 (Observation/a) "
        "(amended, 2021-03-01T08:15:00+01:00) is AFP 48.6 ng/mL; entry 2 "
        "(Observation/c) (corrected, 2021-03-01T08:15:00+01:00) is AFP 46.1 ng/mL; "
        "none is imported: keep the right one in the source (amended or corrected, "
        "the others entered-in-error)"
    ]
    # The final is superseded by both; nothing of that time is imported.
    assert result.counts["skipped, superseded"] == {"AFP": 1}
    assert measured(result) == []


def test_a_day_without_a_time_cannot_be_told_from_a_time_that_day(tmp_path):
    result = fhir(
        tmp_path,
        observation("day", 48.6, when="2021-03-01"),
        observation("timed", 30.2, when="2021-03-01T16:40:00+01:00"),
    )
    assert [p.split(": ", 2)[2][:60] for p in problems(result)] == [
        "2 final results of one test at one time disagree, and none s"
    ]
    assert measured(result) == []


def test_a_registered_order_without_a_value_is_no_result(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(
            observation("ordered", None, status="registered"),
            observation("afp", 48.6),
        ),
    )
    result = read_fhir(source)
    assert measured(result) == [
        ["2021-03-01", "AFP", "48.6", "ng/mL", "Observation/afp"]
    ]
    assert result.counts["skipped, status"] == {
        "Observation registered without a value": 1
    }
    status, _, err = cli(capsys, source, "-o", tmp_path / "case")
    assert (status, err) == (0, [])


def test_a_preliminary_alone_is_kept_with_a_note(tmp_path):
    result = fhir(tmp_path, observation("afp", 52, status="preliminary"))
    assert measured(result) == [["2021-03-01", "AFP", "52", "ng/mL", "Observation/afp"]]
    assert result.notes[0] == (
        "export.json, entry 1 (Observation/afp): AFP 52 ng/mL on 2021-03-01 is "
        "preliminary; no final result of that test and time is in the file, check "
        "it before use"
    )


def test_the_same_final_sent_twice_is_kept_once_and_listed(tmp_path, capsys):
    # An interface that resends a result gives it a new id.
    source = write_json(
        tmp_path, bundle(observation("afp", 48.6), observation("afp-resent", 48.6))
    )
    result = read_fhir(source)
    assert measured(result) == [
        ["2021-03-01", "AFP", "48.6", "ng/mL", "Observation/afp"]
    ]
    assert result.left_out == {
        "skipped, same result twice": (
            "entry 2 (Observation/afp-resent): AFP 48.6 ng/mL on 2021-03-01 (patient "
            "pat-1), as entry 1 (Observation/afp); kept once",
        )
    }
    status, _, _ = cli(capsys, source, "-o", tmp_path / "case")
    assert status == 3


def test_results_of_two_patients_at_one_time_do_not_collide(tmp_path):
    result = fhir(
        tmp_path,
        observation("a", 52, status="preliminary"),
        observation("b", 48.6, patient="pat-2"),
    )
    assert sorted(result.tables["measurements"]["patient_id"]) == ["pat-1", "pat-2"]
    assert "skipped, superseded" not in result.counts


def test_a_final_at_another_time_that_day_supersedes_nothing(tmp_path):
    result = fhir(
        tmp_path,
        observation("morning", 52, status="preliminary"),
        observation("evening", 48.6, when="2021-03-01T18:00:00+01:00"),
    )
    assert [row[2] for row in measured(result)] == ["52", "48.6"]
    assert "skipped, superseded" not in result.counts


# --- 2. One Observation, one test: its codings must agree ---------------------


def coded(rid, *codings, value=5.2, text=None, **fields):
    resource = observation(rid, value, **fields)
    resource["code"] = {
        "coding": [
            {"system": system, "code": code, "display": display}
            for system, code, display in codings
        ]
    }
    if text:
        resource["code"]["text"] = text
    return resource


EPIC_LAB = "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.11"


def test_an_observation_coded_cea_and_afp_is_refused_naming_both(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(coded("tm-1", (LOINC, *CEA), (LOINC, *AFP), text="Tumour markers")),
    )
    message = (
        "export.json: entry 1 (Observation/tm-1): code.coding names two markers, "
        "LOINC 2039-6 (CEA) and LOINC 1834-1 (AFP); an Observation is one test, so "
        "which one this is cannot be told"
    )
    assert problems(read_fhir(source)) == [message]
    assert_cli_refuses(capsys, tmp_path, source, lines=[message])


def test_a_loinc_and_a_local_code_of_the_same_marker_are_one_test(tmp_path):
    result = fhir(
        tmp_path,
        coded("afp", (LOINC, *AFP), (EPIC_LAB, "8823", "AFP"), text="AFP, serum"),
        coded("ca", (EPIC_LAB, "1555", "CA 19-9"), (LOINC, *CA199), unit="U/mL"),
    )
    assert measured(result) == [
        ["2021-03-01", "AFP", "5.2", "ng/mL", "Observation/afp"],
        ["2021-03-01", "CA 19-9", "5.2", "U/mL", "Observation/ca"],
    ]
    assert result.problems == ()


def test_a_local_code_naming_another_marker_is_refused(tmp_path):
    result = fhir(tmp_path, coded("x", (LOINC, *AFP), (EPIC_LAB, "CEA", "CEA")))
    assert problems(result) == [
        "export.json: entry 1 (Observation/x): code.coding[1].display 'CEA' is CEA, "
        "but LOINC 1834-1 is AFP; the code and the name must name the same test"
    ]


def test_a_marker_code_beside_another_loinc_test_is_refused(tmp_path):
    result = fhir(tmp_path, coded("x", (LOINC, *AFP), (LOINC, *HGB)))
    assert problems(result) == [
        "export.json: entry 1 (Observation/x): code.coding names LOINC 1834-1 (AFP) "
        "and LOINC 718-7, which is not a code of AFP; the codings of one test must "
        "name the same test"
    ]


def test_a_total_psa_code_on_a_free_psa_name_is_refused(tmp_path):
    result = fhir(tmp_path, coded("x", (LOINC, *PSA), text="PSA, free", value=0.4))
    assert problems(result) == [
        "export.json: entry 1 (Observation/x): code.text 'PSA, free' is another "
        "analyte than PSA (free), but LOINC 2857-1 is PSA; the code and the name "
        "must name the same test"
    ]


def test_a_marker_with_only_a_local_code_is_left_out_truthfully(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(
            coded("afp-local", (EPIC_LAB, "8823", "AFP"), text="AFP"),
            observation("afp", 4.1, when="2021-04-01T08:00:00+01:00"),
        ),
    )
    result = read_fhir(source)
    assert result.counts["skipped, marker without a LOINC code"] == {
        f"AFP ({EPIC_LAB}|8823)": 1
    }
    assert "skipped, not a tumour marker" not in result.counts
    assert result.left_out["skipped, marker without a LOINC code"] == (
        "entry 1 (Observation/afp-local): code.text 'AFP' names AFP, but no coding "
        "is a LOINC code of it (1834-1, 19176-7); add the LOINC coding to read it",
    )
    status, _, _ = cli(capsys, source, "-o", tmp_path / "case")
    assert status == 3


# --- 3. Panels: the markers in an Observation's components --------------------


def panel(rid="panel-1", *components, status="final", **fields):
    resource = observation(rid, None, status=status, **fields)
    resource["code"] = {
        "coding": [{"system": EPIC_LAB, "code": "TMP", "display": "Tumour panel"}],
        "text": "Tumour marker panel",
    }
    resource["component"] = [
        {
            "code": {
                "coding": [{"system": LOINC, "code": loinc[0], "display": loinc[1]}]
            },
            "valueQuantity": quantity(value, unit),
        }
        for loinc, value, unit in components
    ]
    return resource


def test_a_panels_components_are_results_of_its_time_status_and_patient(
    tmp_path, capsys
):
    source = write_json(
        tmp_path,
        bundle(
            panel(
                "panel-1",
                (AFP, 48.6, "ng/mL"),
                (CEA, 3.1, "ng/mL"),
                (HGB, 13.2, "g/dL"),
                patient="pat-7",
                when="2021-05-04T09:30:00+02:00",
            )
        ),
    )
    result = read_fhir(source)
    assert result.tables["measurements"].values.tolist() == [
        ["pat-7", "2021-05-04", "day", "AFP", "48.6", "ng/mL",
         "Observation/panel-1, component 1"],
        ["pat-7", "2021-05-04", "day", "CEA", "3.1", "ng/mL",
         "Observation/panel-1, component 2"],
    ]  # fmt: skip
    assert result.counts == {
        "read": {"Observation": 1},
        "skipped, not a tumour marker": {"718-7": 1},
        "imported": {"measurements": 2},
    }
    status, out, err = cli(capsys, source, "-o", tmp_path / "case")
    assert (status, err) == (0, [])
    assert out[:4] == [
        "export.json: 1 patient",
        "  read: 1 (Observation: 1)",
        "  skipped, not a tumour marker: 1 (718-7: 1)",
        "  imported: 2 (measurements: 2)",
    ]


def test_a_final_panel_supersedes_its_preliminary(tmp_path):
    result = fhir(
        tmp_path,
        panel("p", (AFP, 52, "ng/mL"), (CEA, 3.0, "ng/mL"), status="preliminary"),
        panel("f", (AFP, 48.6, "ng/mL"), (CEA, 3.0, "ng/mL")),
    )
    assert [row[1:] for row in measured(result)] == [
        ["AFP", "48.6", "ng/mL", "Observation/f, component 1"],
        ["CEA", "3.0", "ng/mL", "Observation/f, component 2"],
    ]
    assert result.counts["skipped, superseded"] == {"AFP": 1, "CEA": 1}


def test_a_component_that_cannot_be_read_is_named(tmp_path):
    result = fhir(tmp_path, panel("p", (AFP, 48.6, "ng/mL"), (CEA, 3.1, "mg/dL")))
    assert problems(result) == [
        "export.json: entry 1 (Observation/p): component 2: unit 'mg/dL' is not a "
        "known unit of CEA; use one of ng/mL"
    ]
    assert measured(result) == []


def test_a_voided_panel_gives_none_of_its_components(tmp_path):
    result = fhir(tmp_path, panel("p", (AFP, 48.6, "ng/mL"), status="entered-in-error"))
    assert result.counts["skipped, status"] == {"Observation entered-in-error": 1}
    assert measured(result) == []


def test_a_marker_with_a_component_of_another_test_is_read_with_it(tmp_path):
    afp = observation("afp", 48.6)
    afp["component"] = [
        {
            "code": {
                "coding": [{"system": EPIC_LAB, "code": "AFPL3", "display": "AFP-L3%"}]
            },
            "valueQuantity": {"value": 12, "unit": "%", "system": UCUM, "code": "%"},
        }
    ]
    result = fhir(tmp_path, afp)
    assert measured(result) == [
        ["2021-03-01", "AFP", "48.6", "ng/mL", "Observation/afp"]
    ]
    # AFP-L3 is a marker of the registry, but this one has only a local code.
    assert result.counts["skipped, marker without a LOINC code"] == {
        f"AFP-L3 ({EPIC_LAB}|AFPL3)": 1
    }


# --- 4. valueQuantity: the UCUM code and the unit printed must agree ----------


def with_quantity(rid, marker=AFP, **given):
    resource = observation(rid, None, loinc=marker)
    resource["valueQuantity"] = given
    return resource


def test_a_ucum_code_that_disagrees_with_the_unit_is_refused(tmp_path, capsys):
    source = write_json(
        tmp_path,
        bundle(with_quantity("afp", value=40, unit="IU/mL", system=UCUM, code="ng/mL")),
    )
    message = (
        "export.json: entry 1 (Observation/afp): valueQuantity.code 'ng/mL' is "
        "ng/mL, but valueQuantity.unit 'IU/mL' is IU/mL; they must be the same "
        "unit, so the result cannot be read: correct the one that is wrong"
    )
    assert problems(read_fhir(source)) == [message]
    assert_cli_refuses(capsys, tmp_path, source, lines=[message])


@pytest.mark.parametrize(
    ("code", "unit", "read"),
    [
        ("[IU]/mL", "IU/mL", "IU/mL"),
        ("k[IU]/L", "kIU/L", "IU/mL"),
        ("ng/mL", "ug/L", "ng/mL"),  # the same unit, spelled two ways
        ("ug/L", "µg/L", "ng/mL"),
    ],
)
def test_a_code_and_unit_that_spell_one_unit_are_read(tmp_path, code, unit, read):
    result = fhir(
        tmp_path, with_quantity("afp", value=40, unit=unit, system=UCUM, code=code)
    )
    assert [row[3] for row in measured(result)] == [read]


def test_a_unit_text_the_importer_cannot_match_to_the_code_is_refused(tmp_path):
    result = fhir(
        tmp_path,
        with_quantity(
            "afp", value=40, unit="nanogram per millilitre", system=UCUM, code="ng/mL"
        ),
    )
    assert problems(result) == [
        "export.json: entry 1 (Observation/afp): valueQuantity.code 'ng/mL' is "
        "ng/mL, but valueQuantity.unit 'nanogram per millilitre' is a unit the "
        "importer does not know; they must be the same unit, so the result cannot "
        "be read: correct the one that is wrong"
    ]


def test_a_local_unit_code_is_not_read_as_ucum(tmp_path):
    result = fhir(
        tmp_path,
        with_quantity(
            "ca", CA199, value=41, unit="U/mL", system=EPIC_LAB, code="ng/mL"
        ),
    )
    assert [row[1:4] for row in measured(result)] == [["CA 19-9", "41", "U/mL"]]


def test_a_ca_19_9_in_ucum_units_per_ml_with_a_mass_unit_is_refused(tmp_path):
    result = fhir(
        tmp_path,
        with_quantity(
            "ca", CA199, value=41, unit="ng/mL", system=UCUM, code="[arb'U]/mL"
        ),
    )
    assert problems(result) == [
        'export.json: entry 1 (Observation/ca): valueQuantity.code "[arb\'U]/mL" is '
        "U/mL, but valueQuantity.unit 'ng/mL' is ng/mL; they must be the same unit, "
        "so the result cannot be read: correct the one that is wrong"
    ]


# --- 5. Files that are no FHIR as the importer reads it ----------------------


def test_a_bundle_whose_entry_is_an_object_is_refused_not_a_crash(tmp_path, capsys):
    data = bundle(observation("afp", 48.6))
    data["entry"] = data["entry"][0]  # one entry, not in a list
    source = write_json(tmp_path, data)
    assert_refused(
        capsys,
        source,
        tmp_path / "case",
        message=f"{source}: Bundle.entry is a JSON object, not a list of entries; "
        'write it as "entry": [{"resource": {...}}, ...]',
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"resourceType": "Bundle", "type": "searchset", "entry": null}',
         'Bundle.entry is null, not a list of entries; write it as "entry": '
         '[{"resource": {...}}, ...]'),
        ('{"patients": [{"id": "pat-1", "afp": 5.2}]}',
         "a JSON object without a resourceType, not a FHIR resource or Bundle"),
        ('[{"resourceType": "Observation", "id": "afp"}]',
         'a JSON array, not a FHIR resource or Bundle; give a Bundle '
         '({"resourceType": "Bundle", "entry": [...]}) or NDJSON (one resource a '
         "line)"),
        ("", "the file is empty"),
        ("\n  \n", "the file is empty"),
        ('{"resourceType": "Bundle", "entry": [',
         "not JSON (Expecting value: line 1 column 38 (char 37))"),
        ('{"resourceType": "Observation", "valueQuantity": {"value": NaN}}',
         "not JSON as FHIR writes it: NaN is not a number; FHIR has no NaN or "
         "Infinity, write the value the lab reported"),
        ('{"resourceType": "Observation", "valueQuantity": '
         '{"value": 5.2, "unit": "ng/mL", "value": 52}}',
         "not JSON as FHIR writes it: a JSON object names 'value' twice, so which "
         "value is meant cannot be told; an object names each field once"),
        ("[" * 50000 + "]" * 50000,
         "not JSON as FHIR writes it: nested thousands of levels deep"),
    ],
)  # fmt: skip
def test_sources_that_are_no_fhir_exit_2_writing_nothing(
    tmp_path, capsys, text, message
):
    source = tmp_path / "export.json"
    source.write_text(text)
    with pytest.raises(SourceError) as caught:
        read_fhir(source)
    assert str(caught.value) == f"{source}: {message}"
    assert_refused(capsys, source, tmp_path / "case", message=f"{source}: {message}")


def test_a_utf16_export_is_refused_and_a_utf8_bom_is_read(tmp_path, capsys):
    text = json.dumps(bundle(observation("afp", 48.6)))
    source = tmp_path / "export.json"
    source.write_text(text, encoding="utf-16")
    assert_refused(
        capsys,
        source,
        tmp_path / "case",
        message=f"{source}: not UTF-8 text; FHIR JSON is UTF-8, export it as such",
    )
    source.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert measured(read_fhir(source)) == [
        ["2021-03-01", "AFP", "48.6", "ng/mL", "Observation/afp"]
    ]


def test_entries_that_hold_no_resource_are_named_and_refuse_the_import(
    tmp_path, capsys
):
    data = bundle(observation("afp", 48.6))
    data["entry"] = [
        "Observation/afp-2",
        {"fullUrl": f"{BASE}/Observation/afp-3"},
        {"fullUrl": f"{BASE}/Observation/afp-4", "resource": "afp 4"},
        {"resource": {"id": "afp-5", "status": "final"}},
        *data["entry"],
    ]
    source = write_json(tmp_path, data)
    result = read_fhir(source)
    expected = [
        "export.json: entry 1: a JSON string, not an entry object",
        "export.json: entry 2: entry without a resource",
        "export.json: entry 3: resource is a JSON string, not an object",
        "export.json: entry 4 (resource/afp-5): no resourceType; every resource "
        "names its type",
    ]
    assert problems(result) == expected
    assert result.counts["invalid"] == {"(not a resource)": 3, "(no resourceType)": 1}
    assert_cli_refuses(capsys, tmp_path, source, n=4, lines=expected)
    # Told to write what can be read, it writes the one result, and exits 3.
    status, out, err = cli(
        capsys, source, "-o", tmp_path / "rest", "--leave-out-refused"
    )
    assert status == 3
    assert err == [
        "marker-trends: 4 rows of export.json left out (listed above): exit status "
        "3; add --allow-skipped to exit 0"
    ]
    assert out[-1] == str(tmp_path / "rest")
    text = (tmp_path / "rest" / "measurements.csv").read_text()
    assert text.splitlines()[1:] == ["2021-03-01,day,AFP,48.6,ng/mL,Observation/afp"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"5.2"', "valueQuantity.value is the string '5.2'; FHIR writes a decimal as "
         "a JSON number, such as 5.2 without quotes"),
        ("1" + "0" * 400, "valueQuantity.value 1.000E+400: outside what any assay "
         "reports; check the value"),
        ("1E-400", "valueQuantity.value 1.000E-400: outside what any assay reports; "
         "check the value"),
        ("1" * 5000, "valueQuantity.value 1.111E+4999: outside what any assay "
         "reports; check the value"),
    ],
)  # fmt: skip
def test_values_no_lab_reports_are_refused(tmp_path, written, message):
    path = tmp_path / "export.json"
    text = json.dumps(bundle(observation("afp", 0.123456)))
    path.write_text(text.replace("0.123456", written))
    assert problems(read_fhir(path)) == [
        f"export.json: entry 1 (Observation/afp): {message}"
    ]


def test_a_comparator_is_read_as_censoring_and_ad_is_refused(tmp_path):
    result = fhir(
        tmp_path,
        with_quantity("low", value=2.0, comparator="<", unit="ng/mL", system=UCUM,
                      code="ng/mL"),
        with_quantity("ad", value=2.0, comparator="ad", unit="ng/mL"),
    )  # fmt: skip
    assert measured(result) == [
        ["2021-03-01", "AFP", "<2.0", "ng/mL", "Observation/low"]
    ]
    assert problems(result) == [
        "export.json: entry 2 (Observation/ad): comparator 'ad' is not one of <, <=, "
        ">, >="
    ]


def test_a_value_given_as_text_is_refused_not_parsed(tmp_path):
    resource = observation("afp", None, valueString="<2.0")
    assert problems(fhir(tmp_path, resource)) == [
        "export.json: entry 1 (Observation/afp): AFP (1834-1) is given as valueString "
        "'<2.0', not as a valueQuantity; FHIR gives a measured result as "
        "valueQuantity (value, comparator, unit), which the importer reads"
    ]


def test_a_result_the_lab_could_not_give_is_counted_not_refused(tmp_path):
    reason = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "error",
            }
        ]
    }
    result = fhir(
        tmp_path,
        observation("haemolysed", None, dataAbsentReason=reason),
        observation("afp", 48.6, when="2021-04-01"),
    )
    assert result.counts["skipped, no result (dataAbsentReason)"] == {"AFP error": 1}
    assert result.problems == ()


def test_search_pages_in_a_bundle_are_read_with_their_entries(tmp_path):
    pages = bundle(bundle(observation("afp", 48.6)), observation("cea", 3.1, loinc=CEA))
    pages["type"] = "collection"
    result = read_fhir(write_json(tmp_path, pages))
    assert [row[1:] for row in measured(result)] == [
        ["AFP", "48.6", "ng/mL", "Observation/afp"],
        ["CEA", "3.1", "ng/mL", "Observation/cea"],
    ]
    broken = bundle(observation("afp", 48.6))
    broken["entry"] = [{"resource": {"resourceType": "Bundle", "entry": {}}}]
    with pytest.raises(SourceError, match=r"entry 1, Bundle\.entry is a JSON object"):
        read_fhir(write_json(tmp_path, broken, "broken.json"))


# --- Lab exports as a laboratory information system writes them --------------

LIS = [
    "--columns",
    "patient=MRN",
    "marker=Test Name",
    "value=Result",
    "unit=Units",
    "date=Collected",
    "loinc=LOINC",
]
ROLES = {
    "patient": "MRN",
    "marker": "Test Name",
    "value": "Result",
    "unit": "Units",
    "date": "Collected",
    "loinc": "LOINC",
}


def export(tmp_path, *rows, name="export.csv"):
    """A lab export: its header, then one line per test as the LIS writes it."""
    path = tmp_path / name
    path.write_text(
        "MRN,Test Name,Result,Units,Collected,LOINC\n"
        + "".join(f"{line}\n" for line in rows)
    )
    return path


def lab(path, **options):
    return read_lab_export(path, ROLES, **options)


def lab_rows(result) -> list[list[str]]:
    table = result.tables["measurements"]
    return table[["date", "marker", "value", "unit", "source"]].values.tolist()


# --- 6. The test name and the LOINC code must name the same analyte ----------


def test_a_name_and_a_loinc_code_of_different_analytes_are_refused(tmp_path, capsys):
    source = CASES / "mismatched_codes.csv"
    expected = [
        "mismatched_codes.csv, row 2, column \"LOINC\": '2160-0': the test 'AFP' is "
        "AFP, but LOINC 2160-0 is not one of AFP's codes (1834-1, 19176-7); correct "
        "the test name or the code, or leave loinc out of the columns (--columns) to "
        "pick markers by name",
        "mismatched_codes.csv, row 3, column \"LOINC\": '1834-1': LOINC 1834-1 is "
        "AFP, but the test 'Ferritin' is not AFP; correct the test name or the code",
    ]
    result = lab(source)
    assert problems(result) == expected
    assert result.counts["rejected"] == {"AFP": 2}
    out = assert_cli_refuses(capsys, tmp_path, source, *LIS, n=2, lines=expected)
    assert "  imported: none, nothing written (measurements: 1 readable)" in out
    # Leaving them out is the user's choice, and the exit status still says so.
    status, _, _ = cli(
        capsys, source, "-o", tmp_path / "a", *LIS, "--leave-out-refused"
    )
    assert status == 3
    assert (tmp_path / "a" / "measurements.csv").read_text().splitlines()[1:] == [
        '2021-03-01,day,CEA,3.1,ng/mL,"mismatched_codes.csv, row 4"'
    ]
    status, _, err = cli(
        capsys, source, "-o", tmp_path / "b", *LIS, "--leave-out-refused",
        "--allow-skipped",
    )  # fmt: skip
    assert (status, err) == (0, [])


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        # Another marker's code.
        ("000123,CEA,3.1,ng/mL,2021-03-01,1834-1", "LOINC",
         "'1834-1': LOINC 1834-1 is AFP, but the test is 'CEA'"),
        # Total PSA's code on free PSA.
        ('000123,"PSA, free",0.9,ng/mL,2021-03-01,2857-1', "LOINC",
         "'2857-1': LOINC 2857-1 is PSA, but the test 'PSA, free' is not PSA "
         "('free' makes it another analyte); correct the test name or the code"),
        # A placeholder where the code goes.
        ("000123,AFP,5.2,ng/mL,2021-03-01,N/A", "LOINC",
         "'N/A': the test 'AFP' is AFP, but 'N/A' is not a LOINC code; correct the "
         "test name or the code, or leave loinc out of the columns (--columns) to "
         "pick markers by name"),
        # AFP's code in IU on ferritin.
        ("000123,Ferritin,120,ng/mL,2021-03-01,19176-7", "LOINC",
         "'19176-7': LOINC 19176-7 is AFP, but the test 'Ferritin' is not AFP; "
         "correct the test name or the code"),
        # A unit in the name that is not the unit of the result.
        ("000123,AFP (IU/mL),5.2,ng/mL,2021-03-01,", "Units",
         "'ng/mL': the test 'AFP (IU/mL)' is in IU/mL, but the unit is ng/mL; "
         "correct the one that is wrong"),
    ],
)  # fmt: skip
def test_more_names_and_codes_that_disagree(tmp_path, line, column, message):
    result = lab(export(tmp_path, line))
    assert problems(result) == [f'export.csv, row 2, column "{column}": {message}']
    assert lab_rows(result) == []


def test_a_row_without_a_name_is_read_by_its_code_and_one_without_a_code_by_name(
    tmp_path,
):
    result = lab(
        export(
            tmp_path,
            "000123,,5.2,ng/mL,2021-03-01,1834-1",
            "000123,Alpha-fetoprotein (AFP),4.9,ng/mL,2021-04-01,",
            "000123,Creatinine,0.8,mg/dL,2021-04-01,2160-0",
        )
    )
    assert lab_rows(result) == [
        ["2021-03-01", "AFP", "5.2", "ng/mL", "export.csv, row 2"],
        ["2021-04-01", "AFP", "4.9", "ng/mL", "export.csv, row 3"],
    ]
    assert result.counts["skipped, not a tumour marker"] == {"Creatinine": 1}


def test_a_workbook_with_a_name_and_a_code_that_disagree_is_refused(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(["MRN", "Test Name", "Result", "Units", "Collected", "LOINC"])
    sheet.append(["000123", "AFP", 5.2, "ng/mL", "2021-03-01", "2160-0"])
    sheet.append(["000123", "CEA", 3.1, "ng/mL", "2021-03-01", "2039-6"])
    path = tmp_path / "results.xlsx"
    book.save(path)
    out = assert_cli_refuses(capsys, tmp_path, path, *LIS)
    assert (
        "    results.xlsx, row 2, column \"LOINC\": '2160-0': the test 'AFP' is AFP, "
        "but LOINC 2160-0 is not one of AFP's codes (1834-1, 19176-7); correct the "
        "test name or the code, or leave loinc out of the columns (--columns) to "
        "pick markers by name"
    ) in out


# --- 7. The exit status says when results were left out ----------------------


def test_a_full_lab_export_with_other_tests_imports_and_exits_0(tmp_path, capsys):
    source = CASES / "lis_export.csv"
    status, out, err = cli(
        capsys, source, "-o", tmp_path / "case", *LIS, "--date-order", "MDY"
    )
    assert (status, err) == (0, [])
    assert out == [
        "lis_export.csv: 1 patient",
        "  read: 9 rows",
        "  skipped, not a tumour marker: 4 (ALT: 1, Creatinine: 2, Hemoglobin: 1)",
        "  imported: 5 (measurements: 5)",
        "  problems: 0",
        "  note: lis_export.csv: patient 000123 has no diagnosis date; origin set to "
        "its earliest row, 2021-03-01",
        str(tmp_path / "case"),
    ]
    assert (tmp_path / "case" / "measurements.csv").read_text().splitlines() == [
        # "CEA (serum)" and "CA 19-9, serum" state their specimen; AFP states none.
        "date,date_precision,marker,value,unit,specimen,source",
        '2021-03-01,day,AFP,48.6,ng/mL,,"lis_export.csv, row 3"',
        '2021-04-12,day,AFP,12.3,ng/mL,,"lis_export.csv, row 7"',
        '2021-04-12,day,CEA,2.1,ng/mL,serum,"lis_export.csv, row 8"',
        '2021-07-19,day,AFP,<2.0,ng/mL,,"lis_export.csv, row 10"',
        '2021-07-19,day,CA 19-9,18,U/mL,serum,"lis_export.csv, row 11"',
    ]


def test_a_result_sent_twice_exits_3_listing_its_row(tmp_path, capsys):
    source = export(
        tmp_path,
        "000123,AFP,48.6,ng/mL,2021-03-01 08:15,1834-1",
        "000123,Creatinine,0.82,mg/dL,2021-03-01 08:15,2160-0",
        "000123,AFP,48.6,ng/mL,2021-03-01 08:15,1834-1",
        "000123,AFP,12.3,ng/mL,2021-04-12 07:50,1834-1",
    )
    status, out, err = cli(capsys, source, "-o", tmp_path / "case", *LIS)
    assert status == 3
    assert out[:6] == [
        "export.csv: 1 patient",
        "  read: 4 rows",
        "  skipped, not a tumour marker: 1 (Creatinine: 1)",
        "  skipped, same result twice: 1 (AFP: 1)",
        "    row 4: AFP 48.6 ng/mL on 2021-03-01 (patient 000123), as row 2; kept once",
        "  imported: 2 (measurements: 2)",
    ]
    assert err == [
        "marker-trends: 1 row of export.csv left out (listed above): exit status 3; "
        "add --allow-skipped to exit 0"
    ]
    assert len((tmp_path / "case" / "measurements.csv").read_text().splitlines()) == 3
    status, _, err = cli(
        capsys, source, "-o", tmp_path / "case", *LIS, "--force", "--allow-skipped"
    )
    assert (status, err) == (0, [])


def test_a_refused_import_leaves_an_earlier_import_as_it_was(tmp_path, capsys):
    folder = tmp_path / "case"
    good = export(tmp_path, "000123,AFP,48.6,ng/mL,2021-03-01,1834-1", name="a.csv")
    assert cli(capsys, good, "-o", folder, *LIS)[0] == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    bad = export(tmp_path, "000123,AFP,5.2,ng/mL,2021-04-01,2160-0", name="b.csv")
    status, _, err = cli(capsys, bad, "-o", folder, *LIS, "--force")
    assert status == 2
    assert err[0].startswith(f"marker-trends: nothing written to {folder}: 1 row")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_exit_statuses_are_in_the_help(capsys):
    assert main(["import", "--help"]) == 0
    text = capsys.readouterr().out
    assert "exit status:\n  0  written; nothing left out but what is no result" in text
    assert "\n  3  written, but tumour-marker results of the source were left out" in (
        text
    )
    assert "\n  2  nothing written: a mistake in the command" in text
    assert "--allow-skipped" in text and "--leave-out-refused" in text


def test_the_installed_command_exits_3_then_0_with_allow_skipped(tmp_path):
    source = export(
        tmp_path,
        "000123,AFP,48.6,ng/mL,2021-03-01,1834-1",
        "000123,AFP,48.6,ng/mL,2021-03-01,1834-1",
    )
    argv = [sys.executable, "-m", "plotting", "import", str(source), *LIS]
    done = subprocess.run(
        [*argv, "-o", str(tmp_path / "a")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        [*argv, "-o", str(tmp_path / "b"), "--allow-skipped"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_example_files_import_as_before_when_told_to_leave_rows_out(
    tmp_path, capsys
):
    status, out, err = cli(
        capsys,
        IMPORTS / "example_bundle.json",
        "-o",
        tmp_path / "bundle",
        "--leave-out-refused",
        "--allow-skipped",
    )
    assert (status, err) == (0, [])
    assert out[1:10] == [
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
    ]
    status, _, err = cli(
        capsys, IMPORTS / "example_bundle.json", "-o", tmp_path / "strict"
    )
    assert status == 2
    assert not (tmp_path / "strict").exists()


# --- 8. A lab's spelling of a marker's name ----------------------------------


def test_a_name_with_its_full_name_or_total_is_the_marker(tmp_path, capsys):
    source = CASES / "psa_export.csv"
    result = lab(source)
    assert lab_rows(result) == [
        ["2021-02-03", "PSA", "6.8", "ng/mL", "psa_export.csv, row 2"],
        ["2021-09-10", "PSA", "0.21", "ng/mL", "psa_export.csv, row 5"],
    ]
    assert result.counts == {
        "read": {"rows": 5},
        "skipped, another analyte of a marker": {
            "PSA, free": 2,
            "PSA, free/total ratio": 1,
        },
        "imported": {"measurements": 2},
    }
    status, out, _ = cli(capsys, source, "-o", tmp_path / "case", *LIS)
    assert status == 0
    assert out[2] == (
        "  skipped, another analyte of a marker: 3 (PSA, free: 2, PSA, free/total "
        "ratio: 1)"
    )
    afp = lab(CASES / "lis_export.csv", date_order="MDY")
    assert "AFP (Alpha Fetoprotein)" not in afp.counts["skipped, not a tumour marker"]
    assert [row[1] for row in lab_rows(afp)] == ["AFP", "AFP", "CEA", "AFP", "CA 19-9"]


@pytest.mark.parametrize(
    ("name", "verdict", "marker"),
    [
        ("AFP (Alpha Fetoprotein)", "marker", "AFP"),
        ("Alpha-fetoprotein (AFP)", "marker", "AFP"),
        ("PSA, total", "marker", "PSA"),
        ("PSA , Total", "marker", "PSA"),
        ("CEA (serum)", "marker", "CEA"),
        ("CA-125, serum", "marker", "CA-125"),
        ("AFP, serum, total", "marker", "AFP"),
        ("CA 19-9 (U/mL)", "marker", "CA 19-9"),
        ("PSA, free", "other analyte", "PSA"),
        ("PSA (free)", "other analyte", "PSA"),
        ("AFP (L3%)", "other analyte", "AFP"),
        ("AFP, L3 fraction", "other analyte", "AFP"),
        # The registry's full names read as the marker (docs/markers.md).
        ("CA 19-9 (carbohydrate antigen 19-9)", "marker", "CA 19-9"),
        ("Carbohydrate antigen 19-9 (CA 19-9)", "marker", "CA 19-9"),
        ("Total PSA", "marker", "PSA"),
        ("CA 19-9 (tumour antigen)", "unknown qualifier", "CA 19-9"),
        ("PSA (ultrasensitive)", "unknown qualifier", "PSA"),
        ("AFP (CEA)", "two markers", "AFP"),
        ("Free PSA", "none", None),
        ("Hemoglobin (Hb)", "none", None),
        ("AFP-L3", "marker", "AFP-L3"),
        ("Triglycerides (TG)", "none", None),
        ("TG", "none", None),
    ],
)
def test_what_a_name_says_without_fuzzy_matching(name, verdict, marker):
    match = match_name(name)
    assert (match.verdict, match.marker and match.marker.name) == (verdict, marker)


def test_a_marker_name_with_an_unknown_qualifier_is_left_out_truthfully(
    tmp_path, capsys
):
    source = export(
        tmp_path,
        "000123,CA 19-9 (tumour antigen),41,U/mL,2021-03-01,",
        "000123,CA 19-9,38,U/mL,2021-04-01,",
    )
    status, out, _ = cli(capsys, source, "-o", tmp_path / "case", *LIS)
    assert status == 3
    assert out[2:4] == [
        "  skipped, marker name with an unknown qualifier: 1 (CA 19-9 (tumour "
        "antigen): 1)",
        "    row 2: 'CA 19-9 (tumour antigen)' is not read as CA 19-9 "
        "('(tumour antigen)' is not total, serum, plasma, a unit or a "
        "name of CA 19-9; if the test is CA 19-9, name it CA 19-9 in the export)",
    ]
    # With its LOINC code the row is refused: which of name and code is right?
    coded = export(
        tmp_path,
        "000123,CA 19-9 (tumour antigen),41,U/mL,2021-03-01,24108-3",
        name="coded.csv",
    )
    assert problems(lab(coded)) == [
        "coded.csv, row 2, column \"LOINC\": '24108-3': LOINC 24108-3 is CA 19-9, "
        "but the test 'CA 19-9 (tumour antigen)' is not CA 19-9 "
        "('(tumour antigen)' is not total, serum, plasma, a unit or a "
        "name of CA 19-9; if the test is CA 19-9, name it CA 19-9 in the export); "
        "correct the test name or the code"
    ]


def test_a_name_of_two_markers_is_refused(tmp_path):
    assert problems(
        lab(export(tmp_path, "000123,AFP (CEA),5.2,ng/mL,2021-03-01,"))
    ) == [
        "export.csv, row 2, column \"Test Name\": 'AFP (CEA)': names two markers, AFP "
        "and CEA; a row is one test, write the one it is"
    ]


# --- Attacks on the fixes above, of the same kinds ----------------------------


def test_loinc_named_by_its_oid_is_loinc(tmp_path):
    oid = "urn:oid:2.16.840.1.113883.6.1"
    result = fhir(
        tmp_path,
        coded("afp", (oid, *AFP)),
        coded("two", (oid, *AFP), (LOINC, *CEA), when="2021-04-01"),
    )
    assert measured(result) == [
        ["2021-03-01", "AFP", "5.2", "ng/mL", "Observation/afp"]
    ]
    assert problems(result) == [
        "export.json: entry 2 (Observation/two): code.coding names two markers, LOINC "
        "1834-1 (AFP) and LOINC 2039-6 (CEA); an Observation is one test, so which "
        "one this is cannot be told"
    ]


def test_a_panel_of_member_observations_is_counted_as_a_panel(tmp_path):
    group = observation("tm-panel", None, hasMember=[{"reference": "Observation/afp"}])
    group["code"] = {"text": "AFP and CEA panel"}
    members = panel("components", (AFP, 48.6, "ng/mL"), (CEA, 3.1, "ng/mL"))
    members["code"]["text"] = "AFP and CEA panel"
    result = fhir(tmp_path, group, observation("afp", 48.6, when="2021-04-01"), members)
    assert result.counts["skipped, panel of other Observations"] == {
        "AFP and CEA panel": 1
    }
    assert "skipped, not a tumour marker" not in result.counts
    assert [row[1:] for row in measured(result)] == [
        ["AFP", "48.6", "ng/mL", "Observation/components, component 1"],
        ["CEA", "3.1", "ng/mL", "Observation/components, component 2"],
        ["AFP", "48.6", "ng/mL", "Observation/afp"],
    ]


def test_a_misspelt_resource_type_is_refused_not_skipped(tmp_path):
    typo = observation("afp", 48.6)
    typo["resourceType"] = "Observation "
    result = fhir(tmp_path, typo)
    assert problems(result) == [
        "export.json: entry 1 (Observation /afp): resourceType 'Observation ' is not "
        "a FHIR R4 resource type"
    ]
    assert "skipped, resource type" not in result.counts


@pytest.mark.parametrize("name", ["PSA - total", "PSA / total", "PSA total serum"])
def test_a_marker_name_in_words_not_read_is_not_called_no_marker(tmp_path, name):
    result = lab(export(tmp_path, f"000456,{name},6.8,ng/mL,2021-02-03,"))
    assert result.counts["skipped, marker name with an unknown qualifier"] == {name: 1}
    assert result.left_out["skipped, marker name with an unknown qualifier"] == (
        f"row 2: {name!r} is not read as PSA (it is not PSA or another of its names, "
        "alone or followed by total, serum, plasma or a unit in parentheses or after "
        "a comma; if the test is PSA, name it PSA in the export)",
    )


def test_a_lab_name_of_two_markers_in_words_is_refused(tmp_path):
    result = lab(export(tmp_path, "000123,AFP and CEA,5.2,ng/mL,2021-03-01,"))
    assert problems(result) == [
        "export.csv, row 2, column \"Test Name\": 'AFP and CEA': names two markers, "
        "AFP and CEA; a row is one test, write the one it is"
    ]


def test_a_lab_corrects_a_result_in_a_second_row_of_the_same_time(tmp_path, capsys):
    # Lab systems send a corrected result as a new row of the same specimen.
    source = export(
        tmp_path,
        "000123,AFP,48.6,ng/mL,2021-03-01 08:15,1834-1",
        "000123,AFP,4.86,ng/mL,2021-03-01T08:15:00,1834-1",
        "000123,AFP,12.3,ng/mL,2021-04-12 07:50,1834-1",
        "000123,AFP,11.0,ng/mL,2021-04-12 16:30,1834-1",  # a second draw that day
    )
    result = lab(source)
    assert problems(result) == [
        "export.csv, row 2, column \"Result\": '48.6': AFP of patient 000123 at "
        "2021-03-01 08:15:00 is 48.6 here, but row 3 is 4.86 ng/mL: results of one "
        "test at one time disagree, and which is right cannot be told; none is "
        "imported: keep the right one in the export",
        "export.csv, row 3, column \"Result\": '4.86': AFP of patient 000123 at "
        "2021-03-01 08:15:00 is 4.86 here, but row 2 is 48.6 ng/mL: results of one "
        "test at one time disagree, and which is right cannot be told; none is "
        "imported: keep the right one in the export",
    ]
    assert [row[2] for row in lab_rows(result)] == ["12.3", "11.0"]
    assert_cli_refuses(capsys, tmp_path, source, *LIS, n=2)
