"""Batch rendering on a real Dask cluster: a LocalCluster of two worker processes."""

from __future__ import annotations

import os
from collections import Counter

import distributed
import pytest
from matplotlib.testing.compare import compare_images

from plotting import FigureOptions, plot_case, read_cohort, save_figure
from plotting.output.batch import render_chunk, render_cohort
from plotting.output.synthetic import synthetic_cohort, write_cohort

TODAY = "2026-01-01"


@pytest.fixture(scope="module")
def client():
    # Processes, not threads: each worker is its own interpreter, as on a cluster.
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # None still takes 8787; any free port
            worker_dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    return read_cohort(write_cohort(synthetic_cohort(16, seed=5), folder), today=TODAY)


def test_render_cohort_on_a_local_cluster(client, cohort, tmp_path):
    workers = sum(client.nthreads().values())
    assert workers == 2
    # Two other processes, not this one.
    assert os.getpid() not in client.run(os.getpid).values()
    calls = Counter()

    executor = client.get_executor()
    submit = executor.submit

    def counting_submit(fn, chunk, *args):
        calls[len(chunk)] += 1
        return submit(fn, chunk, *args)

    executor.submit = counting_submit
    report = render_cohort(
        cohort,
        tmp_path / "out",
        dpi=40,
        executor=executor,
        workers=workers,
        progress=False,
    )
    assert sorted(report.written) == sorted(cohort.cases) and not report.failed
    # 16 patients on 2 workers: chunks of 1 (an eighth of each worker's share).
    assert calls == Counter({1: 16})
    # The workers drew them: the images equal the single-figure path's.
    for pid in sorted(cohort.cases)[:2]:
        save_figure(plot_case(cohort.cases[pid]), tmp_path / "single" / pid, dpi=40)
        assert (
            compare_images(
                str(tmp_path / "single" / f"{pid}.png"),
                str(tmp_path / "out" / f"{pid}.png"),
                tol=0,
            )
            is None
        )


def test_a_chunk_travels_to_a_worker_and_back(client, cohort, tmp_path):
    pid = sorted(cohort.sources)[0]
    # Detached: only this patient's rows are pickled to the worker.
    item = (pid, cohort.source(pid).detached(), pid)
    future = client.submit(
        render_chunk, [item], tmp_path, ("png",), 30, FigureOptions(), pure=False
    )
    [(done_pid, paths, error)] = future.result()
    assert (done_pid, error) == (pid, None)
    assert paths == [tmp_path / f"{pid}.png"] and paths[0].stat().st_size > 0


def test_workers_must_be_a_whole_number_above_zero(cohort, tmp_path):
    for bad in (0, -2, 1.5):
        with pytest.raises(ValueError, match="workers must be a whole number"):
            render_cohort(cohort, tmp_path, workers=bad, progress=False)
