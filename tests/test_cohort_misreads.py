"""Cohorts once read wrong without a word (issue 21): each now reads as meant, or
is refused naming the file, the row, the cell and what to write.

Three classes: patient ids spelled two ways (one normalisation for every table,
look-alikes refused), rows that belong to no patient's figure, and one marker in
two units across patients (one rule for ``aligned`` and ``grid``). Inputs are
written as spreadsheets and exports write them: CSV text with the invisible
character in the cell, workbooks with openpyxl.
"""

from __future__ import annotations

import unicodedata

import openpyxl
import pandas as pd
import pytest

from plotting import (
    CaseDataError,
    InputError,
    plot_aligned_cohort,
    plot_small_multiples,
    read_cohort,
)
from plotting.cli import main
from plotting.computing.alignment import align_cohort, median_trajectory
from plotting.reading.frames import cohort_from_frames

TODAY = "2025-01-01"
HEADER = "patient_id,date,marker,value,unit\n"
# Without a patients table a patient's follow-up spans its own results.
RESULTS = (
    HEADER + "P1,2020-01-01,AFP,10,ng/mL\nP1,2020-06-01,AFP,5,ng/mL\n"
    "P2,2020-01-01,AFP,20,ng/mL\nP2,2020-06-01,AFP,30,ng/mL\n"
)
CASE_TOML = '[time]\norigin = "2019-12-01"\nlast_follow_up = "2021-01-01"\n'


def write(folder, **tables):
    """Write a tidy cohort: each table's CSV text, as an export holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        target = folder / ("cohort.toml" if name == "toml" else f"{name}.csv")
        target.write_text(text, encoding="utf-8")
    return folder


def workbook(path, rows):
    """Write rows to a one-sheet workbook named like the file, as Excel saves it."""
    book = openpyxl.Workbook()
    book.active.title = path.stem
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def case_folder(folder, measurements, treatments=None, toml=CASE_TOML):
    """Write one case folder of a folder cohort."""
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(toml)
    (folder / "measurements.csv").write_text(measurements, encoding="utf-8")
    if treatments:
        (folder / "treatments.csv").write_text(treatments, encoding="utf-8")
    return folder


def counts(cohort) -> dict:
    """Patient id to (results, treatments, events): the truth a test asserts."""
    assert not cohort.problems
    return {
        pid: (len(case.measurements), len(case.treatments), len(case.events))
        for pid, case in cohort.cases.items()
    }


def refused(folder) -> list[str]:
    """The problems read_cohort refuses the folder with, as printed."""
    with pytest.raises(CaseDataError) as info:
        read_cohort(folder, today=TODAY)
    return [str(p) for p in info.value.problems]


def run(capsys, *argv):
    """Run the command line; return its status and stderr."""
    status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


# 1. One id normalisation for every table ------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "P1\u200b",  # zero-width space, pasted from a web EHR
        "\ufeffP1",  # byte order mark of a second export appended to the first
        "P1\u00a0",  # no-break space
        "P1 ",  # trailing space
        "\u200bP1\u00a0\t",  # all at once
        "P\u200d1",  # zero-width joiner inside
        "P1\u00ad",  # soft hyphen
    ],
)
def test_an_invisible_character_in_a_treatments_id_is_the_results_patient(
    tmp_path, spelling
):
    folder = write(
        tmp_path,
        measurements=RESULTS,
        treatments=f"patient_id,kind,start\n{spelling},tace,2020-02-01\n",
    )
    assert counts(read_cohort(folder, today=TODAY)) == {
        "P1": (2, 1, 0),
        "P2": (2, 0, 0),
    }


def test_results_ids_that_differ_by_a_zero_width_space_are_one_patient(tmp_path):
    folder = write(
        tmp_path,
        measurements=RESULTS + "P1\u200b,2020-05-01,AFP,3,ng/mL\n",
        events="patient_id,date,label\n\ufeffP2,2020-02-01,CT\n",
    )
    cohort = read_cohort(folder, today=TODAY)
    assert counts(cohort) == {"P1": (3, 0, 0), "P2": (2, 0, 1)}
    assert cohort.cases["P1"].measurements["value"].tolist() == [10.0, 3.0, 5.0]


def test_the_patients_table_is_normalised_like_the_others(tmp_path):
    folder = write(
        tmp_path,
        measurements=RESULTS,
        patients="patient_id,origin,last_follow_up\n"
        "P1\u200b,2019-06-01,2022-01-01\nP2\u00a0,2019-07-01,2022-02-01\n",
    )
    cases = read_cohort(folder, today=TODAY).cases
    assert [(p, str(c.origin.date())) for p, c in cases.items()] == [
        ("P1", "2019-06-01"),
        ("P2", "2019-07-01"),
    ]


def test_an_excel_id_with_a_no_break_space_is_the_csv_patient(tmp_path):
    workbook(
        tmp_path / "measurements.xlsx",
        [
            ["patient_id", "date", "marker", "value", "unit"],
            ["P1\u00a0", "2020-01-01", "AFP", 10, "ng/mL"],
            ["P1", "2020-03-01", "AFP", 5, "ng/mL"],
        ],
    )
    write(tmp_path, treatments="patient_id,kind,start\nP1\u200b,tace,2020-02-01\n")
    assert counts(read_cohort(tmp_path, today=TODAY)) == {"P1": (2, 1, 0)}


def test_ids_that_differ_only_by_case_are_refused_naming_both(tmp_path, capsys):
    folder = write(
        tmp_path / "cohort",
        measurements=RESULTS,
        treatments="patient_id,kind,start\np1,tace,2020-02-01\np1,tace,2020-04-01\n",
    )
    assert refused(folder) == [
        f"{folder / 'treatments.csv'}, row 2, column \"patient_id\": 'p1': patient "
        f"'p1' differs from 'P1' ({folder / 'measurements.csv'}, row 2) only by "
        "letter case, so it is not known whether they are one patient; write one "
        "spelling of one patient's id in every table, or give two patients ids that "
        "differ by more (2 rows in this table)"
    ]
    for command in ("batch", "aligned", "grid"):
        extra = [] if command == "batch" else ["--marker", "AFP"]
        status, err = run(capsys, command, folder, "-o", tmp_path / command, *extra)
        assert status == 2, command
        assert err.startswith(f"{folder / 'treatments.csv'}, row 2, column")
        assert "Traceback" not in err
    assert not any(tmp_path.glob("*.png"))


def test_two_results_spellings_by_case_are_not_two_patients(tmp_path):
    folder = write(tmp_path, measurements=RESULTS + "p2,2020-02-01,AFP,8,ng/mL\n")
    (problem,) = refused(folder)
    assert problem.startswith(
        f"{folder / 'measurements.csv'}, row 6, column \"patient_id\": 'p2': patient "
        f"'p2' differs from 'P2' ({folder / 'measurements.csv'}, row 4) only by "
        "letter case"
    )


def test_an_accented_id_in_nfd_is_the_nfc_patient(tmp_path):
    # macOS writes file names, and some exports their text, decomposed (NFD).
    nfc, nfd = "José-7", unicodedata.normalize("NFD", "José-7")
    assert nfc != nfd
    folder = write(
        tmp_path,
        measurements=HEADER + f"{nfc},2020-01-01,AFP,10,ng/mL\n"
        f"{nfd},2020-06-01,AFP,8,ng/mL\n",
        treatments=f"patient_id,kind,start\n{nfd},tace,2020-02-01\n",
    )
    assert counts(read_cohort(folder, today=TODAY)) == {nfc: (2, 1, 0)}


def test_leading_zeros_excel_dropped_are_refused_not_guessed(tmp_path):
    # Excel stores the id 0012 typed in a General cell as the number 12.
    workbook(
        tmp_path / "measurements.xlsx",
        [
            ["patient_id", "date", "marker", "value", "unit"],
            [12, "2020-01-01", "AFP", 10, "ng/mL"],
        ],
    )
    write(tmp_path, treatments="patient_id,kind,start\n0012,tace,2020-02-01\n")
    assert refused(tmp_path) == [
        f"{tmp_path / 'treatments.csv'}, row 2, column \"patient_id\": '0012': "
        f"patient '0012' differs from '12' ({tmp_path / 'measurements.xlsx'} "
        "[sheet measurements], row 2) only by leading zeros or a trailing .0 of a "
        "number, so it is not known whether they are one patient; write one "
        "spelling of one patient's id in every table (a spreadsheet that read the "
        "ids as numbers drops leading zeros: format the id column as Text), or give "
        "two patients ids that differ by more"
    ]


def test_an_id_written_as_a_float_is_refused_beside_the_integer(tmp_path):
    # pandas writes an id column holding a blank as floats: 12.0.
    folder = write(
        tmp_path,
        measurements=HEADER + "12,2020-01-01,AFP,10,ng/mL\n",
        events="patient_id,date,label\n12.0,2020-02-01,CT\n",
    )
    (problem,) = refused(folder)
    assert "patient '12.0' differs from '12'" in problem
    assert "only by leading zeros or a trailing .0 of a number" in problem


def test_a_tab_inside_an_id_is_a_space(tmp_path):
    folder = write(
        tmp_path,
        measurements=HEADER + "P 1,2020-01-01,AFP,10,ng/mL\n"
        "P  1,2020-06-01,AFP,8,ng/mL\n",
        treatments="patient_id,kind,start\nP\t1,tace,2020-02-01\n"
        "P\u00a0 1,tace,2020-03-01\n",
    )
    assert counts(read_cohort(folder, today=TODAY)) == {"P 1": (2, 2, 0)}


def test_ids_that_differ_only_by_a_space_are_refused(tmp_path):
    folder = write(
        tmp_path,
        measurements=HEADER + "SYN 7,2020-01-01,AFP,10,ng/mL\n",
        treatments="patient_id,kind,start\nSYN7,tace,2020-02-01\n",
    )
    (problem,) = refused(folder)
    assert "patient 'SYN7' differs from 'SYN 7'" in problem
    assert "only by spaces, so it is not known" in problem


def test_a_non_breaking_hyphen_is_refused_not_a_second_patient(tmp_path):
    folder = write(
        tmp_path,
        measurements=HEADER
        + "SYN-0001,2020-01-01,AFP,10,ng/mL\nSYN\u20110001,2020-02-01,AFP,9,ng/mL\n",
    )
    (problem,) = refused(folder)
    assert problem.startswith(
        f'{folder / "measurements.csv"}, row 3, column "patient_id": '
        "'SYN\u20110001': patient 'SYN\u20110001' differs from 'SYN-0001'"
    )
    assert "only by the form of a character (full-width, dash, a Cyrillic" in problem


def test_ids_excel_shortened_to_scientific_notation_are_refused(tmp_path):
    folder = write(
        tmp_path,
        measurements=HEADER
        + "1.23457E+11,2020-01-01,AFP,10,ng/mL\n1.23457E+11,2020-02-01,AFP,9,ng/mL\n",
    )
    assert refused(folder) == [
        f'{folder / "measurements.csv"}, row 2, column "patient_id": '
        "'1.23457E+11': a patient id that looks like a number Excel shortened to "
        "scientific notation, its digits lost: in the workbook, format the id column "
        "as Text, type the full ids and save the CSV again (2 rows in this table)"
    ]


def test_an_id_of_invisible_characters_only_is_empty(tmp_path):
    folder = write(tmp_path, measurements=RESULTS + "\u200b,2020-02-01,AFP,8,ng/mL\n")
    assert refused(folder) == [
        f"{folder / 'measurements.csv'}, row 6, column \"patient_id\": '\\u200b': "
        "empty; write the patient id, or delete the row"
    ]


def test_a_cyrillic_letter_typed_for_a_latin_one_is_refused(tmp_path):
    # Typed with a Russian keyboard layout: Cyrillic Er (U+0420), not Latin P.
    folder = write(
        tmp_path,
        measurements=RESULTS,
        treatments="patient_id,kind,start\n\u04201,tace,2020-02-01\n",
    )
    (problem,) = refused(folder)
    assert problem.startswith(
        f"{folder / 'treatments.csv'}, row 2, column \"patient_id\": '\u04201': "
        f"patient '\u04201' differs from 'P1' ({folder / 'measurements.csv'}, row 2) "
        "only by the form of a character (full-width, dash, a Cyrillic or Greek "
        "letter drawn as a Latin one)"
    )


def test_a_windows_1252_export_with_a_no_break_space_is_one_patient(tmp_path):
    # Excel's plain "CSV" is Windows-1252: the no-break space is the byte A0.
    tmp_path.joinpath("measurements.csv").write_bytes(RESULTS.encode("cp1252"))
    tmp_path.joinpath("treatments.csv").write_bytes(
        "patient_id,kind,start\nP1\u00a0,tace,2020-02-01\nP2\u00a0\u00a0,rfa,"
        "2020-03-01\n".encode("cp1252")
    )
    assert counts(read_cohort(tmp_path, today=TODAY)) == {
        "P1": (2, 1, 0),
        "P2": (2, 1, 0),
    }


def test_a_variation_selector_is_invisible_too(tmp_path):
    # Not of category Cf, yet drawn as nothing: pasted after an emoji-capable
    # font's digit, P1 and P1 + U+FE0F look the same.
    folder = write(
        tmp_path,
        measurements=RESULTS + "P1\ufe0f,2020-04-01,AFP,7,ng/mL\n",
        events="patient_id,date,label\nP2\u034f,2020-02-01,CT\n",
    )
    assert counts(read_cohort(folder, today=TODAY)) == {
        "P1": (3, 0, 0),
        "P2": (2, 0, 1),
    }


def test_an_excel_id_shown_with_leading_zeros_is_refused_beside_the_text(tmp_path):
    # Formatted "0000", the cell 12 shows 0012; its value is the number 12.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "treatments"
    sheet.append(["patient_id", "kind", "start"])
    sheet.append([12, "tace", "2020-02-01"])
    sheet["A2"].number_format = "0000"
    book.save(tmp_path / "treatments.xlsx")
    write(
        tmp_path,
        measurements=HEADER + "0012,2020-01-01,AFP,10,ng/mL\n"
        "0012,2020-06-01,AFP,5,ng/mL\n",
    )
    (problem,) = refused(tmp_path)
    assert problem.startswith(
        f"{tmp_path / 'treatments.xlsx'} [sheet treatments], row 2, column "
        "\"patient_id\": '12': patient '12' differs from '0012' "
        f"({tmp_path / 'measurements.csv'}, row 2) only by leading zeros"
    )


def test_dataframes_are_read_with_the_same_id_rule(tmp_path):
    measurements = pd.read_csv(pd.io.common.StringIO(RESULTS))
    treatments = pd.DataFrame(
        {"patient_id": ["P1\u200b", "P2 "], "kind": "tace", "start": "2020-02-01"}
    )
    cohort = cohort_from_frames(measurements, treatments, today=TODAY)
    assert counts(cohort) == {"P1": (2, 1, 0), "P2": (2, 1, 0)}
    with pytest.raises(CaseDataError, match="patient 'p1' differs from 'P1'"):
        cohort_from_frames(measurements, treatments.replace("P1\u200b", "p1"))


def test_case_folder_names_are_normalised_and_look_alikes_refused(tmp_path):
    nfd = unicodedata.normalize("NFD", "Zoë")
    case_folder(
        tmp_path / "ok" / nfd, "date,marker,value,unit\n2020-01-01,AFP,5,ng/mL\n"
    )
    cohort = read_cohort(tmp_path / "ok", today=TODAY)
    assert counts(cohort) == {"Zoë": (1, 0, 0)}
    for name in ("P1", "P1\u200b", "p1"):
        case_folder(
            tmp_path / "bad" / name, "date,marker,value,unit\n2020-01-01,AFP,5,ng/mL\n"
        )
    bad = tmp_path / "bad"
    assert refused(bad) == [
        f"{bad / 'P1'}\u200b: folder 'P1\\u200b' differs from folder 'P1' only by "
        "characters that do not show (invisible ones, spaces, accents composed "
        "another way), so it is not known whether they are one patient; put one "
        "patient's data in one folder, or rename a folder so the ids differ by more",
        f"{bad / 'p1'}: folder 'p1' differs from folder 'P1' only by letter "
        "case, so it is not known whether they are one patient; put one patient's "
        "data in one folder, or rename a folder so the ids differ by more",
    ]


# 2. Every row accounted for ---------------------------------------------------


def test_treatments_of_a_patient_without_results_are_refused(tmp_path, capsys):
    folder = write(
        tmp_path / "cohort",
        measurements=RESULTS,
        treatments="patient_id,kind,start\nP1,tace,2020-02-01\nP3,tace,2020-02-01\n"
        "P3,rfa,2020-03-01\n",
        events="patient_id,date,label\nP4,2020-02-01,CT\n",
    )
    assert refused(folder) == [
        f"{folder / 'treatments.csv'}, row 3, column \"patient_id\": 'P3': patient "
        f"'P3' has no results in {folder / 'measurements.csv'}, so these rows would "
        "belong to no figure; write the id as the results do, add the patient's "
        "results, or delete its rows (2 rows in this table)",
        f"{folder / 'events.csv'}, row 2, column \"patient_id\": 'P4': patient 'P4' "
        f"has no results in {folder / 'measurements.csv'}, so these rows would "
        "belong to no figure; write the id as the results do, add the patient's "
        "results, or delete its rows",
    ]
    status, err = run(capsys, "batch", folder, "-o", tmp_path / "out")
    assert status == 2 and "'P3' has no results" in err
    assert not (tmp_path / "out").exists()


def test_a_patients_row_without_results_in_a_workbook_is_refused(tmp_path):
    write(tmp_path, measurements=RESULTS)
    workbook(
        tmp_path / "patients.xlsx",
        [
            ["patient_id", "origin", "last_follow_up"],
            ["P1", "2019-06-01", "2022-01-01"],
            ["P2", "2019-06-01", "2022-01-01"],
            ["P3", "2019-06-01", "2022-01-01"],
        ],
    )
    (problem,) = refused(tmp_path)
    assert problem.startswith(
        f"{tmp_path / 'patients.xlsx'} [sheet patients], row 4, column "
        "\"patient_id\": 'P3': patient 'P3' has no results in"
    )


def test_a_patient_listed_twice_is_refused_naming_both_rows(tmp_path):
    folder = write(
        tmp_path,
        measurements=RESULTS,
        patients="patient_id,origin,last_follow_up\nP1,2019-01-01,2021-01-01\n"
        "P2,2019-01-01,2021-01-01\nP1\u200b,2019-06-01,2022-01-01\n",
    )
    assert refused(folder) == [
        f"{folder / 'patients.csv'}, row 4, column \"patient_id\": 'P1\\u200b': "
        "patient 'P1' is listed twice, on rows 2 and 4; keep one row per patient "
        "(delete one, or correct its id)"
    ]


def test_a_patient_listed_twice_in_dataframes_is_refused(tmp_path):
    measurements = pd.read_csv(pd.io.common.StringIO(RESULTS))
    patients = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P2"],
            "origin": "2019-01-01",
            "last_follow_up": ["2021-01-01", "2021-01-01", "2022-01-01"],
        }
    )
    with pytest.raises(CaseDataError, match="patient 'P2' is listed twice, on rows"):
        cohort_from_frames(measurements, patients=patients, today=TODAY)
    with pytest.raises(CaseDataError, match="patient 'P3' has no results"):
        cohort_from_frames(
            measurements, patients=patients.replace("P2", "P3").iloc[:2], today=TODAY
        )


@pytest.mark.parametrize(
    "beside", ["measurements.csv", "treatments.xlsx", "cohort.toml"]
)
def test_tables_beside_case_folders_are_refused(tmp_path, capsys, beside):
    results = "date,marker,value,unit\n2020-01-01,AFP,5,ng/mL\n"
    case_folder(tmp_path / "cohort" / "A1", results)
    case_folder(tmp_path / "cohort" / "A2", results)
    (tmp_path / "cohort" / beside).write_text("patient_id\n")
    assert refused(tmp_path / "cohort") == [
        f"{tmp_path / 'cohort'}: holds both case folders (A1, A2) and cohort tables "
        f"({beside}); a cohort is one or the other, so one of them would be "
        "ignored: move the tables into a folder of their own (each patient's rows "
        "into its case folder), or the case folders out"
    ]
    status, err = run(
        capsys, "aligned", tmp_path / "cohort", "-o", tmp_path / "a", "--marker", "AFP"
    )
    assert status == 2 and "holds both case folders (A1, A2)" in err


def test_a_sub_folder_with_tables_but_no_case_toml_is_refused(tmp_path):
    results = "date,marker,value,unit\n2020-01-01,AFP,5,ng/mL\n"
    case_folder(tmp_path / "A1", results)
    (tmp_path / "A2").mkdir()
    (tmp_path / "A2" / "measurements.csv").write_text(results)
    (tmp_path / "figures").mkdir()  # an output folder is no patient
    (tmp_path / "figures" / "A1.png").write_bytes(b"")
    assert refused(tmp_path) == [
        f"{tmp_path / 'A2'}: holds measurements.csv but no case.toml, so this "
        "patient would be left out; add its case.toml ([time] origin, "
        "last_follow_up), or move the folder out of the cohort"
    ]


def test_a_patient_folder_inside_a_cohort_of_tables_is_refused(tmp_path):
    folder = write(tmp_path / "cohort", measurements=RESULTS)
    # A patient added as a folder of its own tables, without case.toml.
    (folder / "P3").mkdir()
    (folder / "P3" / "measurements.csv").write_text(RESULTS.replace("P1", "P3"))
    (folder / "out").mkdir()  # figures written beside the tables are no patient
    (folder / "out" / "P1.png").write_bytes(b"")
    assert refused(folder) == [
        f"{folder / 'P3'}: holds measurements.csv, but this cohort is read from the "
        f"tidy tables in {folder}, so this folder would be left out; move its rows "
        "into the cohort's tables (with a patient_id column), or the folder out of "
        "the cohort"
    ]


def test_the_patients_table_is_found_as_the_others_or_refused(tmp_path):
    patients = "patient_id,origin,last_follow_up\nP1,2019-06-01,2022-01-01\n"
    folder = write(tmp_path / "named", measurements=RESULTS, registry=patients)
    (folder / "cohort.toml").write_text('[files]\npatients = "registry.csv"\n')
    cases = read_cohort(folder, today=TODAY).cases
    assert str(cases["P1"].origin.date()) == "2019-06-01"
    assert str(cases["P2"].origin.date()) == "2020-01-01"
    folder = write(tmp_path / "near", measurements=RESULTS)
    (folder / "Patients.CSV").write_text(patients)
    assert refused(folder) == [
        f"{folder / 'Patients.CSV'}: looks like the patients table but is not read; "
        "name it patients.csv or patients.xlsx, or name it under [files] in "
        "cohort.toml"
    ]
    folder = write(tmp_path / "both", measurements=RESULTS, patients=patients)
    workbook(folder / "patients.xlsx", [["patient_id", "origin"], ["P1", "2019"]])
    assert refused(folder) == [
        f"{folder / 'patients.csv'}: both patients.csv and patients.xlsx exist; "
        "keep one, or name it under [files] in cohort.toml"
    ]


def test_a_case_folder_holding_another_patients_rows_is_that_patients_problem(
    tmp_path, capsys
):
    case_folder(
        tmp_path / "P1",
        HEADER + "P1,2020-01-01,AFP,5,ng/mL\nP2,2020-03-01,AFP,50,ng/mL\n"
        "P1\u200b,2020-04-01,AFP,4,ng/mL\n",
    )
    case_folder(tmp_path / "P2", HEADER + "P2,2020-01-01,AFP,5,ng/mL\n")
    cohort = read_cohort(tmp_path, today=TODAY)
    assert sorted(cohort.cases) == ["P2"] and len(cohort.cases["P2"].measurements) == 1
    assert str(cohort.problems["P1"]) == (
        f'{tmp_path / "P1" / "measurements.csv"}, row 3, column "patient_id": '
        "'P2': another patient's id in the case folder of 'P1'; a case folder holds "
        "one patient: move the row to its patient's folder, correct the id, or "
        "delete the column"
    )
    status, err = run(capsys, "batch", tmp_path, "-o", tmp_path / "out")
    assert status == 2 and "another patient's id in the case folder of 'P1'" in err


def test_a_renamed_table_of_a_case_folder_is_named_as_read(tmp_path):
    toml = CASE_TOML + '[files]\nmeasurements = "lab export.csv"\n'
    folder = case_folder(tmp_path / "P1", HEADER + "P9,2020-01-01,AFP,5,ng/mL\n")
    (folder / "measurements.csv").rename(folder / "lab export.csv")
    (folder / "case.toml").write_text(toml)
    (problem,) = read_cohort(tmp_path, today=TODAY).problems["P1"].problems
    assert (problem.file, problem.row, problem.text) == (
        str(folder / "lab export.csv"),
        2,
        "P9",
    )


def test_a_file_given_as_the_cohort_is_a_usage_mistake(tmp_path, capsys):
    folder = write(tmp_path / "cohort", measurements=RESULTS)
    status, err = run(
        capsys, "grid", folder / "measurements.csv", "-o", tmp_path / "g",
        "--marker", "AFP",
    )  # fmt: skip
    assert (status, err) == (
        2,
        f"{folder / 'measurements.csv'}: a file, not a cohort folder; give the "
        "folder that holds the cohort's tables (or its case folders)\n",
    )


def test_check_takes_a_case_not_a_cohort(tmp_path, capsys):
    # ``check`` reads one case folder; given a cohort it refuses, as batch would
    # refuse the cohort's look-alike ids.
    folder = write(
        tmp_path,
        measurements=RESULTS,
        treatments="patient_id,kind,start\np1,tace,2020-02-01\n",
    )
    status, err = run(capsys, "check", folder)
    assert status == 2
    assert err.startswith(f"{folder / 'case.toml'}: missing; every case folder")


# 3. One marker in one unit on one axis ----------------------------------------

TACE = "patient_id,kind,start\nP1,tace,2020-02-01\nP2,tace,2020-02-01\n"


def two_units(folder, second="IU/mL", marker="AFP"):
    return write(
        folder,
        measurements=HEADER + f"P1,2020-01-01,{marker},100,ng/mL\n"
        f"P1,2020-06-01,{marker},50,ng/mL\nP2,2020-01-01,{marker},80,{second}\n"
        f"P2,2020-06-01,{marker},40,{second}\n",
        treatments=TACE,
    )


MIXED_AFP = (
    "AFP is in more than one unit across the patients (IU/mL for 1 patient "
    "('P2'); ng/mL for 1 patient ('P1')); one axis and one median need one unit, "
    "and no exact conversion exists (1 IU/mL = 1.21 ng/mL depends on the assay), "
    'so convert where the data are read: convert_to = "ng/mL" and factor = (your '
    "assay's ng/mL per IU/mL) under [markers.AFP] in each case.toml, or in "
    "cohort.toml for tidy tables; or draw the patients of each unit in a figure of "
    "their own"
)


def test_aligned_and_grid_refuse_one_marker_in_two_units_alike(tmp_path, capsys):
    folder = two_units(tmp_path / "cohort")
    for command in ("aligned", "grid"):
        status, err = run(
            capsys, command, folder, "-o", tmp_path / command, "--marker", "AFP"
        )
        assert (status, err) == (2, f"marker-trends: {MIXED_AFP}\n"), command
    assert not list(tmp_path.glob("*.png"))
    cohort = read_cohort(folder, today=TODAY)
    for draw in (align_cohort, plot_aligned_cohort, plot_small_multiples):
        with pytest.raises(InputError) as info:
            draw(cohort, marker="AFP")
        assert str(info.value) == MIXED_AFP, draw.__name__


def test_results_below_the_limit_in_another_unit_count_too(tmp_path, capsys):
    # P2's AFP is only ever "<2 IU/mL": drawn at the limit, in IU/mL all the same.
    folder = write(
        tmp_path / "cohort",
        measurements=HEADER + "P1,2020-01-01,AFP,100,ng/mL\nP1,2020-06-01,AFP,50,"
        "ng/mL\nP2,2020-01-01,AFP,<2,IU/mL\nP2,2020-06-01,AFP,<2,IU/mL\n",
        treatments=TACE,
    )
    status, err = run(
        capsys, "aligned", folder, "-o", tmp_path / "a", "--marker", "AFP"
    )
    assert (status, err) == (2, f"marker-trends: {MIXED_AFP}\n")


def test_a_marker_without_any_conversion_says_so(tmp_path):
    cohort = read_cohort(two_units(tmp_path, "mAU/mL", "PIVKA-II"), today=TODAY)
    with pytest.raises(InputError) as info:
        plot_small_multiples(cohort, marker="PIVKA-II")
    assert str(info.value) == (
        "PIVKA-II is in more than one unit across the patients (mAU/mL for 1 "
        "patient ('P2'); ng/mL for 1 patient ('P1')); one axis and one median need "
        "one unit, and no conversion between these units exists; draw the patients "
        "of each unit in a figure of their own"
    )


def test_percent_of_baseline_has_no_unit_and_may_pool_them(tmp_path):
    cohort = read_cohort(two_units(tmp_path), today=TODAY)
    aligned = align_cohort(cohort, marker="AFP", percent=True)
    assert aligned.attrs["unit"] is None
    assert aligned.groupby("patient_id")["percent"].apply(list).to_dict() == {
        "P1": [100.0, 50.0],
        "P2": [100.0, 50.0],
    }
    assert aligned["unit"].tolist() == ["ng/mL", "ng/mL", "IU/mL", "IU/mL"]
    fig = plot_aligned_cohort(cohort, marker="AFP", percent=True)
    assert fig.axes[0].get_ylabel() == "AFP, % of baseline"
    with pytest.raises(InputError, match="AFP is in more than one unit"):
        median_trajectory(aligned, column="value")


def test_spellings_of_one_unit_are_one_unit(tmp_path):
    folder = two_units(tmp_path, "µg/L")
    aligned = align_cohort(read_cohort(folder, today=TODAY), marker="AFP")
    assert aligned.attrs["unit"] == "ng/mL"
    assert aligned["value"].tolist() == [100.0, 50.0, 80.0, 40.0]


def test_a_case_that_asks_for_the_conversion_is_pooled_in_the_unit_it_asked(
    tmp_path,
):
    results = "date,marker,value,unit\n2020-01-01,AFP,{a},{u}\n2020-06-01,AFP,{b},{u}\n"
    tace = "kind,start\ntace,2020-02-01\n"
    case_folder(tmp_path / "A1", results.format(a=100, b=50, u="ng/mL"), tace)
    case_folder(
        tmp_path / "A2",
        results.format(a=80, b=40, u="IU/mL"),
        tace,
        CASE_TOML + '[markers.AFP]\nconvert_to = "ng/mL"\nfactor = 1.25\n',
    )
    cohort = read_cohort(tmp_path, today=TODAY)
    aligned = align_cohort(cohort, marker="AFP")
    assert aligned["value"].tolist() == [100.0, 50.0, 100.0, 50.0]
    fig = plot_aligned_cohort(cohort, marker="AFP")
    assert fig.axes[0].get_ylabel() == "AFP (ng/mL)"


def test_the_axis_names_the_unit_of_the_values_drawn(tmp_path):
    # cohort.toml declares AFP for every patient, but a patient without AFP
    # results has no AFP (in the registry's ng/mL or any unit); the axis is
    # labelled by the results drawn: IU/mL.
    folder = write(
        tmp_path,
        measurements=HEADER
        + "P1,2020-01-01,AFP,100,IU/mL\nP1,2020-06-01,AFP,50,IU/mL\n"
        "P2,2020-01-01,AFP,80,IU/mL\nP2,2020-06-01,AFP,40,IU/mL\n"
        "P3,2020-01-01,PIVKA-II,80,mAU/mL\nP3,2020-06-01,PIVKA-II,40,mAU/mL\n",
        treatments=TACE + "P3,tace,2020-02-01\n",
        toml="[markers.AFP]\n[markers.PIVKA-II]\n",
    )
    cohort = read_cohort(folder, today=TODAY)
    assert "AFP" not in cohort.cases["P3"].markers
    fig = plot_aligned_cohort(cohort, marker="AFP")
    assert fig.axes[0].get_ylabel() == "AFP (IU/mL)"
    assert plot_small_multiples(cohort, marker="AFP")._supylabel.get_text() == (
        "AFP (IU/mL, log scale)"
    )


def test_only_the_patients_drawn_must_share_the_unit(tmp_path, capsys):
    folder = two_units(tmp_path / "cohort")
    status, _ = run(
        capsys, "grid", folder, "-o", tmp_path / "g", "--marker", "AFP",
        "--max-patients", "1",
    )  # fmt: skip
    assert status == 0 and (tmp_path / "g.png").exists()
    # P2, in IU/mL, has no TACE: it is left out of the aligned figure, so said.
    (folder / "treatments.csv").write_text(
        "patient_id,kind,start\nP1,tace,2020-02-01\n"
    )
    aligned = align_cohort(read_cohort(folder, today=TODAY), marker="AFP")
    assert (aligned.attrs["unit"], aligned.attrs["left_out"]) == (
        "ng/mL",
        {"P2": "no tace"},
    )
