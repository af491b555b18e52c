from __future__ import annotations

from pathlib import Path

from forge.forge_server import KEYS, TRUST_POLICY
from gitwarden.commands.forge_trust import forge_trust, signing_branches
from gitwarden.forge.ssh_fingerprints import ssh_fingerprint


def _repository(tmp_path: Path, policy: str) -> Path:
    (tmp_path / ".gitwarden").mkdir()
    (tmp_path / ".gitwarden" / "trust.yaml").write_text(policy, encoding="utf-8")
    return tmp_path


def test_principals_keys_and_branches_are_read(tmp_path: Path) -> None:
    trust = forge_trust(_repository(tmp_path, TRUST_POLICY))
    alice = trust.by_login("alice")
    assert alice is not None
    assert [key.fingerprint for key in alice.keys] == [ssh_fingerprint(KEYS["alice"])]
    assert (alice.signs_for, trust.max_key_age_days, trust.key_warning_days) == (
        ("main",),
        365,
        30,
    )


def test_revoked_keys_are_left_out(tmp_path: Path) -> None:
    revoked = f"{TRUST_POLICY}revoked:\n  - key: {ssh_fingerprint(KEYS['bob'])}\n"
    bob = forge_trust(_repository(tmp_path, revoked)).by_login("bob")
    assert bob is not None
    assert bob.keys == ()


def test_no_trust_policy_is_not_present(tmp_path: Path) -> None:
    assert not forge_trust(tmp_path).present


def test_only_literal_branches_are_audited(tmp_path: Path) -> None:
    policy = TRUST_POLICY.replace("branches: [main]", 'branches: [main, "release/*"]')
    assert signing_branches(forge_trust(_repository(tmp_path, policy))) == ("main",)
