"""The oracle, round 3 (issue 21, item 2): signed relative times, month- and
year-wide windows, and cohorts whose tables spell an id two ways.

Each class draws inputs with hypothesis, computes their truth here from the
written rules alone (docs/guide/times.md "Times relative to an event",
docs/guide/cohorts.md "Case series and cohorts"; data/README.md), classifies
them MUST_READ or MAY_REFUSE (or, for look-alike ids, MUST_REFUSE) and judges
the package. A mutant per class (a reader or caller wrong on purpose) shows the
judge fails it.

Classification rules
--------------------
1. Relative times. A time cell is ``[sign]digits[mark digits]`` with the sign
   ``+``, ``-`` or U+2212: ``+N`` is N after the origin, ``-N`` or U+2212 N before.
   One mark (``.`` or ``,``) followed by exactly three digits after one to three
   digits not starting with 0 (``1,500``) is AMBIGUOUS without ``[files]
   decimal``: MAY_REFUSE; with ``decimal`` declared it reads by it (the declared
   mark is the decimal, the other groups thousands). Every other mark is a
   decimal whatever is declared: MUST_READ. Draws stay within 120 years.
2. Windows. ``YYYY-MM`` or ``YYYY`` as a window's start is the period's first
   day, as its end the period's last day, inclusive: every result on those days
   is in the window (MUST_READ: kinetics tables count it, figures draw it).
3. Cohort ids. Ids that differ by invisible characters (U+200B, U+FEFF, NBSP,
   a trailing space) are one patient: MUST_READ, the treatment is that
   patient's. Ids that differ by letter case or by the leading zeros of a
   number are MUST_REFUSE: a CaseDataError naming both spellings.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from artists import plotted_points
from hypothesis import HealthCheck, Phase, event, given, reject, settings
from hypothesis import strategies as st
from oracle_inputs import AMBIGUOUS, MAY_REFUSE, MUST_READ, TODAY, read_quietly

from plotting import (
    CaseDataError,
    InputError,
    kinetics_table,
    plot_case,
    read_case,
    read_cohort,
)
from plotting.core.dates import relative_position, relative_value

MUST_REFUSE = "must refuse"
SETTINGS = {
    "deadline": None,
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
}
# Length of each unit in days, from docs/guide/times.md: a month is 365.25/12 days.
UNIT_DAYS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}
UNIT_PRECISION = {"days": "day", "weeks": "day", "months": "month"}
LIMIT_DAYS = 120 * 365.25
MINUS = "\u2212"


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# 1. Relative times with signs ---------------------------------------------------


def relative_truth(text: str, declared: str | None):
    """Return the number of units a time cell means, or AMBIGUOUS (rule 1)."""
    match = re.fullmatch(r"([+\-\u2212]?)(\d+)(?:([.,])(\d+))?", text)
    assert match, text
    sign, whole, mark, fraction = match.groups()
    grouping = (
        mark is not None and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0"
    )
    if grouping and declared is None:
        return AMBIGUOUS
    if grouping and declared != mark:
        number = float(whole + fraction)
    else:
        number = float(f"{whole}.{fraction}" if mark else whole)
    return -number if sign in ("-", MINUS) else number


@st.composite
def time_cells(draw, unit):
    sign = draw(st.sampled_from(["", "+", "-", MINUS]))
    top = int(LIMIT_DAYS / UNIT_DAYS[unit])
    whole = draw(st.one_of(st.integers(0, 3), st.integers(0, min(top, 999))))
    digits = draw(st.sampled_from([0, 0, 1, 2, 3, 3]))
    if not digits:
        return f"{sign}{whole}"
    fraction = draw(st.integers(0, 10**digits - 1))
    mark = draw(st.sampled_from([".", ","]))
    return f"{sign}{whole}{mark}{fraction:0{digits}d}"


def _follow_up_forms(last: float):
    """``last_follow_up`` as a TOML int, float or quoted signed text, and its
    truth."""
    n = math.ceil(last)
    return [
        (str(n), float(n)),
        (f"{n}.5", n + 0.5),
        (f'"+{n}"', float(n)),
        (f'"+{n},25"', n + 0.25),
        (f'"{n}.5"', n + 0.5),
    ]


@st.composite
def relative_cases(draw):
    unit = draw(st.sampled_from(["months", "days", "weeks"]))
    declared = draw(st.sampled_from([None, ",", "."]))
    cells = draw(st.lists(time_cells(unit), min_size=1, max_size=6))
    truths = [relative_truth(c, declared) for c in cells]
    numbers = [t for t in truths if t != AMBIGUOUS]
    # Rule 1 keeps draws within 120 years (a grouping read by its declared
    # mark may leave it: 999,500 days read as 999500).
    for t in numbers:
        if abs(t) * UNIT_DAYS[unit] > LIMIT_DAYS - 2 * UNIT_DAYS[unit]:
            reject()
    last = max([0.0, *numbers]) + draw(st.integers(0, 3))
    follow_up = draw(st.sampled_from(_follow_up_forms(last)))
    return {
        "unit": unit,
        "declared": declared,
        "cells": cells,
        "follow_up": follow_up,
        "separator": draw(st.sampled_from([",", ";", "\t"])),
    }


def classify_relative(drawn):
    """Return ``(kind, truth)``: truth maps each row's value to its time."""
    times = [relative_truth(c, drawn["declared"]) for c in drawn["cells"]]
    kind = MAY_REFUSE if AMBIGUOUS in times else MUST_READ
    # Values 11, 12, ... name the rows: each result is found by its value.
    return kind, {float(11 + n): t for n, t in enumerate(times)}


def write_relative(folder: Path, drawn) -> None:
    toml = (
        f'[time]\nrelative = "{drawn["unit"]}"\norigin = 0\n'
        'origin_label = "start of lenvatinib"\n'
        f"last_follow_up = {drawn['follow_up'][0]}\n"
    )
    if drawn["declared"]:
        toml += f'[files]\ndecimal = "{drawn["declared"]}"\n'
    (folder / "case.toml").write_text(toml, encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=drawn["separator"])
    writer.writerow(["date", "marker", "value", "unit"])
    for n, cell in enumerate(drawn["cells"]):
        writer.writerow([cell, "AFP", str(11 + n), "ng/mL"])
    (folder / "measurements.csv").write_text(buffer.getvalue(), encoding="utf-8")


def judge_relative(reader, folder: Path, drawn):
    """Fail unless ``reader`` reads every time as written, or (for an ambiguous
    input only) refuses it with a located message."""
    kind, truth = classify_relative(drawn)
    unit = drawn["unit"]
    try:
        case = read_quietly(reader, folder)
    except CaseDataError as err:
        assert kind == MAY_REFUSE, f"refused an input it must read:\n{err}"
        assert err.problems and all(
            p.file.startswith(str(folder)) for p in err.problems
        ), err
        return kind
    assert case.time_unit == unit
    m = case.measurements
    assert len(m) == len(truth), f"read {len(m)} results, the file holds {len(truth)}"
    for when, value, precision, text in zip(
        m["date"], m["value"], m["date_precision"], m["date_text"], strict=True
    ):
        expected = truth[float(value)]
        if expected == AMBIGUOUS:
            continue  # read by some rule the file does not state: no truth
        got = relative_value(when, unit)
        assert got == pytest.approx(expected, abs=1e-6), (
            f"read {text!r} as {got} {unit}, it says {expected}"
        )
        assert precision == UNIT_PRECISION[unit], (text, precision)
    follow_up = relative_value(case.last_follow_up, unit)
    assert follow_up == pytest.approx(drawn["follow_up"][1], abs=1e-6), (
        f"read last_follow_up {drawn['follow_up'][0]} as {follow_up}"
    )
    return kind


def _times(change):
    """A reader that moves each relative time read by ``change(text, units)``."""

    def reader(path, *, today=None):
        case = read_case(path, today=today)
        m = case.measurements.copy()
        unit = case.time_unit
        m["date"] = [
            relative_position(change(text, relative_value(when, unit)), unit)
            for text, when in zip(m["date_text"], m["date"], strict=True)
        ]
        return replace(case, measurements=m)

    return reader


RELATIVE_MUTANTS = {
    "reads +N as -N": _times(lambda text, t: -t if text.startswith("+") else t),
    "drops the fraction": _times(lambda text, t: float(math.trunc(t))),
}


@settings(max_examples=40, **SETTINGS)
@given(drawn=relative_cases())
def test_signed_relative_times_read_as_written_or_refused_if_ambiguous(
    drawn, tmp_path_factory
):
    folder = _fresh(tmp_path_factory.mktemp("rel") / "case")
    write_relative(folder, drawn)
    event(judge_relative(read_case, folder, drawn))


# Must-read examples with a "+" before a nonzero fraction, so that each mutant
# changes something in each.
RELATIVE_EXAMPLES = {
    "months, commas, no decimal declared": {
        "unit": "months",
        "declared": None,
        "cells": ["+1.5", "-1", f"{MINUS}1", "+0", "1,5", "-0.25"],
        "follow_up": ('"+13,25"', 13.25),
        "separator": ",",
    },
    "weeks, semicolons, decimal comma declared, 1,500 is 1.5": {
        "unit": "weeks",
        "declared": ",",
        "cells": ["+2,5", "1,500", f"{MINUS}0,25", "-3"],
        "follow_up": ("4.5", 4.5),
        "separator": ";",
    },
    "days, tabs, decimal point declared, 1,500 is 1500": {
        "unit": "days",
        "declared": ".",
        "cells": ["+10.75", "1,500", "-7", f"{MINUS}1.5"],
        "follow_up": ("1501", 1501.0),
        "separator": "\t",
    },
}


@pytest.mark.parametrize("name", RELATIVE_EXAMPLES)
def test_each_signed_relative_example_is_must_read_and_read(name, tmp_path):
    drawn = RELATIVE_EXAMPLES[name]
    assert classify_relative(drawn)[0] == MUST_READ
    write_relative(tmp_path, drawn)
    assert judge_relative(read_case, tmp_path, drawn) == MUST_READ


@pytest.mark.parametrize("mutant", RELATIVE_MUTANTS)
@pytest.mark.parametrize("name", RELATIVE_EXAMPLES)
def test_the_relative_oracle_fails_a_reader_that_flips_or_truncates(
    mutant, name, tmp_path
):
    drawn = RELATIVE_EXAMPLES[name]
    write_relative(tmp_path, drawn)
    with pytest.raises(AssertionError, match=r"read '.*' as"):
        judge_relative(RELATIVE_MUTANTS[mutant], tmp_path, drawn)


def test_an_ambiguous_relative_time_may_be_refused_never_misread(tmp_path):
    drawn = {**RELATIVE_EXAMPLES["months, commas, no decimal declared"]}
    drawn["cells"] = [*drawn["cells"], "1,500"]
    assert classify_relative(drawn)[0] == MAY_REFUSE
    write_relative(tmp_path, drawn)
    judge_relative(read_case, tmp_path, drawn)


# 2. Month- and year-wide windows ------------------------------------------------

WINDOW_TOML = '[time]\norigin = "2009-01"\nlast_follow_up = "2016-12-31"\n'
WINDOW_MARKERS = {"AFP": "ng/mL", "CEA": "ng/mL"}


@st.composite
def window_cases(draw):
    """Results on random days, and a window of whole months or years."""
    days = st.dates(
        pd.Timestamp("2010-01-01").date(), pd.Timestamp("2015-12-31").date()
    )
    rows = draw(
        st.lists(
            st.tuples(
                days,
                st.sampled_from(sorted(WINDOW_MARKERS)),
                st.integers(1, 99_999),
                st.sampled_from(["", "", "", "<"]),
            ),
            min_size=1,
            max_size=12,
            unique_by=lambda r: (r[0], r[1]),
        )
    )
    if draw(st.booleans()):
        first = draw(st.integers(2010 * 12, 2015 * 12 + 11))
        last = draw(st.integers(first, min(first + 30, 2015 * 12 + 11)))
        start = f"{first // 12}-{first % 12 + 1:02d}"
        end = f"{last // 12}-{last % 12 + 1:02d}"
    else:
        first = draw(st.integers(2010, 2015))
        start, end = str(first), str(draw(st.integers(first, 2015)))
    return {"rows": rows, "start": start, "end": end}


def period_bounds(start: str, end: str):
    """First day of the start period, last day of the end period (rule 2)."""

    def parts(text):
        return [int(p) for p in text.split("-")]

    y, *m = parts(start)
    first = pd.Timestamp(y, m[0] if m else 1, 1)
    y, *m = parts(end)
    if m:
        last = pd.Timestamp(y, m[0], 1) + pd.offsets.MonthEnd(0)
    else:
        last = pd.Timestamp(y, 12, 31)
    return first, last


def window_truth(drawn, marker):
    """The results of ``marker`` inside the window: (day, value, censor)."""
    first, last = period_bounds(drawn["start"], drawn["end"])
    return sorted(
        (pd.Timestamp(day), float(value), censor)
        for day, m, value, censor in drawn["rows"]
        if m == marker and first <= pd.Timestamp(day) <= last
    )


def write_window_case(folder: Path, drawn) -> None:
    (folder / "case.toml").write_text(WINDOW_TOML, encoding="utf-8")
    lines = ["date,marker,value,unit"]
    for day, marker, value, censor in drawn["rows"]:
        lines.append(
            f"{day:%Y-%m-%d},{marker},{censor}{value},{WINDOW_MARKERS[marker]}"
        )
    (folder / "measurements.csv").write_text("\n".join(lines) + "\n")


def as_written(start, end):
    """The caller the package promises: the window exactly as written."""
    return start, end


def as_timestamps(start, end):
    """A mutant caller: pd.Timestamp("2013-02") is the period's first day, so
    the end period's other days fall out of the window."""
    return pd.Timestamp(start), pd.Timestamp(end)


def judge_window(folder: Path, drawn, caller=as_written):
    """Fail unless the kinetics table counts, and the figure draws, every result
    of the window's whole periods."""
    case = read_quietly(read_case, folder)
    start, end = caller(drawn["start"], drawn["end"])
    table = kinetics_table(case, windows=[(start, end)])
    for marker in case.markers:
        truth = window_truth(drawn, marker)
        row = table[table["marker"] == marker].iloc[0]
        measured = [t for t in truth if not t[2]]
        if len({t[0] for t in measured}) >= 2:
            counted = 0 if pd.isna(row["points"]) else int(row["points"])
            counted += 0 if pd.isna(row["points"]) else int(row["censored_left_out"])
            assert counted == len(truth), (
                f"{marker} window {drawn['start']} to {drawn['end']}: the table "
                f"counts {counted} results, the window holds {len(truth)}"
            )
        else:
            assert pd.isna(row["points"]) and row["note"], (
                f"{marker}: {len(measured)} measured results, yet {row.to_dict()}"
            )
    try:
        fig = plot_case(case, start=start, end=end)
    except InputError as err:
        # A window without results may be refused (a clear refusal), no other.
        held = [window_truth(drawn, marker) for marker in case.markers]
        assert not any(held), f"refused a window that holds {held}: {err}"
        return
    try:
        for marker in case.markers:
            truth = [(day, value) for day, value, _ in window_truth(drawn, marker)]
            got = plotted_points(fig.axes[0], marker)
            assert got == truth, (
                f"{marker} window {drawn['start']} to {drawn['end']}: the figure "
                f"draws {got}, the window holds {truth}"
            )
    finally:
        plt.close(fig)


@settings(max_examples=30, **SETTINGS)
@given(drawn=window_cases())
def test_a_month_or_year_window_holds_its_whole_periods(drawn, tmp_path_factory):
    folder = _fresh(tmp_path_factory.mktemp("win") / "case")
    write_window_case(folder, drawn)
    judge_window(folder, drawn)
    event("months" if "-" in drawn["start"] else "years")


WINDOW_EXAMPLES = {
    "months, a result on 2013-02-08": {
        "rows": [
            (pd.Timestamp("2012-08-01"), "AFP", 9000, ""),
            (pd.Timestamp("2012-11-15"), "AFP", 300, ""),
            (pd.Timestamp("2013-02-08"), "AFP", 20, ""),
            (pd.Timestamp("2013-03-01"), "AFP", 5, ""),
        ],
        "start": "2012-08",
        "end": "2013-02",
    },
    "years, a result on 2014-12-31": {
        "rows": [
            (pd.Timestamp("2013-01-01"), "CEA", 50, ""),
            (pd.Timestamp("2014-06-30"), "CEA", 25, "<"),
            (pd.Timestamp("2014-12-31"), "CEA", 12, ""),
            (pd.Timestamp("2015-01-01"), "CEA", 6, ""),
        ],
        "start": "2013",
        "end": "2014",
    },
}


@pytest.mark.parametrize("name", WINDOW_EXAMPLES)
def test_each_window_example_holds_its_last_day(name, tmp_path):
    write_window_case(tmp_path, WINDOW_EXAMPLES[name])
    judge_window(tmp_path, WINDOW_EXAMPLES[name])


@pytest.mark.parametrize("name", WINDOW_EXAMPLES)
def test_the_window_oracle_fails_a_window_ending_on_the_first_day(name, tmp_path):
    write_window_case(tmp_path, WINDOW_EXAMPLES[name])
    with pytest.raises(AssertionError, match="the window holds"):
        judge_window(tmp_path, WINDOW_EXAMPLES[name], as_timestamps)


# 3. Cohorts whose tables spell an id two ways ----------------------------------

INVISIBLE = {
    "zero-width space after": lambda pid: pid + "\u200b",
    "zero-width space before": lambda pid: "\u200b" + pid,
    "byte order mark before": lambda pid: "\ufeff" + pid,
    "trailing space": lambda pid: pid + " ",
    "no-break space after": lambda pid: pid + "\u00a0",
}
TREATMENT_DAYS = ["2020-02-01", "2020-03-01", "2020-04-01", "2020-05-01"]


def _swap_case(pid: str) -> str:
    return pid.swapcase()


def _leading_zeros(pid: str) -> str:
    return "00" + pid


@st.composite
def patient_ids(draw):
    number = draw(st.integers(1, 999))
    prefix = draw(st.sampled_from(["", "", "P", "pt", "HCC-"]))
    return f"{prefix}{number}"


def _key(pid: str) -> str:
    """Ids a look-alike spelling could confuse are drawn once only."""
    return pid.casefold().lstrip("0")


@st.composite
def cohorts(draw):
    ids = draw(st.lists(patient_ids(), min_size=1, max_size=3, unique_by=_key))
    lookalike = draw(st.booleans())
    treatments = []
    for pid in ids:
        for day in draw(
            st.lists(st.sampled_from(TREATMENT_DAYS), max_size=2, unique=True)
        ):
            spelling = draw(st.sampled_from(["as written", *INVISIBLE]))
            treatments.append((pid, spelling, day))
    if lookalike:
        pid = draw(st.sampled_from(ids))
        change = "letter case" if pid[0].isalpha() else "leading zeros"
        treatments.append((pid, change, draw(st.sampled_from(TREATMENT_DAYS))))
    if not treatments:
        pid = draw(st.sampled_from(ids))
        treatments.append((pid, draw(st.sampled_from(sorted(INVISIBLE))), "2020-02-01"))
    return {"ids": ids, "treatments": treatments}


def spelled(pid: str, spelling: str) -> str:
    if spelling == "as written":
        return pid
    if spelling == "letter case":
        return _swap_case(pid)
    if spelling == "leading zeros":
        return _leading_zeros(pid)
    return INVISIBLE[spelling](pid)


def classify_cohort(drawn):
    """MUST_REFUSE if a treatments id differs from a results id by letter case or
    leading zeros; else MUST_READ, with each patient's treatment starts."""
    spellings = {s for _, s, _ in drawn["treatments"]}
    if spellings & {"letter case", "leading zeros"}:
        return MUST_REFUSE, None
    truth = {pid: [] for pid in drawn["ids"]}
    for pid, _, day in drawn["treatments"]:
        truth[pid].append(pd.Timestamp(day))
    return MUST_READ, {pid: sorted(days) for pid, days in truth.items()}


def write_cohort_tables(folder: Path, drawn) -> None:
    results = ["patient_id,date,marker,value,unit"]
    for n, pid in enumerate(drawn["ids"]):
        results += [
            f"{pid},2020-01-01,AFP,{100 + n},ng/mL",
            f"{pid},2020-06-01,AFP,{10 + n},ng/mL",
        ]
    treatments = ["patient_id,kind,start"]
    treatments += [f"{spelled(p, s)},tace,{d}" for p, s, d in drawn["treatments"]]
    for name, lines in (("measurements", results), ("treatments", treatments)):
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def dropping_unmatched(folder, *, today=None):
    """A mutant reader: treatments whose id is not a results id, character for
    character, are left out without a word."""
    copy = folder.parent / f"{folder.name} matched"
    shutil.copytree(folder, copy, dirs_exist_ok=True)
    with open(folder / "measurements.csv", encoding="utf-8", newline="") as f:
        known = {row["patient_id"] for row in csv.DictReader(f)}
    lines = (folder / "treatments.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in known]
    (copy / "treatments.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return read_cohort(copy, today=today)


def judge_cohort(reader, folder: Path, drawn):
    kind, truth = classify_cohort(drawn)
    try:
        cohort = reader(folder, today=TODAY)
    except CaseDataError as err:
        assert kind == MUST_REFUSE, f"refused a cohort it must read:\n{err}"
        text = str(err)
        for pid, spelling, _ in drawn["treatments"]:
            if spelling in ("letter case", "leading zeros"):
                for name in (pid, spelled(pid, spelling)):
                    assert repr(name) in text, f"{name!r} not named in:\n{text}"
        return kind
    assert kind == MUST_READ, (
        f"read a cohort of look-alike ids as patients {sorted(cohort.cases)}"
    )
    assert not cohort.problems, cohort.problems
    assert sorted(cohort.cases) == sorted(truth), (
        f"read patients {sorted(cohort.cases)}, the results name {sorted(truth)}"
    )
    for pid, days in truth.items():
        got = sorted(pd.Timestamp(d) for d in cohort.cases[pid].treatments["start"])
        assert got == days, f"patient {pid!r} has treatments {got}, the file {days}"
    return kind


@settings(max_examples=30, **SETTINGS)
@given(drawn=cohorts())
def test_cohort_ids_spelled_two_ways_read_as_one_patient_or_refused(
    drawn, tmp_path_factory
):
    folder = _fresh(tmp_path_factory.mktemp("coh") / "cohort")
    write_cohort_tables(folder, drawn)
    event(judge_cohort(read_cohort, folder, drawn))


COHORT_EXAMPLES = {
    "invisible characters": {
        "ids": ["P1", "P2", "12"],
        "treatments": [
            ("P1", "zero-width space after", "2020-02-01"),
            ("P1", "byte order mark before", "2020-03-01"),
            ("P2", "trailing space", "2020-02-01"),
            ("12", "no-break space after", "2020-04-01"),
        ],
    },
    "letter case": {
        "ids": ["P1", "P2"],
        "treatments": [
            ("P1", "as written", "2020-02-01"),
            ("P2", "letter case", "2020-03-01"),
        ],
    },
    "leading zeros": {
        "ids": ["12", "P2"],
        "treatments": [
            ("P2", "as written", "2020-02-01"),
            ("12", "leading zeros", "2020-03-01"),
        ],
    },
}


@pytest.mark.parametrize("name", COHORT_EXAMPLES)
def test_each_cohort_example_is_judged_by_its_class(name, tmp_path):
    drawn = COHORT_EXAMPLES[name]
    write_cohort_tables(tmp_path, drawn)
    judge_cohort(read_cohort, tmp_path, drawn)


@pytest.mark.parametrize("name", COHORT_EXAMPLES)
def test_the_cohort_oracle_fails_a_reader_dropping_unmatched_treatments(name, tmp_path):
    folder = _fresh(tmp_path / "cohort")
    write_cohort_tables(folder, COHORT_EXAMPLES[name])
    with pytest.raises(AssertionError, match=r"has treatments|look-alike ids"):
        judge_cohort(dropping_unmatched, folder, COHORT_EXAMPLES[name])
