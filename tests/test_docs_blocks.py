"""Every shell block of the README and the docs runs as written.

A block's lines are run as a shell would split them (comments dropped, ``\\``
joining lines), in a fresh folder holding what the README's set-up gives a user:
the published cases under ``data/`` (unless the page writes them itself with
``marker-trends example``) and the import examples of ``tests/cases/imports``. A
``marker-trends`` line runs the command (in this process: the same ``main`` the
console script calls) and must exit 0; a ``make`` line must name a target of the
Makefile, and a ``pip install`` line this project and extras it declares (CI runs
both for real). Any other command is refused, so the pages keep one form.

Marked ``docs``: ``make docs`` runs them after building the site, and ``make test``
leaves them to it (together they take about a minute).
"""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib

import pytest
from conftest import ROOT
from doc_pages import blocks, code_blocks, pages

from plotting.cli import main

SHELL = code_blocks("sh")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MAKE_TARGETS = set(
    re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M)
)


def commands(text: str) -> list[list[str]]:
    """The commands of a block, each split into words as a shell would."""
    joined = text.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            found.append(words)
    return found


def test_the_pages_hold_shell_blocks_of_every_kind():
    assert len(pages()) > 10
    first_words = {words[0] for block in SHELL for words in commands(block.text)}
    assert first_words == {"marker-trends", "make", "pip"}
    assert len(SHELL) >= 10


def test_the_pages_call_the_command_one_way():
    # A paper's Makefile (a make block) names the command by its path, as make must.
    other = [
        (block.where, line)
        for page in pages()
        for block in blocks(page)
        if block.language != "make"
        for line in block.text.splitlines()
        if re.search(r"\.venv/bin/marker-trends|python -m plotting\b", line)
    ]
    assert other == []
    unmarked = [
        block.where
        for page in pages()
        for block in blocks(page)
        if not block.language and "marker-trends " in block.text
    ]
    assert unmarked == [], "a block with commands says its language (sh, or text)"


@pytest.mark.docs
@pytest.mark.parametrize("block", SHELL, ids=[block.where for block in SHELL])
def test_shell_block_runs(block, tmp_path, monkeypatch, capsys):
    if not any("marker-trends example " in b.text for b in blocks(block.page)):
        shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(
        ROOT / "tests" / "cases" / "imports", tmp_path / "tests/cases/imports"
    )
    monkeypatch.chdir(tmp_path)
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    for words in commands(block.text):
        if words[0] == "make":
            assert set(words[1:]) <= MAKE_TARGETS, (block.where, words)
        elif words[0] == "pip":
            assert words[1] == "install", (block.where, words)
            for requirement in words[2:]:
                name, _, extra = requirement.partition("[")
                assert name == PYPROJECT["project"]["name"], (block.where, words)
                assert set(extra.rstrip("]").split(",")) - {""} <= extras, words
        else:
            assert words[0] == "marker-trends", (block.where, words)
            status = main(words[1:])
            shown = capsys.readouterr()
            assert status == 0, (block.where, words, shown.err[-2000:])
