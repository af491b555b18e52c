"""Real Ed25519 keys (ssh-keygen and PEM files) and a sample decision predicate."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gitwarden.attestation.decision_predicate import (
    CheckResult,
    CommitRecord,
    DecisionPredicate,
    ImageRecord,
)

REVISION = "3f2a1c" + "0" * 34


@dataclass(frozen=True)
class KeyFiles:
    private: Path
    public: Path


def ssh_keys(folder: Path, name: str, key_type: str = "ed25519") -> KeyFiles:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", name, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return KeyFiles(private, folder / f"{name}.pub")


def pem_keys(folder: Path, name: str) -> KeyFiles:
    folder.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return KeyFiles(private, public)


ALLOW = DecisionPredicate(
    repository="git@example.com:org/deploy.git",
    revision=REVISION,
    environment="prod",
    decision="allow",
    decided_at="2026-12-01T08:00:00Z",
    gitwarden_version="0.1.0",
    tree="b" * 40,
    checks=(CheckResult("signatures", "pass", "12 commits signed"), CheckResult("secrets", "pass")),
    commits=(CommitRecord(REVISION, "alice", "alice@example.com", "bump image"),),
    images=(ImageRecord("sha256:" + "c" * 64, "registry.example/app:1.2"),),
)
DENY = replace(
    ALLOW, decision="deny", reasons=("2 unsigned commits", "review: needs product owner")
)
