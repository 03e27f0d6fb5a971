"""Sphinx configuration of the marker-trends documentation (``make docs``).

The site is built offline with warnings as errors: references are nitpicky, the
public API's docstrings are validated by numpydoc, and the gallery's examples are
run at every build, so a figure, a number or a code block that no longer works
fails the build instead of going stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx_gallery.sorting import ExplicitOrder

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))

import build_numbers  # noqa: E402  (docs/build_numbers.py, beside this file)

import plotting  # noqa: E402

project = "marker-trends"
author = "The marker-trends developers"
copyright = "2026, the marker-trends developers"
release = plotting.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated/*.md", "gallery"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "substitution"]
myst_substitutions = build_numbers.substitutions()

# Every reference must resolve. The site is built without a network, so names of
# other projects (no intersphinx inventories here) are accepted as plain text.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(matplotlib|mpl|pandas|pd|numpy|np|dask|distributed|fhir)(\..*)?"),
    (r"py:.*", r"(Path|PathLike|os\.PathLike|Sequence|Mapping|Iterable|Callable)"),
    (r"py:.*", r"(Figure|Axes|DataFrame|Series|Timestamp|Executor|Client)"),
]

autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
# Types stay text: without the Python and NumPy inventories offline, linking
# "str" or "array_like" would only fail.
numpydoc_xref_param_type = False
# The public API's docstrings are checked; what is not asked of them yet is
# listed (see also, examples and extended summaries on every function).
numpydoc_validation_checks = {"all", "SA01", "EX01", "ES01", "GL08", "RT02", "PR09"}
# DEFAULT_MARKERS is a dict: its docstring is dict's own.
numpydoc_validation_exclude = {r"\.__init__$", r"\._[a-z]", r"\.DEFAULT_MARKERS$"}
# A value class (a dataclass) documents its fields, which are its constructor's
# parameters, under Attributes; tests/test_docs_site.py checks every field is.
numpydoc_validation_overrides = {"PR01": [r"Attributes\n\s*-{3,}"]}

templates_path = ["_templates"]

html_theme = "pydata_sphinx_theme"
html_title = f"marker-trends {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": True,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_last_updated_fmt = None
html_copy_source = False

sphinx_gallery_conf = {
    "examples_dirs": ["gallery"],
    "gallery_dirs": ["auto_gallery"],
    "subsection_order": ExplicitOrder(["gallery/cases", "gallery/capabilities"]),
    "within_subsection_order": "FileNameSortKey",
    "filename_pattern": r"/plot_",
    "image_scrapers": ("matplotlib",),
    "image_srcset": ["2x"],
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "capture_repr": ("_repr_html_", "__repr__"),
    "show_memory": False,
    "show_signature": False,
    "min_reported_time": 1e9,
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
}


def setup(app):
    """Write the numbers the pages include before any page is read."""
    from pygments.lexers.special import TextLexer

    # The guide's tables are CSV as a lab writes it; Pygments has no lexer for it.
    app.add_lexer("csv", TextLexer)
    app.connect("builder-inited", lambda app: build_numbers.write(DOCS / "_generated"))
