"""What the FHIR mappers share: references to patients and medications, dates.

A mapper raises :class:`~.result.Skip` for a resource left out on purpose
(counted by reason) and :class:`~.result.Reject` for one that should give a row
but cannot (reported as a problem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ...core.vocabulary import is_known_kind
from .result import Collector, Reject
from .values import Day, read_day

OPEN_PERIOD = "open period, ongoing"
OPEN_REASONING = "the period has no end: ongoing at the last follow-up"
_PATIENT_REF = re.compile(r"(?:^|/)Patient/([A-Za-z0-9\-.]{1,64})(?:/_history/.*)?$")


@dataclass
class Context:
    """What mappers need beyond the resource, and where they count and note.

    Attributes
    ----------
    collected : Collector
        Rows, counts and notes of the file being read.
    today : Timestamp or None
        Later dates are refused.
    patients : dict of str to str
        A Bundle entry's fullUrl to its Patient's id (for ``urn:uuid:`` subjects).
    medications : dict of str to dict
        Medication resources by ``Medication/id`` and by fullUrl.
    current : str
        Where the resource being mapped was read, for notes.
    where : str
        The same without the file's name (``entry 4 (Observation/obs-1)``).
    at : int
        Its position in the file, for the order of problems.
    source : str
        The resource being mapped, as ``Observation/obs-1``: each row's source.
    resource_type : str
        Its type, for counts.
    candidates : list of Candidate
        Tumour-marker results read, to be settled by status once all are read.
    """

    collected: Collector
    today: object = None
    patients: dict = field(default_factory=dict)
    medications: dict = field(default_factory=dict)
    current: str = ""
    where: str = ""
    at: int = 0
    source: str = ""
    resource_type: str = ""
    candidates: list = field(default_factory=list)

    def note(self, message: str) -> None:
        """Add a note about the current resource."""
        self.collected.notes.append(f"{self.current}: {message}")

    def count(self, reason: str, key: str) -> None:
        """Count the current resource under ``reason`` by ``key``."""
        self.collected.counts[reason][key] += 1

    def add(self, table: str, row: dict) -> None:
        """Add a row of ``treatments`` or ``events``, with its source."""
        self.collected.rows[table].append({**row, "source": self.source})

    def add_candidate(self, row, day: Day, value, censor, status, moment, part=""):
        """Keep a result of the current resource (``part``: its component) to
        settle with the others of its test and time (see :class:`Candidate`)."""
        source = f"{self.source}, {part}" if part else self.source
        where = f"{self.where}, {part}" if part else self.where
        self.candidates.append(
            Candidate(
                {**row, "source": source},
                day,
                value,
                censor,
                status,
                moment,
                instant(moment),
                where,
                self.at,
                self.resource_type,
            )
        )

    def add_course(self, row: dict, span: dict, field_name: str, *, closed: bool):
        """Add a treatments row from a period (or a single date as its start).

        An end on the start's day is left empty (a single-day procedure). An
        open period (no end, ``closed`` False) is a course still running: its end
        is ``ongoing`` (drawn to the last follow-up), and the row is counted and
        explained in ``date_reasoning``.
        """
        period = field_name.endswith("Period")
        start = self.day(span["start"], f"{field_name}.start" if period else field_name)
        end = ""
        if span.get("end"):
            last = self.day(span["end"], f"{field_name}.end")
            if last.position < start.start:
                raise Reject(f"{field_name}.end {span['end']!r} is before its start")
            end = "" if last.text == start.text else last.text
        elif not closed:
            self.count(OPEN_PERIOD, self.resource_type)
            row = {**row, "date_reasoning": OPEN_REASONING}
            end = "ongoing"
        if not is_known_kind(row["kind"]):
            self.count("unmapped kind", row["kind"])
        self.add(
            "treatments",
            {**row, "start": start.text, "end": end, "date_precision": start.precision},
        )

    def day(self, text: str, field_name: str) -> Day:
        """Read a FHIR date or dateTime; a time of day is dropped."""
        try:
            return read_day(text, today=self.today)
        except ValueError as err:
            raise Reject(f"{field_name} {text!r}: {err}") from None

    def patient(self, resource: dict) -> str:
        """Return the id of the patient a resource is about."""
        ref = (resource.get("subject") or {}).get("reference", "")
        if not ref:
            raise Reject("no subject.reference; the patient is not known")
        if ref in self.patients:
            return self.patients[ref]
        if match := _PATIENT_REF.search(ref):
            return match.group(1)
        if ref.startswith("urn:uuid:"):
            self.note(f"subject {ref} is not in the file; its uuid is the patient id")
            return ref.removeprefix("urn:uuid:")
        raise Reject(f"subject {ref!r} is not a Patient")

    def medication_name(self, resource: dict) -> str:
        """Return the medication's name as written (text, else a display)."""
        if name := concept_text(resource.get("medicationCodeableConcept")):
            return name
        ref = resource.get("medicationReference") or {}
        target = ref.get("reference", "")
        contained = {
            "#" + c.get("id", ""): c for c in resource.get("contained", []) if "id" in c
        }
        medication = contained.get(target) or self.medications.get(target)
        name = concept_text((medication or {}).get("code")) or ref.get("display", "")
        if not name:
            raise Reject("the medication has no text or display; its name is unknown")
        return name


@dataclass(frozen=True)
class Candidate:
    """A tumour-marker result read, before its status is weighed against others.

    Attributes
    ----------
    row : dict
        The measurements row, with its source.
    day : Day
    value : float
    censor : str
    status : str
        The Observation's status (``final``, ``preliminary``, ...).
    moment : str
        Its effective date or dateTime as written.
    instant : Timestamp or None
        When it was taken, in UTC, if the time of day is given.
    where : str
        Where it was read (``entry 4 (Observation/obs-1), component 2``).
    at : int
        Its resource's position in the file.
    resource_type : str
    """

    row: dict
    day: Day
    value: float
    censor: str
    status: str
    moment: str
    instant: object
    where: str
    at: int
    resource_type: str

    @property
    def reading(self) -> tuple:
        """What it says: value, censoring and unit."""
        return (self.value, self.censor, self.row["unit"])

    @property
    def shown(self) -> str:
        """The result as written, for messages: ``AFP 5.2 ng/mL``."""
        return f"{self.row['marker']} {self.row['value']} {self.row['unit']}"


def instant(moment: str):
    """Return a FHIR dateTime with a time of day as a UTC Timestamp, else None."""
    if "T" not in moment:
        return None
    try:
        return pd.Timestamp(moment).tz_convert("UTC")
    except (ValueError, TypeError):
        return None


def concept_text(concept: dict | None) -> str:
    """Return a CodeableConcept's text, else its first coding's display."""
    concept = concept or {}
    if concept.get("text", "").strip():
        return concept["text"].strip()
    displays = [c.get("display", "").strip() for c in concept.get("coding", [])]
    return next((d for d in displays if d), "")


def source_of(resource: dict, where: str) -> str:
    """Name a resource as ``Observation/obs-17`` (or by position without an id)."""
    kind = resource.get("resourceType", "resource")
    return f"{kind}/{resource['id']}" if resource.get("id") else f"{kind} ({where})"
