"""A failed or killed render leaves the previous figure intact and no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import matplotlib.figure
import pytest
from conftest import YU2020

from plotting import plot_case, read_case, save_figure

PREVIOUS = b"the previous figure"

KILLED_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import matplotlib.figure
    from plotting.cli import main

    def slow_savefig(self, fname, **kwargs):
        fname.write(b"half a PNG")
        fname.flush()
        print("saving", flush=True)
        time.sleep(60)

    matplotlib.figure.Figure.savefig = slow_savefig
    sys.exit(main(["render", sys.argv[1], "-o", sys.argv[2], "--format", "png"]))
    """
)


def test_render_killed_mid_save_leaves_the_previous_figure(tmp_path):
    stem = tmp_path / "fig4"
    target = tmp_path / "fig4.png"
    target.write_bytes(PREVIOUS)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_SCRIPT, str(YU2020), str(stem)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "saving"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == PREVIOUS
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [
        "fig4.png"
    ]
    # The next run clears the killed run's temporary file and writes the figure.
    fig = plot_case(read_case(YU2020))
    save_figure(fig, stem, formats=("png",))
    assert target.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig4.png"]


def test_render_that_fails_mid_save_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "fig4.png"
    target.write_bytes(PREVIOUS)

    def failing_savefig(self, fname, **kwargs):
        fname.write(b"half a PNG")
        raise OSError("disk full")

    fig = plot_case(read_case(YU2020))
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", failing_savefig)
    with pytest.raises(OSError, match="disk full"):
        save_figure(fig, tmp_path / "fig4", formats=("png",))
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig4.png"]


SLOW_PDF_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import matplotlib.figure
    from plotting.cli import main

    real_savefig = matplotlib.figure.Figure.savefig

    def slow_pdf(self, fname, **kwargs):
        if kwargs.get("format") == "pdf":
            print("saving pdf", flush=True)
            time.sleep(60)
        return real_savefig(self, fname, **kwargs)

    matplotlib.figure.Figure.savefig = slow_pdf
    sys.exit(main(["render", sys.argv[1], "-o", sys.argv[2], "--format", "png", "pdf"]))
    """
)


def test_a_killed_render_replaces_no_format_of_the_set(tmp_path):
    for fmt in ("png", "pdf"):
        (tmp_path / f"fig4.{fmt}").write_bytes(PREVIOUS)
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_PDF_SCRIPT, str(YU2020), str(tmp_path / "fig4")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "saving pdf"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        process.stdout.close()
    # The PNG was written first, but only to a temporary file: the set is old.
    assert (tmp_path / "fig4.png").read_bytes() == PREVIOUS
    assert (tmp_path / "fig4.pdf").read_bytes() == PREVIOUS
    save_figure(plot_case(read_case(YU2020)), tmp_path / "fig4", formats=("png",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig4.pdf", "fig4.png"]


def test_concurrent_renders_to_one_target_both_succeed_and_never_mix(tmp_path):
    stem = tmp_path / "fig4"
    commands = [
        [
            sys.executable,
            "-m",
            "plotting",
            "render",
            str(YU2020),
            "-o",
            str(stem),
            "--format",
            "png",
            "svg",
            "--title",
            title,
        ]
        for title in ("Render A", "Render B")
    ]
    runs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in commands]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    svg = (tmp_path / "fig4.svg").read_text()
    winner = "Render A" if "Render A" in svg else "Render B"
    fresh = tmp_path / "fresh"
    fig = plot_case(read_case(YU2020), title=winner)
    save_figure(fig, fresh / "fig4", formats=("png",))
    assert (fresh / "fig4.png").read_bytes() == (tmp_path / "fig4.png").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fig4.png",
        "fig4.svg",
        "fresh",
    ]


def test_only_temporaries_of_dead_processes_are_cleared(tmp_path):
    from plotting.output.atomic import clear_stale

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    mine = tmp_path / f".fig4.png.{os.getpid()}.abc.part"
    stale = tmp_path / f".fig4.png.{dead.stdout.strip()}.abc.part"
    legacy = tmp_path / ".fig4.png.x1y2.part"
    for path in (mine, stale, legacy):
        path.write_bytes(b"partial")
    clear_stale(tmp_path, "fig4.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine.name]
