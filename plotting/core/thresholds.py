"""Thresholds as values: what a case declares and the presets with published
definitions (``plotting/core/facts/thresholds.toml``, with their sources; the
table of ``docs/markers.md`` is checked against it)."""

from __future__ import annotations

from dataclasses import dataclass

from . import fact_files

# How a threshold line may be drawn; drawing/style.py gives each its dashes.
THRESHOLD_STYLES = ("dashed", "dotted", "dashdot", "solid")
DEFAULT_THRESHOLD_STYLE = "dashed"
THRESHOLD_KEYS = ("value", "label", "unit", "style", "preset", "after")


@dataclass(frozen=True)
class Threshold:
    """One threshold of a marker, as the case declares it.

    Attributes
    ----------
    label : str
        Text drawn on the line; empty means a label made from the value.
    value : float
        The threshold in ``unit``; for a preset computed from the data (Phoenix),
        the amount added to the nadir.
    unit : str
        Unit of ``value`` (canonical spelling).
    preset : str
        The preset it comes from, or "".
    after : str
        Label of the treatment it applies after: the line starts there (for
        Phoenix, the radiotherapy whose nadir it is computed from).
    style : str
        One of :data:`THRESHOLD_STYLES`.
    factor : float or None
        The case's conversion factor for this marker (``[markers.X] factor``).
    """

    label: str
    value: float
    unit: str
    preset: str = ""
    after: str = ""
    style: str = DEFAULT_THRESHOLD_STYLE
    factor: float | None = None

    @property
    def computed(self) -> bool:
        """Whether the value is worked out from the results (Phoenix)."""
        return THRESHOLD_PRESETS[self.preset].from_nadir if self.preset else False


@dataclass(frozen=True)
class ThresholdPreset:
    """A threshold with a published definition (see ``docs/markers.md``)."""

    marker: str
    value: float
    unit: str
    label: str
    source: str
    from_nadir: bool = False
    style: str = DEFAULT_THRESHOLD_STYLE


# Preset name -> ThresholdPreset, from facts/thresholds.toml.
THRESHOLD_PRESETS: dict[str, ThresholdPreset] = fact_files.threshold_presets(
    ThresholdPreset, THRESHOLD_STYLES
)
