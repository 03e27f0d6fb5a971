"""Read tumour-marker results, treatments and diagnoses from FHIR R4 JSON.

A Bundle (``.json``) or NDJSON (one resource a line). Every resource is validated
with the R4B models of ``fhir.resources`` (R4B has the same elements as R4 for
every resource read here; the package's top-level models are R5); one that fails
is reported with its entry or line and its id, and left out. Pure pandas.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ...core.dates import parse_date
from ...core.errors import Problem
from .fhir_context import Context, source_of
from .fhir_rows import MAPPERS
from .result import Collector, ImportResult, Reject, Skip, SourceError

NDJSON_SUFFIXES = (".ndjson", ".jsonl")


@dataclass
class _Item:
    """One resource as read: where it was, its JSON, and its Bundle fullUrl."""

    where: str
    raw: dict | None
    full_url: str | None = None
    error: str = ""


def read_fhir(path, *, today=None) -> ImportResult:
    """Read a FHIR R4 Bundle or NDJSON file into case tables.

    Parameters
    ----------
    path : str or Path
        A JSON file holding a Bundle (or one resource), or an NDJSON file.
    today : datetime-like, optional
        Later dates are refused; defaults to the current date.

    Returns
    -------
    ImportResult
        ``measurements`` from Observations with a tumour-marker LOINC code of the
        registry (:attr:`plotting.core.markers.Marker.loinc`), ``treatments``
        from Procedures and medication resources, ``events`` from Conditions
        (each patient's earliest is ``Diagnosis``, and its origin).

    Raises
    ------
    SourceError
        If the file cannot be read, is neither JSON nor NDJSON, or the ``fhir``
        extra (``fhir.resources``) is not installed.

    Examples
    --------
    >>> result = read_fhir("tests/cases/imports/example_bundle.json")
    >>> result.patient_ids
    ['p1', 'p2']
    """
    path = Path(path)
    model_class = _model_lookup()
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    collected = Collector(path.name)
    problems: list[tuple[int, Problem]] = []
    valid = []
    for at, item in enumerate(_items(path)):
        if item.raw is None:
            collected.counts["invalid"]["(not a resource)"] += 1
            problems.append((at, Problem(path.name, f"{item.where}: {item.error}")))
            continue
        kind = str(item.raw.get("resourceType") or "(no resourceType)")
        collected.counts["read"][kind] += 1
        if error := _invalid(item.raw, model_class):
            collected.counts["invalid"][kind] += 1
            where = f"{item.where} ({source_of(item.raw, item.where)})"
            problems.append((at, Problem(path.name, f"{where}: {error}")))
            continue
        valid.append((at, item))
    ctx = _context(valid, collected, today)
    for at, item in valid:
        kind = item.raw["resourceType"]
        if kind not in MAPPERS:
            collected.counts["skipped, resource type"][kind] += 1
            continue
        ctx.source, ctx.resource_type = source_of(item.raw, item.where), kind
        ctx.current = f"{path.name}, {item.where} ({ctx.source})"
        try:
            MAPPERS[kind](item.raw, ctx)
        except Skip as skip:
            collected.counts[skip.reason][skip.key] += 1
        except Reject as err:
            collected.counts["rejected"][kind] += 1
            message = f"{item.where} ({ctx.source}): {err}"
            problems.append((at, Problem(path.name, message)))
    collected.problems = [p for _, p in sorted(problems, key=lambda pair: pair[0])]
    return collected.finish(_diagnoses(collected.rows["events"]), decimal=".")


def _model_lookup():
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:
        raise SourceError(
            "reading FHIR needs fhir.resources; install the fhir extra: "
            "pip install 'marker-trends[fhir]'"
        ) from None
    return get_fhir_model_class


def _items(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(f"{path}: cannot be read ({err}); check the file") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise SourceError(f"{path}: the file is empty")
    if path.suffix.lower() not in NDJSON_SUFFIXES:
        try:
            whole = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as err:
            if len(lines) == 1 or not _is_json(lines[0][1]):  # not NDJSON either
                raise SourceError(f"{path}: not JSON ({err})") from None
        else:
            if not isinstance(whole, dict):
                raise SourceError(f"{path}: not a FHIR resource or Bundle")
            yield from _unpacked(whole, "")
            return
    for n, line in lines:
        try:
            raw = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as err:
            error = f"not JSON ({err.msg}, column {err.colno})"
            yield _Item(f"line {n}", None, error=error)
            continue
        yield from _unpacked(raw, f"line {n}")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _unpacked(raw, where: str):
    if not isinstance(raw, dict):
        yield _Item(where or "top level", None, error="not a JSON object")
    elif raw.get("resourceType") != "Bundle":
        yield _Item(where or "resource 1", raw)
    else:
        prefix = f"{where}, " if where else ""
        for n, entry in enumerate(raw.get("entry") or [], 1):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                yield _Item(
                    f"{prefix}entry {n}", None, error="entry without a resource"
                )
            else:
                yield _Item(f"{prefix}entry {n}", resource, entry.get("fullUrl"))


def _invalid(raw: dict, model_class) -> str:
    """Return why a resource fails FHIR R4(B) validation, or an empty string."""
    try:
        # Validation may fill in defaults; the JSON as read is what is mapped.
        model_class(str(raw.get("resourceType"))).model_validate(copy.deepcopy(raw))
    except (ValueError, TypeError) as err:
        details = getattr(err, "errors", None)
        if not callable(details):
            return f"invalid: {err}"
        shown = [
            f"{'.'.join(str(p) for p in e['loc']) or '(resource)'}: {e['msg']}"
            for e in details()[:5]
        ]
        more = len(details()) - len(shown)
        return "invalid: " + "; ".join(shown) + (f"; and {more} more" if more else "")
    return ""


def _context(valid, collected: Collector, today) -> Context:
    ctx = Context(collected, today)
    for _, item in valid:
        kind, rid = item.raw["resourceType"], item.raw.get("id")
        if kind == "Patient" and item.full_url:
            ctx.patients[item.full_url] = rid or item.full_url.split(":")[-1]
        if kind == "Medication":
            for key in (f"Medication/{rid}" if rid else None, item.full_url):
                if key:
                    ctx.medications[key] = item.raw
    return ctx


def _diagnoses(events: list[dict]) -> dict[str, str]:
    """Label each patient's earliest Condition ``Diagnosis``; return the origins."""
    first: dict[str, dict] = {}
    for row in events:
        known = first.get(row["patient_id"])
        if known is None or parse_date(row["date"])[1] < parse_date(known["date"])[1]:
            first[row["patient_id"]] = row
    for row in first.values():
        row["label"] = "Diagnosis"
    return {pid: row["date"] for pid, row in first.items()}
