"""An oracle: true results written in the dialects lab exports use, read back.

Hypothesis draws the truth (values, censoring, dates known to the day, month or
year), writes it as a comma, semicolon or tab file, with decimal commas,
thousands separators, a BOM, UTF-16 or Windows-1252, a qualifier column, or as
a workbook with numeric cells, number formats and a hidden sheet.

Each input is classified by :func:`_classify`, a rule on what was written (see
tests/oracle_inputs.py), never by trying the reader: a must-read input (every
number means one value) must be read, exactly as the truth; a may-refuse input
(a number such as ``2,160`` with no declared decimal mark, one result written
twice) may be refused with a CaseDataError, but never read as another value.
The last tests run the same judge on wrong readers and require it to fail.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from unittest import mock

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from oracle_inputs import (
    AMBIGUOUS,
    MAY_REFUSE,
    MUST_READ,
    MUTANTS,
    Result,
    date_truth,
    judge,
    number_truth,
    repeats,
    shown_mark,
)

from plotting import read_case
from plotting.reading.tables import cells, columns

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
        "spelling": draw(st.integers(0, 2)),
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


# How a censoring sign is written: before the value, or in a qualifier column
# (data/README.md: <, <=, >, >=; = or empty for an exact result; a flag column
# holds lab flags such as H and L beside the signs). Every spelling is must-read.
BEFORE_VALUE = {"": [""], "<": ["<", "<=", "< "], ">": [">", ">=", "> "]}
IN_COLUMN = {"": ["", "="], "<": ["<", "<="], ">": [">", ">="]}
IN_FLAG = {"": ["", "H", "L"], "<": ["<", "<="], ">": [">", ">="]}
QUALIFIER_NAMES = ["qualifier", "comparator", "censor", "operator", "result modifier"]


def _sign(record, dialect) -> str:
    if not dialect["qualifier_column"]:
        spellings = BEFORE_VALUE
    else:
        spellings = IN_FLAG if dialect["qualifier_name"] == "flag" else IN_COLUMN
    written = spellings[record["censor"]]
    return written[record.get("spelling", 0) % len(written)]


dialects = st.fixed_dictionaries(
    {
        "separator": st.sampled_from([",", ";", "\t"]),
        "decimal": st.sampled_from([".", ","]),
        "thousands": st.sampled_from([None, ",", ".", " ", "\u00a0"]),
        "declared": st.booleans(),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "qualifier_column": st.booleans(),
        "qualifier_name": st.sampled_from([*QUALIFIER_NAMES, "flag"]),
        "workbook": st.sampled_from([False, False, False, False, True]),
        "hidden_sheet": st.booleans(),
        "numeric_cells": st.booleans(),
    }
).filter(lambda d: d["thousands"] != d["decimal"])  # no export writes 1.000.5


def _numeric_cell(dialect) -> bool:
    return dialect["workbook"] and dialect["numeric_cells"]


def _classify(rows, dialect):
    """Return ``(MUST_READ or MAY_REFUSE, truth)`` from what is written alone.

    The truth is each row's date as drawn (a month or year at its middle) with
    its precision, marker, value, censoring and unit. The input may be refused
    only if a value is written as text that reads two ways (one mark followed by
    three digits, ``2,160``, with no decimal mark declared in case.toml, and no
    other text cell of the column showing one mark only, such as ``187.8``:
    :func:`oracle_inputs.shown_mark`), or if two rows are the same result once
    their dates are placed. Everything else
    the dialects write is must-read: every separator, encoding, thousands
    separator and censoring spelling, hidden sheets, and numeric workbook cells
    (exact whatever the decimal mark, censored by a number format).
    """
    truth, kind = [], MUST_READ
    declared = dialect["decimal"] if dialect["declared"] else None
    if declared is None and not _numeric_cell(dialect):
        written = [_number(r, dialect["decimal"], dialect["thousands"]) for r in rows]
        declared = shown_mark(written)
    for r in rows:
        date, precision = date_truth(r["date"])
        truth.append(
            Result(
                date,
                r["marker"],
                _truth(r),
                r["censor"],
                MARKERS[r["marker"]],
                precision,
            )
        )
        if _numeric_cell(dialect):
            continue
        meaning = number_truth(
            _number(r, dialect["decimal"], dialect["thousands"]), declared
        )
        if meaning == AMBIGUOUS:
            kind = MAY_REFUSE
        else:
            # The rule and the writer agree on what every written number means.
            assert meaning == _truth(r), (r, dialect, meaning)
    if repeats(truth):
        kind = MAY_REFUSE
    return kind, truth


def _write(folder: Path, rows, dialect) -> None:
    toml = TOML
    if dialect["declared"]:
        toml += f'[files]\ndecimal = "{dialect["decimal"]}"\n'
    (folder / "case.toml").write_text(toml)
    header = ["date", "marker", "value", "unit"]
    if dialect["qualifier_column"]:
        header.append(dialect["qualifier_name"])
    records = [header]
    for r in rows:
        text = _number(r, dialect["decimal"], dialect["thousands"])
        record = [r["date"], r["marker"]]
        if dialect["qualifier_column"]:
            record += [text, MARKERS[r["marker"]], _sign(r, dialect)]
        else:
            record += [_sign(r, dialect) + text, MARKERS[r["marker"]]]
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
            cell.number_format = f'"{_sign(truth, dialect)}"0.0##'
    book.save(folder / "measurements.xlsx")


def _check(rows, dialect, folder: Path, reader=read_case, *, must_read=False):
    """Write the truth into ``folder`` and judge ``reader``'s reading of it."""
    kind, truth = _classify(rows, dialect)
    assert kind == MUST_READ or not must_read, "the strategy drew an ambiguous input"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    _write(folder, rows, dialect)
    judge(reader, folder, kind, truth)
    return kind


def _unique(r):
    return (r["date"], r["marker"], _truth(r), r["censor"])


TRUTHS = st.lists(results(), min_size=1, max_size=6, unique_by=_unique)
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
}
TEXT = dialects.map(lambda d: {**d, "workbook": False})
WORKBOOK = dialects.map(lambda d: {**d, "workbook": True})


def _unambiguous(rows, dialect):
    """The same draw with the decimal mark declared wherever a number reads two
    ways, and with no result written twice: a must-read input."""
    if _classify(rows, dialect)[0] == MUST_READ:
        return rows, dialect
    dialect = {**dialect, "declared": True}
    kept, seen = [], set()
    for r in rows:
        key = _classify([r], dialect)[1][0]
        key = (key.date, key.marker, key.value, key.censor)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept, dialect


# Every dialect, ambiguous or not: a refusal passes only where the rule allows it.
@settings(max_examples=50, **SETTINGS)
@given(rows=TRUTHS, dialect=TEXT)
def test_every_text_dialect_reads_back_the_truth_or_refuses(rows, dialect, tmp_path):
    event(_check(rows, dialect, tmp_path / "case"))


@settings(max_examples=25, **SETTINGS)
@given(rows=TRUTHS, dialect=WORKBOOK)
def test_every_workbook_reads_back_the_truth_or_refuses(rows, dialect, tmp_path):
    event(_check(rows, dialect, tmp_path / "case"))


# Only inputs that mean one thing: each must be read, exactly.
@settings(max_examples=50, **SETTINGS)
@given(drawn=st.tuples(TRUTHS, TEXT).map(lambda d: _unambiguous(*d)))
def test_every_unambiguous_text_file_is_read_as_the_truth(drawn, tmp_path):
    _check(*drawn, tmp_path / "case", must_read=True)


@settings(max_examples=25, **SETTINGS)
@given(drawn=st.tuples(TRUTHS, WORKBOOK).map(lambda d: _unambiguous(*d)))
def test_every_unambiguous_workbook_is_read_as_the_truth(drawn, tmp_path):
    _check(*drawn, tmp_path / "case", must_read=True)


# The judge itself: wrong readers must fail it.


def _row(date, marker, whole, decimals=0, fraction=0, censor="", spelling=0):
    return {
        "spelling": spelling,
        "date": date,
        "marker": marker,
        "whole": whole,
        "decimals": decimals,
        "fraction": fraction,
        "censor": censor,
    }


def _dialect(**changes):
    plain = {
        "separator": ",",
        "decimal": ".",
        "thousands": None,
        "declared": False,
        "encoding": "utf-8",
        "qualifier_column": False,
        "qualifier_name": "qualifier",
        "workbook": False,
        "hidden_sheet": False,
        "numeric_cells": False,
    }
    return {**plain, **changes}


# Must-read files as lab systems and spreadsheets write them. Each holds a
# censored result, a month, a value with decimals and a unit other than U/mL,
# so every mutant in MUTANTS changes something in each.
ROWS = [
    _row("2015-03-04", "AFP", 1234, 1, 5),
    _row("2016-05", "CEA", 0, 1, 5, "<", spelling=1),  # <=0.5
    _row("2017", "PIVKA-II", 60000, censor=">"),
    _row("2017-06-30", "CA 19-9", 37, 2, 25),
]
EXAMPLES = {
    "comma-separated UTF-8": _dialect(),
    "semicolons, 1.234,5, declared, Windows-1252": _dialect(
        separator=";", decimal=",", thousands=".", declared=True, encoding="cp1252"
    ),
    "tabs, UTF-16, 1 234,5 with a no-break space, result modifier column": _dialect(
        separator="\t",
        decimal=",",
        thousands="\u00a0",
        encoding="utf-16",
        qualifier_column=True,
        qualifier_name="result modifier",
    ),
    "commas, 1,234.5 quoted, 60,000 declared, BOM": _dialect(
        thousands=",", declared=True, encoding="utf-8-sig"
    ),
    "workbook, numeric cells, <0.5 by number format, hidden sheet": _dialect(
        workbook=True, numeric_cells=True, hidden_sheet=True
    ),
    "workbook, text cells, flag column": _dialect(
        workbook=True,
        qualifier_column=True,
        qualifier_name="flag",
        decimal=",",
        thousands=" ",
    ),
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_lab_export_example_is_must_read_and_read(name, tmp_path):
    assert _check(ROWS, EXAMPLES[name], tmp_path, must_read=True) == MUST_READ


# What the judge says when it fails a reader (not an assertion of the test's own).
CAUGHT = r"refused an input it must read|read \d+ results|read Result"


@pytest.mark.parametrize("mutant", MUTANTS)
def test_the_oracle_fails_a_reader_that_refuses_or_misreads(mutant, tmp_path):
    for number, dialect in enumerate(EXAMPLES.values()):
        with pytest.raises(AssertionError, match=CAUGHT):
            _check(ROWS, dialect, tmp_path / str(number), MUTANTS[mutant])


def test_the_oracle_lets_an_ambiguous_input_be_refused_but_not_misread(tmp_path):
    rows = [_row("2015-03-04", "AFP", 2160), _row("2016-05", "CEA", 2, 3, 160)]
    dialect = _dialect(thousands=",")  # 2,160 and 2.160, no decimal declared
    assert _classify(rows, dialect)[0] == MAY_REFUSE
    _check(rows, dialect, tmp_path / "a")
    _check(rows, dialect, tmp_path / "b", MUTANTS["refuses every folder"])

    def guessing(mark):
        # Reads the very file as if its case.toml declared ``mark``.
        def reader(path, *, today=None):
            guessed = tmp_path / f"declared {mark!r}"
            shutil.copytree(path, guessed, dirs_exist_ok=True)
            toml = (path / "case.toml").read_text()
            (guessed / "case.toml").write_text(f'{toml}[files]\ndecimal = "{mark}"\n')
            return read_case(guessed, today=today)

        return reader

    _check(rows, dialect, tmp_path / "c", guessing("."))  # the writer's mark
    with pytest.raises(AssertionError, match="read Result"):
        _check(rows, dialect, tmp_path / "d", guessing(","))  # 2,160 as 2.16


@settings(max_examples=15, **SETTINGS)
@given(drawn=st.tuples(TRUTHS, TEXT | WORKBOOK).map(lambda d: _unambiguous(*d)))
def test_every_must_read_input_fails_a_refusing_or_scaling_reader(drawn, tmp_path):
    for mutant in ("refuses every folder", "multiplies every value by 10"):
        with pytest.raises(AssertionError, match=CAUGHT):
            _check(*drawn, tmp_path / "case", MUTANTS[mutant], must_read=True)


# Columns whose other results show the decimal mark: ``2,160`` beside ``187,8``
# is must-read (2.16), and is read with the mark shown.


@st.composite
def evidenced(draw):
    """Rows with a number that reads two ways and one that shows the mark."""
    rows = draw(st.lists(results(), max_size=4))
    dialect = draw(TEXT | WORKBOOK)
    dialect = {**dialect, "declared": False, "numeric_cells": False}
    shows = {**draw(results()), "decimals": draw(st.integers(1, 2))}
    shows["whole"] = max(shows["whole"], 1)
    shows["fraction"] = draw(st.integers(0, 10 ** shows["decimals"] - 1))
    ambiguous = draw(results())
    if dialect["thousands"] in (",", ".") and draw(st.booleans()):
        ambiguous = {**ambiguous, "decimals": 0}
        ambiguous["whole"] = draw(st.integers(1000, 999_999))
    else:
        ambiguous = {**ambiguous, "decimals": 3, "whole": draw(st.integers(1, 999))}
        ambiguous["fraction"] = draw(st.integers(0, 999))
    written = _number(ambiguous, dialect["decimal"], dialect["thousands"])
    assert number_truth(written) == AMBIGUOUS, written
    drawn = [*rows, shows, ambiguous]
    kept = list({_unique(r): r for r in drawn}.values())
    return draw(st.permutations(kept)), dialect


def _repeat_free(drawn) -> bool:
    return _classify(*drawn)[0] == MUST_READ


EVIDENCED = evidenced().filter(_repeat_free)


@settings(max_examples=50, **SETTINGS)
@given(drawn=EVIDENCED)
def test_every_column_showing_its_decimal_mark_is_read_as_the_truth(drawn, tmp_path):
    _check(*drawn, tmp_path / "case", must_read=True)


def _marks_read(shown):
    """A reader whose column rule is replaced by ``shown(ColumnMark)``."""

    def rule(rows, texts):
        return shown(cells.column_mark(rows, texts))

    def reader(path, *, today=None):
        with mock.patch.object(columns, "column_mark", rule):
            return read_case(path, today=today)

    return reader


MARK_MUTANTS = {
    "ignores the column's evidence": _marks_read(lambda _: cells.ColumnMark()),
    "reads with the other mark": _marks_read(
        lambda m: cells.ColumnMark(point=m.comma, comma=m.point)
    ),
}


@pytest.mark.parametrize("mutant", MARK_MUTANTS)
@settings(max_examples=10, **SETTINGS)
@given(drawn=EVIDENCED)
def test_a_reader_that_ignores_or_swaps_the_columns_mark_fails(mutant, drawn, tmp_path):
    with pytest.raises(AssertionError, match=CAUGHT):
        _check(*drawn, tmp_path / "case", MARK_MUTANTS[mutant], must_read=True)
