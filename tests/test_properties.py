"""Property tests: whatever the table, read_case returns a case or a CaseDataError.

Random tables, bytes, case.toml texts and workbooks are drawn beside well-formed
lab tables (and the same with one cell or byte spoilt). Every input is put in a
class by a rule of this file, on what was written, never by trying the reader:
a must-read input (:func:`_measurement_truth` recognises every row: a documented
date in the case's window, a known marker in one of its units, a number that
reads one way only, no result twice) must be read as its truth; anything else
may be refused with a CaseDataError. A case read must always keep the
invariants of :func:`_read`. The last tests run the same judge on wrong readers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from oracle_inputs import (
    AMBIGUOUS,
    MARKER_UNITS,
    MAY_REFUSE,
    MUST_READ,
    MUTANTS,
    TODAY,
    Result,
    date_truth,
    judge,
    marker_truth,
    one_unit_per_marker,
    repeats,
    result_truth,
    unit_truth,
)

from plotting import DEFAULT_MARKERS, Case, read_case

TOML = '[time]\norigin = "2000-01"\nlast_follow_up = "2020-12-31"\n'
WINDOW = (pd.Timestamp("2000-01-01"), pd.Timestamp("2020-12-31"))
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


# The rule: which tables must be read, and what they say.

MEASUREMENT_KNOWN = {
    "date",
    "marker",
    "value",
    "unit",
    "date_precision",
    "prior_history",
    "source",
    "note",
}
TREATMENT_KNOWN = {"kind", "start", "end", "label"}
FREE_TEXT = {"source", "note", "label"}
# Title rows a lab export prints above its header (data/README.md).
TITLES = ("Tumour markers", "Lab export, printed 2021-01-05; page 1")
KINDS = ("tace", "radiotherapy", "resection", "cryotherapy")


def _name(header) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().casefold())


def _blank(record) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in record)


def _free_text(cell) -> bool:
    """Text kept as written: printable, and naming no column (a title or a row
    holding the header's names would say where the header is)."""
    if not isinstance(cell, str):
        return cell is None or (isinstance(cell, int | float) and math.isfinite(cell))
    pieces = re.split(r'[,;\t"]', cell)
    names = MEASUREMENT_KNOWN | TREATMENT_KNOWN
    return cell.isprintable() and not any(_name(p) in names for p in pieces)


def _header(records, known, required):
    """Return ``(row index, column names)`` of a well-formed header, else None.

    Above it only title rows; its cells distinct column names the table knows
    (any case), with every required one.
    """
    at = 0
    while at < len(records) and records[at] and set(records[at]) <= set(TITLES):
        at += 1
    if at >= len(records) or not all(isinstance(c, str) for c in records[at]):
        return None
    names = [_name(c) for c in records[at]]
    if len(set(names)) != len(names) or not required <= set(names) <= known:
        return None
    return at, names


def _rows(records, known, required):
    """Yield each non-blank row below a well-formed header as {name: cell};
    yield None (and stop) where the table is not well formed."""
    found = _header(records, known, required)
    if found is None:
        yield None
        return
    at, names = found
    for record in records[at + 1 :]:
        if _blank(record):
            continue  # blank rows are skipped (data/README.md)
        if len(record) != len(names):
            yield None
            return
        yield dict(zip(names, record, strict=True))


def _date(cell):
    """``(drawn, precision)`` of a date cell in the case's window, else None."""
    if isinstance(cell, dt.datetime):
        placed = pd.Timestamp(cell.date()), "day"
    elif isinstance(cell, str):
        placed = date_truth(cell)
    else:
        return None
    if placed is None or not WINDOW[0] <= placed[0] <= WINDOW[1]:
        return None
    return placed


def _value(cell):
    """``(value, censor)`` of a result cell (text or a workbook number), else None."""
    if isinstance(cell, str):
        meaning = result_truth(cell)
        return None if meaning == AMBIGUOUS else meaning
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    if not math.isfinite(cell) or not 1e-6 <= cell <= 1e8:
        return None
    return float(cell), ""


def _result(cells):
    """The Result a well-formed measurement row means, else None."""
    date, value = _date(cells["date"]), _value(cells["value"])
    texts = all(isinstance(cells[c], str) for c in ("marker", "unit"))
    if date is None or value is None or not texts:
        return None
    marker, unit = marker_truth(cells["marker"]), unit_truth(cells["unit"])
    if marker is None or unit not in MARKER_UNITS[marker]:
        return None
    precision = date[1]
    stated = cells.get("date_precision", "")
    if not isinstance(stated, str):
        return None
    stated = stated.strip().casefold()
    if stated == "approximate" and precision == "day":
        precision = "approximate"  # a full date as the best estimate
    elif stated not in ("", precision):
        return None
    flag = cells.get("prior_history", "")
    if not isinstance(flag, str) or flag.strip().casefold() not in ("", "yes"):
        return None
    if not all(_free_text(cells[c]) for c in FREE_TEXT & set(cells)):
        return None
    return Result(date[0], marker, *value, unit, precision)


def _measurement_truth(records):
    """Return ``(MUST_READ, truth)`` for a well-formed results table, else
    ``(MAY_REFUSE, truth or None)``: the whole rule for measurements.

    Well-formed rows that repeat a result (once dates are placed) or give one
    marker in two units may be refused, but a read must still be their truth.
    """
    truth = []
    for cells in _rows(records, MEASUREMENT_KNOWN, {"date", "marker", "value", "unit"}):
        result = None if cells is None else _result(cells)
        if result is None:
            return MAY_REFUSE, None
        truth.append(result)
    if not truth:
        return MAY_REFUSE, None
    if repeats(truth) or not one_unit_per_marker(truth):
        return MAY_REFUSE, truth  # every row is clear: a read must still match
    return MUST_READ, truth


def _treatment_truth(records):
    """Return ``(MUST_READ, [(start, end)])`` for no treatments table or a
    well-formed one (a known kind, dates in the window, no course ending before
    it starts), else ``(MAY_REFUSE, None)``."""
    if records is None:
        return MUST_READ, []
    truth = []
    for cells in _rows(records, TREATMENT_KNOWN, {"kind", "start"}):
        if cells is None or not all(isinstance(c, str) for c in cells.values()):
            return MAY_REFUSE, None
        start = _date(cells["start"])
        end = _date(cells["end"]) if cells.get("end", "").strip() else (None,)
        if start is None or end is None or cells["kind"].strip() not in KINDS:
            return MAY_REFUSE, None
        if end[0] is not None and end[0] < start[0]:
            return MAY_REFUSE, None
        if not _free_text(cells.get("label")):
            return MAY_REFUSE, None
        truth.append((start[0], end[0]))
    return MUST_READ, sorted(truth, key=str)


def _classify(measurements, treatments=None):
    kind, truth = _measurement_truth(measurements)
    treated_kind, treated = _treatment_truth(treatments)
    if treated_kind == MAY_REFUSE:
        return MAY_REFUSE, truth, None
    return kind, truth, treated


# Well-formed lab tables, which the rule must find must-read (unless spoilt).

ISO_DATES = st.dates(dt.date(2000, 1, 1), dt.date(2020, 6, 30)).flatmap(
    lambda d: st.sampled_from([f"{d:%Y-%m-%d}", f"{d:%Y-%m}", f"{d:%Y}"])
)
OTHER_DATES = st.sampled_from(
    [
        "2006/08/15",
        "2006.08.15",
        "Aug 2006",
        "15 Aug 2006",
        "Aug 15, 2006",
        "15-Aug-2006",
        "13/04/2011",
        "2006-08",
        "2006-08-15",
    ]
)
SPELLINGS = {
    "ng/mL": ["ng/mL", "ng/ml", "µg/L"],
    "IU/mL": ["IU/mL", "kIU/L"],
    "mAU/mL": ["mAU/mL", "mAU/ml"],
    "U/mL": ["U/mL", "kU/L"],
}
MARKER_SPELLINGS = {
    "AFP": ["AFP", "afp"],
    "PIVKA-II": ["PIVKA-II", "DCP"],
    "CEA": ["CEA"],
    "CA 19-9": ["CA 19-9"],
}
RESULTS = st.sampled_from(
    [
        "187.8",
        "2160",
        "2,3",
        "0,160",
        "1,250.5",
        "1.250,5",
        "1 250,5",
        "<2.0",
        "< 0.03",
        ">60000",
        "12",
    ]
)


@st.composite
def numbers(draw):
    """A result as a lab prints it, in one of the forms that read one way."""
    whole = draw(st.integers(0, 99_999))
    digits = draw(st.sampled_from(["", "5", "25", "05", "125", "0625"]))
    if whole == 0 and not digits.strip("0"):
        whole = 1
    mark = draw(st.sampled_from([".", ","]))
    if len(digits) == 3 and 0 < whole < 1000:
        digits += "0"  # 12.125 would read two ways, 12.1250 reads one
    text = f"{whole}{mark}{digits}" if digits else str(whole)
    sign = draw(st.sampled_from(["", "", "", "<", ">", "< "]))
    return sign + text


# Notes as people type them (printable; spoilt cells bring the rest).
NOTES = st.text(
    st.characters(categories=["L", "N", "P", "S"]) | st.just(" "), max_size=8
)


@st.composite
def lab_tables(draw, spoil=True):
    """A measurements table a lab export or a careful author writes."""
    optional = draw(
        st.lists(
            st.sampled_from(["date_precision", "prior_history", "source", "note"]),
            unique=True,
            max_size=3,
        )
    )
    columns = draw(st.permutations(["date", "marker", "value", "unit", *optional]))
    header = [draw(st.sampled_from([c, c.upper(), c.capitalize()])) for c in columns]
    units = {m: draw(st.sampled_from(u)) for m, u in MARKER_UNITS.items()}
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        marker = draw(st.sampled_from(sorted(MARKER_UNITS)))
        date = draw(ISO_DATES | OTHER_DATES)
        cell = {
            "date": date,
            "marker": draw(st.sampled_from(MARKER_SPELLINGS[marker])),
            "value": draw(RESULTS | numbers()),
            "unit": draw(st.sampled_from(SPELLINGS[units[marker]])),
            "date_precision": draw(
                st.sampled_from(
                    ["", "", "approximate"] if date_truth(date)[1] == "day" else [""]
                )
            ),
            "prior_history": draw(st.sampled_from(["", "yes"])),
            "source": draw(st.sampled_from(["", "Table 2", "Fig. 4, p. 93"])),
            "note": draw(NOTES if spoil else st.just("checked")),
        }
        rows.append([cell[c] for c in columns])
        if draw(st.integers(0, 9)) == 0:
            rows.append([])  # a blank row
    title = draw(st.lists(st.sampled_from(TITLES).map(lambda t: [t]), max_size=2))
    if spoil and rows and draw(st.integers(0, 4)) == 0:
        # One cell replaced by anything: the rule decides what this makes it.
        row = draw(st.integers(0, len(rows) - 1))
        if rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cells)
    return [*title, header, *rows]


@st.composite
def lab_treatments(draw):
    columns = draw(st.permutations(["kind", "start", "end", "label"]))
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2019, 12, 31)))
        end = start + dt.timedelta(days=draw(st.integers(0, 300)))
        cell = {
            "kind": draw(st.sampled_from(KINDS)),
            "start": f"{start:%Y-%m-%d}",
            "end": draw(st.sampled_from(["", f"{end:%Y-%m-%d}"])),
            "label": draw(st.sampled_from(["", "TACE #1", "60 Gy"])),
        }
        rows.append([cell[c] for c in columns])
    return [columns, *rows]


def _write_csv(path: Path, records, delimiter: str, bom: bool):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(records)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")


def _folder(tmp_path: Path) -> Path:
    """An empty case folder (one per example: tmp_path is shared by them)."""
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    return folder


def _read(folder: Path, kind=MAY_REFUSE, truth=None, treated=None, reader=read_case):
    """Judge the reading of ``folder``; on a case, check every invariant."""
    case = judge(reader, folder, kind, truth)
    if case is None:
        return None
    assert isinstance(case, Case)
    m = case.measurements
    # Positive, or a result reported as 0 (exact: a censored 0 is refused).
    assert ((m["value"] > 0) | ((m["value"] == 0) & (m["censor"] == ""))).all()
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
    if treated is not None:
        t = case.treatments
        got = [
            (s, None if pd.isna(e) else e)
            for s, e in zip(t["start"], t["end"], strict=True)
        ]
        assert sorted(got, key=str) == treated, (got, treated)
    return case


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
    ],
}
MEASUREMENTS = tables(MEASUREMENT_COLUMNS) | lab_tables()
TREATMENTS = st.none() | tables(TREATMENT_COLUMNS) | lab_treatments()


@settings(max_examples=60, **SETTINGS)
@given(
    measurements=MEASUREMENTS,
    treatments=TREATMENTS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_any_csv_table_gives_a_case_or_a_case_data_error(
    measurements, treatments, delimiter, bom, tmp_path
):
    folder = _folder(tmp_path)
    (folder / "case.toml").write_text(TOML)
    _write_csv(folder / "measurements.csv", measurements, delimiter, bom)
    if treatments is not None:
        _write_csv(folder / "treatments.csv", treatments, delimiter, bom)
    kind, truth, treated = _classify(measurements, treatments)
    event(kind)
    _read(folder, kind, truth, treated)


@settings(max_examples=30, **SETTINGS)
@given(
    measurements=lab_tables(spoil=False),
    treatments=st.none() | lab_treatments(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_every_well_formed_lab_table_is_read_as_written(
    measurements, treatments, delimiter, bom, tmp_path
):
    kind, truth, treated = _classify(measurements, treatments)
    assume(not repeats(truth))  # AFP 12 in 2006-08 and on 2006-08-16
    assert kind == MUST_READ, measurements
    folder = _folder(tmp_path)
    (folder / "case.toml").write_text(TOML)
    _write_csv(folder / "measurements.csv", measurements, delimiter, bom)
    if treatments is not None:
        _write_csv(folder / "treatments.csv", treatments, delimiter, bom)
    _read(folder, kind, truth, treated)


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")


def _encode(records, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(records)
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def lab_files(draw):
    """A lab table's bytes in a documented encoding, sometimes one byte spoilt."""
    records = draw(lab_tables())
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = _encode(records, delimiter, encoding)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data, (records, delimiter, encoding)


def _bytes_class(data, written):
    """Must read: exactly the encoding of a must-read table, in UTF-8 (with or
    without BOM), UTF-16, or Windows-1252 whose only letters beyond ASCII are µ
    and the no-break space (bytes no UTF-8 sequence starts with)."""
    if written is None or data != _encode(*written):
        return MAY_REFUSE, None
    records, _, encoding = written
    text = "".join(c for r in records for c in r if isinstance(c, str))
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return MAY_REFUSE, None
    if encoding == "cp1252" and {c for c in text if ord(c) > 127} - {"µ", "\u00a0"}:
        return MAY_REFUSE, None
    return _measurement_truth(records)


@settings(max_examples=50, **SETTINGS)
@given(file=st.binary(max_size=300).map(lambda d: (d, None)) | lab_files())
# Found by CI on the newest stack: a result reported as 0, read rightly, failed
# an invariant written before zeros were read.
@example(
    file=(
        b"date,value,marker,unit\r\n2006/08/15,0,CA 19-9,U/mL\r\n\r\n",
        (
            [
                ["date", "value", "marker", "unit"],
                ["2006/08/15", "0", "CA 19-9", "U/mL"],
                [],
            ],
            ",",
            "utf-8",
        ),
    )
)
def test_any_bytes_give_a_case_or_a_case_data_error(file, tmp_path):
    data, written = file
    folder = _folder(tmp_path)
    (folder / "case.toml").write_text(TOML)
    (folder / "measurements.csv").write_bytes(data)
    kind, truth = _bytes_class(data, written)
    event(kind)
    _read(folder, kind, truth)


# case.toml: the one result below must be read under any well-formed metadata.
RESULT_DAY = pd.Timestamp("2010-03-01")
ONE_RESULT = "date,marker,value,unit\n2010-03-01,AFP,12,ng/mL\n"
ONE_TRUTH = [Result(RESULT_DAY, "AFP", 12.0, "", "ng/mL", "day")]


def _period(text):
    """First and last day of an ISO date, month or year, else None."""
    placed = date_truth(text) if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) else None
    if placed is None:
        return None
    parts = [int(p) for p in text.split("-")]
    first = pd.Timestamp(parts[0], *(parts[1:] or [1]), *([] if parts[2:] else [1]))
    if len(parts) == 3:
        return first, first
    if len(parts) == 2:
        return first, first + pd.offsets.MonthEnd(0)
    return first, pd.Timestamp(parts[0], 12, 31)


def _toml_class(text):
    """Must read: TOML holding at most a title, caption and reference (printable
    text) and a [time] table whose origin ends by the result's day and whose
    last follow-up starts after it and ends by today (ISO dates, months or
    years as strings), with an optional positive max_gap_days."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return MAY_REFUSE, None
    texts = {"title", "caption", "reference"}
    time = doc.get("time")
    if not set(doc) <= {*texts, "time"} or not isinstance(time, dict):
        return MAY_REFUSE, None
    for key in texts & set(doc):
        value = doc[key]
        if not isinstance(value, str) or not value.strip() or not value.isprintable():
            return MAY_REFUSE, None
    if not set(time) <= {"origin", "last_follow_up", "max_gap_days"}:
        return MAY_REFUSE, None
    origin, last = time.get("origin"), time.get("last_follow_up")
    if not isinstance(origin, str) or not isinstance(last, str):
        return MAY_REFUSE, None
    origin, last = _period(origin), _period(last)
    if origin is None or last is None:
        return MAY_REFUSE, None
    if not origin[1] <= RESULT_DAY < last[0] or last[1] > pd.Timestamp(TODAY):
        return MAY_REFUSE, None
    gap = time.get("max_gap_days", 1)
    if isinstance(gap, bool) or not isinstance(gap, int) or gap <= 0:
        return MAY_REFUSE, None
    return MUST_READ, ONE_TRUTH


def _iso(day, precision):
    return {"day": f"{day:%Y-%m-%d}", "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}[
        precision
    ]


@st.composite
def case_tomls(draw):
    """case.toml as an author writes it, sometimes with a line of anything."""
    precisions = st.sampled_from(["day", "month", "year"])
    origin = draw(st.dates(dt.date(2000, 1, 1), dt.date(2010, 3, 1)))
    last = draw(st.dates(dt.date(2010, 3, 2), dt.date(2024, 6, 30)))
    lines = []
    if draw(st.booleans()):
        lines.append(f'title = "{draw(st.sampled_from(["AFP after TACE", "Case 3"]))}"')
    lines += ["[time]", f'origin = "{_iso(origin, draw(precisions))}"']
    lines.append(f'last_follow_up = "{_iso(last, draw(precisions))}"')
    if draw(st.booleans()):
        lines.append(f"max_gap_days = {draw(st.integers(1, 3650))}")
    if draw(st.integers(0, 3)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.text(max_size=20)))
    return "\n".join(lines) + "\n"


@settings(max_examples=40, **SETTINGS)
@given(toml=st.text(max_size=120) | case_tomls())
def test_any_case_toml_gives_a_case_or_a_case_data_error(toml, tmp_path):
    folder = _folder(tmp_path)
    (folder / "case.toml").write_text(toml)
    (folder / "measurements.csv").write_text(ONE_RESULT)
    kind, truth = _toml_class(toml)
    event(kind)
    case = _read(folder, kind, truth)
    if case is not None and kind == MUST_READ and "title" in tomllib.loads(toml):
        assert case.title == tomllib.loads(toml)["title"]


excel_cells = st.one_of(
    cells,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.datetimes(
        min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-01-01").to_pydatetime(),
    ),
)


def _as_excel(cell):
    # Cells Excel itself cannot hold (control characters, formulas) are not
    # what a user's workbook contains.
    return (
        ILLEGAL_CHARACTERS_RE.sub("", cell).lstrip("=")
        if isinstance(cell, str)
        else cell
    )


@st.composite
def lab_workbooks(draw):
    """A lab table as workbook cells: numbers as numbers, days as dates."""
    records = draw(lab_tables())
    at = _header(records, MEASUREMENT_KNOWN, {"date", "marker", "value", "unit"})
    if at is None:
        return records
    names = at[1]
    out = records[: at[0] + 1]
    for record in records[at[0] + 1 :]:
        cells = list(record)
        for i, name in enumerate(names[: len(cells)]):
            if name == "value" and re.fullmatch(r"\d+(\.\d+)?", cells[i]):
                cells[i] = draw(st.sampled_from([cells[i], float(cells[i])]))
            if name == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[i]):
                try:
                    day = dt.datetime.fromisoformat(cells[i])
                except ValueError:
                    # A day no calendar has (2011-02-30) stays text, for the
                    # reader to refuse: a workbook cannot store it as a date.
                    continue
                hour = draw(st.sampled_from([0, 0, 10]))
                cells[i] = draw(st.sampled_from([cells[i], day.replace(hour=hour)]))
        out.append(cells)
    return out


@st.composite
def random_workbooks(draw):
    header = draw(st.lists(st.sampled_from(MEASUREMENT_COLUMNS), max_size=6))
    rows = draw(st.lists(st.lists(excel_cells, max_size=6), max_size=6))
    return [header, *rows]


@settings(max_examples=30, **SETTINGS)
@given(records=random_workbooks() | lab_workbooks())
def test_any_workbook_gives_a_case_or_a_case_data_error(records, tmp_path):
    folder = _folder(tmp_path)
    (folder / "case.toml").write_text(TOML)
    records = [[_as_excel(c) for c in record] for record in records]
    book = openpyxl.Workbook()
    for record in records:
        book.active.append(record)
    book.save(folder / "measurements.xlsx")
    kind, truth = _measurement_truth(records)
    event(kind)
    _read(folder, kind, truth)


# The judge itself: wrong readers must fail it.

LAB_TABLE = [
    ["Tumour markers"],
    ["Date", "marker", "VALUE", "unit", "source"],
    ["2006-08-15", "AFP", "1.250,5", "ng/ml", "Table 2"],
    ["Aug 2007", "DCP", "<40", "mAU/mL", ""],
    ["2008", "CEA", "3,2", "µg/L", "Fig. 4, p. 93"],
    [],
    ["13/04/2011", "CA 19-9", ">1 000,5", "U/mL", ""],
]
# What the judge says when it fails a reader (not an assertion of the test's own).
CAUGHT = r"refused an input it must read|read \d+ results|read Result"


def _lab_folders(tmp_path):
    """The lab table as CSV, as bytes in UTF-16, and as a workbook."""
    assert _measurement_truth(LAB_TABLE)[0] == MUST_READ
    folders = []
    for name in ("csv", "utf16", "xlsx"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "case.toml").write_text(TOML)
        folders.append(folder)
    _write_csv(folders[0] / "measurements.csv", LAB_TABLE, ";", bom=True)
    (folders[1] / "measurements.csv").write_bytes(_encode(LAB_TABLE, "\t", "utf-16"))
    book = openpyxl.Workbook()
    for record in LAB_TABLE:
        book.active.append(record)
    book.save(folders[2] / "measurements.xlsx")
    return folders


def test_the_lab_table_is_must_read_and_read(tmp_path):
    for folder in _lab_folders(tmp_path):
        _read(folder, *_measurement_truth(LAB_TABLE))


@pytest.mark.parametrize("mutant", MUTANTS)
def test_the_properties_fail_a_reader_that_refuses_or_misreads(mutant, tmp_path):
    for folder in _lab_folders(tmp_path):
        with pytest.raises(AssertionError, match=CAUGHT):
            _read(folder, *_measurement_truth(LAB_TABLE), reader=MUTANTS[mutant])
    toml = tmp_path / "toml"
    toml.mkdir()
    (toml / "case.toml").write_text(TOML)
    (toml / "measurements.csv").write_text(ONE_RESULT)
    if mutant in ("refuses every folder", "multiplies every value by 10"):
        with pytest.raises(AssertionError, match=CAUGHT):
            _read(toml, *_toml_class(TOML), reader=MUTANTS[mutant])


def test_the_properties_let_an_ambiguous_table_be_refused(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.toml").write_text(TOML)
    table = [
        ["date", "marker", "value", "unit"],
        ["2006-08-15", "AFP", "2,160", "ng/mL"],
    ]
    _write_csv(folder / "measurements.csv", table, ";", bom=False)
    assert _measurement_truth(table) == (MAY_REFUSE, None)
    _read(folder, *_measurement_truth(table), reader=MUTANTS["refuses every folder"])
