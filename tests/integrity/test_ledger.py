"""The ref-state ledger: record, then detect every kind of unseen move and tampering."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from integrity_fixtures import SshKey, commit, git, make_repo

from gitwarden.integrity.ledger import (
    WITNESS_FILE,
    LedgerOptions,
    accept_rewrite,
    record,
    verify_ledger,
)
from gitwarden.integrity.ledger_store import LEDGER_REF, append, export_chain, read_chain
from gitwarden.integrity.local_state import state_file
from gitwarden.sources.git_repository import GitRepository


def ledger_repo(tmp_path: Path, keys: dict[str, SshKey]) -> Path:
    repo = make_repo(tmp_path / "repo")
    policy = {
        "version": 1,
        "principals": {n: {"ssh_keys": [keys[n].public_line]} for n in ("alice", "bob")},
        "rules": [{"branches": ["main", "release/*"], "principals": ["alice"]}],
        "ledger_recorders": ["alice"],
    }
    commit(repo, {".gitwarden/trust.yaml": yaml.safe_dump(policy)}, "policy", keys["alice"])
    commit(repo, {"a.txt": "a"}, "second", keys["alice"])
    git(repo, "tag", "v1")
    git(repo, "branch", "release/1")
    record(GitRepository(repo), keys["alice"].private)
    return repo


def rule_ids(repo: Path, **options: object) -> list[str]:
    findings = verify_ledger(GitRepository(repo), LedgerOptions(**options))  # type: ignore[arg-type]
    return sorted(f.rule_id for f in findings)


def test_untouched_repository_passes(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    assert rule_ids(repo) == []


def test_fast_forward_passes(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    commit(repo, {"b.txt": "b"}, "third", keys["alice"])
    record(GitRepository(repo), keys["alice"].private)
    assert rule_ids(repo) == []


def test_missing_ledger_is_reported(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "first", keys["alice"])
    assert rule_ids(repo) == ["ledger-missing"]


def test_force_push_since_last_entry(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    commit(repo, {"c.txt": "c"}, "rewritten", keys["alice"])
    assert rule_ids(repo) == ["ledger-force-push"]


def test_force_push_between_entries_stays_reported(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    commit(repo, {"c.txt": "c"}, "rewritten", keys["alice"])
    record(GitRepository(repo), keys["alice"].private)
    assert rule_ids(repo) == ["ledger-force-push"]


def test_accept_rewrite_entry_allows_the_intended_rewrite(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = ledger_repo(tmp_path, keys)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    commit(repo, {"c.txt": "c"}, "rewritten", keys["alice"])
    accept_rewrite(GitRepository(repo), keys["alice"].private, "refs/heads/main")
    assert rule_ids(repo) == []


def test_deleted_protected_branch(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    git(repo, "branch", "-D", "release/1")
    assert rule_ids(repo) == ["ledger-ref-deleted"]


def test_moved_tag(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    git(repo, "tag", "-f", "v1", "HEAD~1")
    assert rule_ids(repo) == ["ledger-tag-moved"]


def test_recorded_commit_lost_from_the_repository(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    lost = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/heads/main", "HEAD~1")
    git(repo, "tag", "-d", "v1")
    git(repo, "branch", "-D", "release/1")
    git(repo, "reflog", "expire", "--expire=now", "--all")
    git(repo, "gc", "-q", "--prune=now")
    assert GitRepository(repo).object_ids([lost])[lost] is None
    assert "ledger-history-lost" in rule_ids(repo)


def test_truncated_ledger_is_detected_by_the_witness(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = ledger_repo(tmp_path, keys)
    record(GitRepository(repo), keys["alice"].private)
    first = read_chain(GitRepository(repo))[0].commit
    git(repo, "update-ref", LEDGER_REF, first)
    assert rule_ids(repo) == ["ledger-tampered"]


def test_truncated_ledger_is_detected_against_an_export(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = ledger_repo(tmp_path, keys)
    record(GitRepository(repo), keys["alice"].private)
    export = tmp_path / "ledger.jsonl"
    export_chain(read_chain(GitRepository(repo)), export)
    state_file(GitRepository(repo).git_dir, WITNESS_FILE).unlink()
    git(repo, "update-ref", LEDGER_REF, read_chain(GitRepository(repo))[0].commit)
    assert rule_ids(repo, exported=export) == ["ledger-tampered"]


def test_reordered_entries_break_the_chain(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    record(GitRepository(repo), keys["alice"].private)
    chain = read_chain(GitRepository(repo))
    git(repo, "update-ref", "-d", LEDGER_REF)
    state_file(GitRepository(repo).git_dir, WITNESS_FILE).unlink()
    previous = None
    for stored in reversed(chain):
        previous = append(GitRepository(repo), stored.body, stored.signature, previous)
    assert "ledger-tampered" in rule_ids(repo)


def test_altered_entry_fails_its_signature(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    stored = read_chain(GitRepository(repo))[0]
    git(repo, "update-ref", "-d", LEDGER_REF)
    state_file(GitRepository(repo).git_dir, WITNESS_FILE).unlink()
    forged = stored.body.replace(b"refs/tags/v1", b"refs/tags/v9")
    append(GitRepository(repo), forged, stored.signature, None)
    assert "ledger-tampered" in rule_ids(repo)


@pytest.mark.parametrize("recorder", ["bob", "eve"], ids=["not-a-recorder", "unknown-key"])
def test_entry_signed_by_a_key_not_allowed_to_record(
    tmp_path: Path, keys: dict[str, SshKey], recorder: str
) -> None:
    repo = ledger_repo(tmp_path, keys)
    record(GitRepository(repo), keys[recorder].private)
    assert rule_ids(repo) == ["ledger-unknown-recorder"]


def _mirror(repo: Path, tmp_path: Path) -> Path:
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--mirror", str(repo), str(mirror)], check=True)
    return mirror


def test_mirror_in_step_passes(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    assert rule_ids(repo, mirror=_mirror(repo, tmp_path)) == []


def test_mirror_holding_commits_the_repository_lost(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = ledger_repo(tmp_path, keys)
    commit(repo, {"b.txt": "b"}, "third", keys["alice"])
    record(GitRepository(repo), keys["alice"].private)
    mirror = _mirror(repo, tmp_path)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    accept_rewrite(GitRepository(repo), keys["alice"].private, "refs/heads/main")
    assert rule_ids(repo, mirror=mirror) == ["ledger-mirror-divergence"]


def test_repository_ref_the_mirror_never_saw(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = ledger_repo(tmp_path, keys)
    mirror = _mirror(repo, tmp_path)
    git(repo, "branch", "release/2")
    record(GitRepository(repo), keys["alice"].private)
    assert rule_ids(repo, mirror=mirror) == ["ledger-mirror-divergence"]


def test_cli_verify_exits_1_on_a_force_push(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    from gitwarden.cli import EXIT_FINDINGS, EXIT_PASS, main

    repo = ledger_repo(tmp_path, keys)
    args = ["ledger", "verify", "--repo", str(repo), "-o", str(tmp_path / "out.txt")]
    assert main(args) == EXIT_PASS
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    commit(repo, {"c.txt": "c"}, "rewritten", keys["alice"])
    assert main(args) == EXIT_FINDINGS
    assert "ledger-force-push" in (tmp_path / "out.txt").read_text()


def test_cli_record_uses_the_configured_signing_key(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    from gitwarden.cli import main

    repo = ledger_repo(tmp_path, keys)
    git(repo, "config", "user.signingkey", str(keys["alice"].private))
    assert main(["ledger", "record", "--repo", str(repo)]) == 0
    assert len(read_chain(GitRepository(repo))) == 2
    assert rule_ids(repo) == []


def test_cli_export_writes_every_entry(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    from gitwarden.cli import main

    repo = ledger_repo(tmp_path, keys)
    out = tmp_path / "ledger.jsonl"
    assert main(["ledger", "export", str(out), "--repo", str(repo)]) == 0
    assert len(out.read_text().splitlines()) == 1
