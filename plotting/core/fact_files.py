"""Read the package's fact files (``plotting/core/facts/*.toml``) into its values.

One job: read each file with :mod:`importlib.resources` and :mod:`tomllib`,
check it, and build the frozen values the rest of the package imports
(:data:`plotting.core.markers.DEFAULT_MARKERS`, :data:`plotting.core.units.
UNIT_ALIASES`, :data:`plotting.core.thresholds.THRESHOLD_PRESETS`,
:data:`plotting.core.vocabulary.KINDS`, :data:`plotting.core.specimens.
SPECIMENS`, ...). A file that is not as described raises :class:`FactFileError`,
whose message names the file and the key.

The classes are passed in (``markers(Marker, ...)``) so that this module never
imports the modules that import it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from pathlib import Path

FOLDER = "facts"
_LOINC = re.compile(r"\d{1,7}-\d")


class FactFileError(ValueError):
    """A fact file is not as described; the message names the file and the key."""


def unit_key(text: str) -> str:
    """Fold a unit as written for look-up: no spaces, no case, one micro sign."""
    # casefold() turns the micro sign into Greek mu; fold both to the micro sign.
    return "".join(str(text).split()).casefold().replace("μ", "µ")


def read(name: str, path: Path | str | None = None) -> tuple[str, dict]:
    """Return ``(label, table)`` for ``facts/<name>.toml``, or for ``path``.

    The label is how messages name the file. The package's own files are read
    once (the table returned is shared: never change it).
    """
    if path is None:
        return _package_file(name)
    return _parse(Path(path), str(path))


@functools.cache
def _package_file(name: str) -> tuple[str, dict]:
    source = resources.files(__package__).joinpath(FOLDER, f"{name}.toml")
    return _parse(source, f"plotting/core/{FOLDER}/{name}.toml")


def _parse(source, label: str) -> tuple[str, dict]:
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise FactFileError(f"{label}: cannot be read ({err})") from None
    try:
        return label, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise FactFileError(f"{label}: not valid TOML: {err}") from None


class _Entry:
    """One table of a fact file, read key by key; unknown keys are refused."""

    def __init__(self, label: str, where: str, data, known: tuple[str, ...]):
        self.label, self.where = label, where
        if not isinstance(data, dict):
            raise FactFileError(f"{label}: {where} must be a table")
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise FactFileError(
                f"{label}: {where}: unknown key {unknown[0]!r} (known: "
                f"{', '.join(known)})"
            )
        self.data = data

    def fail(self, key: str, what: str):
        raise FactFileError(f"{self.label}: {self.where} {key}: {what}")

    def text(self, key: str, *, required: bool = True, empty: bool = False) -> str:
        if key not in self.data:
            if required:
                self.fail(key, "missing; write it as text in quotes")
            return ""
        value = self.data[key]
        if not isinstance(value, str):
            self.fail(key, f"must be text in quotes, not {value!r}")
        if not empty and not value.strip():
            self.fail(key, "is empty")
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        if key not in self.data:
            if required:
                self.fail(key, "missing; write a list of texts")
            return ()
        value = self.data[key]
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self.fail(key, "must be a list of texts in quotes, none empty")
        if len(set(value)) != len(value):
            twice = next(v for v in value if value.count(v) > 1)
            self.fail(key, f"{twice!r} is listed twice")
        return tuple(value)

    def number(self, key: str, *, required: bool = True) -> float | None:
        if key not in self.data:
            if required:
                self.fail(key, "missing; write a number above 0")
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"must be a number above 0, not {value!r}")
        if not value > 0 or value == float("inf"):
            self.fail(key, f"must be a finite number above 0, not {value!r}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
        return value

    def tables(self, key: str) -> list:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables ([[...{key}]])")
        return value

    def choice(self, key: str, allowed, what: str, value: str | None = None) -> str:
        value = self.text(key) if value is None else value
        if value not in allowed:
            self.fail(key, f"{value!r} is not {what} (one of {', '.join(allowed)})")
        return value


def _top(label: str, table: dict, known: tuple[str, ...]) -> _Entry:
    return _Entry(label, "the file", table, known)


# -- units.toml -------------------------------------------------------------

UNIT_KEYS = ("spellings", "ucum", "source", "as_written")
EXACT_KEYS = ("from", "to", "factor", "source")


def units(path: Path | str | None = None):
    """Return ``(spellings, ucum, exact)`` from units.toml.

    spellings : dict
        Every folded spelling (:func:`unit_key`) to its canonical unit; each
        canonical unit is also a spelling of itself, unless ``as_written =
        true``: such a unit is known only written exactly so (and by its UCUM
        codes), and canonical_unit does not know it.
    ucum : dict
        Folded UCUM codes (FHIR ``valueQuantity.code``) to the canonical unit.
    exact : dict
        ``(from unit, to unit)`` to the factor of a conversion true for any
        assay (a change of prefix or volume, never a calibration).
    """
    label, table = read("units", path)
    top = _top(label, table, ("unit", "exact"))
    declared = table.get("unit")
    if not isinstance(declared, dict) or not declared:
        top.fail("unit", 'missing; write one [unit."ng/mL"] table per unit')
    spellings: dict[str, str] = {}
    ucum: dict[str, str] = {}

    def claim(found: dict, key: str, unit: str, entry: _Entry, field: str, text):
        if key in found and found[key] != unit:
            entry.fail(field, f"{text!r} is already a spelling of {found[key]}")
        found[key] = unit

    for unit, data in declared.items():
        entry = _Entry(label, f"[unit.{unit!r}]", data, UNIT_KEYS)
        if not unit.strip() or unit != unit.strip():
            entry.fail("name", "a unit needs a name without surrounding spaces")
        entry.text("source")
        as_written = entry.flag("as_written")
        if as_written and "spellings" in data:
            entry.fail("spellings", "a unit known only as written has no spellings")
        if not as_written:
            claim(spellings, unit_key(unit), unit, entry, "name", unit)
        for text in entry.texts("spellings"):
            claim(spellings, unit_key(text), unit, entry, "spellings", text)
        for text in entry.texts("ucum"):
            claim(ucum, unit_key(text), unit, entry, "ucum", text)
    exact: dict[tuple[str, str], float] = {}
    for number, data in enumerate(top.tables("exact"), 1):
        entry = _Entry(label, f"[[exact]] {number}", data, EXACT_KEYS)
        pair = (
            entry.choice("from", declared, "a unit of this file"),
            entry.choice("to", declared, "a unit of this file"),
        )
        if pair[0] == pair[1] or pair in exact:
            entry.fail("to", f"{pair[0]} to {pair[1]} is not a new conversion")
        exact[pair] = entry.number("factor")
        entry.text("source")
    return spellings, ucum, exact


def unit_names(path: Path | str | None = None) -> set[str]:
    """Return the canonical units of units.toml (checked first)."""
    units(path)
    return set(read("units", path)[1]["unit"])


# -- markers.toml -----------------------------------------------------------

MARKER_KEYS = (
    "name",
    "unit",
    "units",
    "uln",
    "uln_source",
    "aliases",
    "loinc",
    "conversion",
    # Only docs/markers.md uses these (its tables are checked against them).
    "label",
    "usual_unit",
    "uln_text",
    "cutoffs",
    "sources",
)
LOINC_KEYS = ("code", "unit", "specimen", "name", "source", "label")
# The LOINC System of a code that names none: every code the registry had was
# "in Serum or Plasma".
DEFAULT_LOINC_SPECIMEN = "serum or plasma"
CONVERSION_KEYS = ("to", "from", "factor", "source")


def markers(
    marker,
    fold,
    path: Path | str | None = None,
    units_path: Path | str | None = None,
    *,
    specimens=None,
):
    """Return ``(registry, conversions)`` from markers.toml.

    Parameters
    ----------
    marker : type
        :class:`plotting.core.markers.Marker`.
    fold : callable
        How marker names are compared (:func:`plotting.core.markers.find_marker`);
        no name or alias may name two markers.
    path, units_path : path, optional
        Other files to read instead of the package's (for tests).
    specimens : collection of str, optional
        The specimens a LOINC code's ``specimen`` may name; by default the
        names of specimens.toml.

    Returns
    -------
    registry : dict
        Canonical name to Marker, in the file's order; each code's specimen in
        ``loinc_specimens`` (:data:`DEFAULT_LOINC_SPECIMEN` where not given).
    conversions : dict
        ``(marker, from unit, to unit)`` to a calibration factor a case uses only
        when it asks (``convert_to``).
    """
    label, table = read("markers", path)
    exact = units(units_path)[2]
    known_units = set(read("units", units_path)[1]["unit"])
    if specimens is None:
        listed = read("specimens")[1].get("specimen", [])
        specimens = [s.get("name") for s in listed if isinstance(s, dict)]
    known_specimens = list(specimens)
    top = _top(label, table, ("marker",))
    listed = top.tables("marker")
    if not listed:
        top.fail("marker", "missing; write one [[marker]] table per marker")
    registry, conversions = {}, {}
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for number, data in enumerate(listed, 1):
        name = data.get("name") if isinstance(data, dict) else None
        where = "[[marker]] " + (repr(name) if isinstance(name, str) else str(number))
        entry = _Entry(label, where, data, MARKER_KEYS)
        name = entry.text("name")
        accepted = entry.texts("units", required=True)
        for unit in accepted:
            entry.choice("units", sorted(known_units), "a unit of units.toml", unit)
        unit = entry.choice("unit", accepted, "one of this marker's units")
        for written in (name, *entry.texts("aliases")):
            key = fold(written)
            if key in names:
                entry.fail(
                    "aliases" if written != name else "name",
                    f"{written!r} already names {names[key]}",
                )
            names[key] = name
        loinc, loinc_specimens = {}, {}
        for count, item in enumerate(entry.tables("loinc"), 1):
            code_entry = _Entry(label, f"{where} [[loinc]] {count}", item, LOINC_KEYS)
            code = code_entry.text("code")
            if not _LOINC.fullmatch(code):
                code_entry.fail("code", f"{code!r} is not a LOINC code (12345-6)")
            if code in codes:
                code_entry.fail("code", f"{code} is already a code of {codes[code]}")
            codes[code] = name
            loinc[code] = code_entry.choice("unit", accepted, "a unit of this marker")
            loinc_specimens[code] = (
                code_entry.choice(
                    "specimen", known_specimens, "a specimen of specimens.toml"
                )
                if "specimen" in item
                else DEFAULT_LOINC_SPECIMEN
            )
            code_entry.text("name")
            code_entry.text("source")
            code_entry.text("label", required=False)
        for count, item in enumerate(entry.tables("conversion"), 1):
            step = _Entry(
                label, f"{where} [[conversion]] {count}", item, CONVERSION_KEYS
            )
            pair = (
                step.choice("from", accepted, "a unit of this marker"),
                step.choice("to", accepted, "a unit of this marker"),
            )
            conversions[(name, *pair)] = step.number("factor")
            step.text("source")
        for key in ("label", "usual_unit", "uln_text", "cutoffs", "sources"):
            entry.text(key, required=False, empty=True)
        registry[name] = marker(
            name,
            unit,
            entry.number("uln", required=False),
            units=accepted,
            loinc=loinc,
            loinc_specimens=loinc_specimens,
            aliases=entry.texts("aliases"),
            uln_source=entry.text("uln_source"),
            exact_conversions={
                pair: factor
                for pair, factor in exact.items()
                if set(pair) <= set(accepted)
            },
        )
    return registry, conversions


# -- thresholds.toml --------------------------------------------------------

PRESET_KEYS = (
    "marker",
    "value",
    "unit",
    "label",
    "source",
    "from_nadir",
    "style",
    # Only docs/markers.md uses these.
    "line",
    "reference",
)


def threshold_presets(
    preset, styles, path: Path | str | None = None, units_path=None
) -> dict:
    """Return preset name to ThresholdPreset from thresholds.toml.

    ``preset`` is :class:`plotting.core.thresholds.ThresholdPreset`; ``styles``
    the line styles a threshold may have.
    """
    label, table = read("thresholds", path)
    known_units = sorted(unit_names(units_path))
    top = _top(label, table, ("preset",))
    declared = table.get("preset")
    if not isinstance(declared, dict) or not declared:
        top.fail("preset", "missing; write one [preset.name] table per preset")
    presets = {}
    for name, data in declared.items():
        entry = _Entry(label, f"[preset.{name}]", data, PRESET_KEYS)
        if name != name.strip().casefold():
            entry.fail("name", "a preset name is written in lower case")
        for key in ("line", "reference"):
            entry.text(key, required=False)
        keywords = {}
        if "style" in data:
            keywords["style"] = entry.choice("style", styles, "a line style")
        presets[name] = preset(
            entry.text("marker"),
            entry.number("value"),
            entry.choice("unit", known_units, "a unit of units.toml"),
            entry.text("label"),
            entry.text("source"),
            from_nadir=entry.flag("from_nadir"),
            **keywords,
        )
    return presets


# -- treatments.toml --------------------------------------------------------

KIND_KEYS = ("name", "lane", "words", "source")


def treatment_kinds(fold, path: Path | str | None = None):
    """Return ``(kinds, lanes)`` from treatments.toml.

    kinds : dict
        Canonical kind to ``(lane title, words that mean it)``, in file order.
    lanes : tuple
        The lane titles in the order a figure draws them.
    fold : callable
        How words are compared (:func:`plotting.core.vocabulary.canonical_kind`);
        no word may mean two kinds.
    """
    label, table = read("treatments", path)
    top = _top(label, table, ("lanes", "kind"))
    lanes = top.texts("lanes", required=True)
    listed = top.tables("kind")
    if not listed:
        top.fail("kind", "missing; write one [[kind]] table per kind")
    kinds = {}
    words: dict[str, str] = {}
    for number, data in enumerate(listed, 1):
        name = data.get("name") if isinstance(data, dict) else None
        where = "[[kind]] " + (repr(name) if isinstance(name, str) else str(number))
        entry = _Entry(label, where, data, KIND_KEYS)
        name = entry.text("name")
        lane = entry.choice("lane", lanes, "a lane of lanes")
        entry.text("source")
        said = entry.texts("words")
        for word in (name, *said):
            if fold(word) in words:
                entry.fail("words", f"{word!r} already means {words[fold(word)]}")
            words[fold(word)] = name
        kinds[name] = (lane, said)
    return kinds, lanes


# -- specimens.toml ---------------------------------------------------------

CODES = ("hl7", "loinc", "snomed")
SPECIMEN_KEYS = ("name", "reference", "includes", *CODES, "aliases", "source")


def specimens(specimen, fold, path: Path | str | None = None) -> dict:
    """Return canonical name to Specimen from specimens.toml, in file order.

    Parameters
    ----------
    specimen : type
        :class:`plotting.core.specimens.Specimen`.
    fold : callable
        How specimen names are compared (:func:`plotting.core.specimens.
        canonical_specimen`); no name, alias or code may name two specimens.
    path : path, optional
        Another file to read instead of the package's (for tests).
    """
    label, table = read("specimens", path)
    top = _top(label, table, ("specimen",))
    listed = top.tables("specimen")
    if not listed:
        top.fail("specimen", "missing; write one [[specimen]] table per specimen")
    found, names = {}, {}
    for number, data in enumerate(listed, 1):
        name = data.get("name") if isinstance(data, dict) else None
        where = "[[specimen]] " + (repr(name) if isinstance(name, str) else str(number))
        entry = _Entry(label, where, data, SPECIMEN_KEYS)
        name = entry.text("name")
        if name != name.strip() or "," in name:
            entry.fail("name", "a name has no surrounding spaces and no comma")
        if "reference" not in data:
            entry.fail("reference", "missing; write true or false")
        aliases = entry.texts("aliases")
        own = {system: entry.text(system, required=False) for system in CODES}
        # A code as labs write it (UR, Plr fld) is a spelling too.
        for field, written in (
            ("name", name),
            *(("aliases", alias) for alias in aliases),
            *((system, code) for system, code in own.items() if code),
        ):
            if "," in written:
                entry.fail(field, f"{written!r} has a comma; a detail is no alias")
            if names.setdefault(fold(written), name) != name:
                entry.fail(field, f"{written!r} already names {names[fold(written)]}")
        own = {system: code for system, code in own.items() if code}
        entry.text("source")
        found[name] = specimen(
            name,
            reference=entry.flag("reference"),
            includes=entry.texts("includes"),
            aliases=aliases,
            **own,
        )
    for name, value in found.items():
        for narrower in value.includes:
            if narrower not in found or narrower == name:
                entry = _Entry(label, f"[[specimen]] {name!r}", {}, ())
                entry.fail("includes", f"{narrower!r} is not another specimen")
    return found
