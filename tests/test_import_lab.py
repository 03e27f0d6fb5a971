"""Lab-export import (CSV and XLSX): exact counts, rows and messages."""

from __future__ import annotations

import pytest
from conftest import ROOT

from plotting.core.errors import CaseDataError
from plotting.reading.importers import ColumnError, SourceError, read_lab_export
from plotting.reading.importers.values import read_day

IMPORTS = ROOT / "tests" / "cases" / "imports"
COLUMNS = {
    "patient": "PatientID",
    "marker": "TestName",
    "value": "Result",
    "unit": "Units",
    "date": "CollectionDate",
    "loinc": "LOINC",
}
M = ("patient_id", "date", "date_precision", "marker", "value", "unit", "source")
SKIPPED = {"ALT": 1, "Creatinine": 1, "Free PSA": 1, "GGT": 1, "Hemoglobin": 1}


def rows(name, *values, serum=()):
    """Measurement rows; each tuple is (patient, date, marker, value, unit, row).

    With ``serum``, the rows whose test name says serum: the table then has a
    specimen column, empty for the others.
    """
    found = [
        dict(zip(M, (p, d, "day", m, v, u, f"{name}, row {r}"), strict=True))
        for p, d, m, v, u, r in values
    ]
    if serum:
        for row, (*_, number) in zip(found, values, strict=True):
            row["specimen"] = "serum" if number in serum else ""
    return found


def test_csv_with_date_order_and_decimal_mark():
    result = read_lab_export(
        IMPORTS / "lab_export.csv", COLUMNS, date_order="DMY", decimal="."
    )
    assert result.counts == {
        "read": {"rows": 17},
        "skipped, not a tumour marker": SKIPPED,
        "rejected": {"CEA": 2, "AFP": 1},
        "imported": {"measurements": 9},
    }
    assert [str(p) for p in result.problems] == [
        "lab_export.csv, row 16, column \"Units\": 'mg/dL': not a unit of CEA; the "
        "results need one of ng/mL",
        "lab_export.csv, row 17, column \"CollectionDate\": '2021-02-30 10:00': no "
        "such day; write it as YYYY-MM-DD, YYYY-MM or YYYY",
        "lab_export.csv, row 18, column \"LOINC\": '2039-6': LOINC 2039-6 is CEA, but "
        "the test is 'AFP'",
    ]
    assert result.tables["measurements"].to_dict(orient="records") == rows(
        "lab_export.csv",
        ("L001", "2020-01-05", "AFP", "2,160", "ng/mL", 2),
        ("L001", "2020-01-05", "PIVKA-II", "5658", "mAU/mL", 4),
        ("L001", "2020-04-05", "AFP", "<2.0", "ng/mL", 6),
        ("L001", "2020-04-20", "PIVKA-II", "17", "mAU/mL", 7),
        ("L002", "2019-11-20", "PSA", "48.3", "ng/mL", 8),
        ("L002", "2020-03-01", "PSA", "<0.03", "ng/mL", 10),
        ("L003", "2021-07-14", "CA 19-9", "41", "U/mL", 13),
        ("L003", "2021-07-14", "CEA", "4.1", "ng/mL", 14),
        ("L003", "2021-07-14", "CA-125", "30", "U/mL", 15),
        serum=(14,),
    )
    assert result.tables["patients"].values.tolist() == [
        ["L001", "2020-01-05", "2020-04-20"],
        ["L002", "2019-11-20", "2020-03-01"],
        ["L003", "2021-07-14", "2021-07-14"],
    ]
    assert result.tables["treatments"].empty and result.tables["events"].empty
    assert result.decimal == "."  # 2,160 reads only with the mark declared
    assert len(result.notes) == 3


def test_an_ambiguous_date_is_refused_and_a_number_read_with_the_columns_mark():
    # 2,160 reads two ways, but the column's other results (13.1, <2.0) use a
    # decimal point: it is 2160, and a note says so.
    result = read_lab_export(IMPORTS / "lab_export.csv", COLUMNS)
    assert [str(p) for p in result.problems[:1]] == [
        "lab_export.csv, row 6, column \"CollectionDate\": '05/04/2020 09:40': day "
        'and month cannot be told apart; give the date order, date_order "DMY" or '
        '"MDY" (--date-order on the command line)',
    ]
    assert result.counts["rejected"] == {"AFP": 2, "CEA": 2}
    assert result.counts["imported"] == {"measurements": 8}
    values = result.tables["measurements"].set_index("source")["value"]
    assert values["lab_export.csv, row 2"] == "2,160"
    assert result.decimal == "."  # the folders written declare the mark
    assert (
        "lab_export.csv, column Result: row 2 '2,160' read as 2160 (the column's "
        "other results, e.g. row 3 '13.1', use a decimal point)"
    ) in result.notes
    mdy = read_lab_export(IMPORTS / "lab_export.csv", COLUMNS, date_order="MDY")
    dates = mdy.tables["measurements"].set_index("source")["date"]
    assert dates["lab_export.csv, row 6"] == "2020-05-04"


def test_xlsx_with_a_title_row_date_cells_and_numbers():
    result = read_lab_export(IMPORTS / "lab_export.xlsx", COLUMNS, date_order="DMY")
    assert result.counts == {
        "read": {"rows": 17},
        "skipped, not a tumour marker": SKIPPED,
        "rejected": {"AFP": 1, "CEA": 2},
        "imported": {"measurements": 9},
    }
    # The text cells <2.0 and <0.03 show a decimal point (numeric cells show
    # none): the text 2,160 is 2160.
    assert [(p.row, p.column) for p in result.problems] == [
        (17, "Units"),
        (18, "CollectionDate"),
        (19, "LOINC"),
    ]
    assert result.tables["measurements"].to_dict(orient="records") == rows(
        "lab_export.xlsx",
        ("L001", "2020-01-05", "AFP", "2,160", "ng/mL", 3),
        ("L001", "2020-01-05", "PIVKA-II", "5658", "mAU/mL", 5),
        ("L001", "2020-04-05", "AFP", "<2.0", "ng/mL", 7),
        ("L001", "2020-04-20", "PIVKA-II", "17", "mAU/mL", 8),
        # Numeric cells are written so that they read one way under any mark.
        ("L002", "2019-11-20", "PSA", "48.3000", "ng/mL", 9),
        ("L002", "2020-03-01", "PSA", "<0.03", "ng/mL", 11),
        ("L003", "2021-07-14", "CA 19-9", "41", "U/mL", 14),
        ("L003", "2021-07-14", "CEA", "4.1000", "ng/mL", 15),
        ("L003", "2021-07-14", "CA-125", "30", "U/mL", 16),
        serum=(15,),
    )


def test_a_semicolon_export_with_other_headers_and_no_loinc(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Lab system export\n"
        "pid;Analyte;Value;Unit;Sampled\n"
        "9;ca-125;1.234,5;kU/L;2022-03-04\n"
        "9;Ferritin;300;ng/mL;2022-03-04\n"
        "9;CA 125;1.234,5;U/mL;2022.03.04 07:30\n",
        encoding="cp1252",
    )
    columns = {
        "patient": "PID",
        "marker": "analyte",
        "value": "value",
        "unit": "unit",
        "date": "sampled",
    }
    result = read_lab_export(path, columns)
    assert result.tables["measurements"].values.tolist() == [
        ["9", "2022-03-04", "day", "CA-125", "1.234,5", "U/mL", "export.csv, row 3"]
    ]
    assert result.counts["skipped, not a tumour marker"] == {"Ferritin": 1}
    assert result.counts["skipped, same result twice"] == {"CA-125": 1}


def test_empty_cells_are_problems_naming_their_column(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("P,T,R,U,D\n,AFP,,ng/mL,2020-01-01\n1,AFP,,ng/mL,2020-01-01\n")
    columns = dict(
        zip(("patient", "marker", "value", "unit", "date"), "PTRUD", strict=True)
    )
    result = read_lab_export(path, columns)
    assert [str(p) for p in result.problems] == [
        "e.csv, row 2, column \"P\": '': empty; every AFP result needs its patient",
        "e.csv, row 3, column \"R\": '': empty; every AFP result needs its value",
    ]
    assert result.patient_ids == []


def test_a_missing_column_is_named_with_the_exports_headers(tmp_path):
    headers = ["PatientID", "TestName", "Result", "Units", "CollectionDate", "LOINC"]
    for name, role, header in [
        ("lab_export.csv", "unit", "UoM"),
        ("lab_export.xlsx", "unit", "UoM"),
        ("lab_export.csv", "loinc", "Code"),
    ]:
        with pytest.raises(ColumnError) as caught:
            read_lab_export(IMPORTS / name, {**COLUMNS, role: header})
        assert str(caught.value) == (
            f"{name} has no column {header!r} (given for {role}); its columns are "
            + ", ".join(headers)
        )
        assert (caught.value.role, caught.value.header) == (role, header)
        assert caught.value.headers == headers


def test_bad_options_and_unreadable_files(tmp_path):
    with pytest.raises(SourceError, match="columns: missing marker, value, unit"):
        read_lab_export(IMPORTS / "lab_export.csv", {"patient": "A", "date": "D"})
    with pytest.raises(SourceError, match="'Result' is given for more than one"):
        read_lab_export(IMPORTS / "lab_export.csv", {**COLUMNS, "unit": "result"})
    with pytest.raises(SourceError, match="date_order must be DMY or MDY"):
        read_lab_export(IMPORTS / "lab_export.csv", COLUMNS, date_order="YMD")
    with pytest.raises(SourceError, match="no such file"):
        read_lab_export(tmp_path / "none.csv", COLUMNS)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CaseDataError, match=r"save it as \.xlsx or as CSV UTF-8"):
        read_lab_export(tmp_path / "old.xls", COLUMNS)


@pytest.mark.parametrize(
    ("cell", "order", "text", "precision"),
    [
        ("2020-01-05 08:13", None, "2020-01-05", "day"),
        ("2020-01-05T08:13:00.250+09:00", None, "2020-01-05", "day"),
        ("05/01/2020 08:13", "DMY", "2020-01-05", "day"),
        ("05/01/2020 08:13", "MDY", "2020-05-01", "day"),
        ("25/01/2020 8:13 PM", None, "2020-01-25", "day"),
        ("Aug 2006", None, "2006-08", "month"),
        ("2006", None, "2006", "year"),
    ],
)
def test_dates_keep_the_day_written_and_their_precision(cell, order, text, precision):
    day = read_day(cell, order=order)
    assert (day.text, day.precision) == (text, precision)
