"""An oracle: true results written in the dialects lab exports use, read back.

Hypothesis draws the truth (values, censoring, dates known to the day, month or
year), writes it as a comma, semicolon or tab file, with decimal commas,
thousands separators, a BOM, UTF-16 or Windows-1252, a qualifier column, or as
a workbook with numeric cells, number formats and a hidden sheet; read_case must
return exactly the truth or refuse with a CaseDataError, never another value.
"""

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

from plotting import CaseDataError, read_case
from plotting.core.dates import parse_date

MARKERS = {"AFP": "ng/mL", "PIVKA-II": "mAU/mL", "CEA": "ng/mL", "CA 19-9": "U/mL"}
TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2017-12-31"\n'


@st.composite
def results(draw):
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    day = draw(
        st.dates(pd.Timestamp("2015-01-01").date(), pd.Timestamp("2017-12-31").date())
    )
    text = {"day": f"{day:%Y-%m-%d}", "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}
    whole = draw(st.integers(0, 999_999))
    decimals = draw(st.integers(0, 3))
    fraction = draw(st.integers(0, 10**decimals - 1)) if decimals else 0
    if whole == 0 and fraction == 0:
        whole = 1
    return {
        "date": text[precision],
        "marker": draw(st.sampled_from(sorted(MARKERS))),
        "whole": whole,
        "decimals": decimals,
        "fraction": fraction,
        "censor": draw(st.sampled_from(["", "", "", "<", ">"])),
    }


def _truth(record) -> float:
    digits = (
        f"{record['fraction']:0{record['decimals']}d}" if record["decimals"] else ""
    )
    return float(f"{record['whole']}.{digits}" if digits else record["whole"])


def _number(record, decimal: str, thousands: str | None) -> str:
    whole = f"{record['whole']:,}".replace(",", thousands or "")
    if not record["decimals"]:
        return whole
    return f"{whole}{decimal}{record['fraction']:0{record['decimals']}d}"


dialects = st.fixed_dictionaries(
    {
        "separator": st.sampled_from([",", ";", "\t"]),
        "decimal": st.sampled_from([".", ","]),
        "thousands": st.sampled_from([None, ",", ".", " ", "\u00a0"]),
        "declared": st.booleans(),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "qualifier_column": st.booleans(),
        "workbook": st.sampled_from([False, False, False, False, True]),
        "hidden_sheet": st.booleans(),
        "numeric_cells": st.booleans(),
    }
).filter(lambda d: d["thousands"] != d["decimal"])  # no export writes 1.000.5


def _write(folder: Path, rows, dialect) -> None:
    toml = TOML
    if dialect["declared"]:
        toml += f'[files]\ndecimal = "{dialect["decimal"]}"\n'
    (folder / "case.toml").write_text(toml)
    header = ["date", "marker", "value", "unit"]
    if dialect["qualifier_column"]:
        header.append("qualifier")
    records = [header]
    for r in rows:
        text = _number(r, dialect["decimal"], dialect["thousands"])
        record = [r["date"], r["marker"]]
        if dialect["qualifier_column"]:
            record += [text, MARKERS[r["marker"]], r["censor"]]
        else:
            record += [r["censor"] + text, MARKERS[r["marker"]]]
        records.append(record)
    if dialect["workbook"]:
        _write_workbook(folder, records, rows, dialect)
        return
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=dialect["separator"]).writerows(records)
    (folder / "measurements.csv").write_bytes(
        buffer.getvalue().encode(dialect["encoding"])
    )


def _write_workbook(folder, records, rows, dialect) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    if dialect["hidden_sheet"]:
        sheet.title = "old export"
        sheet.append(["date", "marker", "value", "unit"])
        sheet.append(["2016-01-01", "AFP", 99999, "ng/mL"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("results")
    for record, truth in zip(records, [None, *rows], strict=True):
        sheet.append(record)
        if truth is None or not dialect["numeric_cells"]:
            continue
        cell = sheet.cell(sheet.max_row, 3)
        cell.value = _truth(truth)
        if truth["censor"] and not dialect["qualifier_column"]:
            cell.number_format = f'"{truth["censor"]}"0.0##'
    book.save(folder / "measurements.xlsx")


def _read(folder: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return read_case(folder, today="2025-01-01")
        except CaseDataError as err:
            assert err.problems
            return None


def _check(rows, dialect):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, rows, dialect)
        case = _read(folder)
    if case is None:
        return
    expected = sorted(
        (parse_date(r["date"])[0], r["marker"], _truth(r), r["censor"]) for r in rows
    )
    m = case.measurements
    got = sorted(zip(m["date"], m["marker"], m["value"], m["censor"], strict=True))
    assert len(got) == len(expected)
    for (d1, k1, v1, c1), (d2, k2, v2, c2) in zip(got, expected, strict=True):
        assert (d1, k1, c1) == (d2, k2, c2)
        assert abs(v1 - v2) <= 1e-9 * max(1.0, v2), (v1, v2)
    assert set(m["unit"]) <= set(MARKERS.values())


TRUTHS = st.lists(
    results(),
    min_size=1,
    max_size=6,
    unique_by=lambda r: (r["date"], r["marker"], _truth(r), r["censor"]),
)
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


# Two tests of 1,000 examples in all, so two pytest workers share them.
@settings(max_examples=700, **SETTINGS)
@given(rows=TRUTHS, dialect=dialects.filter(lambda d: not d["workbook"]))
def test_every_text_dialect_reads_back_the_truth_or_refuses(rows, dialect):
    _check(rows, dialect)


@settings(max_examples=300, **SETTINGS)
@given(rows=TRUTHS, dialect=dialects.map(lambda d: {**d, "workbook": True}))
def test_every_workbook_reads_back_the_truth_or_refuses(rows, dialect):
    _check(rows, dialect)
