"""The set-up `make` does: a Python too old is refused in plain words, and a .venv
made by another Python is made anew (each with a stand-in Python, in seconds)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or sys.platform == "win32", reason="needs make, sh"
)


def _script(path, body: str):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def _make(python, venv, *settings):
    return subprocess.run(
        [
            "make",
            "-C",
            str(ROOT),
            f"PYTHON={python}",
            f"VENV={venv}",
            *settings,
            f"{venv}/.installed",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
        timeout=60,
    )


def test_a_python_older_than_3_11_is_refused_saying_which_and_where(tmp_path):
    # A Python 3.10 as the Makefile asks it: any -c prints what 3.10 would.
    old = _script(tmp_path / "python3.10", 'echo "3.10 at /opt/py/bin/python3.10"\n')
    result = _make(old, tmp_path / "venv")
    assert result.returncode != 0
    assert (
        "marker-trends needs Python 3.11 or newer; found 3.10 at /opt/py/bin/python3.10"
        in result.stderr
    )
    assert "make PYTHON=python3.11" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_no_python_at_all_is_said_so(tmp_path):
    result = _make(tmp_path / "nowhere" / "python3", tmp_path / "venv")
    assert result.returncode != 0
    assert f"found no {tmp_path / 'nowhere' / 'python3'}" in result.stderr


def test_a_venv_of_another_python_is_made_anew(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    _script(venv / "bin" / "python", 'echo "3.10.4"\n')
    (venv / "left-by-3.10").write_text("")
    # This Python answers the checks; it stops when asked to make the venv.
    python = _script(
        tmp_path / "python",
        f'case "$1" in -m) echo "venv step reached" >&2; exit 3;; esac\n'
        f'exec {sys.executable} "$@"\n',
    )
    result = _make(python, venv)
    version = sys.version.split()[0]
    assert (
        f"{venv} was made by Python 3.10.4; making it anew with {version}"
        in result.stdout
    )
    assert "venv step reached" in result.stderr
    assert not venv.exists()


@pytest.mark.parametrize("installer", ["pipx", "UV", "conda"])
def test_an_installer_the_makefile_does_not_know_is_refused(tmp_path, installer):
    result = _make(sys.executable, tmp_path / "venv", f"INSTALLER={installer}")
    assert result.returncode == 2
    assert (
        f"INSTALLER={installer} is not an installer this Makefile knows: write "
        "INSTALLER=uv (the default) or INSTALLER=pip" in result.stderr
    )
    assert not (tmp_path / "venv").exists()


def test_pip_shows_its_progress():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs
    assert not any("--quiet" in line for line in installs)


# `make` installs the lock with uv (pip with INSTALLER=pip): either way the test
# environment holds only releases of tests/stacks/pinned.txt. Not all of them: the
# docs tools of the lock come with `make docs`.
@pytest.mark.pinned_stack
def test_the_test_environment_holds_the_releases_of_the_lock():
    from importlib.metadata import distributions

    from packaging.utils import canonicalize_name

    lines = (ROOT / "tests" / "stacks" / "pinned.txt").read_text().splitlines()
    locked = {
        canonicalize_name(name): release
        for name, release in (
            line.split("==") for line in lines if line and not line.startswith("#")
        )
    }
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version for d in distributions()
    }
    # pip comes with the venv; uv installs the lock but stays out of the environment.
    assert "uv" not in installed
    wrong = {
        name: (locked.get(name, "not in the lock"), release)
        for name, release in installed.items()
        if name not in ("marker-trends", "pip") and locked.get(name) != release
    }
    assert not wrong, f"(lock, installed) differ: {wrong}; run make clean test"
    for tool in ("pytest", "pytest-mpl", "matplotlib", "pandas"):
        assert installed[tool] == locked[tool]
