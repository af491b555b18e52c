"""refs/gitwarden/approvals: records accumulate as commits; malformed ones are kept as such."""

from __future__ import annotations

from pathlib import Path

from review_repos import NOW, ReviewKeys, git, make_review_repo, person_env

from gitwarden.commands.review_signatures import sign_review_statement
from gitwarden.review.approval_statements import ApprovalClaim
from gitwarden.review.approval_store import APPROVAL, APPROVALS_REF, record, stored_records
from gitwarden.sources.git_repository import GitRepository

CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)


def test_each_record_adds_a_commit_to_the_ref(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = GitRepository(make_review_repo(tmp_path / "repo", keys))
    for name in ("bob", "carol"):
        record(
            repo, APPROVAL, sign_review_statement(CLAIM.statement(), key_file=keys[name].private)
        )
    assert len(stored_records(repo)) == 2
    assert git(repo.path, "rev-list", "--count", APPROVALS_REF, env=person_env("bob")) == "2"


def test_a_repository_without_the_ref_has_no_records(tmp_path: Path, keys: ReviewKeys) -> None:
    assert stored_records(GitRepository(make_review_repo(tmp_path / "repo", keys))) == ()


def test_a_malformed_record_is_kept_with_its_problem(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = GitRepository(make_review_repo(tmp_path / "repo", keys))
    record(repo, APPROVAL, sign_review_statement(CLAIM.statement(), key_file=keys["bob"].private))
    blob = repo.write_object("blob", b"not json")
    listing = git(repo.path, "ls-tree", APPROVALS_REF, env=person_env("bob"))
    tree = repo.run(
        "mktree", input_bytes=f"{listing}\n100644 blob {blob}\tapproval-x.json\n".encode()
    ).strip()
    commit = repo.run("commit-tree", tree, "-m", "x", env=person_env("mallory")).strip()
    repo.run("update-ref", APPROVALS_REF, commit)
    problems = [r.problem for r in stored_records(repo) if r.envelope is None]
    assert len(problems) == 1 and "not a DSSE envelope" in str(problems[0])
