"""One self-contained HTML page per figure, and an index page for a batch.

The page holds the figure's SVG inline, its own CSS and script, and the case's
tables as ``data:`` links: it opens from a file, with no network, and shows
nothing the case did not say. Every text from the data is escaped where it is
written (HTML text, attributes, the script's JSON), and the script writes it
back as text only (``textContent``), never as markup.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable

from .figure_marks import FigureMarks

# The byte order mark that tells a spreadsheet a CSV is UTF-8.
BOM = "\ufeff"
_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)

_CSS = """
:root { font-family: system-ui, sans-serif; color: #222; }
body { margin: 1rem; max-width: 80rem; }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
p.how { margin: 0 0 .75rem; color: #555; font-size: .9rem; }
.layout { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
figure { margin: 0; flex: 1 1 36rem; min-width: 20rem; }
figure svg { width: 100%; height: auto; display: block; }
aside { flex: 1 1 20rem; max-width: 32rem; }
#details { border: 1px solid #ccc; border-radius: 4px; padding: .5rem .75rem;
  min-height: 6rem; font-size: .9rem; background: #fafafa; }
#details h2 { font-size: 1rem; margin: 0 0 .5rem; }
#details dl { margin: 0; display: grid; grid-template-columns: max-content 1fr;
  gap: .2rem .75rem; }
#details dt { font-weight: 600; }
#details dd { margin: 0; white-space: pre-wrap; }
.mark { cursor: pointer; }
.mark:focus { outline: none; }
.mark:focus, .mark.active { filter: drop-shadow(0 0 1.5px #000)
  drop-shadow(0 0 1px #000); }
label[for="search"] { display: block; margin-top: .75rem; font-weight: 600; }
#search { width: 100%; box-sizing: border-box; margin: .25rem 0;
  padding: .3rem; font-size: .9rem; }
#rows { list-style: none; padding: 0; margin: 0; max-height: 18rem;
  overflow-y: auto; font-size: .85rem; }
#rows button { all: unset; cursor: pointer; display: block; padding: .1rem .3rem; }
#rows button:hover, #rows button:focus, #rows li.active button {
  background: #e6f0ff; outline: 1px solid #8ab; }
#rows li[hidden] { display: none; }
.downloads { margin-top: .75rem; font-size: .9rem; }
.downloads a { margin-right: 1rem; }
"""

# Shows a mark's details on hover, tap, focus or a list choice; the search box
# filters the list, and Enter in it goes to the first match.
_SCRIPT = """
(function () {
  "use strict";
  var marks = JSON.parse(document.getElementById("marks-data").textContent);
  var panel = document.getElementById("details");
  var search = document.getElementById("search");
  var items = Array.prototype.slice.call(document.querySelectorAll("#rows li"));
  var elements = {};
  Array.prototype.forEach.call(document.querySelectorAll(".mark"), function (el) {
    elements[el.getAttribute("data-mark")] = el;
  });
  function show(number) {
    var mark = marks[number];
    if (!mark) { return; }
    panel.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = mark.heading;
    panel.appendChild(heading);
    var list = document.createElement("dl");
    mark.details.forEach(function (pair) {
      var term = document.createElement("dt");
      term.textContent = pair[0];
      var text = document.createElement("dd");
      text.textContent = pair[1];
      list.appendChild(term);
      list.appendChild(text);
    });
    panel.appendChild(list);
    panel.setAttribute("data-mark", String(number));
    Object.keys(elements).forEach(function (key) {
      elements[key].classList.toggle("active", key === String(number));
    });
    items.forEach(function (item) {
      var chosen = item.getAttribute("data-mark") === String(number);
      item.classList.toggle("active", chosen);
    });
  }
  function go(number) {
    show(number);
    var el = elements[String(number)];
    if (el) { el.focus(); }
  }
  Object.keys(elements).forEach(function (key) {
    var el = elements[key];
    ["mouseenter", "focus", "click"].forEach(function (name) {
      el.addEventListener(name, function () { show(Number(key)); });
    });
    el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        show(Number(key));
      }
    });
  });
  items.forEach(function (item) {
    item.querySelector("button").addEventListener("click", function () {
      go(Number(item.getAttribute("data-mark")));
    });
  });
  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var first = null;
    items.forEach(function (item) {
      var text = marks[Number(item.getAttribute("data-mark"))].search;
      var match = words.every(function (word) { return text.indexOf(word) >= 0; });
      item.hidden = !match;
      if (match && first === null) { first = item; }
    });
    return first;
  }
  search.addEventListener("input", function () {
    var first = filter();
    if (first && search.value.trim()) { show(Number(first.getAttribute("data-mark"))); }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var first = filter();
      if (first) { go(Number(first.getAttribute("data-mark"))); }
    }
  });
})();
"""


def figure_page(svg: str, marks: FigureMarks) -> str:
    """Return the page: the figure, a details panel, a searchable list of its
    marks and the case's tables as CSV downloads.

    Parameters
    ----------
    svg : str
        The figure's SVG, its marks made focusable
        (:func:`plotting.output.svg_marks.annotate_svg`).
    marks : FigureMarks
        What each mark shows.
    """
    svg = _PROLOGUE.sub("", svg, count=1)
    data = [
        {
            "heading": mark.heading,
            "details": [list(pair) for pair in mark.details],
            "search": mark.search_text,
            "rows": [f"{mark.table}:{row}" for row in mark.rows],
        }
        for mark in marks.marks
    ]
    rows = "\n".join(
        f'<li data-mark="{number}" data-row="{_attr(" ".join(item["rows"]))}">'
        f'<button type="button">{_html(mark.heading)}</button></li>'
        for number, (mark, item) in enumerate(zip(marks.marks, data, strict=True))
    )
    # With a byte order mark: without it, Excel opens a UTF-8 CSV in the
    # computer's code page, and µg/L or ≥ come out garbled.
    downloads = " ".join(
        f'<a download="{_attr(name)}.csv" id="download-{_attr(name)}" '
        'href="data:text/csv;charset=utf-8,'
        f'{urllib.parse.quote(BOM + text, safe="")}">'
        f"{_html(name)}.csv</a>"
        for name, text in marks.tables
    )
    title = _html(marks.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{title}</h1>
<p class="how">Point at, tap or Tab to a result, treatment or event to read its \
value as written, its date as known and the sentence it comes from.</p>
<div class="layout">
<figure id="figure">
{svg}
</figure>
<aside>
<div id="details" aria-live="polite"><p>Nothing chosen yet.</p></div>
<label for="search">Find a row</label>
<input id="search" type="search" placeholder="AFP, 2012, radiotherapy…" \
autocomplete="off">
<ol id="rows">
{rows}
</ol>
<p class="downloads">Tables behind the figure: {downloads}</p>
</aside>
</div>
<script type="application/json" id="marks-data">{_json(data)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def index_page(title: str, patients: Iterable[tuple[str, str | None, str]]) -> str:
    """Return a batch's index: each patient, a link to their page, their problems.

    Parameters
    ----------
    title : str
        The page's title.
    patients : iterable of (str, str or None, str)
        Patient id, the page's file name relative to the index (None when no
        figure was written) and the problems found (empty when none).
    """
    items = []
    for pid, page, problems in patients:
        name = _html(pid)
        link = (
            f'<a href="{_attr(urllib.parse.quote(page))}">{name}</a>'
            if page
            else f"<span>{name}</span> (no figure)"
        )
        trouble = f'<pre class="problems">{_html(problems)}</pre>' if problems else ""
        items.append(f'<li data-patient="{_attr(pid)}">{link}{trouble}</li>')
    listing = "\n".join(items)
    title = _html(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; }}
.problems {{ color: #a00; white-space: pre-wrap; margin: .2rem 0 .5rem 1rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
<ol id="patients">
{listing}
</ol>
</body>
</html>
"""


def _html(text: str) -> str:
    return html.escape(str(text), quote=False)


def _attr(text: str) -> str:
    return html.escape(str(text), quote=True)


def _json(value) -> str:
    """JSON that cannot end its ``<script>`` element, whatever the text holds."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
