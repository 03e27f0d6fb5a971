"""Map validated FHIR R4 resources (as JSON dicts) to case-table rows.

Each mapper takes one resource and a :class:`~.fhir_context.Context` and adds its
row through the context. It raises :class:`~.result.Skip` for a resource left out
on purpose and :class:`~.result.Reject` for one that should give a row but cannot.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.markers import DEFAULT_MARKERS
from ...core.units import UCUM_UNITS, canonical_unit
from .fhir_context import Context, concept_text
from .result import Reject, Skip
from .treatment_names import drug_kind, procedure_kind
from .values import (
    LOINC_MARKERS,
    SpecimenError,
    check_result,
    match_name,
    result_specimen,
)

LOINC_SYSTEM = "http://loinc.org"
# UCUM_UNITS: UCUM codes of the markers' units, in the package's spelling (keys
# folded; from plotting/core/facts/units.toml); any other unit is read as labs
# print it (canonical_unit).
# Statuses that mean the resource did not happen (or was recorded by mistake).
VOID_STATUS = {
    "Observation": {"entered-in-error", "cancelled"},
    "Procedure": {"entered-in-error", "not-done", "preparation"},
    "MedicationStatement": {"entered-in-error", "not-taken"},
    "MedicationAdministration": {"entered-in-error", "not-done"},
    "MedicationRequest": {"entered-in-error", "cancelled", "draft"},
}
VOID_VERIFICATION = {"entered-in-error", "refuted"}
COMPARATORS = {"<", "<=", ">", ">="}


def check_status(resource: dict) -> None:
    """Raise Skip if the resource's status says it did not happen."""
    kind, status = resource["resourceType"], resource.get("status", "")
    if status in VOID_STATUS.get(kind, ()):
        raise Skip("skipped, status", f"{kind} {status}")


UCUM_SYSTEM = "http://unitsofmeasure.org"
# LOINC by its URI and by its OID (as documents converted from CDA write it).
LOINC_SYSTEMS = {LOINC_SYSTEM, "urn:oid:2.16.840.1.113883.6.1"}
# How far an Observation's status has come: a later one supersedes an earlier
# one of the same test and time (amended and corrected supersede final).
STATUS_RANK = {
    "registered": 0,
    "preliminary": 1,
    "final": 2,
    "amended": 3,
    "corrected": 3,
}
WITHOUT_LOINC = "skipped, marker without a LOINC code"


def observation(resource: dict, ctx: Context) -> None:
    """Tumour-marker results (by LOINC code), of the Observation or its components.

    Each result is a candidate until every resource is read: results of one test
    and time are settled by their status (see :func:`.fhir._settle`). A panel's
    components are results of its time, status and patient.
    """
    check_status(resource)
    status = resource.get("status", "")
    components = [c for c in resource.get("component") or [] if isinstance(c, dict)]
    parts = [
        (f"component {n}", c, _marker_of(c.get("code") or {}, f"component {n}.code"))
        for n, c in enumerate(components, 1)
    ]
    # A panel's results are its components or Observations of their own
    # (hasMember); its name may well name its markers ("AFP and CEA"), unchecked.
    members = bool(resource.get("hasMember")) and not _has_value(resource)
    named = _marker_of(resource["code"], "code", names=not (components or members))
    found = [(where, c, m) for where, c, m in parts if not isinstance(m, Skip)]
    if isinstance(named, Skip):
        if not components and members:
            raise Skip("skipped, panel of other Observations", named.key)
        if not components:
            raise named
        if _has_value(resource):  # a result of its own, of another test
            ctx.collected.skipped(named, ctx.where)
    elif _has_value(resource) or named not in [m for _, _, m in found]:
        found.insert(0, ("", resource, named))
    for where, _, marker in parts:
        if isinstance(marker, Skip):
            ctx.collected.skipped(marker, f"{ctx.where}, {where}")
    results = [(where, _result(where, c, m, status, ctx)) for where, c, m in found]
    results = [(where, result) for where, result in results if result is not None]
    if not results:
        return
    moment, field_name = _effective(resource)
    day = ctx.day(moment, field_name)
    patient = ctx.patient(resource)
    stated = ("specimen.display", (resource.get("specimen") or {}).get("display", ""))
    for where, (text, marker, unit, value, censor, code) in results:
        try:
            specimen = result_specimen([stated], code=code)
        except SpecimenError as err:
            raise Reject(f"{err.args[0]} {err.args[1]!r}: {err.args[2]}") from None
        row = {
            "patient_id": patient,
            "date": day.text,
            "date_precision": day.precision,
            "marker": marker,
            "value": text,
            "unit": unit,
            "specimen": specimen,
        }
        ctx.add_candidate(row, day, value, censor, status, moment, where)


def _count(n: int) -> str:
    return {2: "two", 3: "three"}.get(n, str(n))


def _has_value(element: dict) -> bool:
    return any(key.startswith("value") for key in element) or bool(
        element.get("dataAbsentReason")
    )


def _marker_of(concept: dict, field_name: str, *, names: bool = True):
    """Return the registry marker a CodeableConcept names, or a Skip.

    The marker is the one its LOINC codings name. Raise Reject when its codings,
    text or displays name different tests: two markers, a marker and another
    LOINC code, or a marker's code and another marker's name (its text,
    displays and local codes are read only if ``names``).
    """
    where = f"{field_name}." if field_name else ""
    codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
    loinc = [c.get("code") for c in codings if c.get("system") in LOINC_SYSTEMS]
    loinc = [code for code in loinc if code]
    by_code = {code: LOINC_MARKERS[code][0] for code in loinc if code in LOINC_MARKERS}
    markers = list(dict.fromkeys(by_code.values()))
    shown = [f"LOINC {code} ({marker})" for code, marker in by_code.items()]
    if len(markers) > 1:
        raise Reject(
            f"{where}coding names {_count(len(markers))} markers, "
            f"{' and '.join(shown)}; an "
            "Observation is one test, so which one this is cannot be told"
        )
    marker = markers[0] if markers else None
    if marker and (others := [code for code in loinc if code not in by_code]):
        raise Reject(
            f"{where}coding names {shown[0]} and LOINC {others[0]}, which is not a "
            f"code of {marker}; the codings of one test must name the same test"
        )
    written = [(f"{where}text", concept.get("text"))]
    for n, coding in enumerate(codings):
        written.append((f"{where}coding[{n}].display", coding.get("display")))
        if coding.get("system") not in LOINC_SYSTEMS:
            written.append((f"{where}coding[{n}].code", coding.get("code")))
    by_name = None
    for place, text in written if names else ():
        if not isinstance(text, str) or not text.strip():
            continue
        match = match_name(text)
        if match.verdict == "two markers":
            raise Reject(
                f"{place} {text!r} names two markers, {match.marker.name} and "
                f"{match.other.name}; an Observation is one test"
            )
        if match.marker is None:
            continue
        said = match.marker.name
        if marker and (said != marker or match.verdict == "other analyte"):
            what = (
                f"another analyte than {marker} ({match.qualifier.strip(' ,')})"
                if said == marker
                else said
            )
            raise Reject(
                f"{place} {text!r} is {what}, but LOINC {next(iter(by_code))} is "
                f"{marker}; the code and the name must name the same test"
            )
        if marker is None and match.verdict in ("marker", "unknown qualifier"):
            if by_name and by_name[1] != said:
                raise Reject(
                    f"{by_name[0]} {by_name[2]!r} is {by_name[1]}, but {place} "
                    f"{text!r} is {said}; an Observation is one test"
                )
            by_name = by_name or (place, said, text)
    if marker:
        return marker
    first = codings[0] if codings else {}
    key = (
        loinc[0]
        if loinc
        else "|".join(str(v) for v in (first.get("system"), first.get("code")) if v)
    ) or concept_text(concept)
    if by_name:
        return Skip(
            WITHOUT_LOINC,
            f"{by_name[1]} ({key})",
            f"{by_name[0]} {by_name[2]!r} names {by_name[1]}, but no coding is a LOINC "
            f"code of it ({', '.join(DEFAULT_MARKERS[by_name[1]].loinc)}); add the "
            "LOINC coding to read it",
        )
    return Skip("skipped, not a tumour marker", key)


def _result(where: str, holder: dict, marker: str, status: str, ctx: Context):
    """Return (text, marker, unit, value, censor, LOINC code) of one result, or
    None if it has none (counted); raise Reject for one that cannot be read."""
    at = f"{where}: " if where else ""
    codings = (holder.get("code") or {}).get("coding") or []
    code = next(
        c["code"]
        for c in codings
        if isinstance(c, dict)
        and c.get("system") in LOINC_SYSTEMS
        and LOINC_MARKERS.get(c.get("code"), ("",))[0] == marker
    )
    implied = LOINC_MARKERS[code][1]
    quantity = holder.get("valueQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return _no_value(where, holder, marker, code, status, ctx)
    value = quantity["value"]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise Reject(
            f"{at}valueQuantity.value is {_json_kind(value)} {value!r}; FHIR writes a "
            "decimal as a JSON number, such as 5.2 without quotes"
        )
    unit = _unit(quantity, marker, at)
    if unit != implied:
        ctx.note(
            f"{at}LOINC {code} implies {implied}, but the unit is {unit}; kept {unit}"
        )
    comparator = quantity.get("comparator", "")
    if comparator and comparator not in COMPARATORS:
        raise Reject(f"{at}comparator {comparator!r} is not one of <, <=, >, >=")
    exponent = Decimal(value).adjusted() if value else 0
    if not -30 < exponent < 30:  # written out, hundreds of digits; or read as 0
        raise Reject(
            f"{at}valueQuantity.value {Decimal(value):.3E}: outside what any assay "
            "reports; check the value"
        )
    text = comparator + _number(value)
    try:
        parsed, censor = check_result(text, decimal=".")
    except ValueError as err:
        raise Reject(f"{at}valueQuantity {text!r}: {err}") from None
    return text, marker, unit, parsed, censor, code


def _no_value(where: str, holder: dict, marker: str, code: str, status, ctx):
    at = f"{where}: " if where else ""
    absent = holder.get("dataAbsentReason")
    if isinstance(absent, dict):
        reason = (absent.get("coding") or [{}])[0].get("code") or concept_text(absent)
        ctx.collected.skipped(
            Skip("skipped, no result (dataAbsentReason)", f"{marker} {reason}"),
            ctx.where,
        )
        return None
    given = next(
        (k for k in holder if k.startswith("value") and k != "valueQuantity"), ""
    )
    if not given and status in ("registered", "preliminary"):
        ctx.collected.skipped(
            Skip("skipped, status", f"Observation {status} without a value"), ctx.where
        )
        return None
    if given:
        raise Reject(
            f"{at}{marker} ({code}) is given as {given} {holder[given]!r}, not as a "
            "valueQuantity; FHIR gives a measured result as valueQuantity (value, "
            "comparator, unit), which the importer reads"
        )
    raise Reject(f"{at}{marker} ({code}) has no valueQuantity.value")


def _json_kind(value) -> str:
    if isinstance(value, str):
        return "the string"
    return "a JSON " + ("boolean" if isinstance(value, bool) else type(value).__name__)


def _effective(resource: dict) -> tuple[str, str]:
    for name in ("effectiveDateTime", "effectivePeriod", "effectiveInstant"):
        moment = resource.get(name)
        if isinstance(moment, dict):
            moment, name = moment.get("start"), f"{name}.start"
        if moment:
            return moment, name
    raise Reject("no effectiveDateTime or effectivePeriod.start")


def _unit(quantity: dict, marker: str, at: str = "") -> str:
    """Return the unit of a valueQuantity in the package's spelling, or Reject.

    The UCUM code (``code``, system UCUM or none) and the unit as printed
    (``unit``) must be spellings of the same unit when both are given.
    """
    code, printed = quantity.get("code"), quantity.get("unit")
    readings = []
    if code and quantity.get("system", UCUM_SYSTEM) == UCUM_SYSTEM:
        readings.append(("valueQuantity.code", code))
    if printed:
        readings.append(("valueQuantity.unit", printed))
    if not readings and code:
        raise Reject(
            f"{at}valueQuantity.code {code!r} is of {quantity['system']}, not UCUM "
            f"({UCUM_SYSTEM}), and valueQuantity.unit is not given; give the unit"
        )
    units = [_unit_of(written) for _, written in readings]
    allowed = DEFAULT_MARKERS[marker].units
    if not any(units):
        written = list(dict.fromkeys(w for _, w in readings))
        shown = " / ".join(repr(w) for w in written) or "none"
        raise Reject(
            f"{at}unit {shown} is not a known unit of {marker}; use one of "
            f"{', '.join(allowed)}"
        )
    if len(units) == 2 and units[0] != units[1]:
        (first, a), (second, b) = readings
        said = [f"{u}" if u else "a unit the importer does not know" for u in units]
        raise Reject(
            f"{at}{first} {a!r} is {said[0]}, but {second} {b!r} is {said[1]}; they "
            "must be the same unit, so the result cannot be read: correct the one "
            "that is wrong"
        )
    unit = units[0]
    if unit not in allowed:
        raise Reject(
            f"{at}unit {unit} is not a unit of {marker}; use one of "
            f"{', '.join(allowed)}"
        )
    return unit


def _unit_of(written: str) -> str | None:
    return UCUM_UNITS.get("".join(written.split()).casefold()) or canonical_unit(
        written
    )


def _number(value) -> str:
    # Decimals keep the digits written (0.10 stays 0.10).
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def procedure(resource: dict, ctx: Context) -> None:
    """A procedure: one treatments row, its kind from the procedure's name."""
    check_status(resource)
    text = concept_text(resource.get("code"))
    if not text:
        raise Reject("the procedure has no code text or display")
    span = resource.get("performedPeriod") or {}
    if resource.get("performedDateTime"):
        span, field = {"start": resource["performedDateTime"]}, "performedDateTime"
        closed = True
    elif span.get("start"):
        field, closed = "performedPeriod", bool(span.get("end"))
    else:
        raise Reject("no performedDateTime or performedPeriod.start")
    sites = [concept_text(s) for s in resource.get("bodySite", [])]
    row = {
        "patient_id": ctx.patient(resource),
        "kind": procedure_kind(text) or text,
        "label": text,
        "target": "; ".join(s for s in sites if s),
    }
    ctx.add_course(row, span, field, closed=closed)


def medication(resource: dict, ctx: Context) -> None:
    """A medication course: one treatments row, its kind from the drug's name."""
    check_status(resource)
    name = ctx.medication_name(resource)
    kind, label = drug_kind(name) or (name, name)
    closed, reasoning = False, ""
    if resource["resourceType"] == "MedicationRequest":
        field = "dispenseRequest.validityPeriod"
        span = (resource.get("dispenseRequest") or {}).get("validityPeriod") or {}
        if not span.get("start") and resource.get("authoredOn"):
            span, field, closed = {"start": resource["authoredOn"]}, "authoredOn", True
            reasoning = "authoredOn of the request; the end of the course is not given"
    elif resource.get("effectiveDateTime"):
        span, field = {"start": resource["effectiveDateTime"]}, "effectiveDateTime"
        closed = True
    else:
        span, field = resource.get("effectivePeriod") or {}, "effectivePeriod"
    if not span.get("start"):
        raise Reject(
            "no start date (effectiveDateTime, effectivePeriod.start, "
            "dispenseRequest.validityPeriod.start or authoredOn)"
        )
    row = {
        "patient_id": ctx.patient(resource),
        "kind": kind,
        "label": label,
        "date_reasoning": reasoning,
    }
    ctx.add_course(row, span, field, closed=closed or bool(span.get("end")))


def condition(resource: dict, ctx: Context) -> None:
    """A diagnosis: one events row; the earliest per patient sets the origin."""
    status = (resource.get("verificationStatus") or {}).get("coding", [])
    for coding in status:
        if coding.get("code") in VOID_VERIFICATION:
            raise Skip("skipped, status", f"Condition {coding['code']}")
    if not resource.get("onsetDateTime"):
        raise Skip("skipped, no onsetDateTime", "Condition")
    day = ctx.day(resource["onsetDateTime"], "onsetDateTime")
    row = {
        "patient_id": ctx.patient(resource),
        "date": day.text,
        "label": concept_text(resource.get("code")) or "Diagnosis",
        "date_precision": day.precision,
    }
    ctx.add("events", row)


MAPPERS = {
    "Observation": observation,
    "Procedure": procedure,
    "MedicationStatement": medication,
    "MedicationAdministration": medication,
    "MedicationRequest": medication,
    "Condition": condition,
}
