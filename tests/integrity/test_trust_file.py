"""trust.yaml read through its schema: policies as written, refusals at file, line and key."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from integrity_fixtures import ssh_key

from gitwarden.errors import ConfigError
from gitwarden.integrity.trust_file import (
    MAX_POLICY_BYTES,
    dump_trust_policy,
    parse_trust_policy,
)

NAME = ".gitwarden/trust.yaml"


@pytest.fixture(scope="module")
def alice(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ssh_key(tmp_path_factory.mktemp("keys"), "alice").public_line


def policy_text(alice: str) -> str:
    return (
        "version: 1\n"
        "max_key_age_days: 90\n"
        "principals:\n"
        "  alice:\n"
        "    email: alice@example.com\n"
        "    github: alice-gh\n"
        "    ssh_keys:\n"
        f"      - key: {alice}\n"
        "        added: 2026-01-10\n"
        "        valid_before: 2027-01-10T00:00:00Z\n"
        "rules:\n"
        "  - branches: [main]\n"
        "    paths: []\n"
        "    principals: [alice]\n"
        "revoked:\n"
        "  - key: SHA256:abc\n"
        "    reason: laptop stolen\n"
        "  - principal: alice\n"
        "ledger_recorders: [alice]\n"
    )


def test_policy_is_read_as_written(alice: str) -> None:
    policy = parse_trust_policy(policy_text(alice), NAME)
    (principal,) = policy.principals
    (key,) = principal.keys
    assert (principal.name, principal.emails, principal.forge_user("github")) == (
        "alice",
        ("alice@example.com",),
        "alice-gh",
    )
    assert (key.scheme, key.added, key.valid_before) == (
        "ssh",
        date(2026, 1, 10),
        datetime(2027, 1, 10, tzinfo=UTC),
    )
    assert key.fingerprint.startswith("SHA256:")
    assert policy.rules[0].paths == ("**",)  # an empty list means every path
    assert [(r.key, r.principal, r.reason) for r in policy.revoked] == [
        ("SHA256:abc", None, "laptop stolen"),
        (None, "alice", ""),
    ]
    assert (policy.max_key_age_days, policy.key_age_warning_days) == (90, 30)
    assert policy.ledger_recorders == ("alice",)


def test_written_policy_reads_back_the_same(alice: str) -> None:
    policy = parse_trust_policy(policy_text(alice), NAME)
    assert parse_trust_policy(dump_trust_policy(policy), NAME) == policy


@pytest.mark.parametrize(
    ("text", "line", "key", "message", "hint"),
    [
        (
            "version: 1\nprincipal: {}\n",
            2,
            "principal",
            "unknown key",
            "did you mean 'principals'?",
        ),
        (
            "rules:\n  - branches: [main]\n    treshold: 1\n",
            3,
            "rules[0].treshold",
            "unknown key",
            "did you mean 'threshold'?",
        ),
        (
            "principals:\n  a:\n    ssh_keys: ['ssh-ed25519 @@@']\n",
            3,
            "principals.a.ssh_keys[0].key",
            "not an SSH public key",
            None,
        ),
        (
            "principals:\n  a:\n    ssh_keys:\n      - added: 2026-01-01\n",
            4,
            "principals.a.ssh_keys[0].key",
            "must be a non-empty string",
            None,
        ),
        ("version: 2\n", 1, "version", "version 2 is not supported (use 1)", None),
        ("key_age_warning_days: -1\n", 1, "key_age_warning_days", "whole number of days", None),
        ("principals: [alice]\n", 1, "principals", "must map principal names", None),
    ],
    ids=[
        "unknown-key",
        "misspelt-rule-key",
        "bad-key",
        "key-without-text",
        "version",
        "negative-days",
        "list",
    ],
)
def test_refusal_names_the_line_and_key(
    text: str, line: int, key: str, message: str, hint: str | None
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_trust_policy(text, NAME)
    error = caught.value
    assert (error.file, error.line, error.key, error.hint) == (NAME, line, key, hint)
    assert message in str(error)


@pytest.mark.parametrize(
    "text",
    ["", "- a\n- b\n", "version: 1\n---\nversion: 1\n"],
    ids=["empty", "a-list", "two-documents"],
)
def test_file_must_hold_one_mapping(text: str) -> None:
    with pytest.raises(ConfigError, match="must hold exactly one YAML mapping"):
        parse_trust_policy(text, NAME)


def test_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="larger than"):
        parse_trust_policy("#" * (MAX_POLICY_BYTES + 1), NAME)
