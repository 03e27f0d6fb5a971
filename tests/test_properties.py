"""Property tests: whatever the table, read_case returns a case or a CaseDataError."""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plotting import DEFAULT_MARKERS, Case, CaseDataError, read_case

TOML = '[time]\norigin = "2000-01"\nlast_follow_up = "2020-12-31"\n'
TOKENS = [
    "",
    " ",
    "2,160",
    "2160",
    "187.8",
    "<2.0",
    "< 0.03",
    ">60000",
    ">60,000",
    "0",
    "-1",
    "2,3",
    "2.160",
    "1e400",
    "nan",
    "2006-08",
    "2006-08-15",
    "Aug 2006",
    "03/04/2011",
    "13/04/2011",
    "2011-02-30",
    "1997",
    "0001-01-01",
    "9999-12-31",
    "AFP",
    "afp",
    "DCP",
    "PIVKA-II",
    "CEA",
    "CA 19-9",
    "Ferritin",
    "ng/ml",
    "µg/L",
    "IU/mL",
    "kIU/L",
    "mAU/mL",
    "U/mL",
    "mg/dL",
    "day",
    "month",
    "approximate",
    "yes",
    "maybe",
    "tace",
    "radiotherapy",
    "cryotherapy",
    "#1",
    '"',
    "\n",
    ";",
    ",",
]
MEASUREMENT_COLUMNS = [
    "date",
    "marker",
    "value",
    "unit",
    "date_precision",
    "prior_history",
    "source",
    "Date",
    "VALUE",
    "note",
    "",
]
TREATMENT_COLUMNS = [
    "kind",
    "start",
    "end",
    "label",
    "dose_gy",
    "fractions",
    "date_precision",
    "target",
]

cells = st.one_of(st.sampled_from(TOKENS), st.text(max_size=10))


@st.composite
def tables(draw, columns):
    header = draw(st.lists(st.sampled_from(columns), min_size=0, max_size=8))
    rows = draw(
        st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=8)
    )
    title = draw(st.lists(st.lists(cells, max_size=3), max_size=2))
    return [*title, header, *rows]


def _write_csv(path: Path, records, delimiter: str, bom: bool):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(records)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")


def _read(folder: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            case = read_case(folder, today="2025-01-01")
        except CaseDataError as err:
            assert err.problems and str(err)
            assert all(p.file.startswith(str(folder)) for p in err.problems)
            return None
    assert isinstance(case, Case)
    m = case.measurements
    assert (m["value"] > 0).all()
    assert m["date"].notna().all()
    assert set(m["censor"]) <= {"", "<", ">"}
    # Every result names a marker the package knows (built in, or declared in
    # case.toml), in that marker's one unit.
    assert set(m["marker"]) <= set(DEFAULT_MARKERS) | set(case.markers)
    for name, rows in m.groupby("marker"):
        known = case.markers.get(name) or DEFAULT_MARKERS[name]
        assert set(rows["unit"]) <= set(known.units)
        if name in case.markers:
            assert set(rows["unit"]) == {case.markers[name].unit}
    assert pd.api.types.is_datetime64_any_dtype(case.treatments["start"]) or (
        case.treatments.empty
    )
    return case


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    measurements=tables(MEASUREMENT_COLUMNS),
    treatments=st.none() | tables(TREATMENT_COLUMNS),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_any_csv_table_gives_a_case_or_a_case_data_error(
    measurements, treatments, delimiter, bom
):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "case.toml").write_text(TOML)
        _write_csv(folder / "measurements.csv", measurements, delimiter, bom)
        if treatments is not None:
            _write_csv(folder / "treatments.csv", treatments, delimiter, bom)
        _read(folder)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_case_or_a_case_data_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "case.toml").write_text(TOML)
        (folder / "measurements.csv").write_bytes(data)
        _read(folder)


@settings(max_examples=200, deadline=None)
@given(toml=st.text(max_size=120))
def test_any_case_toml_gives_a_case_or_a_case_data_error(toml):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "case.toml").write_text(toml)
        (folder / "measurements.csv").write_text(
            "date,marker,value,unit\n2010-03-01,AFP,12,ng/mL\n"
        )
        _read(folder)


excel_cells = st.one_of(
    cells,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.datetimes(
        min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-01-01").to_pydatetime(),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(MEASUREMENT_COLUMNS), max_size=6),
    rows=st.lists(st.lists(excel_cells, max_size=6), max_size=6),
)
def test_any_workbook_gives_a_case_or_a_case_data_error(header, rows):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "case.toml").write_text(TOML)
        book = openpyxl.Workbook()
        for record in [header, *rows]:
            # Cells Excel itself cannot hold (control characters, formulas) are
            # not what a user's workbook contains.
            book.active.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", c).lstrip("=")
                    if isinstance(c, str)
                    else c
                    for c in record
                ]
            )
        book.save(folder / "measurements.xlsx")
        _read(folder)
