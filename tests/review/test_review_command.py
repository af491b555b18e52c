"""`gitwarden.review` end to end: the "Done means" scenarios of issue 15 on real repositories."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from review_repos import (
    CONFIG_MAP,
    ISSUE_POLICY,
    NOW,
    ROLE,
    ReviewKeys,
    approve_change,
    commit,
    delegate_role,
    make_review_repo,
    review_change,
)

from gitwarden.commands.review import ReviewResult, review_markdown
from gitwarden.review.engine import RuleVerdict


def rule(result: ReviewResult, name: str) -> RuleVerdict:
    return next(v for v in result.rules if v.name == name)


def reasons(result: ReviewResult, name: str) -> list[str]:
    return [str(r) for r in rule(result, name).rejected]


def test_a_reviewed_change_by_another_principal_is_satisfied(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"}, author="alice")
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert result.satisfied
    assert rule(result, "four-eyes").counted == ("bob",)
    assert result.report.passed


def test_self_approval_is_rejected(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"}, author="alice")
    approve_change(repo, keys["alice"])
    result = review_change(repo)
    assert not result.satisfied
    assert reasons(result, "four-eyes") == ["alice: author"]
    assert "review-rule-unsatisfied" in {f.rule_id for f in result.report.findings}


def test_approval_by_a_committer_to_the_change_is_rejected(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"}, author="alice", committer="bob")
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    assert reasons(result, "four-eyes")[0].startswith("bob: committer of ")


def test_approval_goes_stale_after_a_new_push(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["bob"])
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "trace"})
    result = review_change(repo)
    assert not result.satisfied
    (reason,) = reasons(result, "four-eyes")
    assert reason.startswith("bob: approved tree ") and reason.endswith(", not the current one")


def twelve_files() -> dict[str, str | None]:
    return {f"apps/app{i}.yaml": CONFIG_MAP % i for i in range(12)}


def test_twelve_file_change_with_one_approver_is_rejected(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, twelve_files())
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    assert rule(result, "four-eyes").satisfied
    assert rule(result, "large-change").missing[0].startswith("needs 1 more approver for ")


def test_twelve_file_change_with_two_approvers_is_accepted(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, twelve_files())
    approve_change(repo, keys["bob"])
    approve_change(repo, keys["dave"], "Checked all twelve manifests against the runbook.")
    result = review_change(repo)
    assert result.satisfied
    assert set(rule(result, "large-change").counted) == {"bob", "dave"}


def test_rbac_change_without_the_security_group_is_rejected(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    # Not under rbac/: the object's kind makes it security-sensitive.
    commit(repo, {"apps/deployer.yaml": ROLE})
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    sensitive = rule(result, "security-sensitive")
    assert sensitive.missing == ("needs 1 more approver from security for apps/deployer.yaml",)
    assert reasons(result, "security-sensitive") == ["bob: not in security"]


def test_rbac_change_approved_by_the_security_group_is_accepted(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"rbac/deployer.yaml": ROLE})
    approve_change(repo, keys["carol"], "Role grants only get on pods; fine for the deployer.")
    result = review_change(repo)
    assert result.satisfied
    assert rule(result, "security-review").counted == ("carol",)


def production_change(tmp_path: Path, keys: ReviewKeys) -> Path:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"clusters/prod/settings.yaml": CONFIG_MAP % "warn"})
    return repo


def test_production_change_without_the_product_owner_is_rejected(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = production_change(tmp_path, keys)
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    assert reasons(result, "production") == [
        "bob: not in product-owners, and no delegation names them"
    ]


def test_production_change_by_the_delegate_inside_the_window_is_accepted(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = production_change(tmp_path, keys)
    delegate_role(repo, keys["dave"], "bob", date(2026, 12, 24))
    approve_change(repo, keys["bob"])
    result = review_change(repo, now=NOW + timedelta(days=3))
    assert result.satisfied
    assert rule(result, "production").counted == ("bob",)


def test_production_change_by_the_delegate_after_the_window_is_rejected(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = production_change(tmp_path, keys)
    delegate_role(repo, keys["dave"], "bob", date(2026, 12, 24))
    approve_change(repo, keys["bob"])
    # The delegation holds to the end of its day (UTC), not a second longer.
    result = review_change(repo, now=NOW.replace(day=25, hour=0, minute=0))
    assert not result.satisfied
    assert reasons(result, "production") == [
        "bob: delegation by dave for product-owners ended 2026-12-24"
    ]


def test_delegation_signed_by_a_non_member_is_rejected(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = production_change(tmp_path, keys)
    # carol is a principal but no product owner: she cannot hand out dave's role.
    delegate_role(repo, keys["carol"], "bob", date(2026, 12, 24))
    approve_change(repo, keys["bob"])
    assert not review_change(repo).satisfied


def test_delegation_signed_by_an_unknown_key_is_rejected(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = production_change(tmp_path, keys)
    delegate_role(repo, keys["eve"], "bob", date(2026, 12, 24))
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    assert "review-evidence-invalid" in {f.rule_id for f in result.report.findings}


def test_lgtm_is_not_a_review(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["bob"], "LGTM")
    result = review_change(repo)
    assert not result.satisfied
    assert reasons(result, "four-eyes") == ["bob: message 'LGTM' is not a review"]
    assert "review-approval-not-counted" in {f.rule_id for f in result.report.findings}


def test_a_change_lowering_its_own_threshold_is_judged_by_the_old_policy(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    relaxed = ISSUE_POLICY.replace("approvals: 2", "approvals: 0").replace(
        "approvals: 1", "approvals: 0"
    )
    commit(repo, {".gitwarden/review.yaml": relaxed, **twelve_files()})
    result = review_change(repo)
    assert not result.satisfied
    assert rule(result, "large-change").required == 2
    assert not rule(result, "security-review").satisfied


def test_approval_signed_by_a_key_of_no_principal_counts_for_nothing(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["eve"])
    result = review_change(repo)
    assert not result.satisfied
    assert rule(result, "four-eyes").counted == ()
    assert "review-evidence-invalid" in {f.rule_id for f in result.report.findings}


def test_a_base_without_a_review_policy_is_not_reviewed(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {".gitwarden/review.yaml": None}, author="dave")
    repo_main = repo
    from review_repos import git

    git(repo_main, "branch", "-f", "main", "HEAD")
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    result = review_change(repo)
    assert not result.satisfied
    assert [f.rule_id for f in result.report.findings] == ["review-policy-missing"]


def test_markdown_names_each_rule_and_what_is_missing(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["alice"])
    text = review_markdown(review_change(repo))
    assert "### ❌ four-eyes (0/1)" in text
    assert "- not counted: alice: author" in text
    assert "- **missing**: needs 1 more approver for apps/settings.yaml" in text


def test_an_old_trust_approve_note_is_read_and_listed_without_a_message(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    from gitwarden.sources.git_repository import GitRepository
    from integrity.legacy_approval_notes import approve as note_approve

    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    note_approve(GitRepository(repo), "change", keys["bob"].private)
    result = review_change(repo)
    assert reasons(result, "four-eyes") == ["bob: approval has no message"]


PRODUCTION_POLICY = """\
groups:
  product-owners: [dave]
rules:
  - name: production
    branches: [main]
    when: {production: true}
    approvals: 1
    from: [product-owners]
security: false
"""
PRODUCTION_CONFIG = "production:\n  paths: ['clusters/prod/**']\n"


def test_production_paths_come_from_the_base_configuration(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    files = {".gitwarden.yaml": PRODUCTION_CONFIG}
    repo = make_review_repo(tmp_path / "repo", keys, PRODUCTION_POLICY, files)
    # The change also tries to stop clusters/prod from being production: judged by the base.
    commit(
        repo,
        {
            ".gitwarden.yaml": "production:\n  paths: ['nowhere/**']\n",
            "clusters/prod/settings.yaml": CONFIG_MAP % "warn",
        },
    )
    approve_change(repo, keys["bob"])
    result = review_change(repo)
    assert not result.satisfied
    assert rule(result, "production").paths == ("clusters/prod/settings.yaml",)


def test_production_rule_without_production_paths_is_an_error(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    import pytest

    from gitwarden.errors import UsageError

    repo = make_review_repo(tmp_path / "repo", keys, PRODUCTION_POLICY)
    commit(repo, {"clusters/prod/settings.yaml": CONFIG_MAP % "warn"})
    with pytest.raises(UsageError, match=r"production\.paths"):
        review_change(repo)
