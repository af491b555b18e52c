"""The entry point's small things: -V, subcommand usage on a bad option, help everywhere."""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitwarden.cli.main import EXIT_USAGE, build_parser, main
from gitwarden.version import __version__


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flag_prints_the_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([flag])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"gitwarden {__version__}"


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["scan", ".", "--no-such-option"], "usage: gitwarden scan "),
        (["trust", "allow", "bob", "--branch", "main", "--bogus"], "usage: gitwarden trust allow "),
        (["rules", "--nope"], "usage: gitwarden rules "),
    ],
)
def test_unknown_option_after_a_subcommand_prints_that_subcommands_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert f"unrecognized arguments: {argv[-1]}" in err


def _undocumented(parser: argparse.ArgumentParser, path: str) -> list[str]:
    missing: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, child in action.choices.items():
                if not helps.get(name):
                    missing.append(f"{path} {name}")
                missing.extend(_undocumented(child, f"{path} {name}"))
        elif not isinstance(action, argparse._HelpAction) and not action.help:
            missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_command_and_option_has_help_text() -> None:
    assert _undocumented(build_parser(), "gitwarden") == []


def test_fail_on_help_lists_every_severity(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "one of critical, high, medium, low, info" in help_text


def test_a_command_runs_under_the_collector_thresholds_and_gives_back_the_callers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The module, not the `main` function the package exports under the same name.
    cli_main = importlib.import_module("gitwarden.cli.main")
    seen: list[tuple[int, ...]] = []
    run = cli_main._run

    def watched(args: argparse.Namespace) -> int:
        seen.append(gc.get_threshold())
        return run(args)

    monkeypatch.setattr(cli_main, "_run", watched)
    callers = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        assert cli_main.main(["rules"]) == cli_main.EXIT_PASS
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*callers)
    assert seen == [cli_main.COLLECTOR_THRESHOLDS]
    assert after == (1234, 5, 6)
    assert capsys.readouterr().out


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "insecure-gitops"


@pytest.mark.parametrize(
    "program",
    [["-m", "gitwarden"], ["-c", "from gitwarden.cli import console_main; console_main()"]],
)
def test_the_program_writes_its_whole_report_and_exits_with_mains_code(
    program: list[str], tmp_path: Path
) -> None:
    # The exit skips the interpreter's teardown: what was written must still all be there.
    command = [sys.executable, *program, "scan", str(EXAMPLE), "--no-render", "-f", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 1  # the example has findings at the default --fail-on
    report = json.loads(done.stdout)
    assert report["findings"]  # the whole document parsed: nothing was cut off
    written = subprocess.run(
        [*command, "-o", "report.json"], capture_output=True, check=False, cwd=tmp_path
    )
    assert written.returncode == 1
    assert json.loads((tmp_path / "report.json").read_text()) == report


def test_the_program_exits_by_systemexit_for_help_and_usage_errors(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "gitwarden", "--version"], capture_output=True, text=True
    )
    assert (version.returncode, version.stdout.strip()) == (0, f"gitwarden {__version__}")
    wrong = subprocess.run(
        [sys.executable, "-m", "gitwarden", "scan", "--bogus"], capture_output=True, text=True
    )
    assert wrong.returncode == EXIT_USAGE
    assert "unrecognized arguments: --bogus" in wrong.stderr


def test_a_profiled_run_takes_pythons_own_exit_and_writes_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "scan.prof"
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    scan = ["scan", str(manifest), "-f", "json", "-o", str(tmp_path / "report.json")]
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "gitwarden", *scan],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert profile.stat().st_size > 0  # os._exit would have skipped cProfile's writing
