"""Specimens: one marker in two specimens is two series, never joined, fitted or
limited as one, and the legend names them (issue 17, item 4).

The real case behind it: de novo neuroendocrine prostate cancer with CEA in serum
falling from 1296.5 to 23 ng/mL and CEA in urine after prostatic massage from 137
to 2.4 ng/mL over four months, PSA 0.47 ng/mL in serum.
"""

from __future__ import annotations

import pytest

from plotting.core.specimens import (
    SPECIMENS,
    canonical_specimen,
    covers,
    is_reference_specimen,
    series_name,
    unknown_specimen,
)

# -- The vocabulary -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "specimen"),
    [
        ("serum", "serum"),
        ("Serum", "serum"),
        ("Ser", "serum"),
        ("SER", "serum"),
        ("Plas", "plasma"),
        ("EDTA plasma", "plasma"),
        ("Ser/Plas", "serum or plasma"),
        ("ser / plas", "serum or plasma"),
        ("Serum or Plasma", "serum or plasma"),
        ("Urine ", "urine"),
        ("URINE", "urine"),
        ("  urine  ", "urine"),
        ("U", "urine"),
        ("UR", "urine"),
        ("CSF", "CSF"),
        ("cerebrospinal fluid", "CSF"),
        ("Plr fld", "pleural fluid"),
        ("pleural  fluid", "pleural fluid"),
        ("ascites", "peritoneal fluid"),
        ("Periton fld", "peritoneal fluid"),
        ("blood", "whole blood"),
        ("122575003", "urine"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_specimens_are_read_as_labs_write_them(written, specimen):
    assert canonical_specimen(written) == specimen


@pytest.mark.parametrize(
    "written", ["saliva", "urine, after prostatic massage", "Urin", "sputum", "S"]
)
def test_other_texts_are_no_specimen(written):
    assert canonical_specimen(written) is None


def test_an_unknown_specimen_is_refused_with_the_nearest_known_one():
    known = ", ".join(SPECIMENS)
    assert unknown_specimen("Urin") == (
        f"unknown specimen; did you mean 'urine'? write one of {known}, or leave it "
        "empty"
    )
    # Nothing is near saliva: no guess, the list.
    assert unknown_specimen("saliva") == (
        f"unknown specimen; write one of {known}, or leave it empty"
    )
    # A detail after a comma is never read as part of the specimen.
    assert unknown_specimen("urine, after prostatic massage") == (
        "a specimen followed by a detail; write the specimen alone (urine) and the "
        "detail (after prostatic massage) in a column of its own, such as "
        "specimen_detail"
    )


def test_the_registry_limits_apply_to_serum_plasma_and_a_specimen_not_stated():
    reference = [name for name in SPECIMENS if is_reference_specimen(name)]
    assert reference == ["serum", "plasma", "serum or plasma"]
    assert is_reference_specimen("")
    assert covers("serum or plasma", "serum") and covers("urine", "urine")
    assert not covers("serum", "serum or plasma") and not covers("serum", "urine")
    assert series_name("CEA", "urine") == "CEA, urine"
    assert series_name("CEA", "") == "CEA, specimen not stated"
