"""A corpus of malformed case files: each mistake gets its exact, located message."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest

from plotting import CaseDataError, read_case

CORPUS = Path(__file__).parent / "corpus"
# expected.toml and one expected_<class>.toml per class of mistake added since.
EXPECTED = {
    name: expectation
    for path in sorted(CORPUS.glob("expected*.toml"))
    for name, expectation in tomllib.loads(path.read_text(encoding="utf-8")).items()
}
DEFAULT_TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2017-12-31"\n'
TODAY = "2025-01-01"


def test_corpus_is_large_and_every_folder_has_an_expectation():
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    named = [
        name
        for path in CORPUS.glob("expected*.toml")
        for name in tomllib.loads(path.read_text(encoding="utf-8"))
    ]
    assert len(named) == len(set(named)), "a folder is expected in two files"
    assert len(folders) >= 30
    assert folders == set(EXPECTED)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_input_is_reported_exactly(name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(CORPUS / name, folder)
    if not (folder / "case.toml").exists():
        (folder / "case.toml").write_text(DEFAULT_TOML)
    before = _digest(folder)
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    expected = EXPECTED[name]
    problem = info.value.problems[0]
    assert problem.file.startswith(str(folder / ""))
    assert problem.file[len(str(folder)) + 1 :] == expected["file"]
    assert problem.row == expected.get("row")
    assert problem.column == expected.get("column")
    assert problem.text == expected.get("text")
    assert problem.message == expected["message"]
    assert len(info.value.problems) == expected["problems"]
    assert _digest(folder) == before, "input files must never be modified"
