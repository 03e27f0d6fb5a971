"""Cohorts: reading, safe file names, batch rendering, aligned and grid views."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts
from conftest import ROOT, YU2020
from matplotlib.testing.compare import compare_images

from plotting import (
    InputError,
    plot_aligned_cohort,
    plot_case,
    plot_small_multiples,
    save_figure,
)
from plotting.cli import main
from plotting.computing.alignment import align_cohort, median_trajectory
from plotting.drawing.options import FigureOptions
from plotting.output.batch import render_cohort, safe_filenames
from plotting.output.synthetic import synthetic_cohort, write_cohort
from plotting.reading.cohort import FolderSource, read_cohort

TODAY = "2025-01-01"


@pytest.fixture(scope="module")
def tidy(tmp_path_factory):
    return write_cohort(synthetic_cohort(12, seed=5), tmp_path_factory.mktemp("cohort"))


@pytest.fixture(scope="module")
def cohort(tidy):
    return read_cohort(tidy, today=TODAY)


# Four patients, for the batch's plumbing (executors, workers, progress, exit
# status), where how many patients is not the point; the pixels are checked on
# the twelve above.
@pytest.fixture(scope="module")
def small_tidy(tmp_path_factory):
    return write_cohort(synthetic_cohort(4, seed=5), tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small(small_tidy):
    return read_cohort(small_tidy, today=TODAY)


@pytest.fixture(scope="module")
def one_thread(cohort, tmp_path_factory):
    """The twelve patients rendered by one thread at 72 dpi, and the report.

    Read only: shared by the tests that compare other paths' pixels with these.
    """
    out = tmp_path_factory.mktemp("one_thread")
    return out, render_cohort(cohort, out, dpi=72, progress=False)


def test_synthetic_cohort_is_reproducible():
    first, again = synthetic_cohort(5, seed=11), synthetic_cohort(5, seed=11)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not synthetic_cohort(5, seed=12)["measurements"].equals(
        first["measurements"]
    )


def test_tidy_tables_give_one_case_per_patient(cohort, tidy):
    patients = pd.read_csv(tidy / "patients.csv")
    assert sorted(cohort.cases) == sorted(patients["patient_id"])
    case = cohort.cases["SYN-0003"]
    row = patients.set_index("patient_id").loc["SYN-0003"]
    assert case.origin == pd.Timestamp(row["origin"])
    assert case.last_follow_up == pd.Timestamp(row["last_follow_up"])
    raw = pd.read_csv(tidy / "measurements.csv")
    assert len(case.measurements) == (raw["patient_id"] == "SYN-0003").sum()
    assert set(case.markers) == {"AFP", "PIVKA-II"}


def test_a_bad_patient_is_reported_with_its_rows_and_the_rest_are_read(tidy, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(tidy, folder)
    table = pd.read_csv(folder / "measurements.csv", dtype=str)
    first = table.index[table["patient_id"] == "SYN-0002"][0]
    table.loc[first, "value"] = "pending"
    table.to_csv(folder / "measurements.csv", index=False)
    cohort = read_cohort(folder, today=TODAY)
    assert list(cohort.problems) == ["SYN-0002"]
    (problem,) = cohort.problems["SYN-0002"].problems
    assert (problem.row, problem.column, problem.text) == (
        first + 2,
        "value",
        "pending",
    )
    assert len(cohort.cases) == 11


def test_without_patients_table_follow_up_spans_the_patients_dates(tidy, tmp_path):
    folder = tmp_path / "nopatients"
    shutil.copytree(tidy, folder)
    (folder / "patients.csv").unlink()
    (folder / "events.csv").unlink()
    cohort = read_cohort(folder, today=TODAY)
    case = cohort.cases["SYN-0001"]
    assert case.origin <= case.measurements["date"].min()
    assert case.last_follow_up == case.measurements["date"].max()


def test_folder_of_case_folders(tmp_path):
    shutil.copytree(YU2020, tmp_path / "yu2020")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "case.toml").write_text("[time]\n")
    cohort = read_cohort(tmp_path, today=TODAY)
    assert list(cohort.cases) == ["yu2020"]
    assert "[time] needs origin" in str(cohort.problems["broken"])


def test_safe_filenames_are_safe_distinct_and_stable():
    ids = [
        "SYN-0001",
        "../../etc/passwd",
        "a/b",
        "a_b",
        "ABC",
        "abc",
        "CON",
        ".hidden",
        "naïve id",
        "",
    ]
    names = safe_filenames(ids)
    assert names == safe_filenames(list(reversed(ids)))
    assert names["SYN-0001"] == "SYN-0001"
    assert len({n.casefold() for n in names.values()}) == len(ids)
    for pid, name in names.items():
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.split(".")[0].upper() not in {"CON", "NUL"}
        if pid != "SYN-0001":
            assert len(name.rsplit("-", 1)[1]) == 8


def test_batch_matches_the_single_figure_path(cohort, one_thread, tmp_path):
    out, report = one_thread
    assert sorted(report.written) == sorted(cohort.cases) and not report.failed
    for pid in ["SYN-0001", "SYN-0007", "SYN-0012"]:
        save_figure(
            plot_case(cohort.cases[pid]),
            tmp_path / "single" / pid,
            formats=("png",),
            dpi=72,
        )
        assert (
            compare_images(
                str(tmp_path / "single" / f"{pid}.png"),
                str(out / f"{pid}.png"),
                tol=0,
            )
            is None
        )


def test_threads_drawing_at_once_give_the_one_thread_pixels(
    cohort, one_thread, tmp_path
):
    # matplotlib's settings are global: a patient drawn while another thread's
    # style was applied or restored came out with other fonts. One thread's
    # images are plot_case's (test_batch_matches_the_single_figure_path).
    one_folder, _ = one_thread
    with ThreadPoolExecutor(max_workers=2) as pool:
        report = render_cohort(
            cohort,
            tmp_path / "two",
            dpi=72,
            executor=pool,
            workers=2,
            chunk_size=1,
            progress=False,
        )
    assert len(report.written) == 12 and not report.failed
    for pid in cohort.cases:
        one, two = str(one_folder / f"{pid}.png"), str(tmp_path / "two" / f"{pid}.png")
        assert compare_images(one, two, tol=0) is None, pid


def test_batch_accepts_any_executor_and_reports_failures(small_tidy, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "case.toml").write_text("[time]\n")
    cohort = read_cohort(small_tidy, today=TODAY)
    cohort.sources["bad/../id"] = FolderSource(broken, pd.Timestamp(TODAY))
    with ThreadPoolExecutor(max_workers=2) as pool:
        report = render_cohort(
            cohort,
            tmp_path / "out",
            dpi=40,
            executor=pool,
            chunk_size=2,
            progress=False,
        )
    assert len(report.written) == 4
    assert list(report.failed) == ["bad/../id"]
    assert "[time] needs origin" in report.failed["bad/../id"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{pid}.png" for pid in cohort.cases
    )


def test_batch_takes_the_options_plot_case_takes(cohort, tmp_path):
    with pytest.raises(TypeError, match="colour"):
        render_cohort(cohort, tmp_path / "out", colour="red")
    with pytest.raises(TypeError, match="options must be a FigureOptions"):
        render_cohort(cohort, tmp_path / "out", options={"preset": "single"})
    with pytest.raises(ValueError, match=r"preset must be one of single, 1\.5, double"):
        render_cohort(cohort, tmp_path / "out", options=FigureOptions(preset="triple"))
    assert not (tmp_path / "out").exists()
    options = FigureOptions(preset="single", markers=["AFP"])
    report = render_cohort(
        cohort, tmp_path / "out", dpi=40, options=options, progress=False
    )
    pid = sorted(report.written)[0]
    save_figure(
        plot_case(cohort.cases[pid], options), tmp_path / pid, formats=("png",), dpi=40
    )
    assert (
        compare_images(
            str(tmp_path / f"{pid}.png"), str(tmp_path / "out" / f"{pid}.png"), tol=0
        )
        is None
    )


def test_batch_with_worker_processes(small, tmp_path):
    report = render_cohort(small, tmp_path, dpi=40, jobs=2, progress=False)
    assert len(report.written) == 4
    assert all(paths[0].exists() for paths in report.written.values())


def test_progress_bar_only_when_asked(small, tmp_path, capsys):
    render_cohort(small, tmp_path, dpi=30, progress=False)
    assert capsys.readouterr().err == ""
    render_cohort(small, tmp_path, dpi=30, progress=True)
    assert "4/4" in capsys.readouterr().err


def test_align_and_median(cohort):
    aligned = align_cohort(cohort, marker="AFP", anchor="tace", percent=True)
    assert aligned["patient_id"].nunique() == 12
    first = aligned[aligned["patient_id"] == "SYN-0001"]
    tace = cohort.cases["SYN-0001"].treatments.query("kind == 'tace'")["start"].min()
    dates = cohort.cases["SYN-0001"].measurements.query("marker == 'AFP'")["date"]
    assert first["days"].tolist() == ((dates - tace).dt.days).tolist()
    baseline = first[(first["days"] <= 0) & (first["censor"] == "")]["value"].iloc[-1]
    assert np.allclose(first["percent"], first["value"] / baseline * 100)
    median = median_trajectory(aligned, column="percent", step_days=30, min_patients=3)
    assert (median["n"] <= 12).all() and median["n"].max() == 12
    assert median.loc[median["n"] < 3, "median"].isna().all()
    assert median.loc[median["n"] >= 3, "median"].notna().all()


def test_median_of_known_trajectories():
    aligned = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b", "b", "c", "c"],
            "days": [0.0, 60.0, 0.0, 60.0, 0.0, 60.0],
            "value": [100.0, 10.0, 1000.0, 10.0, 10.0, 10.0],
            "censor": [""] * 6,
            "percent": [np.nan] * 6,
            "segment": [0] * 6,
        }
    )
    median = median_trajectory(aligned, step_days=30, min_patients=3)
    assert median["days"].tolist() == [0.0, 30.0, 60.0]
    assert median["n"].tolist() == [3, 3, 3]
    # Log-linear interpolation: halfway between 100 and 10 is sqrt(100 * 10).
    assert median["median"].tolist() == pytest.approx([100.0, np.sqrt(1000), 10.0])
    assert median["q25"].iloc[0] == pytest.approx(np.sqrt(10 * 100))
    fewer = median_trajectory(aligned[aligned["patient_id"] != "c"], min_patients=3)
    assert fewer["median"].isna().all() and fewer["n"].tolist() == [2, 2, 2]


def test_patients_without_the_anchor_are_left_out_and_counted(cohort):
    aligned = align_cohort(cohort, marker="AFP", anchor="radiotherapy")
    with_rt = [
        p
        for p, c in cohort.cases.items()
        if (c.treatments["kind"] == "radiotherapy").any()
    ]
    assert sorted(aligned["patient_id"].unique()) == sorted(with_rt)
    assert set(aligned.attrs["left_out"].values()) == {"no radiotherapy"}


@pytest.mark.mpl_image_compare(filename="cohort_aligned_percent.png")
def test_aligned_cohort_figure(cohort):
    fig = plot_aligned_cohort(cohort, marker="AFP", anchor="tace", percent=True)
    top, bottom = fig.axes
    assert len({id(line) for line in lines_with_gid(top, "patient-line")}) >= 12
    (median,) = lines_with_gid(top, "median-line")
    expected = median_trajectory(
        align_cohort(cohort, marker="AFP", anchor="tace", percent=True),
        column="percent",
        min_patients=5,
    )
    assert np.allclose(median.get_ydata(), expected["median"], equal_nan=True)
    (steps,) = lines_with_gid(bottom, "contributing")
    assert max(steps.get_ydata()) == 12
    assert bottom.get_xlabel() == "Months since first TACE"
    assert top.get_ylabel() == "AFP, % of baseline"
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig


@pytest.mark.mpl_image_compare(filename="cohort_small_multiples.png")
def test_small_multiples_share_axes(cohort):
    fig = plot_small_multiples(cohort, marker="PIVKA-II", ncols=4)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 12
    assert len({ax.get_xlim() for ax in panels}) == 1
    assert len({ax.get_ylim() for ax in panels}) == 1
    assert [ax.get_title() for ax in panels] == sorted(
        f"SYN-{i:04d}" for i in range(1, 13)
    )
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []
    return fig


def test_batch_command_exit_status_and_report(small_tidy, tmp_path, capsys):
    folder = tmp_path / "cohort"
    shutil.copytree(small_tidy, folder)
    table = pd.read_csv(folder / "measurements.csv", dtype=str)
    table.loc[table.index[table["patient_id"] == "SYN-0004"][0], "unit"] = "mg/dL"
    table.to_csv(folder / "measurements.csv", index=False)
    status = main(["batch", str(folder), "-o", str(tmp_path / "out"), "--dpi", "30"])
    captured = capsys.readouterr()
    assert status == 2
    assert "3 of 4 patients rendered" in captured.out
    assert captured.err.startswith("patient 'SYN-0004': ")
    assert "not a unit of AFP" in captured.err
    assert len(list((tmp_path / "out").glob("*.png"))) == 3
    assert main(["synthetic", str(tmp_path / "syn"), "--patients", "3"]) == 0
    assert (
        main(
            [
                "aligned",
                str(tmp_path / "syn"),
                "-o",
                str(tmp_path / "a"),
                "--marker",
                "AFP",
                "--dpi",
                "30",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "grid",
                str(tmp_path / "syn"),
                "-o",
                str(tmp_path / "g"),
                "--marker",
                "AFP",
                "--dpi",
                "30",
            ]
        )
        == 0
    )
    assert (tmp_path / "a.png").exists() and (tmp_path / "g.png").exists()


# figures/ holds what the pinned stack renders.
@pytest.mark.pinned_stack
def test_committed_cohort_figure_matches_the_makefile_commands(tmp_path, monkeypatch):
    from conftest import ROOT

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    assert (
        main(["synthetic", str(tmp_path / "cohort"), "--patients", "60", "--seed", "7"])
        == 0
    )
    assert (
        main(
            [
                "aligned",
                str(tmp_path / "cohort"),
                "-o",
                str(tmp_path / "fig"),
                "--marker",
                "AFP",
                "--anchor",
                "tace",
                "--percent",
            ]
        )
        == 0
    )
    # Byte for byte, as every figure `make figures` renders (tests/test_cli.py).
    committed = ROOT / "figures" / "cohort_aligned.png"
    assert (tmp_path / "fig.png").read_bytes() == committed.read_bytes(), (
        f"{committed} is not what the code writes: run `make figures` and commit"
    )


def _descendants(pid: int) -> list[int]:
    """Children, grandchildren...: the workers are forked by a fork server."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found.extend(frontier)
    return found


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc (Linux)")
def test_batch_workers_end_with_their_parent(tmp_path):
    folder = write_cohort(synthetic_cohort(300, seed=3), tmp_path / "cohort")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "plotting", "batch", str(folder), "-o", str(out)]
    parent = subprocess.Popen(
        [*command, "--jobs", "2", "--dpi", "30"], stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob("*.png")) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _descendants(parent.pid)
        assert len(workers) >= 3  # the fork server and two workers
        parent.kill()
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_running(w) for w in workers):
            assert time.monotonic() < deadline, "workers outlived their parent"
            time.sleep(0.1)
    finally:
        parent.kill()
    written = len(list(out.glob("*.png")))
    time.sleep(1.0)
    assert len(list(out.glob("*.png"))) == written < 300


def test_synthetic_never_replaces_case_data(tmp_path):
    shutil.copytree(ROOT / "data" / "yu2020", tmp_path / "case")
    before = sorted(p.name for p in (tmp_path / "case").iterdir())
    with pytest.raises(InputError, match=r"already holds case or cohort data \(case"):
        write_cohort(synthetic_cohort(2), tmp_path / "case")
    assert sorted(p.name for p in (tmp_path / "case").iterdir()) == before
    assert write_cohort(synthetic_cohort(2), tmp_path / "case", force=True)


def test_worker_processes_from_a_script_without_a_main_guard(tmp_path):
    # Workers started afresh would import the script again and rerun it; a
    # script's workers are forked instead.
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from plotting import read_cohort, render_cohort, synthetic_cohort
            from plotting import write_cohort
            print("script body runs")
            folder = write_cohort(synthetic_cohort(4, seed=3), {str(tmp_path / "in")!r})
            report = render_cohort(
                read_cohort(folder), {str(tmp_path / "out")!r}, dpi=30, jobs=2,
                progress=False,
            )
            print(len(report.written), "written")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["script body runs", "4 written"]
