"""CODEOWNERS as a review requirement: the precedence cases of GitHub's and GitLab's docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_repos import (
    CONFIG_MAP,
    ReviewKeys,
    approve_change,
    commit,
    make_review_repo,
    review_change,
)

from gitwarden.review.codeowners import Flavour
from gitwarden.review.codeowners_requirement import codeowners_requirement
from gitwarden.review.principals import Principals

PRINCIPALS = Principals(
    by_email={"dave@example.com": "dave"},
    by_forge_user={
        f"{forge}:{name}": name
        for forge in ("github", "gitlab")
        for name in ("alice", "bob", "carol")
    },
)
CODEOWNERS_POLICY = """\
rules:
  - name: owners
    branches: [main]
    approvals: 1
    codeowners: true
security: false
"""


def missing(text: str, flavour: Flavour, counted: tuple[str, ...], *paths: str) -> tuple[str, ...]:
    files = {"CODEOWNERS": text}
    requirement = codeowners_requirement(files.get, PRINCIPALS, flavour)
    return requirement.check(counted, paths).missing


# GitHub's documentation: the last matching pattern takes precedence.
GITHUB = """\
*       @carol
*.js    @bob
/docs/  @alice
/docs/generated/
"""


@pytest.mark.parametrize(
    ("path", "approver", "met"),
    [
        ("app.js", "bob", True),  # *.js comes after *
        ("app.js", "carol", False),
        ("docs/a.md", "alice", True),  # /docs/ wins over *
        ("docs/a.js", "bob", False),  # /docs/ is after *.js: alice owns it
        ("docs/generated/x.md", "carol", True),  # no owners: ownership unset, nothing required
        ("README.md", "carol", True),
    ],
)
def test_github_last_matching_pattern_wins(path: str, approver: str, met: bool) -> None:
    assert (missing(GITHUB, "github", (approver,), path) == ()) is met


def test_github_team_owner_cannot_be_met_offline() -> None:
    (reason,) = missing("* @acme/platform\n", "github", ("bob",), "a.yaml")
    assert "members of @acme/platform are not known offline" in reason


def test_github_email_owner_is_tied_by_email() -> None:
    assert missing("* dave@example.com\n", "github", ("dave",), "a.yaml") == ()


# GitLab's documentation: each section applies; [Name][N] needs N; ^[Name] is optional.
GITLAB = """\
* @carol

[Ops][2]
/clusters/ @alice @bob @carol

^[Docs]
*.md @alice
"""


@pytest.mark.parametrize(
    ("counted", "met"),
    [
        (("carol",), False),  # the unnamed section is met, Ops needs two of its owners
        (("alice", "bob"), False),  # Ops is met, the unnamed section's carol is missing
        (("alice", "carol"), True),
    ],
)
def test_gitlab_every_section_must_be_met(counted: tuple[str, ...], met: bool) -> None:
    assert (missing(GITLAB, "gitlab", counted, "clusters/prod/app.md") == ()) is met


def test_gitlab_optional_section_requires_nothing() -> None:
    assert missing(GITLAB, "gitlab", ("carol",), "README.md") == ()


def test_gitlab_section_names_its_count_in_the_reason() -> None:
    (reason,) = missing(GITLAB, "gitlab", ("carol",), "clusters/x.yaml")
    assert reason.startswith("needs 1 more approval from code owners @alice, @bob, @carol")
    assert "(CODEOWNERS:4 [Ops])" in reason


def test_no_codeowners_file_is_unmet() -> None:
    requirement = codeowners_requirement(lambda path: None, PRINCIPALS, "github")
    assert requirement.check(("bob",), ("a.yaml",)).missing != ()


def test_review_requires_the_owner_from_the_base_codeowners(
    tmp_path: Path, keys: ReviewKeys
) -> None:
    owners = "* @carol-gh\n/apps/ @bob-gh\n"
    repo = make_review_repo(
        tmp_path / "repo", keys, CODEOWNERS_POLICY, {".github/CODEOWNERS": owners}
    )
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["carol"])
    result = review_change(repo)
    assert not result.satisfied
    assert result.rules[0].missing == (
        "needs 1 more approval from code owners @bob-gh (.github/CODEOWNERS:2) "
        "for apps/settings.yaml",
    )


def test_review_is_satisfied_by_the_owner(tmp_path: Path, keys: ReviewKeys) -> None:
    owners = "* @carol-gh\n/apps/ @bob-gh\n"
    repo = make_review_repo(
        tmp_path / "repo", keys, CODEOWNERS_POLICY, {".github/CODEOWNERS": owners}
    )
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"})
    approve_change(repo, keys["bob"])
    assert review_change(repo).satisfied


def test_a_change_cannot_pick_its_own_owners(tmp_path: Path, keys: ReviewKeys) -> None:
    owners = "* @bob-gh\n"
    repo = make_review_repo(
        tmp_path / "repo", keys, CODEOWNERS_POLICY, {".github/CODEOWNERS": owners}
    )
    commit(repo, {".github/CODEOWNERS": "* @carol-gh\n", "apps/settings.yaml": CONFIG_MAP % "x"})
    approve_change(repo, keys["carol"])
    assert not review_change(repo).satisfied


def test_invalid_codeowners_lines_are_findings(tmp_path: Path, keys: ReviewKeys) -> None:
    owners = "* @bob-gh\n/apps/ not-an-owner\n"
    repo = make_review_repo(
        tmp_path / "repo", keys, CODEOWNERS_POLICY, {".github/CODEOWNERS": owners}
    )
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "x"})
    ids = {f.rule_id for f in review_change(repo).report.findings}
    assert "codeowners-invalid-owner" in ids


def test_gitlab_semantics_apply_to_a_gitlab_repository(tmp_path: Path, keys: ReviewKeys) -> None:
    owners = "[Ops][2]\n/apps/ @alice-gl @bob-gl @carol-gl\n"
    files = {"CODEOWNERS": owners, ".gitlab-ci.yml": "stages: [test]\n"}
    repo = make_review_repo(tmp_path / "repo", keys, CODEOWNERS_POLICY, files)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "x"}, author="dave")
    approve_change(repo, keys["bob"])
    (reason,) = review_change(repo).rules[0].missing
    assert "[Ops]" in reason
