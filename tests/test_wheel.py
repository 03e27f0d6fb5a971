"""What a user gets from ``pip install``: the sdist builds the wheel, and the wheel,
installed into a new environment, carries the published cases, the licence and
``py.typed``, and its command runs from any folder."""

from __future__ import annotations

import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

from conftest import ROOT, run_checked


def test_the_sdist_holds_the_examples_and_no_tests(built):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "setup.py", "data/README.md", "data/yu2020/case.toml"} <= names
    # Tests need tests/baseline, figures/ and the Makefile: they run in the clone.
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)


def test_the_wheel_holds_every_published_case_the_licence_and_py_typed(built):
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    cases = sorted(p for p in (ROOT / "data").iterdir() if (p / "case.toml").is_file())
    assert len(cases) >= 9
    for case in cases:
        for file in case.iterdir():
            assert f"plotting/examples/{case.name}/{file.name}" in names
    assert "plotting/examples/README.md" in names
    assert "plotting/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in metadata.splitlines()
    assert not any(n.startswith(("tests/", "data/", "setup")) for n in names)


def test_the_installed_wheel_writes_an_example_and_draws_it_from_any_folder(
    built, tmp_path
):
    _, wheel = built
    venv = tmp_path / "venv"
    run_checked([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    bin_ = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = bin_ / "python"
    purelib = run_checked(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        tmp_path,
    ).strip()
    # The dependencies are the test environment's, already installed: its
    # site-packages is put on the new one's path (a .pth line runs none of its
    # own .pth files, so the editable install of this checkout stays unseen).
    Path(purelib, "_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", python]
    offline = ["--no-deps", "--no-index", "--disable-pip-version-check", "--quiet"]
    run_checked([*pip, "install", *offline, wheel], tmp_path)
    # The wheel's requirements are met by what the new environment sees.
    run_checked([*pip, "check"], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = bin_ / "marker-trends"
    assert run_checked([command, "example", "yu2020", "x"], elsewhere).split() == ["x"]
    assert sorted(p.name for p in (elsewhere / "x").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "yu2020").iterdir()
    )
    for file in (elsewhere / "x").iterdir():
        assert file.read_bytes() == (ROOT / "data" / "yu2020" / file.name).read_bytes()
    out = run_checked(
        [command, "render", "x", "-o", "fig", "--format", "png"], elsewhere
    )
    assert out.split() == ["fig.png"]
    assert (elsewhere / "fig.png").stat().st_size > 10_000

    code = (
        "import plotting; case = plotting.example_case('yu2020'); "
        "print(plotting.__file__); print(case.path)"
    )
    module, folder = run_checked([python, "-c", code], elsewhere).split()
    assert Path(module).is_relative_to(venv)
    assert Path(folder) == Path(purelib) / "plotting" / "examples" / "yu2020"
