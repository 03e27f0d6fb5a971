"""The published cases that ship with the package, read by name.

One source: the repository's ``data/`` folder. A wheel carries a copy of it as
``plotting/examples/`` (``setup.py`` copies it at build time); an editable install
or a source checkout reads ``data/`` itself.
"""

from __future__ import annotations

from pathlib import Path

from ..core.case import Case
from ..core.errors import InputError
from .case import read_case

_PACKAGE = Path(__file__).resolve().parents[1]


def examples_folder() -> Path:
    """Return the folder that holds the published cases, one subfolder each."""
    shipped = _PACKAGE / "examples"
    if shipped.is_dir():
        return shipped
    # A source checkout (or an editable install of one): data/ beside plotting/.
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data").is_dir():
        return checkout / "data"
    raise InputError(
        f"no published cases are installed beside {_PACKAGE}; reinstall "
        "marker-trends from its wheel, or run from a clone of its repository"
    )


def example_names() -> tuple[str, ...]:
    """Return the names of the published cases, sorted.

    Returns
    -------
    tuple of str
        Names for :func:`example_case` and ``marker-trends example``, e.g.
        ``"yu2020"``.
    """
    folder = examples_folder()
    return tuple(
        sorted(p.name for p in folder.iterdir() if (p / "case.toml").is_file())
    )


def example_folder(name: str) -> Path:
    """Return the folder of the published case ``name``.

    Raises
    ------
    InputError
        If no published case has that name; the message lists the names.
    """
    names = example_names()
    if name not in names:
        raise InputError(
            f"{name!r} is not a published case; the published cases are "
            f"{', '.join(names)}"
        )
    return examples_folder() / name


def example_case(name: str) -> Case:
    """Read a published case that ships with the package (``data/`` in the source).

    Parameters
    ----------
    name : str
        The case's name, e.g. ``"yu2020"`` (Fig. 4 of Yu et al. 2020); the names
        are listed by :func:`example_names` and ``marker-trends example --list``.

    Returns
    -------
    Case
        The case as :func:`read_case` reads it; its folder, read-only inside the
        installed package, is ``case.path``. ``marker-trends example NAME DIR``
        writes a copy to edit.

    Raises
    ------
    InputError
        If no published case has that name; the message lists the names.

    Examples
    --------
    >>> case = example_case("yu2020")
    >>> case.path.name
    'yu2020'
    """
    return read_case(example_folder(name))
