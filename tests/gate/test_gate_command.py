"""`gitwarden.gate` end to end: a real repository walked through allow, then each pillar's deny."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from gate_fixtures import (
    CLEAN_MANIFEST,
    DIGEST,
    PROD_ENVIRONMENT,
    GitopsRepo,
    git,
    gitops_repo,
    gitwarden_yaml,
)

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.commands.attest import AttestVerifyOptions, attest_verify
from gitwarden.commands.audit import (
    AuditTraceOptions,
    AuditVerifyOptions,
    audit_trace,
    audit_verify,
)
from gitwarden.gate.rollback_approval import RollbackApproval, sign_rollback_approval
from gitwarden.secrets.rule_spec import ALNUM, fill

GITHUB_TOKEN = "ghp_" + fill("gate-tests-github", 36, ALNUM)
PRIVILEGED = CLEAN_MANIFEST.replace(
    "allowPrivilegeEscalation: false",
    "allowPrivilegeEscalation: false\n            privileged: true",
)
TAG_ONLY = CLEAN_MANIFEST.replace(f"ghcr.io/example/web@{DIGEST}", "ghcr.io/example/web:1.2")


@pytest.fixture
def repo(tmp_path: Path) -> GitopsRepo:
    return gitops_repo(tmp_path)


def failed_checks(repo: GitopsRepo, revision: str = "HEAD") -> dict[str, str]:
    decision = repo.gate(revision).decision
    assert not decision.allowed
    return {r.name: r.summary for r in decision.results if not r.passed}


def test_a_signed_clean_revision_is_allowed(repo: GitopsRepo) -> None:
    result = repo.gate()
    assert result.allowed and result.report.passed
    assert result.summary.startswith("ALLOW prod ")
    assert result.audit_entry is not None


@pytest.mark.parametrize(
    ("files", "signed", "check", "words"),
    [
        ({"clusters/prod/extra.yaml": "kind: ConfigMap\n"}, False, "signatures", "unsigned-commit"),
        ({"clusters/prod/app.yaml": PRIVILEGED}, True, "manifests", "pss-privileged"),
        ({"apps/config.txt": f"token = {GITHUB_TOKEN}\n"}, True, "secrets", "github"),
        ({"clusters/prod/app.yaml": TAG_ONLY}, True, "images", "images-not-pinned-by-digest"),
    ],
)
def test_a_failing_pillar_denies_naming_its_reason(
    repo: GitopsRepo, files: dict[str, str | None], signed: bool, check: str, words: str
) -> None:
    repo.commit(files, signed=signed)
    failed = failed_checks(repo)
    assert list(failed) == [check]
    assert words in failed[check]


def test_a_privileged_pod_outside_the_environment_paths_does_not_deny(repo: GitopsRepo) -> None:
    repo.commit({"clusters/staging/app.yaml": PRIVILEGED})
    assert repo.gate().allowed


def test_a_force_pushed_branch_denies_through_the_ledger(repo: GitopsRepo) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    git(repo.path, "reset", "-q", "--hard", first)
    failed = failed_checks(repo)
    assert "ledger" in failed and "ledger-force-push" in failed["ledger"]


def test_an_unavailable_review_capability_denies_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build without gitwarden.commands.review: importing it fails.
    monkeypatch.setitem(sys.modules, "gitwarden.commands.review", None)
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    result = repo.gate()
    assert not result.allowed
    assert "review: the review capability is not available in this build" in result.summary


def test_a_policy_requirement_without_policies_denies(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["policy"]})
    failed = failed_checks(repo)
    assert "no policies are declared" in failed["policy"]


def test_a_revision_relaxing_its_own_gate_is_judged_by_the_base(repo: GitopsRepo) -> None:
    relaxed = gitwarden_yaml({**PROD_ENVIRONMENT, "require": [], "fail_on": "critical"})
    repo.commit({".gitwarden.yaml": relaxed, "clusters/prod/app.yaml": PRIVILEGED}, signed=False)
    failed = failed_checks(repo)
    assert set(failed) == {"signatures", "manifests"}


def test_without_a_ledger_record_the_base_is_the_branch_tip_and_the_report_says_so(
    repo: GitopsRepo,
) -> None:
    git(repo.path, "update-ref", "-d", "refs/gitwarden/ledger")
    result = repo.gate()
    assert result.decision.base_source == "branch tip"
    assert "gate-base-unrecorded" in {f.rule_id for f in result.report.findings}
    assert "ledger" in {r.name for r in result.decision.results if not r.passed}


def test_a_missing_object_denies_as_an_error(repo: GitopsRepo) -> None:
    blob = git(repo.path, "rev-parse", "HEAD:clusters/prod/app.yaml")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    result = repo.gate()
    assert not result.allowed and result.errored
    assert "missing" in result.summary


def test_a_crashing_renderer_denies(repo: GitopsRepo) -> None:
    repo.commit({"clusters/prod/kustomization.yaml": "resources: [missing-base]\n"})
    failed = failed_checks(repo)
    assert "render" in failed["manifests"] or "kustomize" in failed["manifests"]


def test_a_shallow_clone_denies_as_an_error(repo: GitopsRepo, tmp_path: Path) -> None:
    repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    shallow = GitopsRepo(clone, repo.alice, repo.mallory, repo.gate_key, repo.audit)
    result = shallow.gate()
    assert result.errored and "shallow" in result.summary


def test_an_unknown_revision_denies_as_an_error(repo: GitopsRepo) -> None:
    result = repo.gate("no-such-branch")
    assert result.errored and not result.allowed


def test_running_out_of_time_denies(repo: GitopsRepo) -> None:
    result = repo.gate(timeout_seconds=0.0)
    assert not result.allowed and "timeout" in result.summary


def test_every_decision_is_recorded_and_attested(repo: GitopsRepo, tmp_path: Path) -> None:
    attestation = tmp_path / "decision.intoto.json"
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    denied = repo.gate(attest=attestation)
    assert denied.audit_entry is not None and attestation.is_file()
    key = load_verifying_key(repo.gate_key.public)
    checked = attest_verify(
        attestation, options=AttestVerifyOptions(keys=(key,), revision=denied.decision.revision)
    )
    assert not checked.report.passed  # a deny attestation never verifies as an allow
    assert audit_verify(repo.audit, options=AuditVerifyOptions(keys=(key,))).report.passed


def test_a_rollback_is_denied_then_allowed_with_a_signed_approval(
    repo: GitopsRepo, tmp_path: Path
) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate(first).allowed
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert repo.gate(second).allowed
    denied = repo.gate(first)
    assert not denied.allowed and "rollback" in denied.summary
    approval = tmp_path / "rollback.json"
    move = RollbackApproval("prod", second, first, "bad release", "2026-12-01T09:00:00Z")
    approval.write_bytes(sign_rollback_approval(move, _signing(repo.alice.private)).to_bytes())
    assert repo.gate(first, rollback_approval=approval).allowed


def test_a_rollback_approval_signed_by_an_outsider_is_refused(
    repo: GitopsRepo, tmp_path: Path
) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate(first).allowed
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert repo.gate(second).allowed
    approval = tmp_path / "rollback.json"
    move = RollbackApproval("prod", second, first, "trust me", "2026-12-01T09:00:00Z")
    approval.write_bytes(sign_rollback_approval(move, _signing(repo.mallory.private)).to_bytes())
    denied = repo.gate(first, rollback_approval=approval)
    assert not denied.allowed and "approval refused" in denied.summary


def test_three_deployments_are_traced_through_the_audit_trail(repo: GitopsRepo) -> None:
    deployed = [git(repo.path, "rev-parse", "HEAD")]
    for name in ("b", "c"):
        deployed.append(repo.commit({f"clusters/prod/{name}.yaml": "kind: ConfigMap\n"}))
        repo.record_ledger()
    for revision in deployed:
        assert repo.gate(revision).allowed
    traced = audit_trace(
        deployed[0], options=AuditTraceOptions(audit=repo.audit, environment="prod")
    )
    assert [step.revision for step in traced.trace.deployments] == [deployed[0]]
    last = audit_trace(deployed[2], options=AuditTraceOptions(audit=repo.audit))
    assert last.trace.deployments[0].revision == deployed[2]
    assert deployed[2] in {commit.sha for commit in last.trace.deployments[0].commits}
    assert traced.trace.chain_intact


def test_a_revision_not_descending_from_the_deployed_one_after_a_reset_is_a_rollback(
    repo: GitopsRepo,
) -> None:
    assert repo.gate().allowed
    side = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    git(repo.path, "checkout", "-q", "--detach", "HEAD~1")
    other = repo.commit({"clusters/prod/c.yaml": "kind: ConfigMap\n"})
    git(repo.path, "checkout", "-q", "main")
    assert repo.gate(side).allowed
    assert "rollback" in repo.gate(other).summary


def _signing(path: Path):  # type: ignore[no-untyped-def]
    from gitwarden.attestation.signing_keys import load_signing_key

    return load_signing_key(path)


def test_the_work_folder_is_removed(
    repo: GitopsRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    repo.gate()
    assert list(scratch.iterdir()) == []


REQUIRE_OWNER = """package main

import rego.v1

deny contains {"msg": "workloads name their owner", "id": "require-owner", "severity": "high"} if {
	input.kind == "Deployment"
	not input.metadata.labels.owner
}
"""


def policy_repo(tmp_path: Path) -> GitopsRepo:
    environment = {**PROD_ENVIRONMENT, "require": ["policy"]}
    repo = gitops_repo(tmp_path, environment)
    repo.commit(
        {
            ".gitwarden.yaml": gitwarden_yaml(environment, policies=["policies"]),
            "policies/owner.rego": REQUIRE_OWNER,
        }
    )
    repo.record_ledger()
    return repo


def test_the_base_policy_denies_what_it_forbids(tmp_path: Path) -> None:
    failed = failed_checks(policy_repo(tmp_path))
    assert "require-owner" in failed["policy"]


def test_a_revision_emptying_the_policy_is_still_judged_by_the_base_policy(
    tmp_path: Path,
) -> None:
    repo = policy_repo(tmp_path)
    repo.commit({"policies/owner.rego": "package main\n"})
    failed = failed_checks(repo)
    assert "require-owner" in failed["policy"]


def test_an_unreadable_policy_denies(tmp_path: Path) -> None:
    environment = {**PROD_ENVIRONMENT, "require": ["policy"]}
    repo = gitops_repo(tmp_path, environment)
    repo.commit(
        {
            ".gitwarden.yaml": gitwarden_yaml(environment, policies=["policies"]),
            "policies/broken.rego": "package main\n\ndeny contains x if {{{\n",
        }
    )
    repo.record_ledger()
    assert "policy" in failed_checks(repo)


def test_a_symbolic_link_in_the_revision_denies_unchecked(repo: GitopsRepo) -> None:
    (repo.path / "clusters" / "prod" / "host.yaml").symlink_to("/etc/passwd")
    repo.commit({})
    failed = failed_checks(repo)
    assert "gate-tree-entry-unchecked (clusters/prod/host.yaml)" in failed["manifests"]


def test_the_decision_records_each_commit_with_its_signing_key(repo: GitopsRepo) -> None:
    decision = repo.gate().decision
    assert [commit.signer for commit in decision.commits] != [None]
    assert all(commit.signer and commit.signer.startswith("SHA256:") for commit in decision.commits)
