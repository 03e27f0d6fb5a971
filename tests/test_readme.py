"""The Python examples of the README and the docs' pages run as written."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from conftest import ROOT
from doc_pages import code_blocks

BLOCKS = code_blocks("python")
# One test a page, so that the pages' examples share the workers.
PAGES = sorted({block.page.name for block in BLOCKS})


def test_the_pages_with_python_examples_include_the_readme_kinetics_and_cohorts():
    assert len(BLOCKS) >= 12
    assert {"README.md", "kinetics.md", "cohorts.md"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_of_the_page_run(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    results: dict = {}
    for block in (block for block in BLOCKS if block.page.name == page):
        namespace: dict = {}
        exec(compile(block.text, block.where, "exec"), namespace)
        if "plot_" in block.text:
            assert plt.get_fignums(), f"{block.where}: an example that plots draws"
        plt.close("all")
        results.update(namespace)
    # What two examples promise in their text.
    if page == "kinetics.md":
        assert round(results["fit"].half_life_days, 1) == 30.1
    if page == "cohorts.md":
        assert len(results["report"].written) == 20 and not results["report"].failed
