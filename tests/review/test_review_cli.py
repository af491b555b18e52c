"""`gitwarden review`, `gitwarden approve`, `gitwarden delegate` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_repos import CONFIG_MAP, ReviewKeys, commit, git, make_review_repo, person_env

from gitwarden.cli import EXIT_FINDINGS, EXIT_PASS, EXIT_USAGE, main


@pytest.fixture
def repo(tmp_path: Path, keys: ReviewKeys) -> Path:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"}, author="alice")
    return repo


def approve(repo: Path, key: Path, message: str = "Checked the new level with ops.") -> int:
    return main(
        ["approve", "main..change", "-m", message, "--signing-key", str(key), "--repo", str(repo)]
    )


def review(repo: Path, *extra: str) -> int:
    return main(["review", "main", "change", "--repo", str(repo), *extra])


def test_review_exits_0_when_satisfied(repo: Path, keys: ReviewKeys) -> None:
    assert approve(repo, keys["bob"].private) == EXIT_PASS
    assert review(repo) == EXIT_PASS


def test_review_exits_1_when_not_satisfied(repo: Path) -> None:
    assert review(repo) == EXIT_FINDINGS


def test_review_exits_2_on_an_unreadable_policy(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "broken", keys, policy="rules: [{nam: x}]\n")
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    assert review(repo) == EXIT_USAGE


def test_review_exits_2_on_an_unreachable_forge(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    assert review(repo, "--forge", "github", "--pr", "7", "--project", "acme/gitops") == EXIT_USAGE


def test_review_markdown_is_a_pull_request_comment(
    repo: Path, keys: ReviewKeys, capsys: pytest.CaptureFixture[str]
) -> None:
    approve(repo, keys["alice"].private)
    capsys.readouterr()
    assert review(repo, "--format", "markdown") == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert out.startswith("## gitwarden review: ❌ not satisfied")
    assert "alice: author" in out


def test_review_text_explains_each_rule(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review(repo)
    assert "FAIL four-eyes: 0/1" in capsys.readouterr().out


def test_review_json_is_the_common_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review(repo, "--format", "json")
    assert '"review-rule-unsatisfied"' in capsys.readouterr().out


def test_approvals_push_like_any_ref(repo: Path, keys: ReviewKeys, tmp_path: Path) -> None:
    approve(repo, keys["bob"].private)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "push", "-q", str(remote), "main", "change", "refs/gitwarden/approvals")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(clone))
    git(clone, "fetch", "-q", "origin", "refs/gitwarden/approvals:refs/gitwarden/approvals")
    git(clone, "branch", "-q", "change", "origin/change")
    assert review(clone) == EXIT_PASS


def test_delegate_refuses_a_date_already_over(repo: Path, keys: ReviewKeys) -> None:
    args = ["delegate", "--to", "bob", "--role", "product-owners", "--until", "2020-01-01"]
    assert (
        main(
            [*args, "-m", "leave", "--signing-key", str(keys["dave"].private), "--repo", str(repo)]
        )
        == EXIT_USAGE
    )


def test_delegate_records_beside_the_approvals(repo: Path, keys: ReviewKeys) -> None:
    args = ["delegate", "--to", "bob", "--role", "product-owners", "--until", "2999-01-01"]
    key = str(keys["dave"].private)
    assert main([*args, "-m", "on leave", "--signing-key", key, "--repo", str(repo)]) == EXIT_PASS
    listing = git(
        repo, "ls-tree", "--name-only", "refs/gitwarden/approvals", env=person_env("dave")
    )
    assert listing.startswith("delegation-")


def test_approve_refuses_a_range_that_is_not_one(repo: Path, keys: ReviewKeys) -> None:
    assert (
        main(
            [
                "approve",
                "change",
                "-m",
                "x y z",
                "--signing-key",
                str(keys["bob"].private),
                "--repo",
                str(repo),
            ]
        )
        == EXIT_USAGE
    )
