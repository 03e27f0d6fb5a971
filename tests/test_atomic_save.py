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
    from plotting.app.cli import main

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
