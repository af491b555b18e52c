from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import gitwarden
from gitwarden.commands.scan import ScanOptions
from gitwarden.findings import Finding
from gitwarden.suppressions_inline import parse_ignore_comment

OPTIONS = ScanOptions(render=False, secrets=False)


def privileged_pod(privileged_line: str, above: str = "") -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
        "  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n"
        + (f"        {above}\n" if above else "")
        + f"        {privileged_line}\n"
    )


def scan_pod(tmp_path: Path, text: str) -> list[Finding]:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pod.yaml").write_text(text, encoding="utf-8")
    return list(gitwarden.scan(tmp_path, None, OPTIONS).findings)


def privileged(findings: list[Finding]) -> Finding:
    return next(f for f in findings if f.rule_id == "pss-privileged")


@pytest.mark.parametrize(
    ("line", "above"),
    [
        ("privileged: true  # gitwarden:ignore pss-privileged -- lab node", ""),
        ("privileged: true", "# gitwarden:ignore pss-privileged -- lab node"),
        ("privileged: true  # gitwarden:ignore pss-* -- lab node", ""),
    ],
)
def test_comment_on_the_line_or_above_suppresses_with_its_reason(
    tmp_path: Path, line: str, above: str
) -> None:
    finding = privileged(scan_pod(tmp_path, privileged_pod(line, above)))

    assert finding.suppression is not None
    assert finding.suppression.source == "inline"
    assert finding.suppression.reason == "lab node"


@pytest.mark.parametrize(
    ("line", "above"),
    [
        ("privileged: true  # gitwarden:ignore images-latest-tag -- other rule", ""),
        ("privileged: true", "# a plain comment mentioning gitwarden"),
        ("privileged: true  # ignore pss-privileged -- no marker", ""),
    ],
)
def test_comment_for_another_rule_or_without_marker_suppresses_nothing(
    tmp_path: Path, line: str, above: str
) -> None:
    assert not privileged(scan_pod(tmp_path, privileged_pod(line, above))).suppressed


def test_trailing_comment_on_the_line_above_does_not_reach_the_next_line(tmp_path: Path) -> None:
    text = privileged_pod(
        "privileged: true",
        above="readOnlyRootFilesystem: true  # gitwarden:ignore pss-privileged -- wrong line",
    )

    assert not privileged(scan_pod(tmp_path, text)).suppressed


@pytest.mark.parametrize(
    "comment",
    [
        "# gitwarden:ignore pss-privileged",
        "# gitwarden:ignore pss-privileged --",
        "# gitwarden:ignore -- a reason but no rule",
        "# gitwarden:ignore",
    ],
)
def test_malformed_comment_is_reported_and_suppresses_nothing(tmp_path: Path, comment: str) -> None:
    findings = scan_pod(tmp_path, privileged_pod(f"privileged: true  {comment}"))

    assert not privileged(findings).suppressed
    invalid = [f for f in findings if f.rule_id == "suppression-invalid"]
    assert [f.location.line for f in invalid] == [11]


def test_parse_reads_several_rules_and_the_reason() -> None:
    parsed = parse_ignore_comment(" pss-privileged,images-latest-tag -- accepted", 3)

    assert parsed is not None
    assert parsed.rules == ("pss-privileged", "images-latest-tag")
    assert parsed.reason == "accepted"
