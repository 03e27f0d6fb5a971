"""Fig. 4's HTML page in a real browser (headless Chromium): a reader points at a
value and reads where it comes from, tabs through every mark, searches for a
row, downloads the tables, and sees the figure the PNG shows."""

from __future__ import annotations

import csv
import io
import urllib.parse

import numpy as np
import pandas as pd
import pytest
from browser import start_chromium, stop_chromium
from conftest import YU2020
from PIL import Image
from test_html_page import HOSTILE

from plotting import plot_case, read_case, save_figure
from plotting.cli import main

# One Chromium per module and worker: pytest-xdist 3.8's --dist loadgroup does
# not group tests under pytest 9.2 (tried), so two workers start two (about 2 s).
pytestmark = pytest.mark.browser


def _rows(name):
    """The file's rows as written, by spreadsheet row (the header is row 1)."""
    with open(YU2020 / f"{name}.csv", newline="", encoding="utf-8") as stream:
        return {number: row for number, row in enumerate(csv.DictReader(stream), 2)}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    stem = folder / "fig4"
    assert (
        main(["render", str(YU2020), "-o", str(stem), "--format", "png", "html"]) == 0
    )
    return folder


@pytest.fixture(scope="module")
def page(figures):
    driver, profile = start_chromium()
    try:
        driver.get((figures / "fig4.html").as_uri())
        yield driver
    finally:
        stop_chromium(driver, profile)


def _mark(page, row):
    from selenium.webdriver.common.by import By

    return page.find_element(By.CSS_SELECTOR, f'.mark[data-row~="{row}"]')


def _hover(page, row) -> str:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    # Away first, so each hover is a new one.
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    ActionChains(page).move_to_element(_mark(page, row)).perform()
    return page.find_element(By.ID, "details").text


def _row_of(row: int, name="measurements"):
    return f"{name}:{row}"


def _afp_2160():
    found = [n for n, r in _rows("measurements").items() if r["value"] == "2160"]
    assert len(found) == 1
    return found[0]


def test_pointing_at_afp_2160_reads_its_sentence_and_date_reasoning(page):
    number = _afp_2160()
    written = _rows("measurements")[number]
    details = _hover(page, _row_of(number))
    assert "The AFP level was 2,160 ng/mL" in details
    assert written["date_reasoning"] in details
    assert written["source"] in details
    lines = details.splitlines()
    assert lines[lines.index("Value as written") + 1] == written["value"]
    assert lines[lines.index("Unit") + 1] == written["unit"]
    date = lines[lines.index("Date") + 1]
    # Known to the month only; drawn mid-month, which the page says too.
    assert date.startswith(f"{written['date']}, known to the month only")


def test_pointing_at_a_second_marker_and_a_treatment_bar(page):
    measurements = _rows("measurements")
    (pivka,) = [
        n
        for n, r in measurements.items()
        if r["marker"] == "PIVKA-II" and r["value"] == "5658"
    ]
    details = _hover(page, _row_of(pivka))
    assert "5,658 mAU/mL" in details  # the paper's sentence, as it is written
    lines = details.splitlines()
    assert lines[lines.index("Value as written") + 1] == "5658"
    assert lines[lines.index("Date") + 1].startswith("2012-08-01, approximate")

    treatments = _rows("treatments")
    (liver_rt,) = [n for n, r in treatments.items() if r["label"] == "Liver RT"]
    written = treatments[liver_rt]
    details = _hover(page, _row_of(liver_rt, "treatments"))
    lines = details.splitlines()
    assert lines[lines.index("Dates") + 1] == (
        f"{written['start']} to {written['end']}, approximate"
    )
    assert lines[lines.index("Dose") + 1] == (
        f"{written['dose_gy']} Gy in {written['fractions']} fractions"
    )
    assert written["source"] in details
    assert written["date_reasoning"] in details


def test_every_mark_is_reached_with_tab_and_shows_its_details(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    marks = page.find_elements(By.CSS_SELECTOR, ".mark")
    expected = {m.get_attribute("data-mark") for m in marks}
    # Every result, treatment and event of the case is a mark.
    counts = [len(_rows(name)) for name in ("measurements", "treatments", "events")]
    assert len(expected) == sum(counts)
    # A click on the heading starts keyboard navigation from the top.
    ActionChains(page).click(page.find_element(By.TAG_NAME, "h1")).perform()
    reached = []
    for _ in range(len(expected)):
        ActionChains(page).send_keys(Keys.TAB).perform()
        focused = page.switch_to.active_element
        number = focused.get_attribute("data-mark")
        shown = page.find_element(By.ID, "details").get_attribute("data-mark")
        assert number is not None, "the marks come first, one Tab each"
        assert shown == number, "focus shows the focused mark's details"
        reached.append(number)
    assert set(reached) == expected
    ActionChains(page).send_keys(Keys.ENTER).perform()
    assert page.find_element(By.ID, "details").get_attribute("data-mark") == number


def test_search_finds_a_row_and_goes_to_its_mark(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    treatments = _rows("treatments")
    (bone_rt,) = [n for n, r in treatments.items() if r["label"] == "Bone RT"]
    search = page.find_element(By.ID, "search")
    search.clear()
    search.send_keys("bone rt")
    shown = [
        li.get_attribute("data-row")
        for li in page.find_elements(By.CSS_SELECTOR, "#rows li")
        if li.is_displayed()
    ]
    assert _row_of(bone_rt, "treatments") in shown
    assert len(shown) < len(page.find_elements(By.CSS_SELECTOR, "#rows li"))
    search.send_keys(Keys.ENTER)
    focused = page.switch_to.active_element
    assert focused.get_attribute("data-row") == shown[0]
    assert "active" in focused.get_attribute("class")
    assert treatments[bone_rt]["source"] in page.find_element(By.ID, "details").text
    search.clear()
    search.send_keys(Keys.BACKSPACE)


def test_tables_download_as_csv_with_their_provenance(page):
    from selenium.webdriver.common.by import By

    for name in ("measurements", "treatments", "events"):
        link = page.find_element(By.ID, f"download-{name}")
        assert link.get_attribute("download") == f"{name}.csv"
        href = link.get_attribute("href")
        prefix = "data:text/csv;charset=utf-8,"
        assert href.startswith(prefix)
        text = urllib.parse.unquote(href[len(prefix) :])
        # The byte order mark that makes Excel read it as UTF-8 (μg/L, ≥).
        assert text.startswith("\ufeffrow,")
        table = pd.read_csv(io.StringIO(text[1:]), dtype=str)
        written = _rows(name)
        assert table["row"].astype(int).tolist() == list(written)
        for column in ("source", "date_reasoning"):
            assert table[column].tolist() == [r[column] for r in written.values()]


def test_the_page_shows_the_figure_the_png_shows(page, figures):
    from selenium.webdriver.common.by import By

    svg = page.find_element(By.CSS_SELECTOR, "#figure svg")
    shot = Image.open(io.BytesIO(svg.screenshot_as_png)).convert("L")
    png = Image.open(figures / "fig4.png")
    white = Image.new("RGBA", png.size, "white")
    png = Image.alpha_composite(white, png.convert("RGBA")).convert("L")
    assert shot.width > 400
    assert shot.width / shot.height == pytest.approx(png.width / png.height, rel=0.01)
    size = (160, round(160 * png.height / png.width))
    a = np.asarray(shot.resize(size, Image.LANCZOS), dtype=float)
    b = np.asarray(png.resize(size, Image.LANCZOS), dtype=float)
    # The same drawing at another size: the coarse images agree closely.
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.9
    assert np.abs(a - b).mean() < 8


def test_text_from_the_data_shows_as_text(page, figures, write_case, tmp_path):
    from selenium.webdriver.common.by import By

    quoted = HOSTILE.replace('"', '""')
    folder = write_case(
        f"""
        date,date_precision,marker,value,unit,source,date_reasoning
        2011-01-01,day,AFP,20,ng/mL,"{quoted}","{quoted}"
        """
    )
    case = read_case(folder)
    stem = tmp_path / "hostile"
    save_figure(plot_case(case), stem, formats=("html",), case=case)
    try:
        page.get(stem.with_suffix(".html").as_uri())
        details = _hover(page, "measurements:2")
        assert details.count(HOSTILE.strip()) == 2
        assert page.execute_script("return window.pwned === undefined")
        assert len(page.find_elements(By.TAG_NAME, "script")) == 2
        assert not page.find_elements(By.CSS_SELECTOR, "#details img, body > img")
    finally:
        page.get((figures / "fig4.html").as_uri())
