"""Exit status 2 only for the user's mistakes, each named with what to do; 1 else."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile

import pytest
from conftest import YU2020

import plotting.drawing.case_figure
from plotting.cli import common, main
from plotting.cli import kinetics as kinetics_command
from plotting.computing.kinetics import KineticsError
from plotting.core.errors import InputError

Y = str(YU2020)
KNOWN = (
    "known: 'Resection', '#1', '#2', 'Liver RT', '#3', '#4', '#5', 'Bone RT', "
    "'Lung SBRT'"
)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    assert main(["synthetic", str(folder), "--patients", "3"]) == 0
    return str(folder)


def run(capsys, *argv):
    """Run the command line; return its status, stdout and stderr."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def last_line(err: str) -> str:
    """The message after argparse's usage lines."""
    return err.splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dpi", "0"], "argument --dpi: give an integer from 10 to 2400, not '0'"),
        (["--dpi", "-5"], "argument --dpi: give an integer from 10 to 2400, not '-5'"),
        (
            ["--dpi", "100000"],
            "argument --dpi: give an integer from 10 to 2400, not '100000'",
        ),
        (["--dpi", "9"], "argument --dpi: give an integer from 10 to 2400, not '9'"),
        (
            ["--dpi", "3e2"],
            "argument --dpi: give an integer from 10 to 2400, not '3e2'",
        ),
        (
            ["--kinetics", "2013-02-08:2012-08-01"],
            "argument --kinetics: '2013-02-08:2012-08-01': END must be after START",
        ),
        (["--preset", "triple"], "argument --preset: invalid choice: 'triple'"),
    ],
)
def test_render_option_values_are_checked_by_the_parser(
    capsys, tmp_path, argv, message
):
    status, out, err = run(capsys, "render", Y, "-o", tmp_path / "f", *argv)
    assert status == 2 and out == ""
    assert last_line(err).startswith(f"marker-trends render: {message}")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_dpi_at_the_limits_is_accepted(capsys, tmp_path):
    status, out, _ = run(
        capsys, "render", Y, "-o", tmp_path / "f", "--format", "png", "--dpi", "10"
    )
    assert status == 0 and out == f"{tmp_path / 'f.png'}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batch", "{cohort}", "-o", "out", "--jobs", "0"], "argument --jobs: "),
        (
            ["grid", "{cohort}", "-o", "g", "--marker", "AFP", "--ncols", "0"],
            "argument --ncols: ",
        ),
        (
            ["grid", "{cohort}", "-o", "g", "--marker", "AFP", "--max-patients", "0"],
            "argument --max-patients: ",
        ),
        (["synthetic", "out", "--patients", "0"], "argument --patients: "),
    ],
)
def test_counts_must_be_at_least_one(capsys, cohort, argv, message):
    argv = [a.format(cohort=cohort) for a in argv]
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert last_line(err) == (
        f"marker-trends {argv[0]}: {message}give an integer of 1 or more, not '0'"
    )


def test_seed_must_not_be_negative(capsys, tmp_path):
    status, _, err = run(capsys, "synthetic", tmp_path / "s", "--seed", "-1")
    assert status == 2
    assert last_line(err) == (
        "marker-trends synthetic: argument --seed: give an integer of 0 or more, "
        "not '-1'"
    )


def test_between_must_end_after_it_starts(capsys):
    status, out, err = run(
        capsys, "kinetics", Y, "--between", "2013-02-08", "2012-08-01"
    )
    assert (status, out) == (2, "")
    assert err == (
        "marker-trends: --between 2013-02-08 2012-08-01: END must be after START\n"
    )


def test_from_and_to_name_both_options(capsys, tmp_path):
    status, _, err = run(
        capsys, "render", Y, "-o", tmp_path / "f", "--from", "2015", "--to", "2014"
    )
    assert status == 2
    assert err == (
        "marker-trends: --from 2015 --to 2014: the window must end after "
        "it starts; give a --to after --from\n"
    )
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "f", "--from", "2020")
    assert status == 2
    assert err == (
        "marker-trends: --from/--to: the window must end after it starts "
        "(2020-01-01 to 2019-08-27); the case runs from 2006-08-01 to 2019-08-27\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["render", Y, "-o", "{tmp}/f", "--markers", "AFP", "CEA"],
            "--markers ['CEA'] are not in this case; it has AFP, PIVKA-II",
        ),
        (
            ["kinetics", Y, "--markers", "afp"],
            "--markers ['afp'] are not in this case; it has AFP, PIVKA-II",
        ),
        (
            ["batch", "{cohort}", "-o", "{tmp}/b", "--markers", "CEA"],
            "--markers ['CEA'] are not in this cohort; it has AFP, PIVKA-II",
        ),
        (
            ["aligned", "{cohort}", "-o", "{tmp}/a", "--marker", "CEA"],
            "--marker 'CEA' is not in this cohort; it has AFP, PIVKA-II",
        ),
        (
            ["grid", "{cohort}", "-o", "{tmp}/g", "--marker", "CEA"],
            "--marker 'CEA' is not in this cohort; it has AFP, PIVKA-II",
        ),
        (
            [
                "aligned",
                "{cohort}",
                "-o",
                "{tmp}/a",
                "--marker",
                "AFP",
                "--anchor",
                "surgery",
            ],
            "--anchor 'surgery' matches no treatment of any patient; give a kind "
            "(radiotherapy, tace) or a label (#1, #2, #3, #4, RT)",
        ),
        (
            ["render", Y, "-o", "{tmp}/f", "--kinetics", "Bone XRT"],
            f"--kinetics 'Bone XRT': no single treatment labelled 'Bone XRT'; {KNOWN}",
        ),
        (
            ["render", Y, "-o", "{tmp}/f", "--response", "Bone RT", "Liver"],
            f"--response 'Liver': no single treatment labelled 'Liver'; {KNOWN}",
        ),
        (
            ["kinetics", Y, "--after", "Bone XRT"],
            f"--after 'Bone XRT': no single treatment labelled 'Bone XRT'; {KNOWN}",
        ),
        (
            ["kinetics", Y, "--response", "10"],
            f"--response '10': no single treatment labelled '10'; {KNOWN}",
        ),
    ],
)
def test_names_that_match_nothing_list_what_there_is(
    capsys, tmp_path, cohort, argv, message
):
    argv = [a.format(tmp=tmp_path, cohort=cohort) for a in argv]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == f"marker-trends: {message}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["render", "{tmp}/nope", "-o", "{tmp}/f"], "{tmp}/nope: no such case folder"),
        (["check", "{tmp}/nope"], "{tmp}/nope: no such case folder"),
        (["kinetics", "{tmp}/nope"], "{tmp}/nope: no such case folder"),
        (["batch", "{tmp}/nope", "-o", "{tmp}/b"], "{tmp}/nope: no such cohort folder"),
        (
            ["grid", "{tmp}/nope", "-o", "{tmp}/g", "--marker", "AFP"],
            "{tmp}/nope: no such cohort folder",
        ),
    ],
)
def test_paths_that_do_not_exist(capsys, tmp_path, argv, message):
    argv = [a.format(tmp=tmp_path) for a in argv]
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert err == f"marker-trends: {message.format(tmp=tmp_path)}; check the path\n"


def test_output_that_is_a_folder(capsys, tmp_path):
    status, _, err = run(capsys, "render", Y, "-o", tmp_path)
    assert status == 2
    assert err == (
        f"marker-trends: -o {tmp_path}: is a folder; give a file path without "
        f"extension, e.g. {tmp_path / 'figure'}\n"
    )
    status, _, err = run(capsys, "render", Y, "-o", f"{tmp_path}/new/")
    assert status == 2 and err.startswith(f"marker-trends: -o {tmp_path}/new/: is a")
    (tmp_path / "fig.svg").mkdir()
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "fig")
    assert status == 2
    assert err == (
        f"marker-trends: -o {tmp_path / 'fig'}: {tmp_path / 'fig.svg'} is a folder; "
        "choose another file name\n"
    )
    status, _, err = run(capsys, "kinetics", Y, "--csv", tmp_path)
    assert status == 2
    assert err == f"marker-trends: --csv {tmp_path}: is a folder; give a file name\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.svg"]


def test_output_folders_that_are_files(capsys, tmp_path, cohort):
    afile = tmp_path / "notes.txt"
    afile.write_text("")
    status, _, err = run(capsys, "batch", cohort, "-o", afile)
    assert status == 2
    assert err == (
        f"marker-trends: -o {afile}: is a file; give a folder (it is made if missing)\n"
    )
    status, _, err = run(capsys, "synthetic", afile)
    assert status == 2
    assert err.startswith(f"marker-trends: output folder {afile}: is a file;")
    status, _, err = run(capsys, "render", Y, "-o", afile / "fig")
    assert status == 2
    assert err == (
        f"marker-trends: -o {afile / 'fig'}: {afile} is a file, not a folder; "
        "choose another path\n"
    )


def _deny_writes_into(monkeypatch, folder):
    real = os.access

    def access(path, mode, **kwargs):
        if os.fspath(path) == os.fspath(folder) and mode & os.W_OK:
            return False
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("command", ["render", "batch", "synthetic", "csv"])
def test_read_only_output_folder_is_refused_before_any_work(
    capsys, tmp_path, monkeypatch, cohort, command
):
    folder = tmp_path / "read-only"
    folder.mkdir()
    _deny_writes_into(monkeypatch, folder)
    argv, named = {
        "render": (["render", Y, "-o", folder / "f"], f"-o {folder / 'f'}"),
        "batch": (["batch", cohort, "-o", folder / "out"], f"-o {folder / 'out'}"),
        "synthetic": (["synthetic", folder / "s"], f"output folder {folder / 's'}"),
        "csv": (
            ["kinetics", Y, "--csv", folder / "k.csv"],
            f"--csv {folder / 'k.csv'}",
        ),
    }[command]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == (
        f"marker-trends: {named}: the folder {folder} is read-only; choose a folder "
        "you can write to\n"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_read_only_folder_for_real(capsys, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    status, _, err = run(capsys, "render", Y, "-o", folder / "f")
    assert status == 2 and "is read-only; choose a folder you can write to" in err


def test_a_write_refused_while_saving_is_a_usage_error(capsys, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    status, out, err = run(capsys, "render", Y, "-o", tmp_path / "f")
    assert (status, out) == (2, "")
    assert err == (
        f"marker-trends: -o {tmp_path / 'f'}: cannot write into {tmp_path} "
        "(Permission denied); choose a folder you can write to\n"
    )


def test_a_disk_error_is_unexpected(capsys, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "f")
    assert status == 1
    assert err.startswith("marker-trends: unexpected error: OSError: ")


@pytest.mark.parametrize(
    ("output", "formats", "written"),
    [
        ("fig4.png", [], ["fig4.png", "fig4.pdf", "fig4.svg"]),
        ("fig4.svg", ["--format", "svg"], ["fig4.svg"]),
        ("fig4.TIF", ["--format", "tiff"], ["fig4.tiff"]),
        ("fig4.v2", ["--format", "png"], ["fig4.v2.png"]),
    ],
)
def test_output_extension_names_the_stem(capsys, tmp_path, output, formats, written):
    argv = ["render", Y, "-o", tmp_path / output, "--dpi", "20", *formats]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert out.split() == [str(tmp_path / name) for name in written]


def test_output_extension_not_among_the_formats(capsys, tmp_path):
    status, out, err = run(
        capsys, "render", Y, "-o", tmp_path / "fig4.tif", "--format", "png", "pdf"
    )
    assert (status, out) == (2, "")
    assert err == (
        f"marker-trends: -o {tmp_path / 'fig4.tif'}: .tif is not among the formats "
        "asked for (png pdf); add --format tiff, or give the path without an "
        "extension\n"
    )
    status, _, err = run(
        capsys, "aligned", tmp_path, "-o", tmp_path / "a.pdf", "--marker", "AFP"
    )
    assert status == 2
    assert ".pdf is not among the formats asked for (png); add --format pdf" in err


def test_internal_value_errors_are_ours_not_the_users(capsys, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("lane index out of range")

    monkeypatch.setattr(plotting.drawing.case_figure, "plot_case", broken)
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "f")
    assert status == 1
    assert err == (
        "marker-trends: unexpected error: ValueError: lane index out of range "
        "(rerun with --debug for the traceback)\n"
    )
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "f", "--debug")
    assert status == 1
    assert err.startswith("Traceback (most recent call last)")
    assert err.splitlines()[-1].startswith("marker-trends: unexpected error")


def test_input_errors_found_while_drawing_are_the_users(capsys, write_case, tmp_path):
    label = "Transarterial chemoembolisation with drug-eluting beads " * 4
    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments=f"kind,start,label\ntace,2010-05-01,{label}\n",
    )
    status, out, err = run(
        capsys, "render", folder, "-o", tmp_path / "f", "--preset", "single"
    )
    assert (status, out) == (2, "")
    assert err.startswith("marker-trends: the TACE labels do not fit on the track")
    assert err.endswith(": shorten it, or use a wider figure\n")


def test_options_refused_by_figure_options_name_the_field(
    capsys, tmp_path, monkeypatch
):
    def refuse(**options):
        raise InputError("time_axis must be one of calendar, since-diagnosis, both")

    monkeypatch.setattr(common, "FigureOptions", refuse)
    status, _, err = run(capsys, "render", Y, "-o", tmp_path / "f")
    assert status == 2
    assert err == (
        "marker-trends: time_axis must be one of calendar, since-diagnosis, both\n"
    )


def test_kinetics_errors_are_the_users(capsys, monkeypatch):
    def empty(case, **kwargs):
        raise KineticsError("AFP 2012-08-01 to 2013-02-08: no results in the window")

    monkeypatch.setattr(kinetics_command, "kinetics_table", empty)
    status, _, err = run(capsys, "kinetics", Y)
    assert status == 2
    assert err == (
        "marker-trends: AFP 2012-08-01 to 2013-02-08: no results in the window\n"
    )


def test_a_cohort_without_readable_patients(capsys, tmp_path):
    folder = tmp_path / "cohort"
    assert main(["synthetic", str(folder), "--patients", "2"]) == 0
    table = (folder / "measurements.csv").read_text()
    (folder / "measurements.csv").write_text(table.replace("ng/mL", "mg/dL"))
    capsys.readouterr()
    status, _, err = run(
        capsys, "grid", folder, "-o", tmp_path / "g", "--marker", "AFP"
    )
    assert status == 2
    assert err == (
        f"marker-trends: {folder}: no patient could be read; 'marker-trends batch "
        f"{folder} -o FOLDER' lists each patient's problems\n"
    )


def test_usage_mistakes(capsys):
    status, _, err = run(capsys, "render", Y)
    assert status == 2
    assert last_line(err) == (
        "marker-trends render: the following arguments are required: -o/--output"
    )
    status, _, err = run(capsys, "draw", Y)
    assert status == 2
    assert last_line(err).startswith(
        "marker-trends: argument COMMAND: invalid choice: 'draw'"
    )
    status, _, err = run(capsys, "kinetics", Y, "--criterion", "best")
    assert status == 2
    assert last_line(err).startswith(
        "marker-trends kinetics: argument --criterion: invalid choice: 'best'"
    )


def test_synthetic_never_replaces_data_unless_forced(capsys, tmp_path):
    folder = tmp_path / "cohort"
    assert main(["synthetic", str(folder), "--patients", "2"]) == 0
    before = (folder / "measurements.csv").read_text()
    capsys.readouterr()
    status, out, err = run(capsys, "synthetic", folder, "--patients", "3")
    assert (status, out) == (2, "")
    assert err == (
        f"marker-trends: {folder} already holds case or cohort data (events.csv, "
        "measurements.csv, patients.csv, treatments.csv); write the synthetic "
        "cohort into a new folder, or replace them with --force\n"
    )
    assert (folder / "measurements.csv").read_text() == before
    status, out, _ = run(capsys, "synthetic", folder, "--patients", "3", "--force")
    assert (status, out) == (0, f"{folder}\n")
    assert (folder / "measurements.csv").read_text() != before


def test_outputs_never_land_among_case_data_without_force(capsys, tmp_path):
    case = tmp_path / "case"
    shutil.copytree(YU2020, case)
    before = {p.name: p.read_bytes() for p in case.iterdir()}
    for command in (
        ["kinetics", case, "--csv", case / "measurements.csv"],
        ["render", case, "-o", case / "fig4", "--format", "png"],
        ["batch", tmp_path, "-o", case],
    ):
        status, _, err = run(capsys, *command)
        assert status == 2
        assert f"{case} holds case or cohort data (case.toml, events.csv," in err
        assert "add --force to write beside them" in err
    assert {p.name: p.read_bytes() for p in case.iterdir()} == before
    status, _, _ = run(capsys, "render", case, "-o", case / "fig4", "--force")
    assert status == 0 and (case / "fig4.png").exists()


def test_read_case_of_a_missing_folder_says_so_in_one_line(tmp_path):
    from plotting import CaseDataError, InputError, read_case

    with pytest.raises(InputError) as raised:
        read_case(tmp_path / "nope")
    assert (
        str(raised.value) == f"{tmp_path / 'nope'}: no such case folder; check the path"
    )
    assert not isinstance(raised.value, CaseDataError)
