"""OpenPGP commit signatures made by real gpg: our verdict must agree with `git verify-commit`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml
from integrity_fixtures import commit, git, gpg_key, make_repo

from gitwarden.commands.verify import VerifyOptions, verify, verify_result


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


def faked_gpg(tmp_path: Path, when: str) -> str:
    """A gpg.program that signs as if the clock said ``when`` (gpg --faked-system-time)."""
    script = tmp_path / f"gpg-at-{when}"
    script.write_text(f'#!/bin/sh\nexec gpg --faked-system-time {when}! "$@"\n')
    script.chmod(0o755)
    return f"gpg.program={script}"


def gpg_run(home: Path, *args: str, when: str | None = None) -> str:
    faked = ["--faked-system-time", f"{when}!"] if when else []
    return subprocess.run(
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *faked, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    ).stdout


def git_status(repo: Path, oid: str, home: Path) -> str:
    return git(repo, "log", "-1", "--format=%G?", oid, env={"GNUPGHOME": str(home)})


def keys_file(tmp_path: Path, home: Path, fingerprint: str) -> Path:
    path = tmp_path / "keys.asc"
    path.write_text(gpg_run(home, "--armor", "--export", fingerprint))
    return path


def status_of(repo: Path, keys: Path, oid: str) -> tuple[str, str]:
    result = verify_result(repo, options=VerifyOptions(keys=(str(keys),), use_cache=False))
    [verdict] = [v for v in result.verdicts if v.commit == oid]
    rule = next((f.rule_id for f in result.report.findings if f.details.get("commit") == oid), "")
    return verdict.status.value, rule


def test_certificate_expiry_is_judged_at_the_signature_time(
    tmp_path: Path, gnupghome: Path
) -> None:
    gpg_run(
        gnupghome,
        "--quick-gen-key",
        "old@example.com",
        "ed25519",
        "sign",
        "never",
        when="20240101T000000",
    )
    listing = gpg_run(gnupghome, "--with-colons", "--list-keys", "old@example.com")
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
    )
    repo = make_repo(tmp_path / "repo")
    before = commit(
        repo,
        {"a.txt": "a"},
        "before expiry",
        gpg_key=fingerprint,
        gnupghome=gnupghome,
        extra_config=(faked_gpg(tmp_path, "20240101T010000"),),
    )
    after = commit(
        repo,
        {"b.txt": "b"},
        "after expiry",
        gpg_key=fingerprint,
        gnupghome=gnupghome,
        extra_config=(faked_gpg(tmp_path, "20240104T000000"),),
    )
    # Expiry set on 2 January to 3 January: the second signature came a day too late.
    gpg_run(gnupghome, "--quick-set-expire", fingerprint, "20240103T000000", when="20240102T000000")
    keys = keys_file(tmp_path, gnupghome, fingerprint)
    assert (git_status(repo, before, gnupghome), git_status(repo, after, gnupghome)) == ("Y", "Y")
    assert status_of(repo, keys, before) == ("valid", "")
    assert status_of(repo, keys, after) == ("expired-key", "certificate-expired")


def test_revoked_certificate_fails_its_signatures_like_git(tmp_path: Path, gnupghome: Path) -> None:
    fingerprint, _ = gpg_key(gnupghome, "gone@example.com")
    repo = make_repo(tmp_path / "repo")
    oid = commit(repo, {"a.txt": "a"}, "signed", gpg_key=fingerprint, gnupghome=gnupghome)
    revocation = (gnupghome / "openpgp-revocs.d" / f"{fingerprint}.rev").read_text()
    (tmp_path / "revoke.asc").write_text(revocation.replace(":-----BEGIN", "-----BEGIN"))
    gpg_run(gnupghome, "--import", str(tmp_path / "revoke.asc"))
    keys = keys_file(tmp_path, gnupghome, fingerprint)
    assert git_status(repo, oid, gnupghome) == "R"
    assert status_of(repo, keys, oid) == ("revoked-key", "revoked-key")


def test_forged_commit_by_an_expired_key_stays_bad(tmp_path: Path, gnupghome: Path) -> None:
    gpg_run(
        gnupghome,
        "--quick-gen-key",
        "old@example.com",
        "ed25519",
        "sign",
        "never",
        when="20240101T000000",
    )
    listing = gpg_run(gnupghome, "--with-colons", "--list-keys", "old@example.com")
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
    )
    repo = make_repo(tmp_path / "repo")
    oid = commit(
        repo,
        {"a.txt": "a"},
        "after expiry",
        gpg_key=fingerprint,
        gnupghome=gnupghome,
        extra_config=(faked_gpg(tmp_path, "20240104T000000"),),
    )
    gpg_run(gnupghome, "--quick-set-expire", fingerprint, "20240103T000000", when="20240102T000000")
    forged = (git(repo, "cat-file", "commit", oid) + "\n").replace("after expiry", "forged")
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
    keys = keys_file(tmp_path, gnupghome, fingerprint)
    assert git_status(repo, forged_oid, gnupghome) == "B"
    assert status_of(repo, keys, forged_oid) == ("bad", "bad-signature")
