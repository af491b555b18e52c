from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import serve
from gitwarden.forge.errors import ForgeError, SavedResponseMissingError
from gitwarden.forge.github import GitHubClient, auth_headers
from gitwarden.forge.interface import AuditScope
from gitwarden.forge.saved_responses import (
    RecordingTransport,
    SavedResponses,
    response_file_name,
)
from gitwarden.forge.transport import HttpTransport, Request

TOKEN = "ghp_s3cretTokenValue"
SCOPE = AuditScope("acme/gitops", key_users=("alice", "bob"))


def _record(server: HTTPServer, folder: Path) -> None:
    serve(server, "github_weak")
    live = HttpTransport(server.url_for("").rstrip("/"), auth_headers(TOKEN))
    GitHubClient(RecordingTransport(live, folder)).posture(SCOPE)


def test_replayed_posture_equals_the_recorded_one(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, "github_weak")
    live = HttpTransport(httpserver.url_for("").rstrip("/"), auth_headers(TOKEN))
    recorded = GitHubClient(RecordingTransport(live, tmp_path)).posture(SCOPE)
    httpserver.clear()
    assert GitHubClient(SavedResponses(tmp_path)).posture(SCOPE) == recorded


def test_saved_responses_never_hold_the_token(httpserver: HTTPServer, tmp_path: Path) -> None:
    _record(httpserver, tmp_path)
    saved = [path.read_text(encoding="utf-8") for path in tmp_path.iterdir()]
    assert saved
    assert not any(TOKEN in text for text in saved)


def test_one_file_per_request(httpserver: HTTPServer, tmp_path: Path) -> None:
    _record(httpserver, tmp_path)
    assert (tmp_path / response_file_name(Request("/repos/acme/gitops"))).is_file()


def test_a_request_without_saved_response_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SavedResponseMissingError, match="no saved response"):
        SavedResponses(tmp_path).get(Request("/repos/acme/gitops"))


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ForgeError, match="no such folder"):
        SavedResponses(tmp_path / "absent")


def test_a_corrupt_saved_response_is_an_error(tmp_path: Path) -> None:
    request = Request("/repos/acme/gitops")
    (tmp_path / response_file_name(request)).write_text("{not json", encoding="utf-8")
    with pytest.raises(ForgeError, match="not a saved forge response"):
        SavedResponses(tmp_path).get(request)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Request("/a", (("page", "1"),)), Request("/a", (("page", "2"),))),
        (Request("/a/b"), Request("/a_b")),
    ],
)
def test_different_requests_get_different_files(one: Request, other: Request) -> None:
    assert response_file_name(one) != response_file_name(other)
