"""A cohort as every layer sees it: patients by id, each read when first asked for.

How each patient is read (a case folder, rows of tidy tables) is the reading
room's business; the cohort only asks a source to ``load()`` its case.
"""

from __future__ import annotations

from dataclasses import dataclass

from .case import Case
from .errors import CaseDataError


@dataclass
class LoadedSource:
    """A patient whose case is already read."""

    case: Case

    def load(self) -> Case:
        """Return the case."""
        return self.case

    def detached(self) -> LoadedSource:
        """Return itself: the case holds only this patient's data."""
        return self


@dataclass
class FailedSource:
    """A patient whose data cannot be read, with its problems."""

    problems: list

    def load(self) -> Case:
        """Raise the patient's problems."""
        raise CaseDataError(self.problems)

    def detached(self) -> FailedSource:
        """Return itself: it holds only this patient's problems."""
        return self


class Cohort:
    """A cohort's patients by id, read on demand.

    Attributes
    ----------
    sources : dict
        Patient id to its source; ``source.load()`` returns the Case or raises
        CaseDataError.
    cases : dict of str to Case
        Every readable patient (all are read the first time this is used).
    problems : dict of str to CaseDataError
        Every patient that could not be read, with its problems.
    """

    def __init__(self, sources=None):
        self.sources = dict(sources or {})
        self._cases = None
        self._problems = None

    def __len__(self) -> int:
        return len(self.sources)

    def source(self, patient_id):
        """Return a patient's source, or its case itself once the cohort was read.

        Parameters
        ----------
        patient_id : str
            One of the cohort's patient ids.

        Returns
        -------
        source
            What reads the patient's case (``source.load()``).
        """
        if self._cases is not None and patient_id in self._cases:
            return LoadedSource(self._cases[patient_id])
        return self.sources[patient_id]

    def _read_all(self):
        self._cases, self._problems = {}, {}
        for pid, source in self.sources.items():
            try:
                self._cases[pid] = source.load()
            except CaseDataError as err:
                self._problems[pid] = err

    @property
    def cases(self) -> dict:
        if self._cases is None:
            self._read_all()
        return self._cases

    @property
    def problems(self) -> dict:
        if self._problems is None:
            self._read_all()
        return self._problems
