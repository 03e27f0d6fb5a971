"""The command line and the committed figures."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import fontTools
import pytest
from conftest import ROOT, YU2020
from matplotlib.testing.compare import compare_images
from PIL import Image

from plotting.cli import main


def test_check_summarises_the_case(capsys):
    assert main(["check", str(YU2020)]) == 0
    out = capsys.readouterr().out
    assert "7 results, 9 treatments, 6 events" in out
    assert "AFP: 4 results in ng/mL, 2006-08-16 to 2014-10-01" in out


def test_render_writes_each_format_at_double_column_width(tmp_path, capsys):
    stem = tmp_path / "out" / "fig4"
    assert main(["render", str(YU2020), "-o", str(stem), "--format", "png", "svg"]) == 0
    assert capsys.readouterr().out.split() == [f"{stem}.png", f"{stem}.svg"]
    with Image.open(f"{stem}.png") as image:
        assert image.size[0] == round(174 / 25.4 * 300)
        assert round(image.info["dpi"][0]) == 300
    assert "<text" in (tmp_path / "out" / "fig4.svg").read_text()
    assert not list((tmp_path / "out").glob("*.part"))


def test_render_is_byte_identical_across_runs(tmp_path):
    for run in ("a", "b"):
        assert main(["render", str(YU2020), "-o", str(tmp_path / run / "f")]) == 0
    for fmt in ("png", "pdf", "svg"):
        first = (tmp_path / "a" / f"f.{fmt}").read_bytes()
        assert first == (tmp_path / "b" / f"f.{fmt}").read_bytes(), fmt


def test_bad_case_exits_2_with_located_messages_and_writes_nothing(
    write_case, tmp_path
):
    folder = write_case("date,marker,value,unit\n2010-03-01,AFP,abc,ng/mL\n")
    stem = tmp_path / "fig"
    stem.with_suffix(".png").write_bytes(b"previous figure")
    result = subprocess.run(
        [sys.executable, "-m", "plotting", "render", str(folder), "-o", str(stem)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{folder / 'measurements.csv'}, row 2, column \"value\": 'abc': not a "
        "positive number; write one such as 187.8\n"
    )
    assert stem.with_suffix(".png").read_bytes() == b"previous figure"
    assert not stem.with_suffix(".svg").exists()


def test_console_script_help_and_version():
    result = subprocess.run(
        [sys.executable, "-m", "plotting", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "marker-trends render data/yu2020 -o figures/fig4" in result.stdout
    from plotting import __version__

    version = subprocess.run(
        [sys.executable, "-m", "plotting", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == __version__


# figures/ holds what the pinned stack renders.
@pytest.mark.pinned_stack
@pytest.mark.parametrize("fmt", ["png"])
def test_committed_figure_matches_what_the_code_renders(tmp_path, fmt):
    assert (
        main(["render", str(YU2020), "-o", str(tmp_path / "fig4"), "--format", fmt])
        == 0
    )
    committed = ROOT / "figures" / f"fig4.{fmt}"
    assert committed.exists(), "run `make figures` and commit figures/"
    difference = compare_images(str(committed), str(tmp_path / f"fig4.{fmt}"), tol=2)
    assert difference is None, f"figures/ is stale; run `make figures`: {difference}"


def test_unknown_treatment_kind_is_a_one_line_warning(write_case, capsys):
    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments="kind,start\nacupuncture,2010-05-01\nhormone therapie,2010-06-01\n",
    )
    assert main(["check", str(folder)]) == 0
    err = capsys.readouterr().err
    where = f"marker-trends: warning: {folder / 'treatments.csv'}"
    assert err == (
        f"{where}, row 2: treatment kind 'acupuncture' has no style of its own; "
        "drawn in a neutral lane\n"
        f"{where}, row 3: treatment kind 'hormone therapie' has no style of its own "
        "(did you mean 'hormone therapy'?); drawn in a neutral lane\n"
    )


def test_many_problems_are_listed_then_summarised(write_case, capsys):
    rows = "".join(f"2010-03-{day:02d},AFP,x,ng/mL\n" for day in range(1, 31))
    folder = write_case("date,marker,value,unit\n" + rows)
    assert main(["check", str(folder)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 26
    assert lines[0].startswith(f"{folder / 'measurements.csv'}, row 2, column")
    assert lines[-1] == "... and 5 more problems"


def _makefile_renders() -> list[list[str]]:
    """The arguments of every `marker-trends render` recipe of the Makefile."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return [
        shlex.split(line.split("marker-trends", 1)[1])
        for line in text.splitlines()
        if line.startswith("\t$(BIN)/marker-trends render ")
    ]


# Every figure `make figures` renders, in every format, byte for byte: a fresh
# clone's `make figures` must leave `git status` clean (an image comparison's
# tolerance once let a changed legend symbol through). The PDF embeds font subsets
# fontTools writes, so its release is held in tests/stacks/pinned.in.
@pytest.mark.pinned_stack
@pytest.mark.parametrize("argv", _makefile_renders(), ids=lambda argv: argv[3])
def test_every_committed_figure_is_what_its_makefile_command_writes(
    argv, tmp_path, monkeypatch
):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(ROOT)
    at = argv.index("-o") + 1
    stem = Path(argv[at])
    assert main([*argv[:at], str(tmp_path / stem.name), *argv[at + 1 :]]) == 0
    written = sorted(tmp_path.iterdir())
    assert written
    for fresh in written:
        committed = stem.parent / fresh.name
        assert fresh.read_bytes() == committed.read_bytes(), (
            f"{committed} is not what the code writes with fontTools "
            f"{fontTools.version}: run `make figures` and commit, or install "
            "tests/stacks/pinned.txt"
        )
