from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import serve
from gitwarden.forge.api_reading import ApiReader, ForgeReading, ProjectEndpoint, api_time
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.transport import HttpTransport, Request

DEPLOY_KEYS = Request("/repos/acme/gitops/keys", (("per_page", "100"),))


def _reader(server: HTTPServer) -> ApiReader:
    return ApiReader(HttpTransport(server.url_for("").rstrip("/"), {}))


def test_403_names_the_scope_github_asks_for(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_missing_scope")
    reader = _reader(httpserver)
    answer = reader.read(DEPLOY_KEYS, what="deploy keys", scope="documented", paged=True)
    assert not answer.readable
    assert [(u.scope, u.status) for u in reader.unreadable] == [("repo", 403)]


def test_refusal_without_scope_header_names_the_documented_scope(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops/keys").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    reader = _reader(httpserver)
    reader.read(DEPLOY_KEYS, what="deploy keys", scope="repo (documented)")
    assert reader.unreadable[0].scope == "repo (documented)"


def test_branch_not_protected_is_absent_not_unreadable(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_weak")
    reader = _reader(httpserver)
    answer = reader.read(
        Request("/repos/acme/gitops/branches/hotfix/protection"),
        what="protection",
        scope="repo",
        absent=lambda r: "not protected" in r.message().lower(),
    )
    assert (answer.absent, answer.readable, reader.unreadable) == (True, True, [])


def test_an_unexpected_status_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops").respond_with_json(
        {"message": "Validation Failed"}, status=422
    )
    with pytest.raises(ForgeError, match="422 Validation Failed"):
        _reader(httpserver).read(Request("/repos/acme/gitops"), what="repo", scope="repo")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-10T08:00:00Z", datetime(2026, 1, 10, 8, tzinfo=UTC)),
        ("2026-01-10T08:00:00.000Z", datetime(2026, 1, 10, 8, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
    ],
)
def test_api_time_reads_both_forges_timestamps(text: object, expected: datetime | None) -> None:
    assert api_time(text) == expected


class _Client(ForgeReading):
    project_endpoint = ProjectEndpoint(
        "Forge", "project", "read", "check the token", lambda name: f"/projects/{name}"
    )


@pytest.mark.parametrize(
    ("status", "body"), [(404, {"message": "404 Project Not Found"}), (200, ["not", "a project"])]
)
def test_a_project_that_cannot_be_read_is_an_error(
    httpserver: HTTPServer, status: int, body: object
) -> None:
    httpserver.expect_request("/projects/acme").respond_with_json(body, status=status)
    client = _Client(HttpTransport(httpserver.url_for("").rstrip("/"), {}))
    with pytest.raises(ForgeError, match="Forge: project acme not found") as raised:
        client.open_project("acme")
    assert raised.value.hint == "check the token"


def test_an_opened_project_gives_its_path_and_default_branch(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/projects/acme").respond_with_json({"default_branch": "trunk"})
    opened = _Client(HttpTransport(httpserver.url_for("").rstrip("/"), {})).open_project("acme")
    assert (opened.base, opened.default_branch) == ("/projects/acme", "trunk")
