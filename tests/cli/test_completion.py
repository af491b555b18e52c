"""`gitwarden completion`: scripts that the shells themselves complete with."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitwarden.cli.completion import completion_script
from gitwarden.cli.main import main
from gitwarden.report import FORMATS


def _bash_complete(script: Path, words: list[str]) -> list[str]:
    line = (
        f"source {script}; COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}; "
        '_shtab_gitwarden; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["gitwarden", "sc"], {"scan", "schema"}),
        (["gitwarden", "scan", "--fail"], {"--fail-on"}),
        (["gitwarden", "trust", "al"], {"allow"}),
    ],
)
def test_bash_completes_commands_and_options(
    tmp_path: Path, words: list[str], expected: set[str]
) -> None:
    script = tmp_path / "gitwarden.bash"
    script.write_text(completion_script("bash"))
    assert set(_bash_complete(script, words)) == expected


def test_completion_command_prints_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    assert "_shtab_gitwarden" in capsys.readouterr().out


def test_zsh_script_defines_the_gitwarden_completion() -> None:
    script = completion_script("zsh")
    assert script.startswith("#compdef gitwarden")
    assert '"--fail-on[lowest severity that fails the run' in script


def test_fish_script_offers_every_command_with_its_help() -> None:
    script = completion_script("fish")
    assert "-n '__fish_use_subcommand' -a scan -d 'check the Kubernetes manifests" in script
    assert "-n '__fish_use_subcommand' -a completion " in script


def test_fish_script_offers_subcommand_options_with_their_choices() -> None:
    lines = completion_script("fish").splitlines()
    format_line = next(
        line
        for line in lines
        if "'__fish_seen_subcommand_from scan'" in line and " -l format" in line
    )
    assert f"-x -a '{' '.join(sorted(FORMATS))}'" in format_line


def test_unknown_shell_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["completion", "powershell"])
    assert exited.value.code == 2
