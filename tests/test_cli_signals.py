"""Ctrl-C and SIGTERM end a command with one line and 130 or 143, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import YU2020

from plotting.cli import main

# Loaded by Python at start-up from PYTHONPATH: the command then waits, after
# saying so on stdout, where the test can send its signal.
SITECUSTOMIZE = textwrap.dedent(
    """
    import os
    import signal
    import time

    import matplotlib.figure
    import plotting.drawing.case_figure


    def wait(*args, **kwargs):
        # One write, so that two workers' lines do not interleave.
        os.write(1, b"waiting\\n")
        time.sleep(60)


    matplotlib.figure.Figure.savefig = wait
    plotting.drawing.case_figure.draw_case = wait
    # A process started in the background may inherit SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    """
)


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return folder


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    assert main(["synthetic", str(folder), "--patients", "4"]) == 0
    return folder


def test_signals_end_commands_with_one_line(slow, cohort, tmp_path):
    runs = {
        ("render", "SIGINT"): ["render", YU2020, "-o", tmp_path / "a" / "f"],
        ("render", "SIGTERM"): ["render", YU2020, "-o", tmp_path / "b" / "f"],
        ("batch", "SIGINT"): ["batch", cohort, "-o", tmp_path / "c", "--jobs", "2"],
        ("batch", "SIGTERM"): ["batch", cohort, "-o", tmp_path / "d", "--jobs", "2"],
    }
    env = {**os.environ, "PYTHONPATH": str(slow), "MPLBACKEND": "agg"}
    processes = {
        key: subprocess.Popen(
            [sys.executable, "-m", "plotting", *map(str, argv)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        for key, argv in runs.items()
    }
    results = {}
    try:
        for (_, name), process in processes.items():
            assert process.stdout.readline() == "waiting\n"
            if name == "SIGINT":
                # As a terminal's Ctrl-C does: to the whole group, workers too.
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGTERM)
        for key, process in processes.items():
            _, err = process.communicate(timeout=30)
            results[key] = (process.returncode, err)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
    assert results == {
        ("render", "SIGINT"): (130, "marker-trends: interrupted\n"),
        ("render", "SIGTERM"): (143, "marker-trends: terminated\n"),
        ("batch", "SIGINT"): (130, "marker-trends: interrupted\n"),
        ("batch", "SIGTERM"): (143, "marker-trends: terminated\n"),
    }
    # No partial file is left, and no worker outlives its command.
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
    # The fork server ends once the workers have; give it a moment.
    deadline = time.monotonic() + 10
    for process in processes.values():
        while _group_exists(process.pid):
            assert time.monotonic() < deadline, "a worker outlived its command"
            time.sleep(0.1)


def _group_exists(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_keyboard_interrupt_in_process(capsys, tmp_path, monkeypatch):
    import plotting.drawing.case_figure

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plotting.drawing.case_figure, "plot_case", interrupted)
    assert main(["render", str(YU2020), "-o", str(tmp_path / "f"), "--debug"]) == 130
    assert capsys.readouterr().err == "marker-trends: interrupted\n"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_closed_stdout_ends_quietly_after_writing_the_files(tmp_path):
    reader, writer = os.pipe()
    os.close(reader)
    csv = tmp_path / "k.csv"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "plotting", "kinetics", YU2020, "--csv", csv],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            # Buffered, as stdout into a pipe is unless this variable is set.
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (128 + signal.SIGPIPE, "")
    assert csv.read_text().startswith("marker,specimen,window,start,end,points,")


# The fork server says when it starts and then takes two seconds to (the time a
# loaded machine takes to import the drawing code); the batch says when it has
# sent a worker what it needs and waits for the fork server to start it.
STARTING = textwrap.dedent(
    """
    import os
    import signal
    import time
    import multiprocessing.forkserver as forkserver

    _main, _read_signed = forkserver.main, forkserver.read_signed


    def slow_main(*args, **kwargs):
        os.write(1, b"fork server\\n")
        time.sleep(2)
        return _main(*args, **kwargs)


    def announced_read_signed(fd):
        os.write(1, b"starting a worker\\n")
        return _read_signed(fd)


    forkserver.main = slow_main
    forkserver.read_signed = announced_read_signed
    signal.signal(signal.SIGINT, signal.default_int_handler)
    """
)


@pytest.mark.parametrize(
    ("name", "line", "status", "said"),
    [
        # The worker was left half-started: it read the pool's semaphores after
        # the batch, exiting, had removed them, and printed FileNotFoundError.
        ("SIGTERM", "starting a worker", 143, "terminated"),
        # The fork server, importing the drawing code, printed KeyboardInterrupt.
        ("SIGINT", "fork server", 130, "interrupted"),
    ],
)
def test_a_signal_while_workers_start_ends_with_one_line(
    name, line, status, said, cohort, tmp_path
):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(STARTING)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "MPLBACKEND": "agg"}
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "plotting", "batch", cohort, "-o", out, "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        while (said_line := process.stdout.readline()) not in (f"{line}\n", ""):
            pass
        assert said_line == f"{line}\n"
        if name == "SIGINT":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        # stderr closes when every process holding it has ended: workers, the
        # fork server, the resource tracker.
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None or _group_exists(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert (process.returncode, err) == (status, f"marker-trends: {said}\n")
    # No file, not even a worker's temporary.
    assert not out.exists() or [p.name for p in out.rglob("*")] == []
