"""Kinds of treatment a case may list, and the track lane each is drawn in."""

from __future__ import annotations

# Lane titles follow the abbreviations journals expect in a figure legend.
TREATMENT_LANES: dict[str, str] = {
    "resection": "Surgery",
    "transplant": "Surgery",
    "surgery": "Surgery",
    "tace": "TACE",
    "tare": "TARE",
    "hepatic arterial infusion": "HAIC",
    "haic": "HAIC",
    "ablation": "Ablation",
    "rfa": "Ablation",
    "radiotherapy": "RT",
    "sbrt": "RT",
    "brachytherapy": "RT",
    "chemotherapy": "Systemic",
    "systemic": "Systemic",
    "immunotherapy": "Systemic",
    "targeted therapy": "Systemic",
    "hormone therapy": "Systemic",
}

LANE_ORDER = ("Surgery", "Ablation", "TACE", "TARE", "HAIC", "RT", "Systemic")


def lane_for(kind: str) -> str:
    """Return the lane title for a treatment kind; an unknown kind gets its own."""
    return TREATMENT_LANES.get(kind.strip().casefold(), kind.strip())


def is_known_kind(kind: str) -> bool:
    """Return whether a treatment kind has a lane and style of its own."""
    return kind.strip().casefold() in TREATMENT_LANES
