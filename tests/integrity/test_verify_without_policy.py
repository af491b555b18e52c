from __future__ import annotations

import subprocess
from pathlib import Path

from gitwarden.integrity.verification import HistoryRequest, verify_history
from gitwarden.sources.git_repository import GitRepository


def unsigned_history(root: Path, commits: int) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    for number in range(commits):
        (root / f"f{number}.txt").write_text(str(number), encoding="utf-8")
        subprocess.run(["git", "-C", str(root), "add", "."], check=True)
        subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "-c",
                "user.name=a",
                "-c",
                "user.email=a@example.org",
                "commit",
                "-qm",
                f"commit {number}",
            ],
            check=True,
        )
    return root


def test_history_without_a_trust_policy_is_one_high_finding_naming_the_way_out(
    tmp_path: Path,
) -> None:
    repo = GitRepository(unsigned_history(tmp_path / "repo", 4))

    result = verify_history(repo, HistoryRequest(use_cache=False))

    assert [f.rule_id for f in result.findings] == ["no-trust-policy"]
    only = result.findings[0]
    assert only.severity.value == "high"
    assert "4 commits" in only.message and "gitwarden trust init" in only.message
    assert len(result.verdicts) == 4


def test_a_single_ungoverned_commit_keeps_its_own_finding(tmp_path: Path) -> None:
    repo = GitRepository(unsigned_history(tmp_path / "repo", 1))

    result = verify_history(repo, HistoryRequest(use_cache=False))

    assert [f.rule_id for f in result.findings] == ["no-trust-policy"]
    assert "holds no" in result.findings[0].message


def test_cached_verdicts_are_collapsed_the_same_way(tmp_path: Path) -> None:
    repo = GitRepository(unsigned_history(tmp_path / "repo", 3))
    verify_history(repo, HistoryRequest(use_cache=True))

    again = verify_history(repo, HistoryRequest(use_cache=True))

    assert [f.rule_id for f in again.findings] == ["no-trust-policy"]
    assert "3 commits" in again.findings[0].message
