"""The fact files (plotting/core/facts/*.toml): read losslessly, checked on load,
shipped in the wheel, and agreeing with docs/markers.md.

Run ``python tests/test_facts.py --write`` to rewrite the tables of
docs/markers.md from the fact files; the test below fails while they disagree.
"""

from __future__ import annotations

import shutil
import subprocess
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
from plotting.core.thresholds import (
    THRESHOLD_PRESETS,
    THRESHOLD_STYLES,
    ThresholdPreset,
)
from plotting.core.units import UCUM_UNITS, UNIT_ALIASES
from plotting.core.vocabulary import KINDS, LANE_ORDER
from plotting.core.vocabulary import _key as _word_key

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "plotting" / "core" / "facts"
FILES = ("markers", "units", "thresholds", "treatments")

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
        # Only names lab exports use were added, after the old ones.
        assert now.aliases[: len(before.aliases)] == before.aliases
        assert replace(now, aliases=before.aliases) == before
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


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FactFileError, match=r"nowhere\.toml: cannot be read"):
        fact_files.units(tmp_path / "nowhere.toml")


# -- The files ship with the package ------------------------------------------


def test_the_installed_package_reads_every_fact_file():
    folder = resources.files("plotting.core").joinpath("facts")
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".toml")}
    assert shipped == {f"{name}.toml" for name in FILES}
    assert {p.name for p in FACTS.glob("*.toml")} == shipped


def test_the_wheel_ships_the_fact_files(tmp_path):
    # Built from a copy, so the worktree gets no build/ folder.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "plotting",
        source / "plotting",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            tmp_path,
            source,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"plotting/core/facts/{name}.toml" for name in FILES} <= names
