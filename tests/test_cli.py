"""The command line: every command is listed, and each has --help with an example."""

import subprocess
import sys

import pytest

from pipelines.cli import COMMANDS, build_parser


def test_top_level_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--help"], capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert f"    {name}" in out


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help_with_an_example(name, capsys):
    parser = build_parser()
    with pytest.raises(SystemExit) as e:
        parser.parse_args([name, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and f"circuitsmith {name}" in out


def test_no_command_prints_help_and_fails():
    r = subprocess.run([sys.executable, "-m", "pipelines.cli"], capture_output=True, text=True)
    assert r.returncode == 2 and "COMMAND" in r.stdout


def test_the_parser_loads_no_command_runner():
    """--help and argument parsing import only the commands' interfaces: no runner, no design graph,
    no web server, so a mistyped option answers at once."""
    code = ("import sys, pipelines.cli; pipelines.cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.endswith('_run') and m.startswith('pipelines.commands') "
            "or m.split('.')[0] in ('langgraph', 'uvicorn', 'fastapi', 'numpy') or m == 'pipelines.design'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
