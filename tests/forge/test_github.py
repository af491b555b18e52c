from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import exchanges, serve
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.github import GitHubClient
from gitwarden.forge.interface import AuditScope
from gitwarden.forge.posture import BranchPolicy, ForgePosture
from gitwarden.forge.transport import HttpTransport

WEAK_SCOPE = AuditScope("acme/gitops", ("release", "hotfix"), ("alice", "bob"))


def _posture(server: HTTPServer, *scenarios: str, scope: AuditScope = WEAK_SCOPE) -> ForgePosture:
    serve(server, *scenarios)
    return GitHubClient(HttpTransport(server.url_for("").rstrip("/"), {})).posture(scope)


def _branch(posture: ForgePosture, name: str) -> BranchPolicy:
    return next(branch for branch in posture.branches if branch.branch == name)


def test_classic_protection_and_active_ruleset_rules_merge(httpserver: HTTPServer) -> None:
    main = _branch(_posture(httpserver, "github_hardened", scope=AuditScope("acme/gitops")), "main")
    assert (main.signed_commits, main.required_approvals, main.status_checks) == (
        True,
        2,
        ("gitwarden",),
    )
    assert "classic branch protection" in main.sources
    assert "ruleset 42 (required_signatures)" in main.sources


def test_branch_not_protected_reads_as_unprotected(httpserver: HTTPServer) -> None:
    posture = _posture(httpserver, "github_weak")
    assert not _branch(posture, "hotfix").protected
    assert not any("hotfix" in u.what for u in posture.unreadable)


def test_evaluate_ruleset_is_listed_as_unenforced(httpserver: HTTPServer) -> None:
    main = _branch(_posture(httpserver, "github_weak"), "main")
    assert main.unenforced == ("ruleset 'try-out' (evaluate)",)


def test_review_bypass_allowances_are_bypass_actors(httpserver: HTTPServer) -> None:
    main = _branch(_posture(httpserver, "github_weak"), "main")
    assert main.bypass == ("User:mallory (pull request reviews)",)


def test_collaborators_over_two_pages_are_all_read(httpserver: HTTPServer) -> None:
    access = _posture(httpserver, "github_weak").access or ()
    assert {(g.name, g.level, g.outside) for g in access if g.kind == "user"} == {
        ("alice", "admin", False),
        ("mallory", "write", False),
        ("eve", "write", True),
        ("dave", "read", False),
    }


def test_a_refused_endpoint_is_unreadable_with_the_scope(httpserver: HTTPServer) -> None:
    posture = _posture(httpserver, "github_missing_scope", "github_weak")
    assert [(u.what, u.scope) for u in posture.unreadable] == [("deploy keys", "repo")]
    assert not any(key.kind == "deploy" for key in posture.keys)


def test_auth_key_takes_the_date_of_the_same_signing_key(httpserver: HTTPServer) -> None:
    keys = _posture(httpserver, "github_weak").keys
    alice = {
        key.kind: key for key in keys if key.owner == "alice" and key.title in {"101", "laptop"}
    }
    assert alice["ssh-auth"].created == alice["ssh-signing"].created is not None


def test_release_tags_protected_by_an_active_tag_ruleset(httpserver: HTTPServer) -> None:
    tags = _posture(httpserver, "github_hardened", scope=AuditScope("acme/gitops")).tags
    assert tags is not None
    assert (tags.protected_from_deletion, tags.protected_from_moves) == (True, True)


def test_an_unknown_repository_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gone").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    client = GitHubClient(HttpTransport(httpserver.url_for("").rstrip("/"), {}))
    with pytest.raises(ForgeError, match="not found"):
        client.posture(AuditScope("acme/gone"))


def test_approvals_are_the_approving_reviews(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops/pulls/5/reviews").respond_with_json(
        [
            {
                "user": {"login": "bob"},
                "state": "APPROVED",
                "body": "checked the RBAC diff",
                "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091",
                "submitted_at": "2026-11-30T10:00:00Z",
            },
            {
                "user": {"login": "eve"},
                "state": "COMMENTED",
                "body": "nit",
                "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091",
                "submitted_at": "2026-11-30T11:00:00Z",
            },
        ]
    )
    client = GitHubClient(HttpTransport(httpserver.url_for("").rstrip("/"), {}))
    approvals = client.approvals("acme/gitops", 5)
    assert [(a.user, a.body) for a in approvals] == [("bob", "checked the RBAC diff")]


@pytest.mark.parametrize("project", ["acme", "acme/gitops/extra", "/gitops"])
def test_a_project_that_is_not_owner_name_is_refused(project: str) -> None:
    client = GitHubClient(HttpTransport("http://127.0.0.1:9", {}))
    with pytest.raises(ForgeError, match="OWNER/NAME"):
        client.posture(AuditScope(project))


def test_bypass_actors_of_an_active_ruleset_are_listed(httpserver: HTTPServer) -> None:
    detail = next(e for e in exchanges("github_hardened") if e["path"].endswith("/rulesets/42"))
    bypass = [{"actor_id": None, "actor_type": "OrganizationAdmin", "bypass_mode": "always"}]
    httpserver.expect_request(detail["path"], query_string=detail["query"]).respond_with_json(
        {**detail["body"], "bypass_actors": bypass}
    )
    main = _branch(_posture(httpserver, "github_hardened", scope=AuditScope("acme/gitops")), "main")
    assert main.bypass == ("OrganizationAdmin bypass always (ruleset 'production')",)


def test_a_ruleset_without_its_bypass_list_is_unreadable(httpserver: HTTPServer) -> None:
    detail = next(e for e in exchanges("github_hardened") if e["path"].endswith("/rulesets/42"))
    hidden = {k: v for k, v in detail["body"].items() if k != "bypass_actors"}
    httpserver.expect_request(detail["path"], query_string=detail["query"]).respond_with_json(
        hidden
    )
    posture = _posture(httpserver, "github_hardened", scope=AuditScope("acme/gitops"))
    assert [u.what for u in posture.unreadable] == ["bypass actors of ruleset 'production'"]


def test_refused_classic_protection_is_unknown_not_absent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops/branches/main/protection").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    main = _branch(_posture(httpserver, "github_hardened", scope=AuditScope("acme/gitops")), "main")
    assert (main.protected, main.unknown) == (True, ("classic branch protection",))


def test_team_members_are_read_over_every_page_after_a_rate_limit(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_team_members")
    client = GitHubClient(HttpTransport(httpserver.url_for("").rstrip("/"), {}))
    assert client.team_members("acme/security") == ("carol", "mallory", "erin")


@pytest.mark.parametrize("status", [403, 404])
def test_unreadable_team_members_are_an_error(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/orgs/acme/teams/security/members").respond_with_json(
        {"message": "Not Found"}, status=status
    )
    client = GitHubClient(HttpTransport(httpserver.url_for("").rstrip("/"), {}))
    with pytest.raises(ForgeError, match="cannot read the members of team acme/security"):
        client.team_members("acme/security")
