"""Cases and cohorts from DataFrames, and cohort tables as Parquet: the same
checks as files, with problems naming the frame and its index label."""

from __future__ import annotations

import pandas as pd
import pytest

import plotting
from plotting import CaseDataError, case_from_frames, cohort_from_frames, read_case
from plotting.output.synthetic import synthetic_cohort, write_cohort

SPAN = {"origin": "2006-08", "last_follow_up": "2019-08-27"}


def test_a_case_from_frames_equals_the_case_from_its_files(yu2020):
    columns = ["date", "date_precision", "marker", "value_text", "unit_text"]
    measurements = yu2020.measurements[columns].rename(
        columns={"value_text": "value", "unit_text": "unit", "date": "when"}
    )
    measurements["when"] = measurements["when"].dt.strftime("%Y-%m-%d")
    measurements = measurements.rename(columns={"when": "date"})
    treatments = yu2020.treatments[["kind", "start", "end", "label", "date_precision"]]
    case = case_from_frames(
        measurements,
        treatments,
        markers=["AFP", "PIVKA-II"],
        today="2025-01-01",
        **SPAN,
    )
    assert case.path is None
    for column in ("marker", "value", "censor", "unit"):
        assert (
            case.measurements[column].tolist() == yu2020.measurements[column].tolist()
        )
    assert case.treatments["start"].tolist() == yu2020.treatments["start"].tolist()
    assert list(case.markers) == ["AFP", "PIVKA-II"]


def test_frame_cells_of_any_dtype_read_as_written():
    frame = pd.DataFrame(
        {
            "Date": pd.to_datetime(["2010-03-01", "2010-04-01"]),
            "Marker": ["AFP", "AFP"],
            "Value": [0.001, 2160.0],
            "Unit": ["ng/mL", "ng/mL"],
            "qualifier": ["<", None],
        }
    )
    case = case_from_frames(
        frame, origin="2010-01", last_follow_up="2011-01-01", today="2025-01-01"
    )
    assert case.measurements[["value", "censor"]].values.tolist() == [
        [0.001, "<"],
        [2160.0, ""],
    ]


def test_problems_name_the_frame_its_index_label_and_column():
    frame = pd.DataFrame(
        {
            "date": ["2010-03-01", "2010-13-01"],
            "marker": ["AFP", "AFP"],
            "value": ["12", "2,160"],
            "unit": ["ng/mL", "ng/mL"],
        },
        index=[40, 41],
    )
    with pytest.raises(CaseDataError) as info:
        case_from_frames(frame, origin="2010-01", last_follow_up="2011-01-01")
    located = [(p.file, p.row, p.column) for p in info.value.problems]
    assert located == [
        ("measurements (DataFrame)", 41, "date"),
        ("measurements (DataFrame)", 41, "value"),
    ]
    with pytest.raises(CaseDataError, match='column "unit": missing; add this'):
        case_from_frames(frame.drop(columns="unit"), **SPAN)
    with pytest.raises(CaseDataError, match="unknown key 'max_gap'"):
        case_from_frames(frame, time={"max_gap": 100}, **SPAN)


def test_a_cohort_from_frames_equals_the_cohort_from_its_files(tmp_path):
    tables = synthetic_cohort(6, seed=4)
    from_files = plotting.read_cohort(
        write_cohort(tables, tmp_path), today="2026-01-01"
    )
    from_frames = cohort_from_frames(
        tables["measurements"],
        tables["treatments"],
        tables["events"],
        patients=tables["patients"],
        today="2026-01-01",
    )
    assert sorted(from_frames.cases) == sorted(from_files.cases)
    for pid, case in from_frames.cases.items():
        other = from_files.cases[pid]
        assert (
            case.measurements["value"].tolist() == other.measurements["value"].tolist()
        )
        assert (case.origin, case.last_follow_up) == (
            other.origin,
            other.last_follow_up,
        )


def test_cohort_tables_as_parquet_read_as_csv(tmp_path):
    tables = synthetic_cohort(4, seed=5)
    csv = plotting.read_cohort(
        write_cohort(tables, tmp_path / "csv"), today="2026-01-01"
    )
    folder = tmp_path / "parquet"
    folder.mkdir()
    for name, table in tables.items():
        table.to_parquet(folder / f"{name}.parquet")
    (folder / "patients.csv").write_text(tables["patients"].to_csv(index=False))
    parquet = plotting.read_cohort(folder, today="2026-01-01")
    for pid, case in parquet.cases.items():
        assert case.measurements["value"].tolist() == (
            csv.cases[pid].measurements["value"].tolist()
        )


def test_a_case_with_both_csv_and_parquet_is_refused(write_case):
    folder = write_case("date,marker,value,unit\n2010-03-01,AFP,12,ng/mL\n")
    pd.DataFrame({"date": ["2010-03-01"]}).to_parquet(folder / "measurements.parquet")
    with pytest.raises(CaseDataError, match=r"both measurements\.csv and measurements"):
        read_case(folder)
