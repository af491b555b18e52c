"""The counted transport: one step per request answered, over the real HTTP transport."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import serve
from gitwarden.forge.counted_transport import CountedTransport
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.transport import HttpTransport, Request, fetch_all
from progress_recorder import Recorded

COLLABORATORS = Request(
    "/repos/acme/gitops/collaborators", (("per_page", "100"), ("affiliation", "all"))
)


def test_each_page_answered_is_one_step(httpserver: HTTPServer) -> None:
    serve(httpserver, "github_weak")
    step = Recorded("forge", None)
    transport = CountedTransport(HttpTransport(httpserver.url_for("").rstrip("/"), {}), step)

    fetch_all(transport, COLLABORATORS)

    assert step.advanced == len(httpserver.log) >= 2  # the collaborators come in pages


def test_a_request_that_fails_is_not_counted(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/acme/gitops").respond_with_data("not json", status=200)
    step = Recorded("forge", None)
    transport = CountedTransport(HttpTransport(httpserver.url_for("").rstrip("/"), {}), step)

    with pytest.raises(ForgeError):
        transport.get(Request("/repos/acme/gitops"))

    assert step.advanced == 0
