"""The published cases by name: ``plotting.example_case`` and ``marker-trends
example``, which writes one to a folder whole or not at all."""

from __future__ import annotations

import os
import shlex

import pandas as pd
import pytest
from conftest import ROOT, YU2020

import plotting
from plotting.cli import COMMANDS, main
from plotting.core.errors import InputError
from plotting.output import examples as writer

PUBLISHED = sorted(p.name for p in (ROOT / "data").iterdir() if p.is_dir())


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_case_folder_of_data_is_a_published_example():
    assert len(PUBLISHED) >= 9
    assert plotting.example_names() == tuple(PUBLISHED)


@pytest.mark.parametrize("name", PUBLISHED)
def test_example_case_is_the_case_its_folder_reads_as(name):
    case = plotting.example_case(name)
    assert case.path == ROOT / "data" / name
    expected = plotting.read_case(ROOT / "data" / name)
    pd.testing.assert_frame_equal(case.measurements, expected.measurements)
    assert case.markers.keys() == expected.markers.keys()


def test_an_unknown_example_names_every_published_one():
    with pytest.raises(InputError) as raised:
        plotting.example_case("yu2021")
    message = str(raised.value)
    assert message.startswith("'yu2021' is not a published case")
    assert all(name in message for name in PUBLISHED)


def test_example_writes_the_case_folder_byte_for_byte(tmp_path, capsys):
    target = tmp_path / "new" / "yu"
    assert main(["example", "yu2020", str(target)]) == 0
    assert capsys.readouterr().out.split() == [str(target)]
    assert _files(target) == _files(YU2020)
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]
    assert main(["check", str(target)]) == 0


def test_example_without_a_folder_writes_one_named_like_the_case(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["example", "hong2025"]) == 0
    assert capsys.readouterr().out.split() == ["hong2025"]
    assert _files(tmp_path / "hong2025") == _files(ROOT / "data" / "hong2025")


def test_example_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "yu"
    assert main(["example", "yu2020", str(target)]) == 0
    (target / "measurements.csv").write_text("date,marker,value,unit\n")
    capsys.readouterr()
    assert main(["example", "yu2020", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"marker-trends: {target} already holds case.toml")
    assert "--force" in err
    assert (target / "measurements.csv").read_text() == "date,marker,value,unit\n"
    assert main(["example", "yu2020", str(target), "--force"]) == 0
    assert _files(target) == _files(YU2020)


def test_force_keeps_other_files_and_refuses_case_data_of_another_case(
    tmp_path, capsys
):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "figure.png").write_bytes(b"not ours")
    assert main(["example", "yu2020", str(target)]) == 0
    assert (target / "figure.png").read_bytes() == b"not ours"
    # An .xlsx beside the example's .csv would make another (unreadable) case.
    (target / "treatments.xlsx").write_bytes(b"xlsx")
    (target / "case.toml").write_text("title = 'mine'\n")
    capsys.readouterr()
    assert main(["example", "yu2020", str(target), "--force"]) == 2
    assert "treatments.xlsx" in capsys.readouterr().err
    assert (target / "case.toml").read_text() == "title = 'mine'\n"


@pytest.mark.parametrize(
    "argv, said",
    [
        (["example", "yu2021", "x"], "'yu2021' is not a published case"),
        (["example"], "give the published case to write, one of blood2013myeloma"),
        (["example", "yu2020", "--list"], "--list takes no NAME"),
        (["example", "yu2020", "afile"], "afile: is a file"),
    ],
)
def test_mistakes_exit_2_with_a_message_and_write_nothing(
    tmp_path, monkeypatch, capsys, argv, said
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("mine")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert said in captured.err
    assert "Traceback" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_list_prints_the_names(capsys):
    assert main(["example", "--list"]) == 0
    assert capsys.readouterr().out.split() == PUBLISHED


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_mistake(tmp_path, capsys):
    tmp_path.chmod(0o555)
    try:
        assert main(["example", "yu2020", str(tmp_path / "yu")]) == 2
    finally:
        tmp_path.chmod(0o755)
    assert "read-only" in capsys.readouterr().err


def test_an_interrupted_write_leaves_no_folder_and_no_temporary(tmp_path, monkeypatch):
    copied = []

    def copier(source):
        def write(stream):
            if copied:
                raise KeyboardInterrupt
            copied.append(source)
            stream.write(source.read_bytes())

        return write

    monkeypatch.setattr(writer, "_copier", copier)
    with pytest.raises(KeyboardInterrupt):
        writer.write_example("yu2020", tmp_path / "yu")
    assert copied
    assert list(tmp_path.iterdir()) == []


# Every --help example that reads data/yu2020 works in an empty folder once the
# help's first line (marker-trends example yu2020 data/yu2020, tests/test_cli_help.py)
# has run: as after `pip install`, away from the repository.
HELP_EXAMPLES = [
    example
    for command in COMMANDS
    for example in command.EXAMPLES
    if "data/yu2020" in example and " example " not in example
]


@pytest.mark.parametrize("line", HELP_EXAMPLES)
def test_help_examples_run_in_an_empty_folder_after_the_first(
    tmp_path, monkeypatch, capsys, line
):
    monkeypatch.chdir(tmp_path)
    assert main(["example", "yu2020", "data/yu2020"]) == 0
    assert main(shlex.split(line)[1:]) == 0, capsys.readouterr().err
