"""`gitwarden.ledger_record` / `ledger_verify`: config obeyed, signing key found like git."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitwarden.commands.ledger import (
    LedgerRecordOptions,
    LedgerVerifyOptions,
    ledger_record,
    ledger_verify,
)
from gitwarden.config import Config
from gitwarden.errors import UsageError
from integrity.integrity_fixtures import SshKey, commit, git, make_repo, ssh_key


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "gitwarden-state"))


def recorded_repo(tmp_path: Path, key: SshKey) -> Path:
    repo = make_repo(tmp_path / "repo")
    policy = {
        "version": 1,
        "principals": {"alice": {"ssh_keys": [key.public_line]}},
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
        "ledger_recorders": ["alice"],
    }
    commit(repo, {".gitwarden/trust.yaml": yaml.safe_dump(policy)}, "policy", key)
    git(repo, "tag", "v1")
    ledger_record(repo, options=LedgerRecordOptions(signing_key=key.private))
    return repo


def test_recorded_ledger_verifies(tmp_path: Path) -> None:
    repo = recorded_repo(tmp_path, ssh_key(tmp_path / "keys", "alice"))
    report = ledger_verify(repo)
    assert (report.command, report.findings, report.passed) == ("ledger verify", (), True)


def test_disabled_rule_in_config_is_obeyed(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = recorded_repo(tmp_path, alice)
    git(repo, "tag", "-d", "v1")
    config = Config(disabled_rules=("ledger-ref-deleted",))
    enforced = ledger_verify(repo, options=LedgerVerifyOptions(update_witness=False))
    relaxed = ledger_verify(repo, config, LedgerVerifyOptions(update_witness=False))
    assert [f.rule_id for f in enforced.findings] == ["ledger-ref-deleted"]
    assert relaxed.findings == ()


def test_signing_key_defaults_to_the_repository_user_signingkey(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = recorded_repo(tmp_path, alice)
    commit(repo, {"b.txt": "b"}, "second", alice)
    git(repo, "config", "user.signingkey", str(alice.private))
    entry = ledger_record(repo).entry
    assert entry.seq == 1


def test_missing_signing_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "first")
    with pytest.raises(UsageError, match="no signing key"):
        ledger_record(repo)


def test_export_writes_every_entry(tmp_path: Path) -> None:
    from gitwarden.commands.ledger import LedgerExportOptions, ledger_export

    repo = recorded_repo(tmp_path, ssh_key(tmp_path / "keys", "alice"))
    target = tmp_path / "ledger.jsonl"
    exported = ledger_export(repo, None, LedgerExportOptions(target))
    assert exported.entries == 1
    assert len(target.read_text().splitlines()) == 1
