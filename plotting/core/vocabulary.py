"""The treatment vocabulary: kinds, the words papers and hospitals use for them,
and the track lane each is drawn in.

A kind is matched ignoring case, spaces, underscores and hyphens, so
``hormone_therapy``, ``Hormone therapy`` and ``ADT`` are one kind. Drug names map
to their class (lenvatinib: targeted therapy), as a figure's lanes show classes.
The vocabulary is data: ``plotting/core/facts/treatments.toml``, each kind with
its source.
"""

from __future__ import annotations

import difflib
import re

from . import fact_files


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text).casefold())


# Canonical kind -> (lane title, words that mean it), and the lane titles in the
# order a figure draws them (facts/treatments.toml). Lane titles follow the
# abbreviations journals expect in a figure legend.
KINDS: dict[str, tuple[str, tuple[str, ...]]]
LANE_ORDER: tuple[str, ...]
KINDS, LANE_ORDER = fact_files.treatment_kinds(_key)


_WORDS: dict[str, str] = {
    _key(word): kind for kind, (_, words) in KINDS.items() for word in (kind, *words)
}
# Kept for callers that map a folded kind name straight to its lane.
TREATMENT_LANES: dict[str, str] = {kind: lane for kind, (lane, _) in KINDS.items()}


def canonical_kind(kind: str) -> str | None:
    """Return the canonical kind a word means (``ADT`` -> ``hormone therapy``)."""
    return _WORDS.get(_key(kind))


def lane_for(kind: str) -> str:
    """Return the lane title for a treatment kind; an unknown kind gets its own."""
    known = canonical_kind(kind)
    return KINDS[known][0] if known else str(kind).strip()


def is_known_kind(kind: str) -> bool:
    """Return whether a treatment kind has a lane and style of its own."""
    return canonical_kind(kind) is not None


def nearest_kind(kind: str) -> str | None:
    """Return the known word nearest to an unknown kind, for a "did you mean"."""
    words = {_key(w): w for k, (_, ws) in KINDS.items() for w in (k, *ws)}
    near = difflib.get_close_matches(_key(kind), list(words), n=1, cutoff=0.85)
    return words[near[0]] if near else None
