"""The pages of the documentation and the README, and their fenced code blocks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

DOCS = ROOT / "docs"


@dataclass(frozen=True)
class Block:
    """A fenced code block: its page, first line (1-based) and language."""

    page: Path
    line: int
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


def pages() -> list[Path]:
    """The README and every Markdown page of docs/ (not what a build writes)."""
    written = {"_build", "_generated", "auto_gallery", "generated"}
    found = [
        path
        for path in sorted(DOCS.rglob("*.md"))
        if not written & set(path.relative_to(DOCS).parts)
    ]
    return [ROOT / "README.md", *found]


def blocks(page: Path) -> list[Block]:
    """Every fenced block of a page, in order (a fence opens with ``` and a word)."""
    found, language, start, lines = [], None, 0, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if language is None:
            if line.startswith("```"):
                language, start, lines = line[3:].strip(), number, []
        elif line.startswith("```"):
            found.append(Block(page, start, language, "\n".join(lines) + "\n"))
            language = None
        else:
            lines.append(line)
    assert language is None, f"{page}: a block opened on line {start} never closes"
    return found


def code_blocks(language: str) -> list[Block]:
    """The blocks of one language on every page."""
    return [b for page in pages() for b in blocks(page) if b.language == language]
