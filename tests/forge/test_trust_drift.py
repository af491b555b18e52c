from __future__ import annotations

from forge.forge_postures import ALICE_KEY, TRUST, branch, context
from gitwarden.forge.posture import AccessGrant, ForgeKey, Unreadable
from gitwarden.forge.trust_data import ForgeTrust
from gitwarden.forge.trust_drift import find_trust_drift

ALICE_SIGNING = ForgeKey("alice", "ssh-signing", "laptop", ALICE_KEY)


def _fired(**changes: object) -> list[str]:
    return [f.rule_id for f in find_trust_drift(context(**changes))]  # type: ignore[arg-type]


def test_no_trust_policy_is_reported() -> None:
    assert _fired(trust=ForgeTrust()) == ["forge-trust-policy-missing"]


def test_trust_policy_and_forge_in_agreement_is_silent() -> None:
    assert _fired(keys=(ALICE_SIGNING,), key_owners_read=("alice",)) == []


def test_signer_without_push_access_fires() -> None:
    assert _fired(access=(AccessGrant("alice", "user", "read"),)) == ["forge-signer-cannot-push"]


def test_push_restrictions_that_leave_a_signer_out_fire() -> None:
    restricted = branch(pushers=("release-bot",))
    assert "forge-signer-cannot-push" in _fired(branches=(restricted,))


def test_pusher_outside_the_trust_policy_fires() -> None:
    access = (AccessGrant("alice", "user", "write"), AccessGrant("mallory", "user", "write"))
    assert _fired(access=access) == ["forge-pusher-not-trusted"]


def test_only_production_branches_are_compared() -> None:
    access = (AccessGrant("alice", "user", "write"), AccessGrant("mallory", "user", "write"))
    assert _fired(access=access, branches=(branch(production=False),)) == []


def test_trusted_key_missing_from_the_forge_fires() -> None:
    assert _fired(key_owners_read=("alice",)) == ["forge-trusted-key-not-on-forge"]


def test_keys_of_a_user_not_read_are_not_called_missing() -> None:
    assert _fired(key_owners_read=()) == []


def test_keys_of_a_user_whose_list_was_refused_are_not_called_missing() -> None:
    refused = (
        Unreadable("ssh-signing keys of alice", "GET /users/alice/ssh_signing_keys", "x", 403),
    )
    assert _fired(key_owners_read=("alice",), unreadable=refused) == []


def test_forge_signing_key_outside_the_trust_policy_fires() -> None:
    other = ForgeKey("alice", "ssh-signing", "new laptop", "SHA256:other")
    fired = _fired(keys=(ALICE_SIGNING, other), key_owners_read=("alice",))
    assert fired == ["forge-signing-key-not-trusted"]


def test_logins_match_case_insensitively() -> None:
    access = (AccessGrant("Alice", "user", "write"),)
    assert TRUST.by_login("ALICE") is not None
    assert _fired(access=access) == []
