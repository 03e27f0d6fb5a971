"""Units as the package writes them, and the spellings labs use for each."""

from __future__ import annotations

import functools

# Canonical unit for each spelling a lab export may use (keys casefolded).
UNIT_ALIASES = {
    "ng/ml": "ng/mL",
    "µg/l": "ng/mL",
    "ug/l": "ng/mL",
    "mcg/l": "ng/mL",
    "iu/ml": "IU/mL",
    "kiu/l": "IU/mL",
    "u/ml": "U/mL",
    "ku/l": "U/mL",
    "kiu/ml": "kIU/mL",
    "mau/ml": "mAU/mL",
}


@functools.lru_cache(maxsize=4096)
def canonical_unit(text: str) -> str | None:
    """Return the canonical spelling of a unit, or None if it is not known."""
    # casefold() turns the micro sign into Greek mu; fold both to the micro sign.
    key = "".join(text.split()).casefold().replace("μ", "µ")
    return UNIT_ALIASES.get(key)
