"""The oracle, round 3 (issue 21, item 2): signed relative times, month- and
year-wide windows, and cohorts whose tables spell an id two ways.

Each class draws inputs with hypothesis, computes their truth here from the
written rules alone (README.md "Times relative to an event", "Case series and
cohorts"; data/README.md), classifies them MUST_READ or MAY_REFUSE (or, for
look-alike ids, MUST_REFUSE) and judges the package. A mutant per class (a
reader or caller wrong on purpose) shows the judge fails it.

Classification rules
--------------------
1. Relative times. A time cell is ``[sign]digits[mark digits]`` with the sign
   ``+``, ``-`` or U+2212: ``+N`` is N after the origin, ``-N``/``−N`` before.
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
import warnings
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from artists import plotted_points
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from oracle_inputs import AMBIGUOUS, MAY_REFUSE, MUST_READ, TODAY, read_quietly

import plotting
from plotting import CaseDataError, kinetics_table, plot_case, read_case, read_cohort
from plotting.core.dates import RELATIVE_ORIGIN, relative_position, relative_value

MUST_REFUSE = "must refuse"
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
}
# Length of each unit in days, from README: a month is 365.25/12 days.
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
