from __future__ import annotations

import pytest

from gitwarden.checks.gitops_sources import (
    chart_version_floats,
    git_revision_floats,
    is_literal_secret,
    is_plain_http,
    is_secret_key,
    secret_values,
)


@pytest.mark.parametrize(
    ("revision", "floats"),
    [
        ("HEAD", True),
        ("", True),
        (None, True),
        ("main", True),
        ("refs/heads/release", True),
        ("v1.4.2", False),
        ("1.2.3-rc.1", False),
        ("refs/tags/v2", False),
        ("3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b", False),
    ],
)
def test_git_revision_floats_unless_a_tag_or_commit(revision: object, floats: bool) -> None:
    assert git_revision_floats(revision) is floats


@pytest.mark.parametrize(
    ("version", "floats"),
    [("", True), ("*", True), ("1.x", True), (">=1.0", True), ("^1.2", True), ("1.2.3", False)],
)
def test_chart_version_floats_when_empty_or_a_range(version: str, floats: bool) -> None:
    assert chart_version_floats(version) is floats


@pytest.mark.parametrize(
    ("url", "plain"),
    [("http://git.example.com/a", True), ("git://example.com/a", True), ("https://a", False)],
)
def test_plain_http_means_no_tls(url: str, plain: bool) -> None:
    assert is_plain_http(url) is plain


@pytest.mark.parametrize(
    ("key", "secret"),
    [("password", True), ("apiKey", True), ("existingSecret", False), ("passwordRef", False)],
)
def test_secret_keys_name_a_secret_value_not_a_reference(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("hunter2-prod", True),
        ("${DB_PASSWORD}", False),
        ("{{ .Values.pw }}", False),
        ("true", False),
    ],
)
def test_placeholders_are_not_literal_secrets(value: str, literal: bool) -> None:
    assert is_literal_secret(value) is literal


def test_secret_values_are_found_at_their_paths() -> None:
    values = {"db": {"password": "hunter2-prod", "user": "app"}, "list": [{"token": "t0k3n-x"}]}
    assert list(secret_values(values)) == [("db", "password"), ("list", 0, "token")]
