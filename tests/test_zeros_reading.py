"""Results reported as 0 are read on every path; no other zero is made up.

``PSA 0 ng/mL`` (after prostatectomy) and ``hCG 0 IU/L`` are exact results, read
as 0 from CSV, workbooks (a numeric 0 and the text ``0.00``), Parquet, DataFrames,
FHIR ``valueQuantity`` and lab exports. An empty cell never becomes 0, nor does a
cell that only looks empty; a negative result, a censored 0 and a zero no lab
prints (``000``) are refused with what to write.
"""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from plotting import CaseDataError, case_from_frames, read_case
from plotting.cli import main
from plotting.reading.importers import read_fhir, read_lab_export
from plotting.reading.tables.cells import ABOVE_ZERO, BELOW_ZERO, NEGATIVE, parse_result

TODAY = "2025-01-01"
TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2016-12-31"\n'
HEADER = ["date", "marker", "value", "unit"]


def folder_with(tmp_path, name, write):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.toml").write_text(TOML)
    write(folder / name)
    return folder


def values_of(case) -> list:
    m = case.measurements
    return list(zip(m["value"], m["censor"], m["value_text"], strict=True))


def problems_of(info) -> list[tuple]:
    return [(p.row, p.column, p.text, p.message) for p in info.value.problems]


@pytest.mark.parametrize(
    "cell", ["0", "0.0", "0,0", "0.00", "0,000", " 0 ", ".0", "0.0000"]
)
def test_a_zero_as_labs_print_it_is_an_exact_result(cell):
    assert parse_result(cell) == (0.0, "")
    assert parse_result(cell, decimal=",") == (0.0, "")
    assert parse_result(cell, decimal=".") == (0.0, "")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-0", NEGATIVE),
        ("-3.5", NEGATIVE),
        ("<-1", NEGATIVE),
        ("<0", BELOW_ZERO),
        ("< 0.0", BELOW_ZERO),
        ("≤0", BELOW_ZERO),
        (">0", ABOVE_ZERO),
        (">=0,0", ABOVE_ZERO),
    ],
)
def test_negative_results_and_censored_zeros_are_refused(cell, message):
    with pytest.raises(ValueError) as info:
        parse_result(cell)
    assert str(info.value) == message


@pytest.mark.parametrize("cell", ["00", "000", "0 000", "0,000,000", "0.000.000"])
def test_a_zero_no_lab_prints_is_refused_never_read_as_0(cell):
    with pytest.raises(ValueError) as info:
        parse_result(cell)
    assert str(info.value) == (
        f"a 0 written as {cell}, which no lab prints (a digit or a thousands "
        "separator gone astray?); write 0 if the lab reported 0"
    )


def test_csv_reads_zeros_and_refuses_empty_and_censored_zeros(tmp_path):
    folder = folder_with(
        tmp_path,
        "measurements.csv",
        lambda p: p.write_text(
            "date,marker,value,unit\n"
            "2015-02-01,PSA,12.0,ng/mL\n"
            "2015-04-01,PSA,0,ng/mL\n"
            '2015-07-01,PSA,"0,0",ng/mL\n'
            "2015-10-01,hCG,0,IU/L\n"
        ),
    )
    case = read_case(folder, today=TODAY)
    assert values_of(case) == [
        (12.0, "", "12.0"),
        (0.0, "", "0"),
        (0.0, "", "0,0"),
        (0.0, "", "0"),
    ]
    (folder / "measurements.csv").write_text(
        "date,marker,value,qualifier,unit\n"
        "2015-02-01,PSA,,,ng/mL\n"
        "2015-04-01,PSA,0,<,ng/mL\n"
        "2015-05-01,PSA,0,>,ng/mL\n"
        "2015-06-01,PSA,<0.0,,ng/mL\n"
    )
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    assert problems_of(info) == [
        (
            2,
            "value",
            "",
            "empty; write the result as the lab reported it, e.g. 12.5",
        ),
        (3, "qualifier", "<", BELOW_ZERO),
        (4, "qualifier", ">", ABOVE_ZERO),
        (5, "value", "<0.0", BELOW_ZERO),
    ]


def _workbook(path, rows, formats=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "measurements"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)


def test_a_workbook_reads_a_numeric_0_and_the_text_0_00(tmp_path):
    folder = folder_with(
        tmp_path,
        "measurements.xlsx",
        lambda p: _workbook(
            p,
            [
                ["2015-02-01", "PSA", 12, "ng/mL"],
                ["2015-04-01", "PSA", 0, "ng/mL"],
                ["2015-05-01", "PSA", 0.0, "ng/mL"],
                ["2015-07-01", "PSA", "0.00", "ng/mL"],
            ],
            # Shown as 0.00: a numeric 0 in any format with digits is 0.
            formats={"C4": "0.00"},
        ),
    )
    case = read_case(folder, today=TODAY)
    assert [v for v, _, _ in values_of(case)] == [12.0, 0.0, 0.0, 0.0]
    assert [t for _, _, t in values_of(case)] == ["12", "0", "0", "0.00"]


def test_a_workbook_zero_its_format_hides_is_read_as_shown_never_as_0(tmp_path):
    folder = folder_with(
        tmp_path,
        "measurements.xlsx",
        lambda p: _workbook(
            p,
            [
                ["2015-02-01", "PSA", 0, "ng/mL"],
                ["2015-04-01", "PSA", 0, "ng/mL"],
                ["2015-05-01", "PSA", 0, "ng/mL"],
            ],
            formats={
                # Zero section empty: the cell looks empty on screen.
                "C2": "0.0;-0.0;;@",
                # The accounting format shows 0 as a dash.
                "C3": '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-',
                # A censoring sign before 0: a censored 0.
                "C4": '"<"0.0',
            },
        ),
    )
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    assert problems_of(info) == [
        (2, "value", "", "empty; write the result as the lab reported it, e.g. 12.5"),
        (3, "value", "-", "not a positive number; write one such as 187.8"),
        (4, "value", "<0", BELOW_ZERO),
    ]


def test_parquet_reads_zeros_and_a_missing_cell_is_empty(tmp_path):
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {
            "date": ["2015-02-01", "2015-04-01", "2015-05-01"],
            "marker": "PSA",
            "value": pd.array([4, 0, None], dtype="Int64"),
            "unit": "ng/mL",
        }
    )
    folder = folder_with(tmp_path, "measurements.parquet", frame.to_parquet)
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    assert problems_of(info) == [
        (4, "value", "", "empty; write the result as the lab reported it, e.g. 12.5")
    ]
    frame.loc[2, "value"] = 0
    frame.to_parquet(folder / "measurements.parquet")
    case = read_case(folder, today=TODAY)
    assert [v for v, _, _ in values_of(case)] == [4.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "zero", [0, 0.0, np.float64(0.0), np.int64(0), "0", "0,0", -0.0]
)
def test_frames_read_zeros_of_any_dtype(zero):
    results = pd.DataFrame(
        {
            "date": pd.to_datetime(["2015-02-01", "2015-04-01"]),
            "marker": "PSA",
            "value": pd.Series([12.0, zero], dtype=object),
            "unit": "ng/mL",
        }
    )
    case = case_from_frames(
        results, origin="2015-01", last_follow_up="2016-12-31", today=TODAY
    )
    assert case.measurements["value"].tolist() == [12.0, 0.0]
    assert case.measurements["censor"].tolist() == ["", ""]


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_frames_never_read_a_missing_value_as_0(missing):
    results = pd.DataFrame(
        {
            "date": ["2015-02-01", "2015-04-01"],
            "marker": "PSA",
            "value": pd.Series([0, missing], dtype=object),
            "unit": "ng/mL",
        }
    )
    with pytest.raises(CaseDataError) as info:
        case_from_frames(
            results, origin="2015-01", last_follow_up="2016-12-31", today=TODAY
        )
    assert [(p.row, p.text, p.message) for p in info.value.problems] == [
        (1, "", "empty; write the result as the lab reported it, e.g. 12.5")
    ]


def _observation(rid, value, comparator=None):
    quantity = {
        "value": value,
        "unit": "ng/mL",
        "system": "http://unitsofmeasure.org",
        "code": "ng/mL",
    }
    if comparator:
        quantity["comparator"] = comparator
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2857-1"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": f"2021-0{len(rid)}-01",
        "valueQuantity": quantity,
    }


def test_fhir_reads_a_value_quantity_of_0_and_refuses_a_censored_one(tmp_path):
    path = tmp_path / "bundle.ndjson"
    path.write_text(
        "\n".join(
            json.dumps(r)
            for r in (
                _observation("a", 4.1),
                _observation("aa", 0),
                _observation("aaa", 0.0),
                _observation("aaaa", 0, comparator="<"),
            )
        )
        + "\n"
    )
    result = read_fhir(path)
    table = result.tables["measurements"]
    assert table[["date", "value"]].values.tolist() == [
        ["2021-01-01", "4.1"],
        ["2021-02-01", "0"],
        ["2021-03-01", "0.0"],
    ]
    assert [str(p) for p in result.problems] == [
        f"bundle.ndjson: line 4 (Observation/aaaa): valueQuantity '<0': {BELOW_ZERO}"
    ]


def test_a_lab_export_reads_0_and_its_case_folder_passes_check(tmp_path, capsys):
    export = tmp_path / "labs.csv"
    export.write_text(
        "PatientID,TestName,Result,Units,CollectionDate\n"
        "7,PSA,5.2,ng/mL,2020-01-10\n"
        "7,PSA,0,ng/mL,2020-04-10\n"
        "7,PSA,0.00,ng/mL,2020-07-10\n"
        "7,PSA,-0.1,ng/mL,2020-09-10\n"
    )
    columns = {
        "patient": "PatientID",
        "marker": "TestName",
        "value": "Result",
        "unit": "Units",
        "date": "CollectionDate",
    }
    result = read_lab_export(export, columns)
    assert result.tables["measurements"]["value"].tolist() == ["5.2", "0", "0.00"]
    assert [str(p) for p in result.problems] == [
        f"labs.csv, row 5, column \"Result\": '-0.1': {NEGATIVE}"
    ]
    argv = ["import", export, "-o", tmp_path / "case", "--leave-out-refused"]
    argv += ["--allow-skipped"]
    argv += ["--columns", *(f"{k}={v}" for k, v in columns.items())]
    assert main([str(a) for a in argv]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path / "case")]) == 0
    out = capsys.readouterr().out
    assert "  PSA: 3 results (2 reported as 0, drawn at the axis floor) in ng/mL" in out
