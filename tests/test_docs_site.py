"""The documentation site covers what it promises: API, gallery, fields, numbers."""

from __future__ import annotations

import dataclasses
import re
import shlex
import sys

import pytest
from conftest import ROOT
from doc_pages import DOCS

import plotting

sys.path.insert(0, str(DOCS))
import build_numbers


def test_the_api_reference_lists_every_public_name_once():
    listed = re.findall(
        r"^   (\w+)$", (DOCS / "api.rst").read_text(encoding="utf-8"), flags=re.M
    )
    assert sorted(listed) == sorted(plotting.__all__)


def test_the_gallery_has_an_example_for_every_published_case():
    cases = {path.name for path in (ROOT / "data").iterdir() if path.is_dir()}
    scripts = {
        path.stem.removeprefix("plot_")
        for path in (DOCS / "gallery" / "cases").glob("plot_*.py")
    }
    assert scripts == cases == set(plotting.example_names())
    for name in cases:
        text = (DOCS / "gallery" / "cases" / f"plot_{name}.py").read_text()
        assert f'example_case("{name}")' in text and "plot_case(case" in text


def test_capability_examples_each_draw_a_figure():
    scripts = sorted((DOCS / "gallery" / "capabilities").glob("plot_*.py"))
    assert len(scripts) >= 8
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert text.startswith('"""\n') and "\n===" in text, script.name
        assert re.search(r"plotting\.(plot_\w+)\(", text), script.name


@pytest.mark.parametrize(
    "value_class",
    [plotting.Case, plotting.FigureOptions, plotting.Criterion, plotting.TrackLayout],
    ids=lambda value_class: value_class.__name__,
)
def test_a_value_class_documents_every_field(value_class):
    # numpydoc does not check a dataclass's Attributes against its fields
    # (docs/conf.py): this does.
    documented = {
        name.strip()
        for names in re.findall(r"^    (\w[\w, ]*) :", value_class.__doc__, flags=re.M)
        for name in names.split(",")
    }
    fields = {f.name for f in dataclasses.fields(value_class) if f.init}
    assert fields <= documented


def test_the_readme_is_a_first_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250
    text = "\n".join(lines)
    for needed in (
        "## Install",
        "make figures",
        "make test",
        "make docs",
        "import plotting",
    ):
        assert needed in text


def test_the_kinetics_page_shows_what_the_command_prints(capsys, monkeypatch):
    from plotting.cli import main

    generated = build_numbers.fig4_kinetics()
    command = re.search(r"```sh\n(.*)\n```", generated).group(1)
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(command)[1:]) == 0
    assert generated.endswith(capsys.readouterr().out)
    assert build_numbers.substitutions() == {
        "afp_half_life_days": "30",
        "pivka_half_life_days": "23",
    }
