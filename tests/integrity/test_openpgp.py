"""OpenPGP commit signatures made by real gpg: our verdict must agree with `git verify-commit`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml
from integrity_fixtures import commit, git, gpg_key, make_repo

from gitwarden.commands.verify import verify


def pgp_policy(certs: dict[str, str]) -> str:
    document = {
        "version": 1,
        "principals": {name: {"openpgp_certs": [cert]} for name, cert in certs.items()},
        "rules": [{"branches": ["main"], "principals": list(certs)}],
    }
    return yaml.safe_dump(document)


def git_verifies(repo: Path, oid: str, gnupghome: Path) -> bool:
    done = subprocess.run(
        ["git", "-C", str(repo), "verify-commit", oid],
        capture_output=True,
        check=False,
        env={**os.environ, "GNUPGHOME": str(gnupghome), "GIT_CONFIG_GLOBAL": "/dev/null"},
    )
    return done.returncode == 0


def rule_ids(repo: Path, oid: str) -> list[str]:
    report = verify(repo)
    return [f.rule_id for f in report.findings if f.details.get("commit") == oid]


def test_gpg_signed_commit_verifies_like_git(tmp_path: Path, gnupghome: Path) -> None:
    fingerprint, cert = gpg_key(gnupghome, "alice@example.com")
    repo = make_repo(tmp_path / "repo")
    commit(
        repo,
        {".gitwarden/trust.yaml": pgp_policy({"alice": cert})},
        "init",
        gpg_key=fingerprint,
        gnupghome=gnupghome,
    )
    oid = commit(repo, {"a.txt": "a"}, "second", gpg_key=fingerprint, gnupghome=gnupghome)
    assert git_verifies(repo, oid, gnupghome)
    assert rule_ids(repo, oid) == []


def test_gpg_commit_altered_after_signing_fails_like_git(tmp_path: Path, gnupghome: Path) -> None:
    fingerprint, cert = gpg_key(gnupghome, "alice@example.com")
    repo = make_repo(tmp_path / "repo")
    commit(
        repo,
        {".gitwarden/trust.yaml": pgp_policy({"alice": cert})},
        "init",
        gpg_key=fingerprint,
        gnupghome=gnupghome,
    )
    oid = commit(repo, {"a.txt": "a"}, "second", gpg_key=fingerprint, gnupghome=gnupghome)
    forged = (git(repo, "cat-file", "commit", oid) + "\n").replace("second", "forged")
    forged_oid = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "-t", "commit", "--stdin"],
            input=forged.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    git(repo, "update-ref", "refs/heads/main", forged_oid)
    assert not git_verifies(repo, forged_oid, gnupghome)
    assert rule_ids(repo, forged_oid) == ["bad-signature"]


def test_gpg_commit_by_cert_outside_policy_is_unknown_signer(
    tmp_path: Path, gnupghome: Path
) -> None:
    alice, alice_cert = gpg_key(gnupghome, "alice@example.com")
    mallory, _ = gpg_key(gnupghome, "mallory@example.com")
    repo = make_repo(tmp_path / "repo")
    commit(
        repo,
        {".gitwarden/trust.yaml": pgp_policy({"alice": alice_cert})},
        "init",
        gpg_key=alice,
        gnupghome=gnupghome,
    )
    oid = commit(repo, {"a.txt": "a"}, "by mallory", gpg_key=mallory, gnupghome=gnupghome)
    assert rule_ids(repo, oid) == ["unknown-signer"]
