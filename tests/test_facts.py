"""The fact files (plotting/core/facts/*.toml): read losslessly, checked on load,
shipped in the wheel, and agreeing with docs/markers.md.

Run ``python tests/test_facts.py --write`` to rewrite the tables of
docs/markers.md from the fact files; the test below fails while they disagree.
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

from plotting.core import fact_files
from plotting.core.fact_files import FactFileError
from plotting.core.markers import (
    CONVERSIONS,
    DEFAULT_MARKERS,
    Marker,
    _key,
)
from plotting.core.specimens import Specimen
from plotting.core.specimens import _key as _specimen_key
from plotting.core.thresholds import (
    THRESHOLD_PRESETS,
    THRESHOLD_STYLES,
    ThresholdPreset,
)
from plotting.core.units import EXACT_CONVERSIONS, UCUM_UNITS, UNIT_ALIASES
from plotting.core.vocabulary import KINDS, LANE_ORDER
from plotting.core.vocabulary import _key as _word_key

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "plotting" / "core" / "facts"
FILES = ("markers", "units", "thresholds", "treatments", "specimens")

# -- The values before the move, copied once from the Python literals ---------

BEFORE_MARKERS = {
    m.name: m
    for m in (
        Marker(
            "AFP",
            "ng/mL",
            7.0,
            units=("ng/mL", "IU/mL"),
            loinc={"1834-1": "ng/mL", "19176-7": "IU/mL"},
            aliases=("alpha-fetoprotein", "alpha fetoprotein", "a-fetoprotein"),
            uln_source="adult reference limit, about 7 ng/mL",
        ),
        Marker(
            "PIVKA-II",
            "mAU/mL",
            40.0,
            units=("mAU/mL", "ng/mL"),
            loinc={"34444-0": "ng/mL", "93768-0": "mAU/mL"},
            aliases=("DCP", "des-gamma-carboxy prothrombin", "PIVKA II", "PIVKA2"),
            uln_source="40 mAU/mL",
        ),
        Marker(
            "CEA",
            "ng/mL",
            5.0,
            units=("ng/mL",),
            loinc={"2039-6": "ng/mL"},
            aliases=("carcinoembryonic antigen",),
            uln_source="5 ng/mL",
        ),
        Marker(
            "CA 19-9",
            "U/mL",
            37.0,
            units=("U/mL",),
            loinc={"24108-3": "U/mL"},
            aliases=("CA19-9", "CA 199", "CA19.9"),
            uln_source="37 U/mL",
        ),
        Marker(
            "CA-125",
            "U/mL",
            35.0,
            units=("U/mL",),
            loinc={"10334-1": "U/mL"},
            aliases=("CA125", "CA 125"),
            uln_source="35 U/mL",
        ),
        Marker(
            "PSA",
            "ng/mL",
            4.0,
            units=("ng/mL",),
            loinc={"2857-1": "ng/mL", "35741-8": "ng/mL"},
            aliases=("prostate specific antigen", "prostate-specific antigen"),
            uln_source="historical 4.0 ng/mL",
        ),
    )
}
BEFORE_CONVERSIONS = {("AFP", "IU/mL", "ng/mL"): 1.21}
BEFORE_UNIT_ALIASES = {
    "ng/ml": "ng/mL",
    "µg/l": "ng/mL",
    "ug/l": "ng/mL",
    "mcg/l": "ng/mL",
    "iu/ml": "IU/mL",
    "kiu/l": "IU/mL",
    "u/ml": "U/mL",
    "ku/l": "U/mL",
    "kiu/ml": "kIU/mL",
    "mau/ml": "mAU/mL",
}
BEFORE_UCUM_UNITS = {
    "[iu]/ml": "IU/mL",
    "k[iu]/l": "IU/mL",
    "[arb'u]/ml": "U/mL",
    "k[arb'u]/l": "U/mL",
    "m[au]/ml": "mAU/mL",
    "m[arb'u]/ml": "mAU/mL",
}
BEFORE_PRESETS = {
    "psa-bcr-prostatectomy": ThresholdPreset(
        "PSA",
        0.2,
        "ng/mL",
        "BCR after prostatectomy 0.2 ng/mL",
        "AUA guideline; Cookson et al., J Urol 2007;177:540-545",
    ),
    "phoenix": ThresholdPreset(
        "PSA",
        2.0,
        "ng/mL",
        "Phoenix: nadir + 2 ng/mL",
        "Roach et al., Int J Radiat Oncol Biol Phys 2006;65:965-974",
        from_nadir=True,
        style="dashdot",
    ),
}
BEFORE_KINDS = {
    "resection": (
        "Surgery",
        (
            "surgery",
            "hepatectomy",
            "prostatectomy",
            "radical prostatectomy",
            "colectomy",
            "hemicolectomy",
            "pancreaticoduodenectomy",
            "whipple",
            "debulking surgery",
            "cytoreductive surgery",
            "operation",
        ),
    ),
    "transplant": ("Surgery", ("liver transplant", "transplantation")),
    "tace": (
        "TACE",
        ("chemoembolization", "transarterial chemoembolization", "deb-tace"),
    ),
    "tare": (
        "TARE",
        (
            "radioembolization",
            "transarterial radioembolization",
            "y-90",
            "yttrium-90",
            "sirt",
            "selective internal radiation therapy",
        ),
    ),
    "haic": (
        "HAIC",
        ("hepatic arterial infusion", "hepatic arterial infusion chemotherapy"),
    ),
    "ablation": (
        "Ablation",
        (
            "rfa",
            "radiofrequency ablation",
            "mwa",
            "microwave ablation",
            "cryoablation",
            "cryotherapy",
        ),
    ),
    "radiotherapy": (
        "RT",
        (
            "rt",
            "radiation",
            "radiation therapy",
            "ebrt",
            "external beam radiotherapy",
            "imrt",
            "3d-crt",
            "salvage radiotherapy",
        ),
    ),
    "sbrt": ("RT", ("sabr", "stereotactic body radiotherapy")),
    "brachytherapy": (
        "RT",
        ("ldr brachytherapy", "hdr brachytherapy", "seed implantation"),
    ),
    "chemotherapy": (
        "Systemic",
        (
            "chemo",
            "folfox",
            "folfiri",
            "folfirinox",
            "capox",
            "gemcitabine",
            "nab-paclitaxel",
            "paclitaxel",
            "docetaxel",
            "carboplatin",
            "cisplatin",
            "5-fu",
        ),
    ),
    "targeted therapy": (
        "Systemic",
        (
            "tki",
            "tyrosine kinase inhibitor",
            "sorafenib",
            "lenvatinib",
            "regorafenib",
            "cabozantinib",
            "bevacizumab",
            "ramucirumab",
        ),
    ),
    "immunotherapy": (
        "Systemic",
        (
            "checkpoint inhibitor",
            "immune checkpoint inhibitor",
            "pd-1 inhibitor",
            "pd-l1 inhibitor",
            "anti-pd-1",
            "anti-pd-l1",
            "nivolumab",
            "pembrolizumab",
            "atezolizumab",
            "durvalumab",
            "tremelimumab",
            "ipilimumab",
        ),
    ),
    "hormone therapy": (
        "Systemic",
        (
            "adt",
            "androgen deprivation",
            "androgen deprivation therapy",
            "leuprolide",
            "leuprorelin",
            "goserelin",
            "degarelix",
            "bicalutamide",
            "enzalutamide",
            "abiraterone",
            "apalutamide",
        ),
    ),
    "systemic": ("Systemic", ("systemic therapy",)),
}
BEFORE_LANE_ORDER = ("Surgery", "Ablation", "TACE", "TARE", "HAIC", "RT", "Systemic")


def test_the_original_six_markers_load_as_before():
    # They come first, in the same order (messages list the registry).
    assert list(DEFAULT_MARKERS)[: len(BEFORE_MARKERS)] == list(BEFORE_MARKERS)
    for name, before in BEFORE_MARKERS.items():
        now = DEFAULT_MARKERS[name]
        # Only names lab exports use were added, after the old ones, and codes
        # of other specimens than serum or plasma (specimens.toml).
        assert now.aliases[: len(before.aliases)] == before.aliases
        added = {c: s for c, s in now.loinc_specimens.items() if c not in before.loinc}
        assert {now.loinc_specimens[c] for c in before.loinc} == {"serum or plasma"}
        assert "serum or plasma" not in added.values()
        old = {c: u for c, u in now.loinc.items() if c in before.loinc}
        assert replace(now, aliases=before.aliases, loinc=old, loinc_specimens={}) == (
            before
        )
        assert now.exact_conversions == {}
    assert CONVERSIONS == BEFORE_CONVERSIONS


def test_units_presets_and_vocabulary_load_as_before():
    # Spellings and codes were only added; none changed its unit.
    assert UNIT_ALIASES.items() >= BEFORE_UNIT_ALIASES.items()
    assert UCUM_UNITS.items() >= BEFORE_UCUM_UNITS.items()
    assert THRESHOLD_PRESETS == BEFORE_PRESETS
    assert list(KINDS) == list(BEFORE_KINDS)
    for kind, (lane, words) in BEFORE_KINDS.items():
        assert KINDS[kind][0] == lane
        assert KINDS[kind][1][: len(words)] == words
    assert LANE_ORDER == BEFORE_LANE_ORDER


# -- A broken file is refused with its name and key ---------------------------


def _planted(tmp_path, name, old, new, count=1):
    text = (FACTS / f"{name}.toml").read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _markers(path=None, units_path=None):
    return fact_files.markers(Marker, _key, path, units_path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "uln = 5.0",
            'uln = "5"',
            "[[marker]] 'CEA' uln: must be a number above 0, not '5'",
        ),
        (
            "uln = 5.0",
            "uln = -5.0",
            "[[marker]] 'CEA' uln: must be a finite number above 0, not -5.0",
        ),
        (
            'uln_source = "5 ng/mL"\n',
            "",
            "[[marker]] 'CEA' uln_source: missing; write it as text in quotes",
        ),
        (
            'units = ["ng/mL"]\nuln = 5.0',
            'units = ["ng/ml"]\nuln = 5.0',
            "[[marker]] 'CEA' units: 'ng/ml' is not a unit of units.toml",
        ),
        (
            'unit = "U/mL"\nunits = ["U/mL"]\nuln = 37.0',
            'unit = "ng/mL"\nunits = ["U/mL"]\nuln = 37.0',
            "[[marker]] 'CA 19-9' unit: 'ng/mL' is not one of this marker's units",
        ),
        (
            'aliases = ["CA125", "CA 125", "cancer antigen 125", "CA 125 II"]',
            'aliases = ["CA125", "ca  19-9"]',
            "[[marker]] 'CA-125' aliases: 'ca  19-9' already names CA 19-9",
        ),
        (
            'code = "2039-6"',
            'code = "2039_6"',
            "[[marker]] 'CEA' [[loinc]] 1 code: '2039_6' is not a LOINC code",
        ),
        (
            'code = "2039-6"',
            'code = "1834-1"',
            "[[marker]] 'CEA' [[loinc]] 1 code: 1834-1 is already a code of AFP",
        ),
        (
            'uln = 5.0\nuln_source = "5 ng/mL"',
            'uln = 5.0\nuln_sauce = "5 ng/mL"',
            "[[marker]] 'CEA': unknown key 'uln_sauce'",
        ),
        ("factor = 1.21", "factor = 0", "[[conversion]] 1 factor: must be"),
        ('[[marker]]\nname = "CEA"', "[[marker]]\nname = [", "not valid TOML"),
    ],
)
def test_a_broken_markers_file_names_the_file_and_key(tmp_path, old, new, message):
    path = _planted(tmp_path, "markers", old, new)
    with pytest.raises(FactFileError) as info:
        _markers(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('spellings = ["kU/L"]', 'spellings = ["kIU/L"]', "is already a spelling"),
        (
            'source = "as labs print it"\n',
            "",
            "[unit.'kIU/mL'] source: missing",
        ),
        ('spellings = ["kU/L"]', "spellings = [1]", "must be a list of texts"),
    ],
)
def test_a_broken_units_file_names_the_file_and_key(tmp_path, old, new, message):
    path = _planted(tmp_path, "units", old, new)
    with pytest.raises(FactFileError) as info:
        fact_files.units(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    # The markers file is checked against the units file it is given.
    with pytest.raises(FactFileError):
        _markers(units_path=path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('style = "dashdot"', 'style = "wavy"', "[preset.phoenix] style: 'wavy'"),
        ("value = 2.0", "value = 0", "[preset.phoenix] value: must be a finite"),
        ("from_nadir = true", 'from_nadir = "yes"', "from_nadir: must be true or"),
    ],
)
def test_a_broken_thresholds_file_names_the_file_and_key(tmp_path, old, new, message):
    path = _planted(tmp_path, "thresholds", old, new)
    with pytest.raises(FactFileError) as info:
        fact_files.threshold_presets(ThresholdPreset, THRESHOLD_STYLES, path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('lane = "TACE"', 'lane = "Embolization"', "[[kind]] 'tace' lane:"),
        (
            '"chemo",',
            '"chemo", "Sorafenib",',
            "[[kind]] 'targeted therapy' words: 'sorafenib' already means chemotherapy",
        ),
    ],
)
def test_a_broken_treatments_file_names_the_file_and_key(tmp_path, old, new, message):
    path = _planted(tmp_path, "treatments", old, new)
    with pytest.raises(FactFileError) as info:
        fact_files.treatment_kinds(_word_key, path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'aliases = ["urine specimen", ',
            'aliases = ["ser", "urine specimen", ',
            "[[specimen]] 'urine' aliases: 'ser' already names serum",
        ),
        (
            'hl7 = "UR"',
            'hl7 = "SER"',
            "[[specimen]] 'urine' hl7: 'SER' already names serum",
        ),
        (
            'aliases = ["urine specimen", ',
            'aliases = ["urine, after prostatic massage", "urine specimen", ',
            "[[specimen]] 'urine' aliases: 'urine, after prostatic massage' has a "
            "comma; a detail is no alias",
        ),
        (
            'name = "urine"\nreference = false\n',
            'name = "urine"\n',
            "[[specimen]] 'urine' reference: missing; write true or false",
        ),
        (
            'includes = ["serum", "plasma"]',
            'includes = ["serum", "saliva"]',
            "[[specimen]] 'serum or plasma' includes: 'saliva' is not another specimen",
        ),
        ('name = "urine"', 'name = "urine "', "[[specimen]] 'urine ' name:"),
        ("reference = false", 'reference = "no"', "reference: must be true or false"),
    ],
)
def test_a_broken_specimens_file_names_the_file_and_key(tmp_path, old, new, message):
    path = _planted(tmp_path, "specimens", old, new)
    with pytest.raises(FactFileError) as info:
        fact_files.specimens(Specimen, _specimen_key, path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


def test_a_loinc_code_names_a_specimen_of_specimens_toml(tmp_path):
    path = _planted(tmp_path, "markers", 'specimen = "urine"', 'specimen = "Urine"')
    with pytest.raises(FactFileError) as info:
        _markers(path)
    assert "[[marker]] 'PSA' [[loinc]] 3 specimen: 'Urine' is not a specimen" in str(
        info.value
    )


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FactFileError, match=r"nowhere\.toml: cannot be read"):
        fact_files.units(tmp_path / "nowhere.toml")


# -- The files ship with the package ------------------------------------------


def test_the_installed_package_reads_every_fact_file():
    folder = resources.files("plotting.core").joinpath("facts")
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".toml")}
    assert shipped == {f"{name}.toml" for name in FILES}
    assert {p.name for p in FACTS.glob("*.toml")} == shipped


def test_the_wheel_ships_the_fact_files(built):
    # The wheel of tests/test_wheel.py, built from the sdist (tests/conftest.py).
    _, wheel = built
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"plotting/core/facts/{name}.toml" for name in FILES} <= names


# -- What every fact must have --------------------------------------------------


def loinc_check_digit(body: str) -> int:
    """The Mod 10 check digit of a LOINC code's digits (LOINC Users' Guide).

    From the right, the digits in odd positions are joined and the number they
    make is doubled; the digits in even positions are put in front; the digits
    of the result are summed; the check digit is what brings the sum to the next
    multiple of ten (0 when it is one already).
    """
    digits = body[::-1]
    doubled = str(int(digits[0::2]) * 2)
    total = sum(int(d) for d in digits[1::2] + doubled)
    return (10 - total % 10) % 10


def test_the_check_digit_is_the_users_guide_one():
    # The Users' Guide's worked example, and codes LOINC publishes.
    assert loinc_check_digit("12345") == 5
    assert [loinc_check_digit(b) for b in ("1834", "2857", "10334", "718")] == [
        1,
        1,
        1,
        7,
    ]
    assert loinc_check_digit("55180") == 4  # HE4 is 55180-4, not 55180-3


def test_every_loinc_code_has_a_valid_check_digit_and_a_unit_of_its_marker():
    codes = [(m, code) for m in DEFAULT_MARKERS.values() for code in m.loinc]
    assert len(codes) >= 25
    for marker, code in codes:
        body, check = code.split("-")
        assert loinc_check_digit(body) == int(check), (marker.name, code)
        assert marker.loinc[code] in marker.units


def _raw_markers():
    return fact_files.read("markers")[1]["marker"]


def test_every_marker_has_a_source_for_its_limit():
    assert len(DEFAULT_MARKERS) >= 20
    for raw in _raw_markers():
        marker = DEFAULT_MARKERS[raw["name"]]
        assert marker.uln_source.strip(), marker.name
        assert raw.get("sources", "").strip(), marker.name
        if marker.uln is None:
            # The source then says why there is none.
            assert marker.uln_source.startswith("none"), marker.name
        for entry in raw.get("loinc", []):
            assert entry["source"].strip() and entry["name"].strip()
    # No limit where none is meaningful; the ratio keeps its upper one.
    assert DEFAULT_MARKERS["M-protein"].uln is None
    assert DEFAULT_MARKERS["FLC ratio"].uln == 1.65
    assert "0.26" in DEFAULT_MARKERS["FLC ratio"].uln_source


def test_no_name_or_alias_names_two_markers():
    seen = {}
    for marker in DEFAULT_MARKERS.values():
        for name in (marker.name, *marker.aliases):
            assert seen.setdefault(_key(name), marker.name) == marker.name, name
    # Free PSA is another test, not PSA.
    assert "free psa" not in seen


def test_every_unit_of_a_marker_or_conversion_is_a_known_unit():
    known = fact_files.unit_names()
    pairs = [key[1:] for key in CONVERSIONS] + list(EXACT_CONVERSIONS)
    for marker in DEFAULT_MARKERS.values():
        assert {marker.unit, *marker.units} <= known, marker.name
        pairs += list(marker.exact_conversions)
        assert set(marker.exact_conversions) <= set(EXACT_CONVERSIONS)
    assert {unit for pair in pairs for unit in pair} <= known
    for key in CONVERSIONS:
        assert set(key[1:]) <= set(DEFAULT_MARKERS[key[0]].units)
    for preset in THRESHOLD_PRESETS.values():
        assert preset.unit in DEFAULT_MARKERS[preset.marker].units
    assert set(UNIT_ALIASES.values()) | set(UCUM_UNITS.values()) <= known


def test_exact_conversions_are_changes_of_volume_only():
    # g/dL to g/L and mg/dL to mg/L; never between assays, or IU and mass.
    assert EXACT_CONVERSIONS == {("g/dL", "g/L"): 10.0, ("mg/dL", "mg/L"): 10.0}
    for (source, goal), factor in EXACT_CONVERSIONS.items():
        assert source.split("/")[0] == goal.split("/")[0]
        assert factor == 10.0
    assert DEFAULT_MARKERS["M-protein"].exact_conversions == {("g/dL", "g/L"): 10.0}
    for name in ("kappa FLC", "lambda FLC"):
        assert DEFAULT_MARKERS[name].exact_conversions == {("mg/dL", "mg/L"): 10.0}
    # The only calibration factor stays AFP's, with its caveat.
    assert CONVERSIONS == {("AFP", "IU/mL", "ng/mL"): 1.21}


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("IU/L", "mIU/mL"),
        ("mIU/ml", "mIU/mL"),
        ("ng/L", "pg/mL"),
        ("µg/mL", "mg/L"),
        ("g/dl", "g/dL"),
        ("U/L", "U/L"),
        ("pmol/l", "pmol/L"),
        ("%", "%"),
        ("{ratio}", "ratio"),
    ],
)
def test_the_new_units_are_spelled_as_labs_do(text, unit):
    from plotting.core.units import canonical_unit

    assert canonical_unit(text) == unit


# -- The new markers work where the old ones do --------------------------------

LAB_COLUMNS = {
    "patient": "PatientID",
    "marker": "TestName",
    "value": "Result",
    "unit": "Units",
    "date": "CollectionDate",
    "loinc": "LOINC",
}


def test_a_lab_export_with_the_names_lab_systems_print(tmp_path):
    from plotting.reading.importers import read_lab_export

    path = tmp_path / "export.csv"
    path.write_text(
        "PatientID,TestName,Result,Units,CollectionDate,LOINC\n"
        "P1,AFP (Alpha Fetoprotein),12.5,ng/mL,2021-03-01,\n"
        'P1,"PSA, total",4.2,ng/mL,2021-03-01,\n'
        "P1,Free PSA,0.4,ng/mL,2021-03-01,10886-0\n"
        "P2,Beta HCG,<2,IU/L,2021-03-02,\n"
        "P2,FLC kappa,85.1,mg/dL,2021-03-02,\n"
        "P2,M-spike,2.1,g/dL,2021-03-02,33358-3\n"
        "P2,b2-microglobulin,3.4,µg/mL,2021-03-02,\n"
        "P2,SCC-Ag,1.1,ng/mL,2021-03-02,\n"
        "P2,CgA,150,ng/mL,2021-03-02,9811-1\n"
        "P2,Thyroglobulin,0.2,ng/mL,2021-03-02,\n"
        "P2,TG,1.2,mmol/L,2021-03-02,\n"
        "P2,AFP-L3%,12,%,2021-03-02,42332-7\n",
        encoding="utf-8",
    )
    result = read_lab_export(path, LAB_COLUMNS)
    assert list(result.problems) == []
    # TG is triglycerides, never thyroglobulin.
    assert result.counts["skipped, not a tumour marker"] == {"Free PSA": 1, "TG": 1}
    table = result.tables["measurements"]
    assert list(zip(table["marker"], table["unit"], strict=True)) == [
        ("AFP", "ng/mL"),
        ("PSA", "ng/mL"),
        ("hCG", "mIU/mL"),
        ("kappa FLC", "mg/dL"),
        ("M-protein", "g/dL"),
        ("B2M", "mg/L"),
        ("SCC antigen", "ng/mL"),
        ("Chromogranin A", "ng/mL"),
        ("Thyroglobulin", "ng/mL"),
        ("AFP-L3", "%"),
    ]


def test_a_lab_export_refuses_a_unit_the_new_marker_does_not_have(tmp_path):
    from plotting.reading.importers import read_lab_export

    path = tmp_path / "export.csv"
    path.write_text(
        "PatientID,TestName,Result,Units,CollectionDate,LOINC\n"
        "P1,HE4,55,ng/mL,2021-03-01,55180-4\n",
        encoding="utf-8",
    )
    result = read_lab_export(path, LAB_COLUMNS)
    assert [p.message for p in result.problems] == [
        "not a unit of HE4; the results need one of pmol/L"
    ]


def _observation(code, value, unit, ucum=None, rid="o1"):
    quantity = {"value": value, "unit": unit, **({"code": ucum} if ucum else {})}
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/a"},
        "effectiveDateTime": "2020-01-02",
        "valueQuantity": quantity,
    }


def test_fhir_observations_of_the_new_markers_by_their_loinc_codes(tmp_path):
    import json

    from plotting.reading.importers import read_fhir

    resources = [
        _observation("21198-7", 12, "mIU/mL", "m[iU]/mL", "o1"),
        _observation("55180-4", 62, "pmol/L", "pmol/L", "o2"),
        _observation("48378-4", 8.2, "ratio", "{ratio}", "o3"),
        _observation("33358-3", 1.9, "g/dL", "g/dL", "o4"),
        _observation("2532-0", 310, "U/L", "U/L", "o5"),
    ]
    path = tmp_path / "in.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in resources) + "\n")
    result = read_fhir(path)
    table = result.tables["measurements"]
    assert list(zip(table["marker"], table["unit"], strict=True)) == [
        ("hCG", "mIU/mL"),
        ("HE4", "pmol/L"),
        ("FLC ratio", "ratio"),
        ("M-protein", "g/dL"),
        ("LDH", "U/L"),
    ]


def test_a_case_reads_the_new_markers_and_overrides_their_limits(write_case):
    from plotting import read_case

    toml = (
        '[time]\norigin = "2010-01-01"\nlast_follow_up = "2014-12-31"\n'
        "[markers.thyroglobulin]\nuln = 1\n"
        '[markers."M-spike"]\nunit = "g/L"\n'
    )
    folder = write_case(
        "date,marker,value,unit\n"
        "2010-03-01,HTG,3.2,ng/mL\n"
        "2010-03-01,M-spike,21,g/L\n"
        "2010-06-01,M-spike,9,g/L\n"
        "2010-06-01,kappa/lambda ratio,12.5,ratio\n",
        toml=toml,
    )
    case = read_case(folder, today="2025-01-01")
    # The markers of case.toml are the ones drawn, under their canonical names.
    assert list(case.markers) == ["Thyroglobulin", "M-protein"]
    assert case.markers["Thyroglobulin"].uln == 1.0
    assert case.markers["M-protein"].unit == "g/L"
    assert case.markers["M-protein"].uln is None
    assert set(case.measurements["marker"]) == {
        "Thyroglobulin",
        "M-protein",
        "FLC ratio",
    }


# -- docs/markers.md agrees with the fact files --------------------------------

DOCS = ROOT / "docs" / "markers.md"
TABLES = {
    "marker table": "markers.toml",
    "unit table": "units.toml",
    "threshold table": "thresholds.toml",
    "LOINC table": "markers.toml",
    "specimen table": "specimens.toml",
}


def _begin(name):
    return (
        f"<!-- {name}: written from plotting/core/facts/{TABLES[name]} by "
        "`python tests/test_facts.py --write`; edit that file, not this table -->"
    )


def _end(name):
    return f"<!-- end of {name} -->"


LOINC_NAME = "name (LOINC long name, or as the source gives it)"


def _row(cells) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def _table(header, rows) -> str:
    lines = [_row(header), "|" + "---|" * len(header), *(_row(r) for r in rows)]
    return "\n".join(lines)


def _limit(raw) -> str:
    if "uln_text" in raw:
        return raw["uln_text"]
    return f"{raw['uln']:g} {raw['unit']}" if "uln" in raw else "none"


def docs_tables() -> dict[str, str]:
    """The tables of docs/markers.md, written from the fact files."""
    markers = fact_files.read("markers")[1]["marker"]
    units = fact_files.read("units")[1]
    presets = fact_files.read("thresholds")[1]["preset"]
    specimens = fact_files.read("specimens")[1]["specimen"]
    exact = {(e["from"], e["to"]): e for e in units.get("exact", [])}
    unit_rows = []
    for unit, data in units["unit"].items():
        written = [*data.get("spellings", ()), *data.get("ucum", ())]
        same = ", ".join(dict.fromkeys(written))
        into = [
            f"1 {a} = {e['factor']:g} {b}" for (a, b), e in exact.items() if a == unit
        ]
        unit_rows.append([unit, same or "-", "; ".join(into) or "-", data["source"]])
    return {
        "marker table": _table(
            ["marker", "usual unit", "default ULN", "other cut-offs in use", "sources"],
            [
                [
                    m.get("label", m["name"]),
                    m.get("usual_unit", m["unit"]),
                    _limit(m),
                    m.get("cutoffs", ""),
                    m.get("sources", ""),
                ]
                for m in markers
            ],
        ),
        "unit table": _table(
            ["unit", "also written (lab exports, UCUM)", "exact conversion", "why"],
            unit_rows,
        ),
        "threshold table": _table(
            ["preset", "marker", "line", "source"],
            [
                [f"`{name}`", p["marker"], p["line"], p["reference"]]
                for name, p in presets.items()
            ],
        ),
        "LOINC table": _table(
            ["marker", "code", "unit", "specimen", LOINC_NAME, "source"],
            [
                [
                    c.get("label", m["name"]),
                    c["code"],
                    c["unit"],
                    c.get("specimen", fact_files.DEFAULT_LOINC_SPECIMEN),
                    c["name"],
                    c["source"],
                ]
                for m in markers
                for c in m.get("loinc", [])
            ],
        ),
        "specimen table": _table(
            [
                "specimen",
                "registry limits apply",
                "HL7 v2 0487",
                "LOINC System",
                "SNOMED CT",
                "also written",
            ],
            [
                [
                    sp["name"],
                    "yes" if sp["reference"] else "no",
                    sp.get("hl7", "-"),
                    sp.get("loinc", "-"),
                    sp.get("snomed", "-"),
                    ", ".join(sp.get("aliases", ())) or "-",
                ]
                for sp in specimens
            ],
        ),
    }


def rendered(text: str, tables: dict[str, str]) -> str:
    """``text`` with each generated table replaced by ``tables``'."""
    for name, table in tables.items():
        begin, end = _begin(name), _end(name)
        assert text.count(begin) == 1 and text.count(end) == 1, name
        head, rest = text.split(begin)
        _, tail = rest.split(end)
        text = f"{head}{begin}\n{table}\n{end}{tail}"
    return text


def test_the_docs_tables_are_the_fact_files():
    text = DOCS.read_text(encoding="utf-8")
    assert rendered(text, docs_tables()) == text, (
        "docs/markers.md disagrees with plotting/core/facts; run "
        "python tests/test_facts.py --write"
    )


def test_each_drawn_limit_is_the_one_the_docs_state():
    for raw in fact_files.read("markers")[1]["marker"]:
        marker = DEFAULT_MARKERS[raw["name"]]
        if marker.uln is None:
            assert _limit(raw).startswith("none"), marker.name
        else:
            assert f"{marker.uln:g}" in _limit(raw), marker.name


def test_a_table_out_of_step_with_the_fact_files_is_found():
    text = DOCS.read_text(encoding="utf-8")
    wrong = text.replace("| 37 U/mL |", "| 40 U/mL |", 1)
    assert wrong != text
    assert rendered(wrong, docs_tables()) == text


if __name__ == "__main__" and "--write" in sys.argv:
    DOCS.write_text(
        rendered(DOCS.read_text(encoding="utf-8"), docs_tables()), encoding="utf-8"
    )


# Names lab exports give other tests; compared without case, none may name a
# marker ("Tg" would have read triglycerides, TG, as thyroglobulin).
OTHER_TESTS = (
    "TG",
    "HCT",
    "Hb",
    "HGB",
    "PLT",
    "CA",
    "Ca",
    "K",
    "NA",
    "ALT",
    "AST",
    "ALP",
    "GGT",
    "CRP",
    "Cr",
    "Creatinine",
    "Ferritin",
    "Glucose",
    "TSH",
    "FT4",
    "PSA, free",
    "free PSA",
    "LDL",
    "HDL",
    "BUN",
    "INR",
    "PT",
    "ESR",
    "IgA",
    "IgG",
    "Albumin",
)


@pytest.mark.parametrize("name", OTHER_TESTS)
def test_names_of_other_tests_name_no_marker(name):
    from plotting.core.markers import find_marker

    assert find_marker(name) is None
