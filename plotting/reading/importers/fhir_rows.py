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
from .values import LOINC_MARKERS, check_result

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


def observation(resource: dict, ctx: Context) -> None:
    """A tumour-marker result (by its LOINC code): one measurements row."""
    check_status(resource)
    codings = resource["code"].get("coding", [])
    loinc = [c.get("code") for c in codings if c.get("system") == LOINC_SYSTEM]
    code = next((c for c in loinc if c in LOINC_MARKERS), None)
    if code is None:
        first = codings[0] if codings else {}
        key = (
            loinc[0]
            if loinc
            else "|".join(filter(None, (first.get("system"), first.get("code"))))
        )
        raise Skip(
            "skipped, not a tumour marker", key or concept_text(resource["code"])
        )
    marker, implied = LOINC_MARKERS[code]
    quantity = resource.get("valueQuantity") or {}
    if quantity.get("value") is None:
        raise Reject(f"{marker} ({code}) has no valueQuantity.value")
    unit = _unit(quantity, marker)
    if unit != implied:
        ctx.note(f"LOINC {code} implies {implied}, but the unit is {unit}; kept {unit}")
    comparator = quantity.get("comparator", "")
    if comparator and comparator not in COMPARATORS:
        raise Reject(f"comparator {comparator!r} is not one of <, <=, >, >=")
    for name in ("effectiveDateTime", "effectivePeriod", "effectiveInstant"):
        moment = resource.get(name)
        if isinstance(moment, dict):
            moment, name = moment.get("start"), f"{name}.start"
        if moment:
            break
    else:
        raise Reject("no effectiveDateTime or effectivePeriod.start")
    day = ctx.day(moment, name)
    text = comparator + _number(quantity["value"])
    try:
        value, censor = check_result(text, decimal=".")
    except ValueError as err:
        raise Reject(f"valueQuantity {text!r}: {err}") from None
    row = {
        "patient_id": ctx.patient(resource),
        "date": day.text,
        "date_precision": day.precision,
        "marker": marker,
        "value": text,
        "unit": unit,
    }
    ctx.add_result(row, day, value, censor)


def _unit(quantity: dict, marker: str) -> str:
    written = list(
        dict.fromkeys(quantity[k] for k in ("code", "unit") if quantity.get(k))
    )
    units = [
        UCUM_UNITS.get("".join(w.split()).casefold()) or canonical_unit(w)
        for w in written
    ]
    unit = next((u for u in units if u), None)
    allowed = DEFAULT_MARKERS[marker].units
    if unit is None:
        shown = " / ".join(repr(w) for w in written) or "none"
        raise Reject(
            f"unit {shown} is not a known unit of {marker}; use one of "
            f"{', '.join(allowed)}"
        )
    if unit not in allowed:
        raise Reject(
            f"unit {unit} is not a unit of {marker}; use one of {', '.join(allowed)}"
        )
    return unit


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
