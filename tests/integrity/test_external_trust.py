"""Roots of trust given out of band: key files, folders, REV:PATH, or a whole policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from integrity_fixtures import commit, make_repo, ssh_key, trust_yaml

from gitwarden.errors import ConfigError, UsageError
from gitwarden.integrity.external_trust import trust_from_keys, trust_from_policy
from gitwarden.sources.git_repository import GitRepository


def test_folder_of_key_files_merges_principals(tmp_path: Path) -> None:
    alice, bob = ssh_key(tmp_path / "k", "alice"), ssh_key(tmp_path / "k", "bob")
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "team").write_text(f"alice {alice.public_line}\n")
    (folder / "more").write_text(f"alice {bob.public_line}\n")
    repo = GitRepository(make_repo(tmp_path / "repo"))
    trust = trust_from_keys([str(folder)], repo)
    assert [(p.name, len(p.keys)) for p in trust.policy.principals] == [("alice", 2)]
    assert trust.kind == "keys"


def test_missing_key_source_is_a_usage_error(tmp_path: Path) -> None:
    repo = GitRepository(make_repo(tmp_path / "repo"))
    with pytest.raises(UsageError, match="no such file or folder"):
        trust_from_keys([str(tmp_path / "absent")], repo)


def test_repository_key_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "repo")
    commit(path, {"a.txt": "a"}, "first")
    with pytest.raises(UsageError, match="no such file in the repository"):
        trust_from_keys(["HEAD:keys/absent"], GitRepository(path))


def test_keys_that_may_not_sign_git_objects_leave_no_root_of_trust(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "k", "alice")
    signers = tmp_path / "allowed_signers"
    signers.write_text(f'alice namespaces="file" {alice.public_line}\n')
    with pytest.raises(UsageError, match="no key may sign git commits"):
        trust_from_keys([str(signers)], GitRepository(make_repo(tmp_path / "repo")))


def test_policy_file_is_read_with_its_rules(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "k", "alice")
    policy = tmp_path / "trust.yaml"
    policy.write_text(
        trust_yaml(
            {"alice": [alice.public_line]}, [{"branches": ["main"], "principals": ["alice"]}]
        )
    )
    trust = trust_from_policy(policy)
    assert (trust.kind, len(trust.policy.rules)) == ("policy", 1)
    assert trust.finding().details["policy"] == trust.policy.policy_id


def test_invalid_policy_file_names_the_file(tmp_path: Path) -> None:
    policy = tmp_path / "trust.yaml"
    policy.write_text("version: 1\nprincipals: [not, a, mapping]\n")
    with pytest.raises(ConfigError, match=r"trust\.yaml"):
        trust_from_policy(policy)
