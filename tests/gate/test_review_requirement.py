"""Review: through gitwarden.commands.review when the build has it; otherwise deny, closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gate_fixtures import PROD_ENVIRONMENT, GitopsRepo, failed_checks, gitops_repo, ssh_key

from gitwarden.attestation.decision_predicate import Approval
from gitwarden.commands.approve import ApproveOptions, approve


def test_an_unavailable_review_capability_denies_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build without gitwarden.commands.review: importing it fails.
    monkeypatch.setitem(sys.modules, "gitwarden.commands.review", None)
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    result = repo.gate()
    assert not result.allowed
    assert "review: the review capability is not available in this build" in result.summary
    assert "gate-requirement-unavailable" in {f.rule_id for f in result.report.findings}


def test_a_review_requirement_without_a_review_policy_denies_naming_it(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    failed = failed_checks(repo)
    assert ".gitwarden/review.yaml" in failed["review"]


def test_an_unapproved_change_is_denied_and_passes_once_approved(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    bob = ssh_key(tmp_path / "keys", "bob")
    trust = yaml.safe_load((repo.path / ".gitwarden" / "trust.yaml").read_text())
    trust["principals"]["bob"] = {"ssh_keys": [bob.public_line]}
    policy = {"rules": [{"name": "four-eyes", "branches": ["main"], "approvals": 1}]}
    base = repo.commit(
        {
            ".gitwarden/trust.yaml": yaml.safe_dump(trust),
            ".gitwarden/review.yaml": yaml.safe_dump(policy),
        }
    )
    repo.record_ledger()
    change = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    assert "review" in failed_checks(repo, change)
    approve(
        repo.path,
        ApproveOptions(f"{base}..{change}", "checked the ConfigMap", bob.private, branch="main"),
    )
    assert repo.gate(change).allowed


def test_the_decision_records_each_counted_approval_with_its_key_and_message(
    tmp_path: Path,
) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    bob = ssh_key(tmp_path / "keys", "bob")
    trust = yaml.safe_load((repo.path / ".gitwarden" / "trust.yaml").read_text())
    trust["principals"]["bob"] = {"ssh_keys": [bob.public_line]}
    policy = {"rules": [{"name": "four-eyes", "branches": ["main"], "approvals": 1}]}
    base = repo.commit(
        {
            ".gitwarden/trust.yaml": yaml.safe_dump(trust),
            ".gitwarden/review.yaml": yaml.safe_dump(policy),
        }
    )
    repo.record_ledger()
    change = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    approve(
        repo.path,
        ApproveOptions(f"{base}..{change}", "checked the ConfigMap", bob.private, branch="main"),
    )
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(bob.public)], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    decision = repo.gate(change).decision
    assert decision.approvals == (
        Approval("bob", "four-eyes", "checked the ConfigMap", fingerprint, "git"),
    )


def test_without_a_review_requirement_the_decision_records_no_approval(repo: GitopsRepo) -> None:
    assert repo.gate().decision.approvals == ()
