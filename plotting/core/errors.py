"""The errors that mean "the user's input cannot be drawn as given".

Every stage raises a subclass of :class:`InputError` for the user's data or
options (the command line exits 2 for them); any other exception is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_REPORTED = 25


class InputError(ValueError):
    """The user's data or options cannot be read or drawn as given."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a case file, located as a spreadsheet user sees it.

    Parameters
    ----------
    file : str
        The file's path as the user gave it.
    message : str
        What is wrong and what to write instead.
    row : int or None
        Spreadsheet row number: the header is row 1, the first result row 2.
    column : str or None
        Column name as written in the header.
    text : str or None
        The cell's text as read.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    text: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        cell = f" {self.text!r}:" if self.text is not None else ""
        return f"{', '.join(where)}:{cell} {self.message}"


class CaseDataError(InputError):
    """Raised when case data cannot be drawn; carries every problem found.

    Parameters
    ----------
    problems : list of Problem
        All problems found, in file order.
    max_reported : int
        How many problems the message lists before summarising the rest.
    """

    def __init__(self, problems, *, max_reported=DEFAULT_MAX_REPORTED):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:max_reported]]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"... and {hidden} more problems")
        super().__init__("\n".join(shown))
