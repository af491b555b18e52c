from __future__ import annotations

import pytest

from gitwarden.forge.registry import FORGES


@pytest.mark.parametrize(
    ("name", "token", "url"),
    [("github", "GITHUB_TOKEN", "GITHUB_API_URL"), ("gitlab", "GITLAB_TOKEN", "CI_API_V4_URL")],
)
def test_each_forge_reads_its_own_environment(name: str, token: str, url: str) -> None:
    kind = FORGES[name]
    assert (kind.token_variable, kind.url_variable) == (token, url)


@pytest.mark.parametrize(
    ("name", "header"), [("github", "Authorization"), ("gitlab", "PRIVATE-TOKEN")]
)
def test_the_token_goes_in_the_forge_header(name: str, header: str) -> None:
    assert "t0ken" in FORGES[name].auth_headers("t0ken")[header]


@pytest.mark.parametrize("name", ["github", "gitlab"])
def test_no_token_sends_no_credentials(name: str) -> None:
    headers = FORGES[name].auth_headers(None)
    assert not {"Authorization", "PRIVATE-TOKEN"} & set(headers)
