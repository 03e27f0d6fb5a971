"""Every command's help: its own examples, which parse, and every option's default."""

from __future__ import annotations

import re
import shlex

import pytest

from plotting.cli import COMMANDS, build_parser, main

NAMES = [
    "example",
    "render",
    "check",
    "kinetics",
    "batch",
    "aligned",
    "grid",
    "synthetic",
    "import",
]


def help_text(capsys, *argv) -> str:
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


def examples(text: str) -> list[str]:
    """The example lines of a help text, without their indent."""
    section = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in section.splitlines()]


def option_helps(text: str) -> dict[str, str]:
    """Each option of a help text's options section, with its whole help."""
    section = text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    helps: dict[str, str] = {}
    for line in section.splitlines():
        if re.match(r"  -", line):
            name = line.split()[0].rstrip(",")
            helps[name] = line
        else:
            helps[name] += " " + line.strip()
    return {name: " ".join(text.split()) for name, text in helps.items()}


def test_the_commands_are_the_modules():
    assert [m.__name__.rsplit(".", 1)[1].rstrip("_") for m in COMMANDS] == NAMES


def test_top_level_help_shows_one_example_per_command(capsys):
    text = help_text(capsys)
    shown = examples(text)
    assert [shlex.split(line)[1] for line in shown] == NAMES
    # First the line that writes data/yu2020, which the others read (after
    # `pip install`, in any folder).
    assert shown[0] == "marker-trends example yu2020 data/yu2020"
    assert shown[1] == "marker-trends render data/yu2020 -o figures/fig4"
    assert "exit status: 0 success; 2 a mistake in the command or the data" in text


@pytest.mark.parametrize("name", NAMES)
def test_each_command_shows_two_to_four_examples_of_its_own(capsys, name):
    shown = examples(help_text(capsys, name))
    assert 2 <= len(shown) <= 4
    assert all(line.startswith(f"marker-trends {name} ") for line in shown)


@pytest.mark.parametrize("name", [None, *NAMES])
def test_every_example_parses(capsys, name):
    text = help_text(capsys, *([name] if name else []))
    parser = build_parser()
    for line in examples(text):
        assert "\\" not in line, line
        program, *argv = shlex.split(line)
        assert program == "marker-trends"
        args = parser.parse_args(argv)
        assert args.command == argv[0]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_every_option_shows_its_default(capsys, name):
    helps = option_helps(help_text(capsys, name))
    assert "--debug" in helps
    for option, text in helps.items():
        if option != "-h":
            assert "(default: " in text or "(required)" in text, text


def test_defaults_are_shown_as_typed(capsys):
    helps = option_helps(help_text(capsys, "render"))
    assert helps["--format"].endswith("formats (default: png pdf svg)")
    assert helps["--dpi"].endswith(
        "raster resolution of PNG and TIFF, 10 to 2400 (default: the preset's, 300)"
    )
    assert helps["--uln-crossing"].endswith("(default: off)")
    assert option_helps(help_text(capsys, "batch"))["--format"].endswith(
        "(default: png)"
    )
    assert option_helps(help_text(capsys, "grid"))["--ncols"].endswith(
        "panels per row (default: 5)"
    )


def test_one_commands_defaults_do_not_leak_into_another():
    parser = build_parser()
    assert parser.parse_args(["render", "c", "-o", "f"]).format == ["png", "pdf", "svg"]
    assert parser.parse_args(["batch", "c", "-o", "f"]).format == ["png"]
    assert parser.parse_args(["render", "c", "-o", "f"]).debug is False
    assert parser.parse_args(["--debug", "render", "c", "-o", "f"]).debug is True
    assert parser.parse_args(["render", "c", "-o", "f", "--debug"]).debug is True
