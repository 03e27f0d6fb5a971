"""The HTML page and the SVG tooltips, read as text: which row each mark shows,
that the data's text stays text, and a batch's index of pages."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from conftest import ROOT, YU2020

from plotting import plot_case, read_case, read_cohort, render_cohort, save_figure
from plotting.cli import main
from plotting.output.figure_marks import FigureMarks
from plotting.output.html import figure_page

HOSTILE = (
    "</script><script>window.pwned = 1</script> \"quoted\" & 'single' "
    '<img src=x onerror="window.pwned = 2"> ]]> <!-- -->'
)


class _Page(HTMLParser):
    """The page's elements as a browser's parser meets them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.data_of: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._open = attrs.get("id")

    def handle_data(self, data):
        if self._open:
            self.data_of[self._open] = self.data_of.get(self._open, "") + data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _marks_data(text: str) -> list[dict]:
    return json.loads(_parse(text).data_of["marks-data"])


def _page_marks(folder, tmp_path) -> list[dict]:
    """The marks of the page of a case folder, as the page's script reads them."""
    case = read_case(folder)
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("html",), case=case)
    return _marks_data(stem.with_suffix(".html").read_text())


def _svg(text: str) -> str:
    return text[text.index("<svg") : text.index("</svg>") + len("</svg>")]


@pytest.fixture(scope="module")
def fig4_page(tmp_path_factory):
    stem = tmp_path_factory.mktemp("page") / "fig4"
    case = read_case(YU2020)
    save_figure(plot_case(case), stem, formats=("svg", "html"), case=case)
    return stem


def test_each_mark_names_its_own_row(fig4_page):
    case = read_case(YU2020)
    marks = _marks_data(fig4_page.with_suffix(".html").read_text())
    by_row = {row: mark for mark in marks for row in mark["rows"]}
    for row in case.measurements.itertuples():
        details = dict(by_row[f"measurements:{row.row}"]["details"])
        assert details["Value as written"] == row.value_text
        assert details["Source"] == row.source
        assert details["Date reasoning"] == row.date_reasoning
    for row in case.treatments.itertuples():
        assert row.source in dict(by_row[f"treatments:{row.row}"]["details"]).values()
    for row in case.events.itertuples():
        assert dict(by_row[f"events:{row.row}"]["details"])["Event"] == row.label


def test_points_are_matched_by_where_they_are_drawn(write_case, tmp_path):
    # Two results on one day, a censored one, a zero and a far one: each <use>
    # must carry the title of the value drawn there, not the next in a list.
    folder = write_case(
        """
        date,date_precision,marker,value,unit,source
        2011-01-01,day,AFP,20,ng/mL,first of the day
        2011-01-01,day,AFP,800,ng/mL,second of the day
        2011-06-01,day,AFP,<5,ng/mL,censored
        2012-01-01,month,AFP,0,ng/mL,reported as zero
        2012-03-01,day,AFP,3000,ng/mL,highest
        2014-01-01,day,AFP,40,ng/mL,last
        """
    )
    case = read_case(folder)
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("html",), case=case)
    svg = ET.fromstring(_svg(stem.with_suffix(".html").read_text()))
    ns = "{http://www.w3.org/2000/svg}"
    drawn = []
    for use in svg.iter(f"{ns}use"):
        title = use.find(f"{ns}title")
        if title is not None:
            value = re.search(r"Value as written: (\S+)", title.text).group(1)
            drawn.append((float(use.get("y")), value, title.text))
    assert sorted(v for _, v, _ in drawn) == sorted(
        ["20", "800", "<5", "0", "3000", "40"]
    )
    numbers = [(y, float(v.lstrip("<"))) for y, v, _ in drawn if v != "0"]
    # Higher on the page (smaller y) is a higher value, point for point.
    by_height = [value for _, value in sorted(numbers)]
    assert by_height == sorted(by_height, reverse=True)
    censored = next(t for _, v, t in drawn if v == "<5")
    assert "Censoring: below the limit" in censored and "Source: censored" in censored


def _use_titles(page: str) -> list[tuple[str, str]]:
    """(data-row, title) of every result symbol of a page's SVG."""
    svg = ET.fromstring(_svg(page))
    ns = "{http://www.w3.org/2000/svg}"
    return [
        (use.get("data-row"), use.find(f"{ns}title").text)
        for use in svg.iter(f"{ns}use")
        if use.find(f"{ns}title") is not None
    ]


@pytest.mark.parametrize("second", ["5001", "5000.5", "20010"])
def test_two_results_a_hair_apart_on_one_day_keep_their_own_rows(
    write_case, tmp_path, second
):
    # Drawn within a hundredth of a point of each other: the second <use> took
    # the first's row, and hovering it showed the other result and source.
    folder = write_case(
        f"""
        date,date_precision,marker,value,unit,source
        2011-03-01,day,AFP,5000,ng/mL,first run
        2011-03-01,day,AFP,{second},ng/mL,rerun
        2011-06-01,day,AFP,20,ng/mL,later
        """
    )
    case = read_case(folder)
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("html",), case=case)
    page = stem.with_suffix(".html").read_text()
    titles = dict(_use_titles(page))
    assert sorted(titles) == ["measurements:2", "measurements:3", "measurements:4"]
    assert "Value as written: 5000\n" in titles["measurements:2"] + "\n"
    assert "Source: first run" in titles["measurements:2"]
    assert f"Value as written: {second}" in titles["measurements:3"]
    assert "Source: rerun" in titles["measurements:3"]
    # One symbol per mark: none left without one, none shown twice.
    drawn = re.findall(r'data-mark="(\d+)"', _svg(page))
    assert sorted(drawn) == [str(n) for n in range(len(_marks_data(page)))]


def test_a_marker_named_with_quotes_keeps_the_details_of_its_results(
    write_case, tmp_path, recwarn
):
    # matplotlib writes such an id in single quotes: the search for it in
    # double quotes found nothing, and no result had details.
    name = '"Q ""quoted"""'
    folder = write_case(
        "date,date_precision,marker,value,unit,source\n"
        f"2011-01-01,day,{name},10,ng/mL,one\n"
        f"2011-06-01,day,{name},20,ng/mL,two\n",
        toml=(
            'title = "x"\n[time]\norigin = "2011-01-01"\n'
            'last_follow_up = "2012-01-01"\n[markers."Q \\"quoted\\""]\n'
            'unit = "ng/mL"\n'
        ),
    )
    case = read_case(folder)
    assert 'Q "quoted"' in case.markers
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("html", "svg"), case=case)
    rows = {row for row, _ in _use_titles(stem.with_suffix(".html").read_text())}
    assert rows == {"measurements:2", "measurements:3"}
    assert len(_use_titles(stem.with_suffix(".svg").read_text())) == 2
    assert not [w for w in recwarn if "could not be found" in str(w.message)]


def test_a_mark_missing_from_the_svg_is_said_not_left_silent(fig4_page):
    from plotting.output.figure_marks import Mark
    from plotting.output.svg_marks import annotate_svg

    svg = _svg(fig4_page.with_suffix(".html").read_text())
    lost = Mark(
        element="no-such-element",
        point=None,
        table="measurements",
        rows=(2,),
        heading="AFP 2160 ng/mL, 2006-08",
        details=(),
    )
    with pytest.warns(UserWarning, match=r"1 of the figure's 1 marks could not be"):
        assert annotate_svg(svg, [lost], {}) == svg


def test_a_page_of_another_case_than_the_figure_is_refused_and_nothing_written(
    tmp_path,
):
    # Told as "a bug of marker-trends": it is the caller's mistake.
    from plotting import InputError

    figure = plot_case(read_case(YU2020))
    other = read_case(ROOT / "data" / "hosogoe2015")
    stem = tmp_path / "fig"
    stem.with_suffix(".png").write_bytes(b"the earlier figure")
    with pytest.raises(InputError, match="none of the figure's 22 drawn marks is a"):
        save_figure(figure, stem, formats=("png", "html"), case=other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png"]
    assert stem.with_suffix(".png").read_bytes() == b"the earlier figure"


def test_the_command_says_when_a_drawn_mark_matches_no_row(
    tmp_path, capsys, monkeypatch
):
    # Both imported before either is patched: importing svg_marks while
    # figure_marks is patched would bind the stand-in for good.
    from plotting.output import figure_marks, svg_marks

    real = figure_marks.index_figure

    def losing_one(case, drawn, **kws):
        found = real(case, drawn, **kws)
        return dataclasses.replace(found, unmatched=("trend-points:AFP:approx[0]",))

    monkeypatch.setattr(figure_marks, "index_figure", losing_one)
    monkeypatch.setattr(svg_marks, "index_figure", losing_one)
    out = tmp_path / "fig4"
    assert main(["render", str(YU2020), "-o", str(out), "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert (
        "marker-trends: warning: 1 drawn marks match no row of the case and show no "
        "details: trend-points:AFP:approx[0]. This is a bug of marker-trends"
    ) in err


def test_a_row_counted_in_its_own_unit_says_that_unit(write_case, tmp_path):
    # A row in weeks in a case counted in months read "month 6" for 6 weeks.
    folder = write_case(
        """
        date,time_unit,marker,value,unit,source
        6,Weeks,PSA,20,ng/mL,6 weeks after the start
        6,,PSA,5,ng/mL,6 months after the start
        """,
        toml=(
            'title = "x"\n[time]\nrelative = "months"\norigin_label = "start"\n'
            "origin = 0\nlast_follow_up = 12\n"
        ),
    )
    marks_data = _page_marks(folder, tmp_path)
    marks = {m["rows"][0]: m for m in marks_data}
    weeks, months = marks["measurements:2"], marks["measurements:3"]
    assert weeks["heading"] == "PSA 20 ng/mL, week 6"
    assert dict(weeks["details"])["Date"].startswith("week 6, ")
    assert dict(weeks["details"])["Date"].endswith("(drawn at month 1.38)")
    assert months["heading"] == "PSA 5 ng/mL, month 6"
    # The published case that writes its first weeks so (Daverede et al. 2014).
    case = read_case(ROOT / "data" / "daverede2014")
    save_figure(plot_case(case), tmp_path / "dav", formats=("html",), case=case)
    headings = {m["heading"] for m in _marks_data((tmp_path / "dav.html").read_text())}
    assert {"PSA, serum 276 μg/L, week 4", "CT: stable, week 4"} <= headings
    assert "PSA, serum 4.1 μg/L, month 4" in headings


def test_a_row_timed_after_a_treatment_says_so(write_case, tmp_path):
    # Headed "week 2" and drawn at month 8.46: the reader could not tell why.
    folder = write_case(
        """
        date,time_unit,after,marker,value,unit
        2,weeks,Resection,AFP,50,ng/mL
        1,,,AFP,500,ng/mL
        -1,,Resection,AFP,300,ng/mL
        """,
        "kind,start,label\nresection,8,Resection\n",
        toml=(
            'title = "x"\n[time]\nrelative = "months"\norigin_label = "diagnosis"\n'
            "origin = 0\n"
            "last_follow_up = 24\n"
        ),
    )
    marks_data = _page_marks(folder, tmp_path)
    headings = {m["rows"][0]: m["heading"] for m in marks_data}
    assert headings["measurements:2"] == "AFP 50 ng/mL, week 2 after Resection"
    assert headings["measurements:3"] == "AFP 500 ng/mL, month 1"
    assert headings["measurements:4"] == "AFP 300 ng/mL, month 1 before Resection"
    assert headings["treatments:2"] == "Surgery Resection, month 8"


def test_a_censoring_sign_in_a_column_of_its_own_is_shown_with_the_value(
    write_case, tmp_path
):
    # The heading, the list and the tooltip read "PSA 0.1 ng/mL", a measured
    # value to the eye, and >= lost its "or equal".
    folder = write_case(
        """
        date,marker,value,qualifier,unit,source
        2011-02-01,PSA,0.1,<,ng/mL,a
        2011-03-01,PSA,100,>=,ng/mL,b
        2011-04-01,PSA,<= 2,,ng/mL,c
        2011-05-01,PSA,5,,ng/mL,d
        2011-06-01,PSA,<0.2,<,ng/mL,e
        """
    )
    case = read_case(folder)
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("html", "svg"), case=case)
    marks = {
        m["rows"][0]: m for m in _marks_data(stem.with_suffix(".html").read_text())
    }
    headings = {row: mark["heading"] for row, mark in marks.items()}
    assert headings == {
        "measurements:2": "PSA <0.1 ng/mL, 2011-02-01",
        "measurements:3": "PSA >=100 ng/mL, 2011-03-01",
        "measurements:4": "PSA <= 2 ng/mL, 2011-04-01",
        "measurements:5": "PSA 5 ng/mL, 2011-05-01",
        # Written in both places: shown once.
        "measurements:6": "PSA <0.2 ng/mL, 2011-06-01",
    }
    details = {row: dict(mark["details"]) for row, mark in marks.items()}
    assert details["measurements:2"]["Value as written"] == (
        "0.1 (< in its qualifier column)"
    )
    assert details["measurements:2"]["Censoring"].startswith("below the limit")
    assert details["measurements:3"]["Censoring"] == (
        "at or above the limit shown (the true value is this or higher: ≥)"
    )
    assert details["measurements:4"]["Censoring"].startswith("at or below")
    assert details["measurements:5"]["Censoring"] == "none (a measured value)"
    titles = [title for _, title in _use_titles(stem.with_suffix(".svg").read_text())]
    assert any(title.startswith("PSA >=100 ng/mL, 2011-03-01\n") for title in titles)


def test_a_number_that_could_read_two_ways_says_how_it_was_read(write_case, tmp_path):
    folder = write_case(
        """
        date,marker,value,unit
        2011-02-01,AFP,"2,160",ng/mL
        2011-03-01,AFP,187.8,ng/mL
        2011-04-01,AFP,<5.0,ng/mL
        2011-05-01,AFP,12,ng/mL
        """
    )
    marks_data = _page_marks(folder, tmp_path)
    details = {m["rows"][0]: dict(m["details"]) for m in marks_data}
    assert details["measurements:2"]["Value as written"] == "2,160"
    assert details["measurements:2"]["Read as"] == "2160"
    # Plain numbers need no second line.
    assert all("Read as" not in details[f"measurements:{n}"] for n in (3, 4, 5))


def test_the_row_names_the_file_it_was_read_from(tmp_path):
    # A case whose table is another file ([files]): "measurements.csv row 2"
    # sent the reader to a file that does not exist.
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.toml").write_text(
        'title = "x"\n[time]\norigin = "2011-01-01"\nlast_follow_up = "2012-01-01"\n'
        '[files]\nmeasurements = "exports/lab export.csv"\n'
    )
    (folder / "exports").mkdir()
    (folder / "exports" / "lab export.csv").write_text(
        "date,marker,value,unit\n2011-02-01,AFP,10,ng/mL\n2011-03-01,AFP,5,ng/mL\n"
    )
    marks_data = _page_marks(folder, tmp_path)
    rows = {dict(m["details"])["Row"] for m in marks_data}
    assert rows == {"exports/lab export.csv row 2", "exports/lab export.csv row 3"}
    excel = read_case(ROOT / "tests" / "cases" / "excel_export")
    assert excel.files == {"measurements": "measurements.xlsx [sheet measurements]"}


def test_text_from_the_data_stays_text(write_case, tmp_path):
    quoted = HOSTILE.replace('"', '""')
    folder = write_case(
        f"""
        date,date_precision,marker,value,unit,source,date_reasoning
        2011-01-01,day,AFP,20,ng/mL,"{HOSTILE.replace('"', '""')}",plain
        """,
        treatments=f"""
        kind,start,end,label,date_precision,source
        tace,2011-02-01,,"{quoted}",day,"{quoted}"
        """,
    )
    case = read_case(folder)
    stem = tmp_path / "out" / "fig"
    save_figure(plot_case(case), stem, formats=("svg", "html"), case=case)
    page = stem.with_suffix(".html").read_text()
    parsed = _parse(page)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert len(scripts) == 2, "only the page's own scripts"
    assert not [tag for tag, _ in parsed.tags if tag == "img"]
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    # The script's data hold the text exactly as written.
    sources = [dict(m["details"])["Source"] for m in _marks_data(page)]
    assert sources == [HOSTILE, HOSTILE]
    # The SVG in the page and the SVG file are well-formed, with the text as text.
    for svg in (_svg(page), stem.with_suffix(".svg").read_text()):
        root = ET.fromstring(svg[svg.index("<svg") :])
        titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
        assert any(HOSTILE in t for t in titles)
    heading = html.escape(HOSTILE, quote=False)
    assert heading in page


def test_svg_gains_only_tooltips_and_html_needs_the_case(tmp_path):
    case = read_case(YU2020)
    fig = plot_case(case)
    plain = save_figure(fig, tmp_path / "plain", formats=("svg",))[0].read_text()
    told = save_figure(fig, tmp_path / "told", formats=("svg",), case=case)[0]
    told = told.read_text()
    assert told.count("<title>") == 22 and "<title>" not in plain
    stripped = re.sub(r"<title>.*?</title>", "", told, flags=re.DOTALL)
    assert re.sub(r"(<use [^>]*?)\s*></use>", r"\1/>", stripped) == plain
    with pytest.raises(ValueError, match=r"needs the case drawn.*case=case"):
        save_figure(fig, tmp_path / "none", formats=("png", "html"))
    assert not list(tmp_path.glob("none*")), "nothing written when refused"


def test_the_page_needs_no_network(fig4_page):
    page = fig4_page.with_suffix(".html").read_text()
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href"):
            link = attrs.get(name)
            if link is not None:
                assert link.startswith(("#", "data:")), (tag, name, link)
    # Namespaces and RDF names are http:// identifiers, never fetched.
    assert not [tag for tag, _ in parsed.tags if tag in ("link", "img", "iframe")]
    assert "@import" not in page
    assert not re.findall(r"url\((?!#)", page)


@pytest.mark.pinned_stack
def test_committed_page_is_the_one_make_figures_writes(tmp_path):
    committed = ROOT / "figures" / "fig4.html"
    stem = tmp_path / "fig4"
    assert main(["render", str(YU2020), "-o", str(stem), "--format", "html"]) == 0
    assert stem.with_suffix(".html").read_text() == committed.read_text()


def test_an_empty_figure_still_makes_a_page():
    page = figure_page("<svg></svg>", FigureMarks("A <case>", (), ()))
    assert "<title>A &lt;case&gt;</title>" in page and "<li" not in page


def _cohort_folder(tmp_path) -> Path:
    root = tmp_path / "cohort"
    shutil.copytree(YU2020, root / "yu2020")
    odd = root / 'a&b "<i>odd'  # an id that is markup, and no file name
    shutil.copytree(YU2020, odd)
    broken = root / "broken"
    shutil.copytree(YU2020, broken)
    measurements = broken / "measurements.csv"
    text = measurements.read_text().replace(",2160,", ",<script>x</script>,", 1)
    measurements.write_text(text)
    return root


def test_batch_index_links_every_page_and_lists_problems(tmp_path):
    cohort = read_cohort(_cohort_folder(tmp_path))
    out = tmp_path / "out"
    report = render_cohort(cohort, out, formats=("png", "html"), dpi=40)
    assert sorted(report.failed) == ["broken"]
    assert report.index == out / "index.html"
    index = report.index.read_text()
    parsed = _parse(index)
    items = [attrs["data-patient"] for tag, attrs in parsed.tags if tag == "li"]
    assert items == list(cohort.sources)
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert len(links) == 2
    for link in links:
        assert unquote(link).endswith(".html")
        assert (out / unquote(link)).is_file()
    for paths in report.written.values():
        page = next(p for p in paths if p.suffix == ".html")
        assert f'href="{quote(page.name)}"' in index
    assert html.escape('a&b "<i>odd', quote=False) in index
    assert "<script>x</script>" not in index
    assert html.escape(report.failed["broken"], quote=False) in index
    assert "&lt;script&gt;x&lt;/script&gt;" in index


def test_each_page_of_a_tidy_cohort_names_its_patient(tmp_path):
    # A cohort of tidy tables: every page was titled by the cohort's folder.
    folder = tmp_path / "coh"
    assert main(["synthetic", str(folder), "--patients", "3", "--seed", "3"]) == 0
    cohort = read_cohort(folder)
    report = render_cohort(cohort, tmp_path / "out", formats=("html",))
    assert sorted(report.written) == ["SYN-0001", "SYN-0002", "SYN-0003"]
    for pid, paths in report.written.items():
        page = paths[0].read_text()
        assert f"<title>Patient {pid}</title>" in page
        assert f"<h1>Patient {pid}</h1>" in page
    (folder / "cohort.toml").write_text('title = "HCC series"\n')
    (pid, case), *_ = read_cohort(folder).cases.items()
    assert case.title == f"HCC series: {pid}"


def test_batch_command_writes_the_index(tmp_path, capsys):
    folder = _cohort_folder(tmp_path)
    out = tmp_path / "out"
    code = main(
        ["batch", str(folder), "-o", str(out), "--format", "html", "--dpi", "40"]
    )
    assert code == 2  # one patient could not be drawn
    captured = capsys.readouterr()
    assert f"index of every patient's page: {out / 'index.html'}" in captured.out
    assert "broken" in captured.err
    assert len(list(out.glob("*.html"))) == 3


def test_a_patient_refused_on_a_second_run_is_told_of_the_first_runs_files(
    tmp_path, capsys
):
    # The pages and PNGs of the earlier run stayed beside the new ones without
    # a word, drawn from data the package now refuses.
    root = tmp_path / "cohort"
    shutil.copytree(YU2020, root / "yu2020")
    shutil.copytree(YU2020, root / "later")
    out = tmp_path / "out"
    argv = ["batch", str(root), "-o", str(out), "--format", "png", "html"]
    assert main([*argv, "--dpi", "40"]) == 0
    again = render_cohort(read_cohort(root), out, formats=("png", "html"), dpi=40)
    assert again.failed == {} and again.stale == {}
    measurements = root / "later" / "measurements.csv"
    measurements.write_text(measurements.read_text().replace(",2160,", ",21 60,", 1))
    capsys.readouterr()
    assert main([*argv, "--dpi", "40"]) == 2
    err = capsys.readouterr().err
    report = render_cohort(read_cohort(root), out, formats=("png", "html"), dpi=40)
    assert sorted(report.failed) == ["later"]
    assert report.stale == {"later": [out / "later.png", out / "later.html"]}
    for path in report.stale["later"]:
        assert (
            f"  {path} is from an earlier run, drawn from data now refused: delete it "
            "or fix the data"
        ) in err
    assert 'href="later.html"' not in (out / "index.html").read_text()


def test_same_day_results_are_told_apart_by_value(write_case):
    import matplotlib.dates as mdates

    from plotting.output.figure_marks import DrawnMark, index_figure

    folder = write_case(
        """
        date,date_precision,marker,value,unit,source
        2011-01-01,day,AFP,20,ng/mL,twenty
        2011-01-01,day,AFP,800,ng/mL,eight hundred
        """
    )
    case = read_case(folder)
    day = float(mdates.date2num(case.measurements["date"].iloc[0]))
    # Drawn in the other order than the file's: each point keeps its own row.
    drawn = DrawnMark("p", "points", "AFP", xs=(day, day), ys=(800.0, 20.0))
    marks = index_figure(case, [drawn], day_number=mdates.date2num)
    sources = {m.point: dict(m.details)["Source"] for m in marks.marks}
    assert sources == {0: "eight hundred", 1: "twenty"}
    # A point no row shows gets no details, not the nearest row's.
    stray = DrawnMark("q", "points", "AFP", xs=(day + 1,), ys=(20.0,))
    assert index_figure(case, [stray], day_number=mdates.date2num).unmatched == (
        "q[0]",
    )


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (ROOT / "data").iterdir() if p.is_dir())
)
def test_every_row_of_every_published_case_has_its_mark(name, tmp_path):
    # Series of a stated specimen (CEA[urine]), ranges, unknown starts, order
    # positions: each row is told by its own mark, and no mark goes unmatched.
    case = read_case(ROOT / "data" / name)
    stem = tmp_path / name
    save_figure(plot_case(case), stem, formats=("html",), case=case)
    marks = _marks_data(stem.with_suffix(".html").read_text())
    rows = {row for mark in marks for row in mark["rows"]}
    for table in ("measurements", "treatments", "events"):
        for number in getattr(case, table)["row"]:
            assert f"{table}:{number}" in rows, (name, table, number)
    specimens = case.measurements.get("specimen")
    if specimens is not None:
        for mark in marks:
            if mark["rows"][0].startswith("measurements:"):
                row = int(mark["rows"][0].split(":")[1])
                stated = specimens[case.measurements["row"] == row].iloc[0]
                assert (dict(mark["details"]).get("Specimen", "")) == stated
