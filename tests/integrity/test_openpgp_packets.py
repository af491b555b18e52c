"""Loosely sized MPIs are read as gpg reads them; nothing else about a signature changes."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pysequoia
import pytest
from integrity_fixtures import commit, git, make_repo

from gitwarden.commands.verify import VerifyOptions, verify_result
from gitwarden.integrity.openpgp_packets import ArmorError, dearmor_signature, signature_packets
from gitwarden.integrity.signature_verdict import SignatureStatus


def gpg(home: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *args],
        input=data,
        check=True,
        capture_output=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    ).stdout


def crc24(data: bytes) -> int:
    """The armor checksum of RFC 4880 6.1, for armor as gpg writes it."""
    crc = 0xB704CE
    for octet in data:
        crc ^= octet << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armor(packets: bytes) -> bytes:
    body = base64.b64encode(packets).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    checksum = base64.b64encode(crc24(packets).to_bytes(3, "big")).decode()
    text = "\n".join(
        ["-----BEGIN PGP SIGNATURE-----", "", *lines, f"={checksum}", "-----END PGP SIGNATURE-----"]
    )
    return (text + "\n").encode()


def loosen_mpi(packets: bytes) -> bytes:
    """Re-encode a one-packet RSA signature's MPI with 8 leading zero bits, as GitHub's
    web-flow signatures carry them (bit count of a full octet more than the value needs)."""
    assert packets[0] == 0x89  # old-format signature packet, two-octet length: as gpg writes
    start, length = 3, int.from_bytes(packets[1:3], "big")
    body = packets[start : start + length]
    hashed = int.from_bytes(body[4:6], "big")
    unhashed_at = 6 + hashed
    mpi_at = unhashed_at + 2 + int.from_bytes(body[unhashed_at : unhashed_at + 2], "big") + 2
    bits = int.from_bytes(body[mpi_at : mpi_at + 2], "big")
    value = body[mpi_at + 2 :]
    loose = body[:mpi_at] + (bits + 8).to_bytes(2, "big") + b"\x00" + value
    size = len(loose) - 192
    return bytes([0xC2, (size >> 8) + 192, size & 0xFF]) + loose


@pytest.fixture
def rsa_signer(gnupghome: Path) -> tuple[str, str]:
    gpg(gnupghome, "--quick-gen-key", "web-flow@example.com", "rsa2048", "sign", "never")
    listing = gpg(gnupghome, "--with-colons", "--list-keys", "web-flow@example.com").decode()
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
    )
    return fingerprint, gpg(gnupghome, "--armor", "--export", fingerprint).decode()


def rewrite_signature(repo: Path, oid: str, signature: bytes) -> str:
    """A copy of commit ``oid`` carrying ``signature`` instead of its own."""
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", oid], check=True, capture_output=True
    ).stdout
    head, _, message = raw.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.startswith((b"gpgsig", b" "))]
    sig_lines = signature.rstrip(b"\n").split(b"\n")
    header = b"gpgsig " + b"\n ".join(sig_lines)
    data = b"\n".join([*lines, header]) + b"\n\n" + message
    return (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "-t", "commit", "--stdin"],
            input=data,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .strip()
    )


def signed_repo(tmp_path: Path, gnupghome: Path, fingerprint: str) -> tuple[Path, str]:
    repo = make_repo(tmp_path / "repo")
    oid = commit(repo, {"a.txt": "a"}, "signed", gpg_key=fingerprint, gnupghome=gnupghome)
    return repo, oid


def signature_of(repo: Path, oid: str) -> bytes:
    raw = git(repo, "cat-file", "commit", oid)
    block = raw.split("gpgsig ", 1)[1].split("-----END PGP SIGNATURE-----")[0]
    return (block.replace("\n ", "\n") + "-----END PGP SIGNATURE-----\n").encode()


def git_status(repo: Path, oid: str, gnupghome: Path) -> str:
    return git(repo, "log", "-1", "--format=%G?", oid, env={"GNUPGHOME": str(gnupghome)})


def verdict(repo: Path, keys: Path, oid: str) -> SignatureStatus:
    git(repo, "update-ref", "refs/heads/main", oid)
    result = verify_result(repo, options=VerifyOptions(keys=(str(keys),), use_cache=False))
    return next(v.status for v in result.verdicts if v.commit == oid)


def test_loose_mpi_signature_verifies_like_gpg(
    tmp_path: Path, gnupghome: Path, rsa_signer: tuple[str, str]
) -> None:
    fingerprint, cert = rsa_signer
    repo, oid = signed_repo(tmp_path, gnupghome, fingerprint)
    loose = armor(loosen_mpi(dearmor_signature(signature_of(repo, oid))))
    with pytest.raises(Exception, match="Not a signature"):
        pysequoia.Sig.from_bytes(loose)  # what gitwarden used to hand Sequoia directly
    loose_oid = rewrite_signature(repo, oid, loose)
    keys = tmp_path / "keys.asc"
    keys.write_text(cert)
    assert git_status(repo, loose_oid, gnupghome) in ("G", "U")
    assert verdict(repo, keys, loose_oid) is SignatureStatus.VALID


def test_loose_mpi_signature_over_altered_commit_stays_bad_like_gpg(
    tmp_path: Path, gnupghome: Path, rsa_signer: tuple[str, str]
) -> None:
    fingerprint, cert = rsa_signer
    repo, oid = signed_repo(tmp_path, gnupghome, fingerprint)
    loose = armor(loosen_mpi(dearmor_signature(signature_of(repo, oid))))
    loose_oid = rewrite_signature(repo, oid, loose)
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", loose_oid], check=True, capture_output=True
    ).stdout
    forged = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "-t", "commit", "--stdin"],
            input=raw.replace(b"signed", b"forged"),
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .strip()
    )
    keys = tmp_path / "keys.asc"
    keys.write_text(cert)
    assert git_status(repo, forged, gnupghome) == "B"
    assert verdict(repo, keys, forged) is SignatureStatus.BAD


def test_exact_mpis_are_left_byte_for_byte(
    tmp_path: Path, gnupghome: Path, rsa_signer: tuple[str, str]
) -> None:
    fingerprint, _ = rsa_signer
    repo, oid = signed_repo(tmp_path, gnupghome, fingerprint)
    signature = signature_of(repo, oid)
    assert signature_packets(signature) == dearmor_signature(signature)


@pytest.mark.parametrize(
    ("armored", "reason"),
    [
        (b"-----BEGIN PGP SIGNATURE-----\n\nnot base64!\n-----END PGP SIGNATURE-----\n", "base64"),
        (
            b"-----BEGIN PGP SIGNATURE-----\nno header\n\nAAAA\n-----END PGP SIGNATURE-----\n",
            "malformed armor header",
        ),
        (b"-----BEGIN PGP SIGNATURE-----\nAAAA\n", "not an armored"),
    ],
)
def test_malformed_armor_is_refused_with_its_reason(armored: bytes, reason: str) -> None:
    with pytest.raises(ArmorError, match=reason):
        signature_packets(armored)


def test_garbage_signature_finding_has_a_short_reason_without_backtrace(
    tmp_path: Path, rsa_signer: tuple[str, str], gnupghome: Path
) -> None:
    fingerprint, cert = rsa_signer
    repo, oid = signed_repo(tmp_path, gnupghome, fingerprint)
    garbage = armor(b"\xc2\x05\x04garbage")
    bad_oid = rewrite_signature(repo, oid, garbage)
    git(repo, "update-ref", "refs/heads/main", bad_oid)
    keys = tmp_path / "keys.asc"
    keys.write_text(cert)
    report = verify_result(repo, options=VerifyOptions(keys=(str(keys),))).report
    [finding] = [f for f in report.findings if f.rule_id == "bad-signature"]
    assert "backtrace" not in finding.message.lower()
    assert "\n" not in finding.message
    assert len(finding.message) < 240
