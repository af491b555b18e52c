"""Issue 11.3: a broken value never crashes the run (exit 3, no report); it becomes a
finding at its line, and the rest of the file and the run go on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_repos import PRIVILEGED_POD, make_repo, run_cli, scan_json

HUGE_HEX = "0x" + "f" * 4400
BROKEN_VALUES = {
    "hex hostPort": f"hostPort: {HUGE_HEX}",
    "hex runAsUser": f"runAsUser: {HUGE_HEX}",
    "hex key": f"? {HUGE_HEX}\n: value",
    "empty !!int": "runAsUser: !!int",
    "empty !!float": "runAsUser: !!float",
    "malformed !!timestamp": "runAsUser: !!timestamp x",
}


def broken_file(value: str) -> str:
    # Line 4 holds the broken value; a privileged pod follows in the same file.
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: odd}}\n{value}\n---\n" + (
        PRIVILEGED_POD
    )


@pytest.mark.parametrize("case", sorted(BROKEN_VALUES))
def test_broken_value_is_a_finding_and_the_rest_of_the_file_is_checked(
    tmp_path: Path, case: str
) -> None:
    repo = make_repo(tmp_path / "repo", {"odd.yaml": broken_file(BROKEN_VALUES[case])})
    run = scan_json(repo)
    assert run.exit_code == 1
    assert [(f["file"], f["line"]) for f in run.findings("invalid-value")] == [("odd.yaml", 4)]
    assert [f["file"] for f in run.findings("pss-privileged")] == ["odd.yaml"]


@pytest.mark.parametrize("case", sorted(BROKEN_VALUES))
def test_broken_value_in_history_does_not_crash(tmp_path: Path, case: str) -> None:
    repo = make_repo(tmp_path / "repo", {"odd.yaml": broken_file(BROKEN_VALUES[case])})
    run = run_cli("history", repo, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr[-3000:]
    assert run.report["command"] == "history"
