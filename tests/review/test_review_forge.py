"""`gitwarden review --forge`: GitHub reviews and GitLab approvals replayed from a local server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from review_forge_server import serve
from review_repos import (
    CONFIG_MAP,
    ISSUE_POLICY,
    ROLE,
    ReviewKeys,
    approve_change,
    commit,
    git,
    make_review_repo,
    review_change,
    verdict,
)

from gitwarden.commands.review import ReviewResult
from gitwarden.forge.errors import ForgeError, ForgeUnreachableError
from gitwarden.forge.saved_responses import response_file_name
from gitwarden.forge.transport import Request


@pytest.fixture
def repo(tmp_path: Path, keys: ReviewKeys) -> Path:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "debug"}, author="alice")
    return repo


def github_review(repo: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> ReviewResult:
    serve(server, "github_reviews", head=git(repo, "rev-parse", "change"))
    monkeypatch.setenv("GITHUB_API_URL", server.url_for("").rstrip("/"))
    return review_change(repo, forge="github", pr=7, project="acme/gitops")


def test_github_approval_of_the_head_counts(
    repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = github_review(repo, httpserver, monkeypatch)
    assert result.satisfied
    assert result.rules[0].counted == ("bob",)


def test_github_and_git_approvals_of_one_person_count_once(
    repo: Path, keys: ReviewKeys, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    approve_change(repo, keys["bob"])
    result = github_review(repo, httpserver, monkeypatch)
    assert result.rules[0].counted == ("bob",)


def test_github_reviews_on_the_second_page_are_judged(
    repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rejected = [str(r) for r in github_review(repo, httpserver, monkeypatch).rules[0].rejected]
    assert "carol: message 'LGTM' is not a review" in rejected


def test_github_user_of_no_principal_is_listed_not_counted(
    repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rejected = [str(r) for r in github_review(repo, httpserver, monkeypatch).rules[0].rejected]
    assert "github:mallory: github identity of no principal" in rejected


def test_gitlab_approval_without_a_message_is_not_counted(
    repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, "gitlab_approvals")
    monkeypatch.setenv("CI_API_V4_URL", httpserver.url_for("").rstrip("/"))
    result = review_change(repo, forge="gitlab", pr=7, project="acme/gitops")
    assert not result.satisfied
    assert [str(r) for r in result.rules[0].rejected] == ["bob: approval has no message"]


def test_an_unreachable_forge_is_an_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    with pytest.raises(ForgeUnreachableError):
        review_change(repo, forge="github", pr=7, project="acme/gitops")


def test_saved_forge_responses_replay_offline(
    repo: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    from gitwarden.forge.github import GitHubClient
    from gitwarden.forge.saved_responses import RecordingTransport
    from gitwarden.forge.transport import HttpTransport

    serve(httpserver, "github_reviews", head=git(repo, "rev-parse", "change"))
    saved = tmp_path / "forge-data"
    live = HttpTransport(httpserver.url_for("").rstrip("/"), {})
    GitHubClient(RecordingTransport(live, saved)).approvals("acme/gitops", 7)
    live.close()
    httpserver.clear()
    result = review_change(repo, forge="github", pr=7, project="acme/gitops", forge_data=saved)
    assert result.rules[0].counted == ("bob",)


def gitlab_review(
    pushed: tuple[Path, str], server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> ReviewResult:
    repo, first_push = pushed
    serve(
        server,
        "gitlab_merge_request",
        head=git(repo, "rev-parse", "change"),
        old=first_push,
        base_sha=git(repo, "rev-parse", "main"),
        head_short=git(repo, "rev-parse", "--short", "change"),
        reset=str(int(time.time())),
    )
    monkeypatch.setenv("CI_API_V4_URL", server.url_for("").rstrip("/"))
    return review_change(repo, forge="gitlab", pr=7, project="acme/gitops")


@pytest.fixture
def pushed_twice(repo: Path) -> tuple[Path, str]:
    first = git(repo, "rev-parse", "change")
    commit(repo, {"apps/settings.yaml": CONFIG_MAP % "warn"}, author="alice")
    return repo, first


def test_gitlab_approval_with_a_note_after_the_latest_push_counts(
    pushed_twice: tuple[Path, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = gitlab_review(pushed_twice, httpserver, monkeypatch)
    assert result.satisfied
    assert result.rules[0].counted == ("bob",)


def test_gitlab_approval_before_the_latest_push_is_stale(
    pushed_twice: tuple[Path, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pushed_twice[1]
    rejected = [
        str(r) for r in gitlab_review(pushed_twice, httpserver, monkeypatch).rules[0].rejected
    ]
    assert f"carol: approved commit {first[:8]}…, not the current one" in rejected


def test_gitlab_approval_without_a_note_is_blind(
    pushed_twice: tuple[Path, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rejected = [
        str(r) for r in gitlab_review(pushed_twice, httpserver, monkeypatch).rules[0].rejected
    ]
    assert "dave: approval has no message" in rejected


def test_gitlab_user_of_no_principal_is_listed_not_counted(
    pushed_twice: tuple[Path, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rejected = [
        str(r) for r in gitlab_review(pushed_twice, httpserver, monkeypatch).rules[0].rejected
    ]
    assert "gitlab:erin-gl: gitlab identity of no principal" in rejected


TEAM_POLICY = ISSUE_POLICY.replace("security: [carol]", "security: ['github:acme/security']")


@pytest.fixture
def rbac_change(tmp_path: Path, keys: ReviewKeys) -> Path:
    repo = make_review_repo(tmp_path / "repo", keys, TEAM_POLICY)
    commit(repo, {"rbac/deployer.yaml": ROLE}, author="alice")
    return repo


def test_a_member_of_the_security_team_counts_for_the_security_group(
    rbac_change: Path, keys: ReviewKeys, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, "github_team_members")
    monkeypatch.setenv("GITHUB_API_URL", httpserver.url_for("").rstrip("/"))
    approve_change(rbac_change, keys["carol"], "Role grants only get on pods; fine.")
    result = review_change(rbac_change)
    assert result.satisfied
    assert verdict(result, "security-review").counted == ("carol",)  # type: ignore[attr-defined]


def test_someone_outside_the_security_team_is_not_in_the_group(
    rbac_change: Path, keys: ReviewKeys, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, "github_team_members")
    monkeypatch.setenv("GITHUB_API_URL", httpserver.url_for("").rstrip("/"))
    approve_change(rbac_change, keys["bob"], "Role grants only get on pods; fine.")
    rejected = [str(r) for r in verdict(review_change(rbac_change), "security-review").rejected]  # type: ignore[attr-defined]
    assert rejected == ["bob: not in security"]


def test_unreadable_team_membership_is_an_error_not_an_empty_group(
    rbac_change: Path, keys: ReviewKeys, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/orgs/acme/teams/security/members").respond_with_json(
        {"message": "Must have admin rights to Repository."}, status=403
    )
    monkeypatch.setenv("GITHUB_API_URL", httpserver.url_for("").rstrip("/"))
    approve_change(rbac_change, keys["carol"], "Role grants only get on pods; fine.")
    with pytest.raises(ForgeError, match="cannot read the members of team acme/security"):
        review_change(rbac_change)


def test_a_gitlab_group_counts_through_gitlab_identities(
    tmp_path: Path, keys: ReviewKeys, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = ISSUE_POLICY.replace(
        "security: [carol]", "security: ['gitlab:acme/platform/security']"
    )
    repo = make_review_repo(tmp_path / "repo", keys, policy)
    commit(repo, {"rbac/deployer.yaml": ROLE}, author="alice")
    serve(httpserver, "gitlab_group_members", reset=str(int(time.time())))
    monkeypatch.setenv("CI_API_V4_URL", httpserver.url_for("").rstrip("/"))
    approve_change(repo, keys["carol"], "Role grants only get on pods; fine.")
    assert review_change(repo).satisfied


def test_team_members_are_read_from_saved_responses(
    rbac_change: Path, keys: ReviewKeys, tmp_path: Path
) -> None:
    saved = tmp_path / "forge-data"
    saved.mkdir()
    request = Request("/orgs/acme/teams/security/members", (("per_page", "100"),))
    body = [{"login": "carol-gh", "id": 3, "type": "User"}]
    document = {"request": request.key, "status": 200, "headers": {}, "body": body}
    (saved / response_file_name(request)).write_text(json.dumps(document))
    approve_change(rbac_change, keys["carol"], "Role grants only get on pods; fine.")
    assert review_change(rbac_change, forge_data=saved).satisfied
