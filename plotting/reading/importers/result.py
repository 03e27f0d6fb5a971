"""What an importer returns: case tables as text, counts by reason, problems.

Pure pandas. A :class:`Collector` gathers rows while a source is read and refuses
what the package's reader would refuse (a second unit for a marker, a result
given twice); :meth:`Collector.finish` gives each patient a time origin and a last
follow-up and returns the :class:`ImportResult`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ...core.dates import parse_date
from ...core.errors import InputError, Problem
from .values import needed_decimal

COLUMNS: dict[str, tuple[str, ...]] = {
    "patients": ("patient_id", "origin", "last_follow_up"),
    "measurements": (
        "patient_id",
        "date",
        "date_precision",
        "marker",
        "value",
        "unit",
        "source",
    ),
    "treatments": (
        "patient_id",
        "kind",
        "start",
        "end",
        "label",
        "target",
        "date_precision",
        "date_reasoning",
        "source",
    ),
    "events": ("patient_id", "date", "label", "date_precision", "source"),
}
DATE_COLUMN = {"measurements": "date", "treatments": "start", "events": "date"}
# The order counts are listed in; "read" first, "imported" last.
REASONS = (
    "read",
    "invalid",
    "skipped, resource type",
    "skipped, status",
    "skipped, no result (dataAbsentReason)",
    "skipped, not a tumour marker",
    "skipped, another analyte of a marker",
    "skipped, marker name with an unknown qualifier",
    "skipped, marker without a LOINC code",
    "skipped, panel of other Observations",
    "skipped, no onsetDateTime",
    "skipped, superseded",
    "skipped, same result twice",
    "skipped, patient without marker results",
    "rejected",
    "unmapped kind",
    "open period, ongoing",
)

# Reasons that leave out a tumour-marker result the source holds (each listed
# where it was): ``marker-trends import`` exits 3 unless --allow-skipped. Others
# leave out what is no result of a registry marker (another test, a resource
# type not read, a result its status voids).
LEFT_OUT = (
    "skipped, marker name with an unknown qualifier",
    "skipped, marker without a LOINC code",
    "skipped, superseded",
    "skipped, same result twice",
)


class SourceError(InputError):
    """A source that cannot be imported at all (unreadable, wrong options)."""


class ColumnError(SourceError):
    """A header given for a role of a lab export that the export does not have.

    Attributes
    ----------
    role, header : str
        The role and the header given for it.
    headers : list of str
        The export's headers, for the message.
    """

    def __init__(self, message: str, role: str, header: str, headers):
        super().__init__(message)
        self.role, self.header, self.headers = role, header, list(headers)


class Skip(Exception):  # noqa: N818 - a control-flow signal, not an error
    """A row left out on purpose, counted under ``reason`` by ``key``.

    ``detail`` says what was left out, for the reasons of :data:`LEFT_OUT`.
    """

    def __init__(self, reason: str, key: str, detail: str = ""):
        super().__init__(reason, key)
        self.reason, self.key, self.detail = reason, key, detail


class Reject(Exception):  # noqa: N818
    """A row that should be imported but cannot; the message says why."""


@dataclass(frozen=True)
class ImportResult:
    """Case tables read from an export, for
    :func:`plotting.output.imported_cases.write_import`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``patients`` (``patient_id``, ``origin``, ``last_follow_up``),
        ``measurements``, ``treatments`` and ``events`` in the columns of
        ``data/README.md`` plus ``patient_id``; every cell is text. A table gets
        a ``prior_history`` column only when a row lies before its origin.
    counts : dict of str to dict of str to int
        Reason (``read``, ``skipped, status``, ``rejected``, ``imported``, ...) to
        a count by resource type, code, test name or table.
    problems : tuple of Problem
        Each row that should have been imported but could not, located.
    notes : tuple of str
        Decisions to check: an origin taken from the data, prior history.
    source : str
        The file's name.
    decimal : {".", ","} or None
        The decimal mark to declare under ``[files]`` when a result needs it.
    left_out : dict of str to tuple of str
        For each reason of :data:`LEFT_OUT` counted, each result left out: where
        it was and why (``row 9: AFP 3.0 ng/mL on 2021-08-02, as row 4``).
    """

    tables: dict[str, pd.DataFrame]
    counts: dict[str, dict[str, int]]
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""
    decimal: str | None = None
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def patient_ids(self) -> list[str]:
        """The patients imported, in order."""
        return list(self.tables["patients"]["patient_id"])

    @property
    def results_left_out(self) -> int:
        """How many tumour-marker results of the source were left out by rule."""
        return sum(sum(self.counts.get(reason, {}).values()) for reason in LEFT_OUT)


@dataclass
class Collector:
    """Rows, counts, problems and notes gathered while one source is read."""

    source: str
    rows: dict = field(default_factory=lambda: defaultdict(list))
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    left_out: dict = field(default_factory=lambda: defaultdict(list))
    _units: dict = field(default_factory=dict)
    _seen: dict = field(default_factory=dict)

    def skipped(self, skip: Skip, where: str) -> None:
        """Count a row left out; list it with ``where`` if its reason is LEFT_OUT."""
        self.counts[skip.reason][skip.key] += 1
        if skip.reason in LEFT_OUT:
            self.left_out[skip.reason].append(
                f"{where}: {skip.detail}" if skip.detail else where
            )

    def add_result(
        self, row: dict, day, value: float, censor: str, where: str = ""
    ) -> None:
        """Add a measurements row, or raise Skip or Reject as the package would.

        A marker keeps the unit of its patient's first result; the same result
        twice (day, marker, value and unit) is kept once, the first; ``where``
        names the row for the listing of results left out.
        """
        pid, marker, unit = row["patient_id"], row["marker"], row["unit"]
        # A series is a marker in one specimen: each keeps its own unit, and a
        # urine result equal to the serum one that day is no repeat.
        specimen = row.get("specimen", "")
        series = f"{marker}, {specimen}" if specimen else marker
        first = self._units.setdefault((pid, marker, specimen), unit)
        if unit != first:
            raise Reject(
                f"{series} in {unit}, but patient {pid}'s first {series} result is "
                f"in {first}; a {'series' if specimen else 'marker'} keeps one unit "
                "throughout a case"
            )
        key = (pid, day.position, marker, specimen, value, censor, unit)
        if key in self._seen:
            raise Skip(
                "skipped, same result twice",
                marker,
                f"{marker} {row['value']} {unit} on {row['date']} (patient {pid}), as "
                f"{self._seen[key]}; kept once",
            )
        self._seen[key] = where or row.get("source", "")
        self.rows["measurements"].append(row)

    def finish(self, origins=None, decimal: str | None = None) -> ImportResult:
        """Return the result: each patient's span, prior history, counts.

        Parameters
        ----------
        origins : dict of str to str, optional
            Each patient's diagnosis date; a patient without one starts at its
            earliest row, and a note says so.
        decimal : {".", ","}, optional
            The mark the results were checked with.
        """
        tables = {
            name: _sorted(
                pd.DataFrame(self.rows[name], columns=self._columns(name), dtype=object)
                .fillna("")
                .astype(object),
                DATE_COLUMN[name],
            )
            for name in DATE_COLUMN
        }
        self._drop_patients_without_results(tables)
        tables["patients"] = self._spans(tables, origins or {})
        self._mark_prior_history(tables)
        self.counts["imported"] = Counter(
            {name: len(tables[name]) for name in DATE_COLUMN if len(tables[name])}
        )
        order = [*REASONS, *(k for k in self.counts if k not in REASONS)]
        counts = {k: dict(self.counts[k]) for k in order if self.counts.get(k)}
        return ImportResult(
            tables,
            counts,
            tuple(self.problems),
            tuple(self.notes),
            self.source,
            needed_decimal(tables["measurements"]["value"], decimal),
            {k: tuple(self.left_out[k]) for k in LEFT_OUT if self.left_out.get(k)},
        )

    def _columns(self, name: str) -> list[str]:
        """The columns of a table written: a specimen column only when a result
        states one other than the registry's serum or plasma."""
        columns = list(COLUMNS[name])
        if name == "measurements" and any(
            row.get("specimen") for row in self.rows[name]
        ):
            columns.insert(columns.index("unit") + 1, "specimen")
        return columns

    def _drop_patients_without_results(self, tables) -> None:
        kept = set(tables["measurements"]["patient_id"])
        for name in ("treatments", "events"):
            frame = tables[name]
            alone = ~frame["patient_id"].isin(kept)
            if alone.any():
                self.counts["skipped, patient without marker results"][name] += int(
                    alone.sum()
                )
                tables[name] = frame[~alone].reset_index(drop=True)
                for pid in sorted(set(frame.loc[alone, "patient_id"])):
                    self.notes.append(
                        f"{self.source}: patient {pid} has no tumour-marker result; "
                        f"its {name} are left out"
                    )

    def _spans(self, tables, origins) -> pd.DataFrame:
        spans = []
        for pid in sorted(set(tables["measurements"]["patient_id"])):
            dates = _dates_of(tables, pid)
            origin = origins.get(pid)
            if origin is None:
                origin = min(dates, key=lambda d: parse_date(d)[1])
                self.notes.append(
                    f"{self.source}: patient {pid} has no diagnosis date; origin set "
                    f"to its earliest row, {origin}"
                )
            last = max([*dates, origin], key=lambda d: parse_date(d)[0])
            spans.append((pid, origin, last))
        return pd.DataFrame(spans, columns=list(COLUMNS["patients"]), dtype=object)

    def _mark_prior_history(self, tables) -> None:
        starts = {
            pid: parse_date(origin)[1]
            for pid, origin in zip(
                tables["patients"]["patient_id"],
                tables["patients"]["origin"],
                strict=True,
            )
        }
        for name, column in DATE_COLUMN.items():
            frame = tables[name]
            before = [
                parse_date(d)[0] < starts[p]
                for p, d in zip(frame["patient_id"], frame[column], strict=True)
            ]
            if not any(before):
                continue
            frame["prior_history"] = ["yes" if b else "" for b in before]
            for pid, n in sorted(Counter(frame["patient_id"][before]).items()):
                self.notes.append(
                    f"{self.source}: patient {pid}: {n} {name} row(s) before the "
                    "diagnosis marked prior_history = yes; check they belong on the "
                    "figure"
                )


def _sorted(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Sort by patient, then where each date is drawn (file order among equals)."""
    at = [parse_date(d)[0] for d in frame[column]]
    order = frame.assign(_at=pd.Series(at, index=frame.index, dtype="datetime64[ns]"))
    order = order.sort_values(["patient_id", "_at"], kind="stable")
    return order.drop(columns="_at").reset_index(drop=True)


def _dates_of(tables, pid) -> list[str]:
    dates = []
    for name, column in DATE_COLUMN.items():
        own = tables[name][tables[name]["patient_id"] == pid]
        dates += list(own[column])
        if name == "treatments":
            dates += [d for d in own["end"] if d and d != "ongoing"]
    return dates
