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
