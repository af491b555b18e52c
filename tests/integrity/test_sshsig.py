"""SSH commit signatures: our verdict must agree with `git verify-commit` on real commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from integrity_fixtures import commit, git, make_repo, ssh_key, trust_yaml

from gitwarden.commands.verify import verify
from gitwarden.integrity.signature_scheme import SignatureError, TrustedKey
from gitwarden.integrity.ssh_wire import wire_string
from gitwarden.integrity.sshsig import SshSignatureScheme, parse_sshsig
from gitwarden.integrity.sshsig_signing import (
    armor,
    load_private_key,
    public_key_of,
    sign_in_process,
)
from gitwarden.sources.git_commits import parse_commit
from gitwarden.sources.git_repository import GitRepository

KEY_TYPES = [
    ("ed25519", None),
    ("ecdsa", 256),
    ("ecdsa", 384),
    ("ecdsa", 521),
    ("rsa", 3072),
]


def git_verifies(repo: Path, oid: str, allowed_signers: Path) -> bool:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            f"gpg.ssh.allowedSignersFile={allowed_signers}",
            "verify-commit",
            oid,
        ],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null"},
        check=False,
    )
    return done.returncode == 0


def signed_repo(tmp_path: Path, key_type: str, bits: int | None) -> tuple[Path, str, Path]:
    key = ssh_key(tmp_path / "keys", "signer", key_type, bits)
    repo = make_repo(tmp_path / "repo")
    policy = trust_yaml(
        {"signer": [key.public_line]}, [{"branches": ["main"], "principals": ["signer"]}]
    )
    oid = commit(repo, {".gitwarden/trust.yaml": policy}, "init", key)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"signer {key.public_line}\n")
    return repo, oid, allowed


@pytest.mark.parametrize(("key_type", "bits"), KEY_TYPES)
def test_valid_signature_agrees_with_git(tmp_path: Path, key_type: str, bits: int | None) -> None:
    repo, oid, allowed = signed_repo(tmp_path, key_type, bits)
    report = verify(repo)
    assert git_verifies(repo, oid, allowed)
    assert [f.rule_id for f in report.findings] == ["trust-on-first-use"]


@pytest.mark.parametrize(("key_type", "bits"), KEY_TYPES)
def test_altered_commit_fails_like_git(tmp_path: Path, key_type: str, bits: int | None) -> None:
    repo, oid, allowed = signed_repo(tmp_path, key_type, bits)
    raw = git(repo, "cat-file", "commit", oid) + "\n"
    forged = raw.replace("\ninit", "\ninit (altered)")
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
    report = verify(
        repo,
    )
    assert not git_verifies(repo, forged_oid, allowed)
    assert "bad-signature" in [f.rule_id for f in report.findings]


def test_unknown_key_fails_like_git(tmp_path: Path) -> None:
    repo, _, allowed = signed_repo(tmp_path, "ed25519", None)
    stranger = ssh_key(tmp_path / "keys", "stranger")
    oid = commit(repo, {"a.txt": "a"}, "by a stranger", stranger)
    report = verify(repo)
    assert not git_verifies(repo, oid, allowed)
    assert [f.rule_id for f in report.findings if f.details.get("commit") == oid] == [
        "unknown-signer"
    ]


def _commit_signature(repo: Path, oid: str) -> tuple[bytes, bytes]:
    obj = GitRepository(repo).read_object(oid)
    signed = parse_commit(oid, obj.data).signed
    assert signed.signature is not None
    return signed.payload, signed.signature


def _resign_rsa(
    key_file: Path, payload: bytes, algorithm: str, digest: hashes.HashAlgorithm
) -> bytes:
    """An SSHSIG made with the RSA key and the given signature algorithm, in-process."""
    from gitwarden.integrity.sshsig import MAGIC, signed_data

    private = load_private_key(key_file)
    assert private is not None
    message = signed_data(b"git", "sha512", payload)
    raw = private.sign(message, padding.PKCS1v15(), digest)  # type: ignore[union-attr,call-arg]
    blob = (
        MAGIC
        + (1).to_bytes(4, "big")
        + wire_string(public_key_of(private).blob)
        + wire_string(b"git")
        + wire_string(b"")
        + wire_string(b"sha512")
        + wire_string(wire_string(algorithm.encode()) + wire_string(raw))
    )
    return armor(blob)


def ssh_keygen_verifies(tmp_path: Path, public_line: str, payload: bytes, signature: bytes) -> bool:
    (tmp_path / "signers").write_text(f"signer {public_line}\n")
    (tmp_path / "sig").write_bytes(signature)
    done = subprocess.run(
        [
            "ssh-keygen",
            "-Y",
            "verify",
            "-f",
            str(tmp_path / "signers"),
            "-I",
            "signer",
            "-n",
            "git",
            "-s",
            str(tmp_path / "sig"),
        ],
        input=payload,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.mark.parametrize(
    ("algorithm", "digest", "accepted"),
    [
        ("rsa-sha2-256", hashes.SHA256(), True),
        ("rsa-sha2-512", hashes.SHA512(), True),
        ("ssh-rsa", hashes.SHA1(), False),
    ],
)
def test_rsa_signature_algorithms_agree_with_ssh_keygen(
    tmp_path: Path, algorithm: str, digest: hashes.HashAlgorithm, accepted: bool
) -> None:
    key = ssh_key(tmp_path / "keys", "rsa", "rsa", 3072)
    payload = b"tree 0000\n\nmessage\n"
    signature = _resign_rsa(key.private, payload, algorithm, digest)
    trusted = TrustedKey("ssh", "", parse_sshsig(signature).public_key)
    assert ssh_keygen_verifies(tmp_path, key.public_line, payload, signature) is accepted
    if accepted:
        SshSignatureScheme().verify(payload, signature, trusted, namespace="git")
    else:
        with pytest.raises(SignatureError, match="SHA-1"):
            SshSignatureScheme().verify(payload, signature, trusted, namespace="git")


def test_signature_for_another_namespace_is_refused(tmp_path: Path) -> None:
    key = ssh_key(tmp_path / "keys", "k")
    private = load_private_key(key.private)
    assert private is not None
    signature = sign_in_process(private, b"payload", "file")
    trusted = TrustedKey("ssh", "", public_key_of(private).blob)
    with pytest.raises(SignatureError, match="namespace"):
        SshSignatureScheme().verify(b"payload", signature, trusted, namespace="git")


@pytest.mark.parametrize(("key_type", "bits"), KEY_TYPES)
def test_in_process_signatures_verify_with_ssh_keygen(
    tmp_path: Path, key_type: str, bits: int | None
) -> None:
    key = ssh_key(tmp_path / "keys", "k", key_type, bits)
    private = load_private_key(key.private)
    assert private is not None
    signature = sign_in_process(private, b"payload\n", "git")
    assert ssh_keygen_verifies(tmp_path, key.public_line, b"payload\n", signature)
