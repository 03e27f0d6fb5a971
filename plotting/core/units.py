"""Units as the package writes them, and the spellings labs use for each.

The spellings are data: ``plotting/core/facts/units.toml``, read at import by
:mod:`plotting.core.fact_files`.
"""

from __future__ import annotations

import functools

from . import fact_files

# Canonical unit for each spelling a lab export may use (keys folded: no spaces,
# casefolded, the micro sign for mu); UCUM codes as FHIR gives them, folded the
# same way; and the conversions that hold for any assay, (from, to) -> factor.
UNIT_ALIASES: dict[str, str]
UCUM_UNITS: dict[str, str]
EXACT_CONVERSIONS: dict[tuple[str, str], float]
UNIT_ALIASES, UCUM_UNITS, EXACT_CONVERSIONS = fact_files.units()


@functools.lru_cache(maxsize=4096)
def canonical_unit(text: str) -> str | None:
    """Return the canonical spelling of a unit, or None if it is not known."""
    return UNIT_ALIASES.get(fact_files.unit_key(text))
