"""The engine: placeholders, specific-over-generic, inline allows, no catastrophic input."""

from __future__ import annotations

import time

import pytest

from gitwarden.secrets.engine import default_engine, line_allows
from gitwarden.secrets.redaction import redact
from secrets_values import GITHUB_TOKEN


def rule_ids(text: str) -> list[str]:
    return [m.rule.id for m in default_engine().scan(text.encode())]


@pytest.mark.parametrize(
    "value",
    [
        "${GITHUB_TOKEN}",
        "{{ .Values.password }}",
        "<path:secret/data/app#password>",
        "changeme-please-123",
        "xxxxxxxxxxxxxxxxxxxxxx",
        "$(DB_PASSWORD)",
    ],
)
def test_placeholder_values_are_not_secrets(value: str) -> None:
    assert rule_ids(f"password: {value}\napi_key: {value}") == []


def test_specific_rule_wins_over_generic_assignment() -> None:
    assert rule_ids(f"github_token: {GITHUB_TOKEN}") == ["github-personal-access-token"]


def test_reference_names_are_not_generic_secrets() -> None:
    assert rule_ids("secretName: db-credentials-2024\ntokenPath: /var/run/token-123") == []


def test_high_entropy_password_assignment_fires() -> None:
    assert rule_ids("DB_PASSWORD=Zq8-vLw3_Tp9xR") == ["generic-password-assignment"]


def test_inline_allow_comment_is_seen_on_its_line() -> None:
    data = f"a: 1\ntoken: {GITHUB_TOKEN}  # gitwarden:allow\n".encode()
    assert line_allows(data, data.index(b"ghp_"))


def test_inline_allow_on_another_line_does_not_count() -> None:
    data = f"# gitwarden:allow\ntoken: {GITHUB_TOKEN}\n".encode()
    assert not line_allows(data, data.index(b"ghp_"))


@pytest.mark.parametrize(
    "chunk",
    [
        b"ghp_",
        b"password=",
        b"-----BEGIN RSA PRIVATE KEY-----",
        b"eyJ" + b"a" * 50 + b".",
        b"postgres://u:",
        b'"auths": {"auth": ',
        b"a" * 64 + b"!",
    ],
)
def test_pathological_input_is_scanned_in_linear_time(chunk: bytes) -> None:
    data = chunk * (2_000_000 // len(chunk))
    started = time.monotonic()
    default_engine().scan(data)
    # RE2 guarantees linear time; a backtracking engine would not finish at all.
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_…6789"),
        ("Sup3rS3cret!", "Su…t!"),
        ("short", "*****"),
    ],
)
def test_redaction_keeps_only_the_ends(value: str, shown: str) -> None:
    assert redact(value) == shown
