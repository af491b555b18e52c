from __future__ import annotations

from datetime import timedelta

import pytest

from forge.forge_postures import context
from forge.forge_server import NOW
from gitwarden.forge.audit_context import AuditBar
from gitwarden.forge.keys import find_stale_keys
from gitwarden.forge.posture import ForgeKey, KeyKind
from gitwarden.forge.trust_data import ForgeTrust


def _key(kind: KeyKind = "ssh-signing", **ages: int) -> ForgeKey:
    created = NOW - timedelta(days=ages["age"]) if "age" in ages else None
    expires = NOW + timedelta(days=ages["expires_in"]) if "expires_in" in ages else None
    return ForgeKey("alice", kind, "laptop", "SHA256:x", created=created, expires=expires)


def _fired(key: ForgeKey, **settings: int) -> list[str]:
    audit = context(keys=(key,), bar=AuditBar(**settings) if settings else None)
    return [finding.rule_id for finding in find_stale_keys(audit)]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (100, []),
        (340, ["forge-key-rotation-due"]),
        (365, ["forge-key-too-old"]),
        (900, ["forge-key-too-old"]),
    ],
)
def test_ssh_key_warns_before_the_rotation_age_and_fails_after(
    age: int, expected: list[str]
) -> None:
    assert _fired(_key(age=age)) == expected


@pytest.mark.parametrize("kind", ["ssh-auth", "deploy"])
def test_authentication_and_deploy_keys_have_a_rotation_age(kind: KeyKind) -> None:
    assert _fired(_key(kind, age=400)) == ["forge-key-too-old"]


def test_key_without_a_date_is_reported_not_passed() -> None:
    assert _fired(_key("ssh-auth")) == ["forge-key-age-unknown"]


def test_the_trust_policy_rotation_age_wins_over_the_default() -> None:
    trust = ForgeTrust(present=True, max_key_age_days=90)
    audit = context(keys=(_key(age=100),), trust=trust)
    assert [f.rule_id for f in find_stale_keys(audit)] == ["forge-key-too-old"]


@pytest.mark.parametrize(
    ("expires_in", "expected"),
    [(-1, ["forge-gpg-key-expired"]), (10, ["forge-gpg-key-expiring"]), (400, [])],
)
def test_gpg_key_expiry(expires_in: int, expected: list[str]) -> None:
    assert _fired(_key("gpg", expires_in=expires_in)) == expected


def test_gpg_key_without_expiry_is_silent() -> None:
    assert _fired(_key("gpg")) == []
