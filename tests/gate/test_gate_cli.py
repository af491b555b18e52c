"""`gitwarden gate`: exit 0 allow, 1 deny, 2 error; the one-line summary on standard error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gate_fixtures import GitopsRepo, gitops_repo

from gitwarden.cli.main import main


@pytest.fixture
def repo(tmp_path: Path) -> GitopsRepo:
    return gitops_repo(tmp_path)


def run(repo: GitopsRepo, *extra: str) -> int:
    return main(
        [
            "gate",
            "--repo",
            str(repo.path),
            "--rev",
            "HEAD",
            "--env",
            "prod",
            "--audit",
            repo.audit,
            "--signing-key",
            str(repo.gate_key.private),
            *extra,
        ]
    )


def test_an_allowed_revision_exits_0_with_its_summary(
    repo: GitopsRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(repo) == 0
    assert capsys.readouterr().err.startswith("ALLOW prod ")


def test_a_denied_revision_exits_1(repo: GitopsRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    assert run(repo) == 1
    assert "DENY prod" in capsys.readouterr().err


def test_a_check_that_cannot_run_exits_2(repo: GitopsRepo) -> None:
    assert run(repo, "--timeout", "0") == 2


def test_an_undeclared_environment_exits_2(repo: GitopsRepo) -> None:
    assert (
        main(
            [
                "gate",
                "--repo",
                str(repo.path),
                "--rev",
                "HEAD",
                "--env",
                "nowhere",
                "--audit",
                repo.audit,
                "--signing-key",
                str(repo.gate_key.private),
            ]
        )
        == 2
    )


def test_the_json_decision_is_written_for_machines(repo: GitopsRepo, tmp_path: Path) -> None:
    out = tmp_path / "decision.json"
    assert run(repo, "--decision", "--output", str(out)) == 0
    decision = json.loads(out.read_text())
    assert decision["decision"] == "allow" and decision["environment"] == "prod"
    assert decision["base"]["source"] == "ledger"


def test_the_findings_are_written_in_the_usual_formats(repo: GitopsRepo, tmp_path: Path) -> None:
    out = tmp_path / "gate.sarif"
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    assert run(repo, "--format", "sarif", "--output", str(out)) == 1
    assert "unsigned-commit" in out.read_text()


def test_the_attestation_is_written_and_verifies(repo: GitopsRepo, tmp_path: Path) -> None:
    attestation = tmp_path / "decision.intoto.json"
    assert run(repo, "--attest", str(attestation)) == 0
    assert (
        main(
            [
                "attest",
                "verify",
                str(attestation),
                "--key",
                str(repo.gate_key.public),
                "--env",
                "prod",
            ]
        )
        == 0
    )
