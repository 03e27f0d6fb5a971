"""Treatment kinds in the free text FHIR gives procedures and medications.

A procedure is "Hepatectomy (segments 5 and 6)" and a medication "lenvatinib 8 MG
Oral Capsule", not a kind. The words of the package's vocabulary
(:data:`plotting.core.vocabulary.KINDS`: kinds, synonyms, drug names) are
looked for in the text as whole words; a text with none stays its own kind.
"""

from __future__ import annotations

import re

from ...core.vocabulary import KINDS

_WORD = re.compile(r"[^\W_]+")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _WORD.findall(text))


# Every word of the vocabulary as tokens, with its kind; longer phrases first, so
# that "salvage radiotherapy" is found rather than "radiotherapy" inside it.
_PHRASES = sorted(
    (
        (_tokens(word), kind)
        for kind, (_, words) in KINDS.items()
        for word in (kind, *words)
    ),
    key=lambda phrase: -len(phrase[0]),
)


def find_treatments(text: str) -> list[tuple[str, str, int]]:
    """Return the vocabulary's words in ``text``, in the order written.

    Returns
    -------
    list of (kind, words as written, number of words)
        A phrase inside a longer one found is not returned again.

    Examples
    --------
    >>> find_treatments("Carboplatin AUC5 + paclitaxel 175")
    [('chemotherapy', 'Carboplatin', 1), ('chemotherapy', 'paclitaxel', 1)]
    """
    spans = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text)]
    tokens = [token for _, _, token in spans]
    taken = [False] * len(tokens)
    found = []
    for phrase, kind in _PHRASES:
        size = len(phrase)
        for at in range(len(tokens) - size + 1):
            if tuple(tokens[at : at + size]) == phrase and not any(
                taken[at : at + size]
            ):
                taken[at : at + size] = [True] * size
                written = text[spans[at][0] : spans[at + size - 1][1]]
                found.append((at, kind, written, size))
    return [(kind, written, size) for _, kind, written, size in sorted(found)]


def procedure_kind(text: str) -> str | None:
    """Return the kind a procedure's name says (its longest phrase), or None."""
    found = find_treatments(text)
    if not found:
        return None
    return max(found, key=lambda item: item[2])[0]


def drug_kind(text: str) -> tuple[str, str] | None:
    """Return ``(kind, label)`` for a medication's name, or None if not known.

    Drugs of one class keep that class; drugs of different classes are
    ``systemic``. The label joins the drugs' names (``Carboplatin + Paclitaxel``).
    """
    found = find_treatments(text)
    if not found:
        return None
    kinds = {kind for kind, _, _ in found}
    names = [w[0].upper() + w[1:] if w.islower() else w for _, w, _ in found]
    kind = kinds.pop() if len(kinds) == 1 else "systemic"
    return kind, " + ".join(dict.fromkeys(names))
