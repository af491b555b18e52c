"""The published trust.yaml schema against the policy reader `integrity.trust_file`: same verdicts.

Both read through the one declaration (`integrity.trust_schema`). Each accepted policy is one
the integrity tests or the README's `gitwarden trust` commands write; each refused one is
refused at the same line and key.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from schema_samples import as_json

from gitwarden.cli import main
from gitwarden.commands.schema import schema
from gitwarden.config_schema.trust_yaml import read_trust_file
from gitwarden.errors import ConfigError
from gitwarden.integrity.trust_file import parse_trust_policy
from integrity.integrity_fixtures import gpg_key, ssh_key

NAME = "trust.yaml"


def ssh_public_line(folder: Path, name: str) -> str:
    return ssh_key(folder, name).public_line


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("keys")
    return {name: ssh_public_line(folder, name) for name in ("alice", "bob")}


def dumped(document: dict[str, object]) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def written_by_the_integrity_tests(keys: dict[str, str]) -> dict[str, str]:
    """The shapes of trust.yaml that tests/integrity commit, by the helper that writes each."""
    alice, bob = keys["alice"], keys["bob"]
    dated = {n: {"ssh_keys": [{"key": keys[n], "added": "2026-01-01"}]} for n in keys}
    prod = {"branches": ["main"], "paths": ["clusters/prod/**"], "principals": ["alice"]}
    return {
        "trust_yaml": dumped(
            {
                "version": 1,
                "principals": {"alice": {"ssh_keys": [alice]}},
                "rules": [{"branches": ["main"], "principals": ["alice"]}],
            }
        ),
        "policy_text": dumped({"version": 1, "principals": dated, "rules": [prod]}),
        "revoked_principal": dumped(
            {"version": 1, "principals": dated, "rules": [prod], "revoked": [{"principal": "bob"}]}
        ),
        "validity_window": dumped(
            {
                "version": 1,
                "max_key_age_days": 30,
                "principals": {
                    "bob": {
                        "ssh_keys": [
                            {
                                "key": bob,
                                "added": "2026-01-01",
                                "valid_after": "2000-01-01",
                                "valid_before": "2999-01-01",
                            }
                        ]
                    }
                },
                "rules": [],
            }
        ),
        "hooks": dumped(
            {
                "version": 1,
                "principals": {n: {"ssh_keys": [keys[n]]} for n in keys},
                "rules": [
                    {"branches": ["main"], "paths": ["clusters/prod/**", ".gitwarden/**"]},
                    {"branches": ["main"], "principals": ["alice", "bob"]},
                ],
                "protected_refs": ["refs/heads/main", "refs/tags/*"],
            }
        ),
        "ledger": dumped(
            {
                "version": 1,
                "principals": {n: {"ssh_keys": [keys[n]]} for n in keys},
                "rules": [{"branches": ["main", "release/*"], "principals": ["alice"]}],
                "ledger_recorders": ["alice"],
            }
        ),
    }


def authored_with_the_readme_commands(tmp_path: Path) -> str:
    """The README's `gitwarden trust` walk-through, run for real; the file it leaves."""
    folder = tmp_path / "keys"
    for name in ("alice", "bob"):
        ssh_public_line(folder, name)
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    r = str(repo)
    for command in (
        ["trust", "init", "--max-key-age", "365"],
        ["trust", "add", "alice", "--key", str(folder / "alice.pub")],
        ["trust", "add", "bob", "--key", str(folder / "bob.pub")],
        ["trust", "allow", "alice", "--branch", "main"],
        ["trust", "allow", "alice", "--branch", "main", "--path", "clusters/prod/**"],
        ["trust", "allow", "alice", "--branch", "main", "--path", "apps/**"],
        ["trust", "allow", "bob", "--branch", "main", "--path", "apps/**", "--threshold", "2"],
        ["trust", "revoke", "bob", "--reason", "laptop stolen"],
    ):
        assert main([*command, "--repo", r]) == 0, command
    return (repo / ".gitwarden" / "trust.yaml").read_text()


def test_schema_accepts_every_policy_the_integrity_tests_write(keys: dict[str, str]) -> None:
    for label, text in written_by_the_integrity_tests(keys).items():
        parse_trust_policy(text, NAME)  # the reader accepts it: the sample is real
        assert read_trust_file(text, NAME).version == 1, label


def test_schema_accepts_the_policy_the_readme_commands_author(tmp_path: Path) -> None:
    text = authored_with_the_readme_commands(tmp_path)
    policy = parse_trust_policy(text, NAME)
    parsed = read_trust_file(text, NAME)
    assert sorted(parsed.principals) == sorted(p.name for p in policy.principals)
    assert len(parsed.rules) == len(policy.rules) and len(parsed.revoked) == 1


def test_schema_accepts_an_openpgp_certificate(tmp_path: Path) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    _, cert = gpg_key(home, "dora@example.com")
    text = dumped(
        {
            "version": 1,
            "principals": {"dora": {"openpgp_certs": [cert]}},
            "rules": [{"branches": ["main"], "principals": ["dora"]}],
        }
    )
    parse_trust_policy(text, NAME)
    assert read_trust_file(text, NAME).principals["dora"].openpgp_certs[0].cert == cert.strip()


REFUSED = {
    "unknown-principal": (
        "version: 1\nprincipals: {}\nrules:\n  - branches: [main]\n    principals: [nobody]\n"
    ),
    "unknown-key": "version: 1\nprincipal: {}\n",
    "bad-ssh-key": "version: 1\nprincipals:\n  a:\n    ssh_keys: ['ssh-ed25519 @@@']\n",
    "bad-openpgp-cert": "principals:\n  a:\n    openpgp_certs: [not a cert]\n",
    "invalid-yaml": "rules: [unclosed",
    "unsupported-version": "version: 2\n",
    "no-branch": "rules:\n  - principals: []\n",
    "threshold-above-principals": (
        "principals: {a: {}}\nrules:\n  - branches: [main]\n    principals: [a]\n    threshold: 2\n"
    ),
    "negative-age": "max_key_age_days: -1\n",
    "revocation-without-target": "revoked:\n  - reason: left\n",
    "misspelt-rule-key": "rules:\n  - branches: [main]\n    treshold: 1\n",
    "unknown-recorder": "principals: {a: {}}\nledger_recorders: [b]\n",
    "bad-date": "revoked:\n  - principal: a\n    revoked_on: someday\n",
    "principals-not-a-mapping": "principals: [alice]\n",
    "bad-ref-glob": "protected_refs: ['[z-a]']\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_schema_refuses_what_the_reader_refuses_at_the_same_line_and_key(text: str) -> None:
    with pytest.raises(ConfigError) as by_reader:
        parse_trust_policy(text, NAME)
    with pytest.raises(ConfigError) as by_schema:
        read_trust_file(text, NAME)
    assert (by_schema.value.line, by_schema.value.key) == (
        by_reader.value.line,
        by_reader.value.key,
    )


def test_misspelt_key_is_refused_with_the_key_probably_meant() -> None:
    with pytest.raises(ConfigError) as caught:
        read_trust_file(REFUSED["misspelt-rule-key"], NAME)
    assert caught.value.hint == "did you mean 'threshold'?"


def test_published_json_schema_accepts_what_the_integrity_tests_write(
    keys: dict[str, str],
) -> None:
    published = schema("trust").document
    for text in written_by_the_integrity_tests(keys).values():
        jsonschema.validate(as_json(text), dict(published))


def test_published_json_schema_accepts_the_policy_the_readme_commands_author(
    tmp_path: Path,
) -> None:
    text = authored_with_the_readme_commands(tmp_path)
    jsonschema.validate(as_json(text), dict(schema("trust").document))


def test_published_json_schema_refuses_an_unknown_key() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1, "principal": {}}, dict(schema("trust").document))
