from __future__ import annotations

import time

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import exchanges, serve
from gitwarden.errors import GitwardenError
from gitwarden.forge.errors import ForgeError, ForgeUnreachableError, RateLimitedError
from gitwarden.forge.transport import HttpTransport, Request, fetch_all

REPOSITORY = Request("/repos/acme/gitops")
COLLABORATORS = Request(
    "/repos/acme/gitops/collaborators", (("per_page", "100"), ("affiliation", "all"))
)


def _transport(server: HTTPServer, suffix: str = "", **kwargs: object) -> HttpTransport:
    return HttpTransport(server.url_for(suffix).rstrip("/"), {}, **kwargs)  # type: ignore[arg-type]


def test_link_header_pagination_reads_every_page(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_weak")
    logins = [user["login"] for user in fetch_all(_transport(httpserver), COLLABORATORS).body]
    assert logins == ["alice", "mallory", "eve", "dave"]


def test_x_next_page_pagination_reads_every_page(httpserver: HTTPServer) -> None:
    serve(httpserver, "gitlab_weak")
    request = Request("/projects/acme%2Fgitops/members/all", (("per_page", "100"),))
    members = fetch_all(_transport(httpserver, "/api/v4"), request).body
    assert [member["username"] for member in members] == ["alice", "mallory", "dave"]


def test_next_page_link_to_another_host_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops/collaborators").respond_with_json(
        [], headers={"Link": '<https://attacker.example/steal?page=2>; rel="next"'}
    )
    with pytest.raises(ForgeError, match="points elsewhere"):
        fetch_all(_transport(httpserver), COLLABORATORS)


def test_primary_rate_limit_waits_for_the_reset_then_retries(httpserver: HTTPServer) -> None:
    now = float(int(time.time()))
    serve(httpserver, "github_rate_limited", "github_hardened", reset=str(int(now) + 30))
    waits: list[float] = []
    transport = _transport(httpserver, sleep=waits.append, clock=lambda: now, max_wait=60)
    assert transport.get(REPOSITORY).body["full_name"] == "acme/gitops"
    assert waits == [31.0]


def test_secondary_rate_limit_waits_retry_after(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_secondary_rate_limit", "github_hardened", retry_after="7")
    waits: list[float] = []
    assert _transport(httpserver, sleep=waits.append).get(REPOSITORY).ok
    assert waits == [7.0]


def test_gitlab_429_waits_retry_after(httpserver: HTTPServer) -> None:
    serve(httpserver, "gitlab_rate_limited", "gitlab_hardened", retry_after="3", reset="0")
    waits: list[float] = []
    transport = _transport(httpserver, "/api/v4", sleep=waits.append)
    assert transport.get(Request("/projects/acme%2Fgitops")).ok
    assert waits == [3.0]


def test_rate_limit_longer_than_the_bound_is_an_error(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_secondary_rate_limit", "github_hardened", retry_after="600")
    transport = _transport(httpserver, sleep=lambda seconds: None, max_wait=120)
    with pytest.raises(RateLimitedError, match="rate limited"):
        transport.get(REPOSITORY)


def test_unreachable_api_is_a_gitwarden_error() -> None:
    # Port 9 (discard) on localhost: nothing listens, the connection is refused.
    transport = HttpTransport("http://127.0.0.1:9", {}, timeout=2)
    with pytest.raises(ForgeUnreachableError) as raised:
        transport.get(REPOSITORY)
    assert isinstance(raised.value, GitwardenError)


def test_server_error_is_unreachable(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops").respond_with_json({}, status=500)
    with pytest.raises(ForgeUnreachableError, match="500"):
        _transport(httpserver).get(REPOSITORY)


def test_an_answer_that_is_not_json_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops").respond_with_data("<html>login</html>")
    with pytest.raises(ForgeError, match="did not answer JSON"):
        _transport(httpserver).get(REPOSITORY)


def test_the_token_header_is_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/repos/acme/gitops", headers={"Authorization": "Bearer t0ken"}
    ).respond_with_json({"default_branch": "main"})
    transport = HttpTransport(httpserver.url_for("").rstrip("/"), {"Authorization": "Bearer t0ken"})
    assert transport.get(REPOSITORY).ok


def test_only_pagination_scope_and_rate_limit_headers_are_kept(httpserver: HTTPServer) -> None:
    scope = exchanges("github_missing_scope")[0]
    httpserver.expect_request(scope["path"]).respond_with_json(
        scope["body"], status=403, headers={**scope["headers"], "Set-Cookie": "session=secret"}
    )
    headers = _transport(httpserver).get(Request(scope["path"])).headers
    assert headers["x-accepted-oauth-scopes"] == "repo"
    assert "set-cookie" not in headers


def test_request_key_sorts_the_query() -> None:
    one = Request("/x", (("b", "2"), ("a", "1")))
    other = Request("/x", (("a", "1"), ("b", "2")))
    assert one.key == other.key == "GET /x?a=1&b=2"


def test_a_rate_limit_that_never_lifts_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops").respond_with_json(
        {"message": "slow down"}, status=429, headers={"Retry-After": "0"}
    )
    transport = _transport(httpserver, sleep=lambda seconds: None)
    with pytest.raises(RateLimitedError, match="still rate limited"):
        transport.get(REPOSITORY)


def test_a_passing_server_error_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/repos/acme/gitops").respond_with_json({}, status=502)
    httpserver.expect_request("/repos/acme/gitops").respond_with_json({"default_branch": "main"})
    pauses: list[float] = []
    assert _transport(httpserver, sleep=pauses.append, max_wait=0).get(REPOSITORY).ok
    assert pauses == [1.0]
