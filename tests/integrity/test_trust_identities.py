"""Principal identities in the trust policy: e-mail addresses and forge user names."""

from __future__ import annotations

from pathlib import Path

import pytest
from integrity_fixtures import SshKey, make_repo

from gitwarden.cli import EXIT_PASS, EXIT_USAGE, main
from gitwarden.config_schema.trust_yaml import read_trust_file
from gitwarden.errors import ConfigError
from gitwarden.integrity.trust_authoring import load
from gitwarden.integrity.trust_file import dump_trust_policy, parse_trust_policy
from gitwarden.integrity.trust_policy import TrustPolicy, policy_digest


def add_alice(repo: Path, keys: dict[str, SshKey], *extra: str) -> int:
    return main(
        ["trust", "add", "alice", "--key", str(keys["alice"].public), "--repo", str(repo), *extra]
    )


def test_trust_add_records_email_and_forge_names(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = make_repo(tmp_path / "repo")
    assert main(["trust", "init", "--repo", str(repo)]) == EXIT_PASS
    identities = ("--email", "alice@example.com", "--github", "alice", "--gitlab", "alice-gl")
    assert add_alice(repo, keys, *identities) == EXIT_PASS
    alice = load(repo).principal("alice")
    assert alice is not None
    assert (alice.emails, alice.github, alice.gitlab) == (
        ("alice@example.com",),
        "alice",
        "alice-gl",
    )


def test_an_email_of_another_principal_is_refused(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = make_repo(tmp_path / "repo")
    assert main(["trust", "init", "--repo", str(repo)]) == EXIT_PASS
    assert add_alice(repo, keys, "--email", "shared@example.com") == EXIT_PASS
    bob = ["trust", "add", "bob", "--key", str(keys["bob"].public), "--repo", str(repo)]
    assert main([*bob, "--email", "shared@example.com"]) == EXIT_USAGE


def policy_text(keys: dict[str, SshKey], identities: str) -> str:
    return (
        "version: 1\nprincipals:\n  alice:\n"
        f"{identities}"
        f"    ssh_keys: ['{keys['alice'].public_line}']\n"
    )


def test_identities_read_back_after_dumping(keys: dict[str, SshKey]) -> None:
    text = policy_text(keys, "    email: alice@example.com\n    github: Alice\n")
    policy = parse_trust_policy(text, "trust.yaml")
    again = parse_trust_policy(dump_trust_policy(policy), "trust.yaml")
    assert again.principal("alice") == policy.principal("alice")


@pytest.mark.parametrize(
    ("lookup", "found"),
    [
        (lambda p: p.principal_by_email("ALICE@example.com"), True),
        (lambda p: p.principal_by_email("mallory@example.com"), False),
        (lambda p: p.principal_by_forge_user("github", "alice"), True),
        (lambda p: p.principal_by_forge_user("gitlab", "alice"), False),
    ],
)
def test_identities_tie_people_to_principals(
    keys: dict[str, SshKey], lookup: object, found: bool
) -> None:
    policy = parse_trust_policy(
        policy_text(keys, "    email: alice@example.com\n    github: Alice\n"), "trust.yaml"
    )
    assert (lookup(policy) is not None) is found  # type: ignore[operator]


def test_a_policy_without_identities_keeps_its_digest(keys: dict[str, SshKey]) -> None:
    plain = parse_trust_policy(policy_text(keys, ""), "trust.yaml")
    with_email = parse_trust_policy(policy_text(keys, "    email: a@example.com\n"), "t.yaml")
    assert policy_digest(plain) != policy_digest(with_email)
    assert policy_digest(plain) == policy_digest(TrustPolicy(plain.principals))


@pytest.mark.parametrize("bad", ["    github: ''\n", "    email: [1]\n", "    emial: a@b\n"])
def test_bad_identities_are_refused_by_reader_and_schema(keys: dict[str, SshKey], bad: str) -> None:
    text = policy_text(keys, bad)
    with pytest.raises(ConfigError) as by_reader:
        parse_trust_policy(text, "trust.yaml")
    with pytest.raises(ConfigError) as by_schema:
        read_trust_file(text, "trust.yaml")
    assert by_reader.value.line == by_schema.value.line == 4
