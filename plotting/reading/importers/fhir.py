"""Read tumour-marker results, treatments and diagnoses from FHIR R4 JSON.

A Bundle (``.json``, Bundles inside it read too) or NDJSON (one resource a
line). Every resource of a type read is validated with the R4B models of
``fhir.resources`` (R4B has the same elements as R4 for every resource read
here; the package's top-level models are R5); one that fails is reported with
its entry or line and its id, and left out. An Observation gives a result for
itself and for each component coded as a marker; results of one test and time
are settled by ``status`` (see :func:`_settle`). Pure pandas.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ...core.dates import parse_date
from ...core.errors import Problem
from .fhir_context import Candidate, Context, source_of
from .fhir_rows import MAPPERS, STATUS_RANK
from .result import Collector, ImportResult, Reject, Skip, SourceError

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
# The resource types read: mapped to rows, or looked up by the resources that are.
READ_TYPES = {*MAPPERS, "Patient", "Medication"}


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
        kind = item.raw.get("resourceType")
        if not isinstance(kind, str) or not kind:
            collected.counts["invalid"]["(no resourceType)"] += 1
            where = f"{item.where} ({source_of(item.raw, item.where)})"
            message = "no resourceType; every resource names its type"
            problems.append((at, Problem(path.name, f"{where}: {message}")))
            continue
        collected.counts["read"][kind] += 1
        if kind not in READ_TYPES and _is_resource_type(kind, model_class):
            # Not read: checking it could only refuse the import for nothing.
            valid.append((at, item))
            continue
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
        ctx.where, ctx.at = f"{item.where} ({ctx.source})", at
        ctx.current = f"{path.name}, {ctx.where}"
        try:
            MAPPERS[kind](item.raw, ctx)
        except Skip as skip:
            collected.skipped(skip, ctx.where)
        except Reject as err:
            collected.counts["rejected"][kind] += 1
            problems.append((at, Problem(path.name, f"{ctx.where}: {err}")))
    _settle(ctx.candidates, collected, problems)
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
    except UnicodeDecodeError:
        raise SourceError(
            f"{path}: not UTF-8 text; FHIR JSON is UTF-8, export it as such"
        ) from None
    except OSError as err:
        raise SourceError(f"{path}: cannot be read ({err}); check the file") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise SourceError(f"{path}: the file is empty")
    if path.suffix.lower() not in NDJSON_SUFFIXES:
        try:
            whole = _json(text)
        except _JsonError as err:
            if err.syntax and len(lines) > 1 and _is_json(lines[0][1]):
                pass  # an NDJSON file named .json: read it a line at a time
            else:
                raise SourceError(f"{path}: {err}") from None
        else:
            if not isinstance(whole, dict):
                raise SourceError(
                    f"{path}: {_kind_of(whole)}, not a FHIR resource or Bundle; give "
                    'a Bundle ({"resourceType": "Bundle", "entry": [...]}) or NDJSON '
                    "(one resource a line)"
                )
            if not isinstance(whole.get("resourceType"), str):
                raise SourceError(
                    f"{path}: a JSON object without a resourceType, not a FHIR "
                    "resource or Bundle"
                )
            try:
                yield from _unpacked(whole, "")
            except _BundleError as err:
                raise SourceError(f"{path}: {err}") from None
            return
    for n, line in lines:
        try:
            raw = _json(line)
        except _JsonError as err:
            yield _Item(f"line {n}", None, error=err.short)
            continue
        try:
            yield from _unpacked(raw, f"line {n}")
        except _BundleError as err:
            yield _Item(f"line {n}", None, error=str(err))


class _JsonError(ValueError):
    """Text that is not JSON as FHIR writes it; ``syntax`` if not JSON at all."""

    def __init__(self, message: str, *, syntax: bool, short: str = ""):
        super().__init__(message)
        self.syntax, self.short = syntax, short or message


class _BundleError(ValueError):
    """A Bundle whose ``entry`` is not a list: none of its entries can be read."""


def _json(text: str):
    """Parse JSON as FHIR writes it: decimals kept as written, no NaN, no key twice."""
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            # An integer of thousands of digits is refused by int(); a Decimal
            # holds it, to be refused as a result with its value named.
            parse_int=lambda digits: (
                int(digits) if len(digits) < 40 else Decimal(digits)
            ),
            parse_constant=_no_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as err:
        raise _JsonError(
            f"not JSON ({err})",
            syntax=True,
            short=f"not JSON ({err.msg}, column {err.colno})",
        ) from None
    except RecursionError:
        raise _JsonError(
            "not JSON as FHIR writes it: nested thousands of levels deep",
            syntax=False,
        ) from None


def _no_constant(name: str):
    raise _JsonError(
        f"not JSON as FHIR writes it: {name} is not a number; FHIR has no NaN or "
        "Infinity, write the value the lab reported",
        syntax=False,
    )


def _object(pairs):
    keys = [key for key, _ in pairs]
    if twice := sorted({key for key in keys if keys.count(key) > 1}):
        raise _JsonError(
            f"not JSON as FHIR writes it: a JSON object names {twice[0]!r} twice, so "
            "which value is meant cannot be told; an object names each field once",
            syntax=False,
        )
    return dict(pairs)


def _kind_of(value) -> str:
    kinds = {
        dict: "a JSON object",
        list: "a JSON array",
        str: "a JSON string",
        bool: "true or false",
    }
    if value is None:
        return "null"
    return kinds.get(type(value), "a JSON number")


def _is_json(text: str) -> bool:
    try:
        _json(text)
    except _JsonError:
        return False
    return True


def _unpacked(raw, where: str, depth: int = 0):
    if not isinstance(raw, dict):
        yield _Item(
            where or "top level",
            None,
            error=f"{_kind_of(raw)}, not a JSON object; each resource is an object",
        )
    elif raw.get("resourceType") != "Bundle":
        yield _Item(where or "resource 1", raw)
    else:
        prefix = f"{where}, " if where else ""
        entries = raw.get("entry", [])
        if not isinstance(entries, list):
            raise _BundleError(
                f"{prefix}Bundle.entry is {_kind_of(entries)}, not a list of entries; "
                'write it as "entry": [{"resource": {...}}, ...]'
            )
        for n, entry in enumerate(entries, 1):
            here = f"{prefix}entry {n}"
            if not isinstance(entry, dict):
                yield _Item(here, None, error=f"{_kind_of(entry)}, not an entry object")
                continue
            resource = entry.get("resource")
            if resource is None:
                yield _Item(here, None, error="entry without a resource")
            elif not isinstance(resource, dict):
                yield _Item(
                    here, None, error=f"resource is {_kind_of(resource)}, not an object"
                )
            elif resource.get("resourceType") == "Bundle" and depth < 4:
                yield from _unpacked(resource, here, depth + 1)
            else:
                yield _Item(here, resource, entry.get("fullUrl"))


def _is_resource_type(kind: str, model_class) -> bool:
    try:
        model_class(kind)
    except (ValueError, KeyError, LookupError):
        return False
    return True


def _invalid(raw: dict, model_class) -> str:
    """Return why a resource fails FHIR R4(B) validation, or an empty string."""
    kind = str(raw.get("resourceType"))
    if not _is_resource_type(kind, model_class):
        return f"resourceType {kind!r} is not a FHIR R4 resource type"
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


def _settle(candidates: list[Candidate], collected: Collector, problems) -> None:
    """Add the results read, one for each test and time, in the file's order.

    Results of one patient's marker collide when taken at the same time: the
    same instant, or the same day written where either has no time of day
    (which cannot be told apart). Of colliding results the latest status wins
    (final supersedes preliminary and registered; amended and corrected
    supersede final); the superseded are left out and listed. Results of the
    latest status that disagree are all refused, named together; ones that
    agree are kept once.
    """
    kept: list[Candidate] = []
    for group in _collisions(candidates):
        kept += _decided(group, collected, problems)
    for result in sorted(kept, key=lambda c: (c.at, c.where)):
        try:
            collected.add_result(
                result.row, result.day, result.value, result.censor, result.where
            )
        except Skip as skip:
            collected.skipped(skip, result.where)
        except Reject as err:
            collected.counts["rejected"][result.resource_type] += 1
            problems.append(
                (result.at, Problem(collected.source, f"{result.where}: {err}"))
            )
            continue
        if STATUS_RANK.get(result.status, 2) < 2 or result.status == "unknown":
            collected.notes.append(
                f"{collected.source}, {result.where}: {result.shown} on "
                f"{result.row['date']} is {result.status}; no final result of that "
                "test and time is in the file, check it before use"
            )


def _collisions(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Group results of one patient's marker taken at one time (union-find)."""
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict = {}
    untimed: dict = {}
    days: dict = defaultdict(list)
    for i, result in enumerate(candidates):
        # One test is a marker in one specimen: a CSF CEA beside the serum one.
        test = (
            result.row["patient_id"],
            result.row["marker"],
            result.row.get("specimen", ""),
        )
        day = (*test, result.row["date"])
        days[day].append(i)
        key = (*test, "at", result.instant) if result.instant is not None else day
        if result.instant is None:
            untimed.setdefault(day, i)
        parent[root(i)] = root(first.setdefault(key, i))
    for day, i in untimed.items():
        for j in days[day]:
            parent[root(j)] = root(i)
    groups: dict = defaultdict(list)
    for i, result in enumerate(candidates):
        groups[root(i)].append(result)
    return list(groups.values())


def _decided(group: list[Candidate], collected: Collector, problems) -> list:
    """Return the results of a group to keep; count and list the others."""
    if len(group) == 1:
        return group
    ranks = [STATUS_RANK.get(c.status) for c in group]
    if None in ranks:  # "unknown" (or none): no order to supersede by
        latest = group
    else:
        top = max(ranks)
        latest = [c for c, rank in zip(group, ranks, strict=True) if rank == top]
        winner = latest[0]
        for result in group:
            if result not in latest:
                collected.skipped(
                    Skip(
                        "skipped, superseded",
                        result.row["marker"],
                        f"{result.shown} ({result.status}) superseded by the "
                        f"{winner.status} {winner.shown} of {winner.where}, the same "
                        "test at the same time",
                    ),
                    result.where,
                )
    if len({c.reading for c in latest}) == 1:
        return latest
    for result in latest:
        collected.counts["rejected"][result.resource_type] += 1
    first = latest[0]
    said = "; ".join(f"{c.where} ({c.status}, {c.moment}) is {c.shown}" for c in latest)
    statuses = {c.status for c in latest}
    which = (
        f"{len(latest)} {statuses.pop()} results" if len(statuses) == 1 else ("results")
    )
    problems.append(
        (
            first.at,
            Problem(
                collected.source,
                f"{first.where}: {which} of one test at one time disagree, and none "
                f"supersedes the others: {said}; none is imported: keep the right "
                "one in the source (amended or corrected, the others "
                "entered-in-error)",
            ),
        )
    )
    return []


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
