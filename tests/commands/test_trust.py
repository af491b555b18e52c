"""`gitwarden.trust_init` / `trust_show`: the library does what the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.cli import EXIT_USAGE, main
from gitwarden.commands.trust import TrustInitOptions, trust_init, trust_show
from gitwarden.errors import UsageError


def test_init_writes_a_policy_that_show_reads_back(tmp_path: Path) -> None:
    written = trust_init(tmp_path, options=TrustInitOptions(max_key_age_days=90))
    shown = trust_show(tmp_path)
    assert shown.policy == written.policy
    assert shown.policy.max_key_age_days == 90
    assert shown.as_dict()["fingerprint"] == written.policy.policy_id


def test_init_refuses_to_overwrite_in_the_library(tmp_path: Path) -> None:
    trust_init(tmp_path)
    with pytest.raises(UsageError, match="exists"):
        trust_init(tmp_path, options=TrustInitOptions(max_key_age_days=30))


def test_init_with_force_replaces_the_policy(tmp_path: Path) -> None:
    trust_init(tmp_path)
    replaced = trust_init(tmp_path, options=TrustInitOptions(max_key_age_days=30, force=True))
    assert trust_show(tmp_path).policy == replaced.policy


def test_cli_init_refusal_is_a_usage_error(tmp_path: Path) -> None:
    trust_init(tmp_path)
    assert main(["trust", "init", "--repo", str(tmp_path)]) == EXIT_USAGE


def test_show_text_names_the_fingerprint(tmp_path: Path) -> None:
    written = trust_init(tmp_path)
    assert f"policy fingerprint: {written.policy.policy_id}" in trust_show(tmp_path).as_text()


def test_add_allow_revoke_write_the_policy_they_describe(tmp_path: Path) -> None:
    from gitwarden.commands.trust import (
        TrustAddOptions,
        TrustAllowOptions,
        TrustRevokeOptions,
        trust_add,
        trust_allow,
        trust_revoke,
    )
    from integrity.integrity_fixtures import ssh_key

    alice = ssh_key(tmp_path / "keys", "alice")
    trust_init(tmp_path)
    trust_add(tmp_path, None, TrustAddOptions("alice", alice.public))
    allowed = trust_allow(tmp_path, None, TrustAllowOptions("alice", "main", ("clusters/**",)))
    revoked = trust_revoke(tmp_path, None, TrustRevokeOptions("alice", "left"))
    assert [(r.branches, r.paths) for r in allowed.policy.rules] == [(("main",), ("clusters/**",))]
    assert [(r.principal, r.reason) for r in revoked.policy.revoked] == [("alice", "left")]
    assert trust_show(tmp_path).policy == revoked.policy
