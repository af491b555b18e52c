from __future__ import annotations

import time

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import serve
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.gitlab import GitLabClient
from gitwarden.forge.interface import AuditScope
from gitwarden.forge.posture import ForgePosture
from gitwarden.forge.transport import HttpTransport

SCOPE = AuditScope("acme/gitops", key_users=("alice", "bob"))


def _client(server: HTTPServer) -> GitLabClient:
    return GitLabClient(HttpTransport(server.url_for("/api/v4").rstrip("/"), {}))


def _posture(server: HTTPServer, scenario: str) -> ForgePosture:
    serve(server, scenario)
    return _client(server).posture(SCOPE)


def test_pushers_follow_the_push_access_levels(httpserver: HTTPServer) -> None:
    main = _posture(httpserver, "gitlab_hardened").branches[0]
    # Maintainers (alice) and bob by user id; bob is only a developer.
    assert main.pushers == ("alice", "bob")


def test_developers_may_push_when_the_level_is_developer(httpserver: HTTPServer) -> None:
    main = _posture(httpserver, "gitlab_weak").branches[0]
    assert main.pushers == ("alice", "mallory")


def test_approval_settings_and_push_rules_apply_to_the_branch(httpserver: HTTPServer) -> None:
    main = _posture(httpserver, "gitlab_hardened").branches[0]
    assert (main.required_approvals, main.author_may_approve, main.signed_commits) == (
        2,
        False,
        True,
    )


def test_no_push_rule_means_every_push_rule_check_is_off(httpserver: HTTPServer) -> None:
    main = _posture(httpserver, "gitlab_weak").branches[0]
    assert (main.signed_commits, main.member_check, main.committer_check) == (False, False, False)


def test_members_over_two_pages_are_all_read(httpserver: HTTPServer) -> None:
    access = _posture(httpserver, "gitlab_weak").access or ()
    assert {(grant.name, grant.level) for grant in access} == {
        ("alice", "admin"),
        ("mallory", "write"),
        ("dave", "read"),
    }


def test_keys_of_a_principal_who_is_not_a_member_are_looked_up(httpserver: HTTPServer) -> None:
    posture = _posture(httpserver, "gitlab_weak")
    assert "bob" in posture.key_owners_read
    assert not [key for key in posture.keys if key.owner == "bob"]


def test_group_two_factor_requirement_is_read(httpserver: HTTPServer) -> None:
    organisation = _posture(httpserver, "gitlab_hardened").organisation
    assert organisation is not None
    assert organisation.two_factor_required is True


def test_approvals_are_the_approved_by_users(httpserver: HTTPServer) -> None:
    merge_request = "/api/v4/projects/acme/gitops/merge_requests/5"
    httpserver.expect_request(merge_request).respond_with_json({"iid": 5, "sha": "f" * 40})
    for listed in ("versions", "notes"):
        httpserver.expect_request(f"{merge_request}/{listed}").respond_with_json([])
    httpserver.expect_request(
        "/api/v4/projects/acme/gitops/merge_requests/5/approvals"
    ).respond_with_json(
        {
            "id": 5,
            "iid": 5,
            "approved": True,
            "approved_by": [
                {"user": {"id": 2, "username": "bob"}, "approved_at": "2026-11-30T10:00:00.000Z"}
            ],
        }
    )
    assert [a.user for a in _client(httpserver).approvals("acme/gitops", 5)] == ["bob"]


def test_group_members_are_the_active_ones_over_every_page(httpserver: HTTPServer) -> None:
    serve(httpserver, "gitlab_group_members", reset=str(int(time.time())))
    assert _client(httpserver).team_members("acme/platform/security") == ("carol", "erin")


def test_unreadable_group_members_are_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v4/groups/acme/members/all").respond_with_json(
        {"message": "404 Group Not Found"}, status=404
    )
    with pytest.raises(ForgeError, match="cannot read the members of group acme"):
        _client(httpserver).team_members("acme")
