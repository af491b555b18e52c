from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitwarden.cli import EXIT_FINDINGS, EXIT_USAGE, main

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
    "  containers:\n    - name: app\n      image: nginx:1.27\n"
    "      securityContext:\n        privileged: true\n"
)


def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    return tmp_path


def test_min_severity_hides_lows_yet_the_exit_code_follows_fail_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "scan",
            str(repo(tmp_path)),
            "--no-secrets",
            "--min-severity",
            "critical",
            "--fail-on",
            "low",
        ]
    )

    output = capsys.readouterr().out
    assert code == EXIT_FINDINGS
    assert "pss-privileged" in output
    assert "hardening-writable-root-filesystem" not in output


def test_summary_prints_counts_per_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", str(repo(tmp_path)), "--no-secrets", "--summary"])

    output = capsys.readouterr().out
    assert "by family" in output and "by rule" in output
    assert "Container 'app' runs privileged" not in output


@pytest.mark.parametrize("option", [["--summary"], ["--min-severity", "high"]])
def test_display_options_are_refused_for_machine_formats(
    tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", str(repo(tmp_path)), "--no-secrets", "--format", "sarif", *option])

    assert code == EXIT_USAGE
    assert "text and markdown" in capsys.readouterr().err


def test_scan_baseline_written_then_read_passes(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    baseline = tmp_path / "baseline.json"

    assert main(["scan", str(root), "--no-secrets", "--write-baseline", str(baseline)]) == 0
    assert main(["scan", str(root), "--no-secrets", "--baseline", str(baseline)]) == 0
    assert main(["scan", str(root), "--no-secrets"]) == EXIT_FINDINGS
