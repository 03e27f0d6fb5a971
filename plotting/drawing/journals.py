"""Journal figure sizes, and the margins every case figure keeps."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import InputError

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class JournalPreset:
    """A journal figure size: width, trend panel height and raster resolution."""

    width_mm: float
    trend_height_in: float
    dpi: int = 300

    @property
    def width_in(self) -> float:
        """The width in inches."""
        return self.width_mm / MM_PER_INCH


# Widths used by most journals (Elsevier 90/140/190 mm, Nature 89/120-136/183 mm);
# "double" is 174 mm, the double-column width of the first target journal.
JOURNAL_PRESETS = {
    "single": JournalPreset(89.0, 1.9),
    "1.5": JournalPreset(140.0, 2.2),
    "double": JournalPreset(174.0, 2.5),
}
DEFAULT_PRESET = "double"


def journal_preset(name: str) -> JournalPreset:
    """Return the preset called ``name``, or raise naming the choices."""
    if name not in JOURNAL_PRESETS:
        raise InputError(
            f"preset must be one of {', '.join(JOURNAL_PRESETS)}, not {name!r}"
        )
    return JOURNAL_PRESETS[name]
