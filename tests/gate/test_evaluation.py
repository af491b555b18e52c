"""The evaluation fails closed: missing objects, shallow clones, unknown revisions, time."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import (
    GitopsRepo,
    git,
)


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
    assert "gate-timeout" in {f.rule_id for f in result.report.findings}


def test_the_decision_records_each_commit_with_its_signing_key(repo: GitopsRepo) -> None:
    decision = repo.gate().decision
    assert [commit.signer for commit in decision.commits] != [None]
    assert all(commit.signer and commit.signer.startswith("SHA256:") for commit in decision.commits)
