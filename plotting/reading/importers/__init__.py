"""Importers: FHIR R4 and long lab exports to case tables (pure pandas).

:func:`read_fhir` and :func:`read_lab_export` return an :class:`ImportResult`;
:func:`plotting.output.imported_cases.write_import` writes it as a case or
cohort folder.
"""

from .fhir import read_fhir
from .lab import read_lab_export
from .result import ColumnError, ImportResult, SourceError

__all__ = ["ColumnError", "ImportResult", "SourceError", "read_fhir", "read_lab_export"]
