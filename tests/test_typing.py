"""Types a user's editor and type checker see: every public name with its real,
complete signature, and a wrong call to ``plot_case`` an error."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re

import pytest
from conftest import ROOT

import plotting
from plotting.drawing.options import FigureChanges, FigureOptions

mypy_api = pytest.importorskip("mypy.api")
TYPING = ROOT / "tests" / "typing"


def _mypy(*files) -> tuple[str, int]:
    # The project's configuration (pyproject.toml [tool.mypy]); files given here
    # replace its list. The cache is the one `make typecheck` keeps warm.
    out, err, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), *map(str, files)]
    )
    return out + err, status


# What mypy finds inside the package depends on the numpy and matplotlib stubs.
@pytest.mark.pinned_stack
def test_the_public_api_and_a_users_script_type_check(monkeypatch):
    monkeypatch.chdir(ROOT)
    out, status = _mypy()
    assert status == 0, out


def test_every_wrong_call_in_the_users_script_is_an_error(monkeypatch):
    monkeypatch.chdir(ROOT)
    script = TYPING / "wrong_arguments.py"
    marked = {
        number
        for number, line in enumerate(script.read_text().splitlines(), 1)
        if line.endswith("# error")
    }
    assert len(marked) >= 9
    out, status = _mypy(script)
    assert status == 1
    reported = {
        int(m[1]) for m in re.finditer(r"wrong_arguments\.py:(\d+): error:", out)
    }
    assert reported == marked, out
    # The first mistake of the issue: a number as preset.
    assert 'Argument "preset" to "plot_case" has incompatible type "int"' in out


def _public_functions():
    for name in plotting.__all__:
        value = getattr(plotting, name)
        if inspect.isfunction(value):
            yield name, value


@pytest.mark.parametrize("name, function", list(_public_functions()))
def test_every_public_function_is_fully_annotated(name, function):
    signature = inspect.signature(function)
    missing = [
        parameter
        for parameter, value in signature.parameters.items()
        if value.annotation is inspect.Parameter.empty
    ]
    assert missing == [], f"{name}: parameters without a type: {missing}"
    assert signature.return_annotation is not inspect.Signature.empty, name


def test_plot_case_keywords_are_the_figure_options_fields():
    fields = {f.name for f in dataclasses.fields(FigureOptions)}
    assert set(FigureChanges.__annotations__) == fields
    assert FigureChanges.__total__ is False


def test_type_checkers_see_exactly_the_names_loaded_on_first_use():
    tree = ast.parse((ROOT / "plotting" / "__init__.py").read_text())
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    seen = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            # `name as name`: exported for checkers that refuse implicit re-exports.
            assert alias.asname == alias.name
            seen[alias.name] = "." * (node.level - 1) + (node.module or "")
    assert seen == plotting._PUBLIC


def test_dir_is_the_public_names_and_the_version():
    assert dir(plotting) == sorted([*plotting.__all__, "__version__"])
    assert "importlib" not in dir(plotting)
    assert "_PUBLIC" not in dir(plotting)


def test_the_package_says_it_is_typed():
    assert (ROOT / "plotting" / "py.typed").is_file()
