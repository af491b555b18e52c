"""`gitwarden.approve`: the recorded approval names the change exactly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gitwarden.commands.approve import ApproveOptions, approve
from gitwarden.errors import UsageError

# The review tests' repository helpers, from their own folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_repos import CONFIG_MAP, NOW, commit, git, make_review_repo, ssh_key


def test_the_approval_names_target_base_head_and_tree(tmp_path: Path) -> None:
    key = ssh_key(tmp_path, "bob")
    repo = make_review_repo(tmp_path / "repo", {n: key for n in ("alice", "bob", "carol", "dave")})
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    claim = approve(repo, ApproveOptions("main..change", "read it", key.private, now=NOW)).claim
    assert (claim.target_ref, claim.base, claim.head, claim.tree) == (
        "refs/heads/main",
        git(repo, "rev-parse", "main"),
        git(repo, "rev-parse", "change"),
        git(repo, "rev-parse", "change^{tree}"),
    )


def test_approve_wants_exactly_one_key(tmp_path: Path) -> None:
    key = ssh_key(tmp_path, "bob")
    repo = make_review_repo(tmp_path / "repo", {n: key for n in ("alice", "bob", "carol", "dave")})
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    with pytest.raises(UsageError, match="one key"):
        approve(repo, ApproveOptions("main..change", "read it", key.private, gpg_key="0xAB"))
