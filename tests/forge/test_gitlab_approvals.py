"""GitLab approvals tied to the commit they saw and the note they wrote, from a local server
replaying a recorded merge request (pagination and a 429 included)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import exchanges, serve
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.gitlab import GitLabClient
from gitwarden.forge.interface import Approval
from gitwarden.forge.transport import HttpTransport

HEAD = "9f3c2a7e1b0d4c5a6f7e8d9c0b1a2f3e4d5c6b7a"
FIRST_PUSH = "4b1e0c9d8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d"
MR = "/api/v4/projects/acme/gitops/merge_requests/7"


def _approvals(server: HTTPServer) -> dict[str, Approval]:
    serve(server, "gitlab_merge_request", reset=str(int(time.time())))
    client = GitLabClient(HttpTransport(server.url_for("/api/v4").rstrip("/"), {}))
    return {a.user: a for a in client.approvals("acme/gitops", 7)}


def test_an_approval_after_the_latest_push_is_of_the_head(httpserver: HTTPServer) -> None:
    assert _approvals(httpserver)["bob"].commit == HEAD


def test_an_approval_before_the_latest_push_is_of_the_earlier_head(
    httpserver: HTTPServer,
) -> None:
    assert _approvals(httpserver)["carol"].commit == FIRST_PUSH


def test_the_message_is_the_latest_note_before_approving(httpserver: HTTPServer) -> None:
    # bob's later note ("please squash") came after the approval: not what he approved with.
    assert _approvals(httpserver)["bob"].body == (
        "Checked the level against the runbook; fine for prod."
    )


def test_an_approval_without_a_note_has_no_message(httpserver: HTTPServer) -> None:
    assert _approvals(httpserver)["dave"].body == ""


def test_system_notes_are_not_messages(httpserver: HTTPServer) -> None:
    bodies = {a.body for a in _approvals(httpserver).values()}
    assert "approved this merge request" not in bodies


def test_without_approved_at_the_approval_note_gives_the_time(httpserver: HTTPServer) -> None:
    erin = _approvals(httpserver)["erin"]
    assert (erin.submitted, erin.commit) == (datetime(2026, 11, 30, 10, 20, tzinfo=UTC), HEAD)


def test_a_diff_note_on_the_second_page_is_a_message(httpserver: HTTPServer) -> None:
    assert _approvals(httpserver)["erin"].body == "Read the runbook: debug is allowed for a day."


def test_versions_that_do_not_end_at_the_head_tie_no_approval(httpserver: HTTPServer) -> None:
    # GitLab has not processed the latest push yet: no approval can be tied to a commit.
    merge_request = next(e for e in exchanges("gitlab_merge_request") if e["path"] == MR)
    httpserver.expect_oneshot_request(MR, method="GET").respond_with_json(
        {**merge_request["body"], "sha": "0" * 40}
    )
    assert {a.commit for a in _approvals(httpserver).values()} == {None}


@pytest.mark.parametrize("endpoint", ["", "/approvals", "/versions", "/notes"])
def test_an_unreadable_part_of_the_merge_request_is_an_error(
    httpserver: HTTPServer, endpoint: str
) -> None:
    httpserver.expect_oneshot_request(MR + endpoint, method="GET").respond_with_json(
        {"message": "403 Forbidden"}, status=403
    )
    with pytest.raises(ForgeError, match="GitLab: cannot read"):
        _approvals(httpserver)
