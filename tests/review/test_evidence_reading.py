"""Records become evidence only once verified; approvals of other changes are left out."""

from __future__ import annotations

from pathlib import Path

from review_repos import (
    CONFIG_MAP,
    NOW,
    ReviewKeys,
    approve_change,
    commit,
    git,
    make_review_repo,
    trust_policy,
)

from gitwarden.commands.review_signatures import statement_verifier
from gitwarden.forge.interface import Approval as ForgeApproval
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.review.change_reading import read_change
from gitwarden.review.evidence_reading import forge_evidence, git_evidence
from gitwarden.review.principals import Principals
from gitwarden.sources.approval_store import stored_records
from gitwarden.sources.git_repository import GitRepository


def test_an_approval_of_another_change_is_not_evidence(tmp_path: Path, keys: ReviewKeys) -> None:
    path = make_review_repo(tmp_path / "repo", keys)
    commit(path, {"apps/settings.yaml": CONFIG_MAP % "a"})
    approve_change(path, keys["bob"])
    git(path, "checkout", "-q", "-b", "other", "main")
    commit(path, {"apps/settings.yaml": CONFIG_MAP % "b"})
    repo = GitRepository(path)
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    change = read_change(repo, "refs/heads/main", "main", "other")
    evidence = git_evidence(stored_records(repo), statement_verifier(policy, NOW), change)
    assert evidence.approvals == () and evidence.invalid == ()


def test_forge_approvals_are_tied_by_user_name() -> None:
    principals = Principals(by_forge_user={"gitlab:carol-gl": "carol"})
    tied = forge_evidence("gitlab", [ForgeApproval("Carol-GL", NOW, None, "")], principals)
    assert [(a.who, a.principal, a.source) for a in tied] == [
        ("gitlab:Carol-GL", "carol", "gitlab")
    ]
