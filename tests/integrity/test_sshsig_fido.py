"""FIDO (sk-) SSH signatures, per PROTOCOL.u2f.

There is no authenticator on this machine, so each test builds what one would produce: a key
pair made in-process with ``cryptography`` (ed25519 or P-256), the sk- public key blob with its
application string, and a signature over ``SHA256(application) || flags || counter ||
SHA256(sshsig data)``. `ssh-keygen -Y verify` (which verifies sk signatures in software)
judges the same signatures, and our verdict must agree.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from gitwarden.integrity.signature_scheme import SignatureError, TrustedKey
from gitwarden.integrity.ssh_wire import SshPublicKey, wire_mpint, wire_string
from gitwarden.integrity.sshsig import MAGIC, SshSignatureScheme, signed_data
from gitwarden.integrity.sshsig_signing import armor

APPLICATION = b"ssh:"
USER_PRESENT = 0x01
PAYLOAD = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbad4904\n\nsigned by a security key\n"


def sk_signature(kind: str, flags: int, payload: bytes = PAYLOAD) -> tuple[SshPublicKey, bytes]:
    if kind == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
        name = b"sk-ssh-ed25519@openssh.com"
        raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        blob = wire_string(name) + wire_string(raw_public) + wire_string(APPLICATION)
    else:
        private_ec = ec.generate_private_key(ec.SECP256R1())
        name = b"sk-ecdsa-sha2-nistp256@openssh.com"
        point = private_ec.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        blob = wire_string(name) + wire_string(b"nistp256") + wire_string(point)
        blob += wire_string(APPLICATION)
    counter = 7
    message = signed_data(b"git", "sha512", payload)
    to_sign = (
        hashlib.sha256(APPLICATION).digest()
        + bytes([flags])
        + counter.to_bytes(4, "big")
        + hashlib.sha256(message).digest()
    )
    if kind == "ed25519":
        inner = private.sign(to_sign)
    else:
        r, s = decode_dss_signature(private_ec.sign(to_sign, ec.ECDSA(hashes.SHA256())))
        inner = wire_mpint(r) + wire_mpint(s)
    signature_blob = (
        wire_string(name) + wire_string(inner) + bytes([flags]) + counter.to_bytes(4, "big")
    )
    sshsig = (
        MAGIC
        + (1).to_bytes(4, "big")
        + wire_string(blob)
        + wire_string(b"git")
        + wire_string(b"")
        + wire_string(b"sha512")
        + wire_string(signature_blob)
    )
    return SshPublicKey(name.decode(), blob), armor(sshsig)


def ssh_keygen_verifies(
    tmp_path: Path, key: SshPublicKey, signature: bytes, payload: bytes
) -> bool:
    (tmp_path / "signers").write_text(f"signer {key.line}\n")
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


def ours_verifies(key: SshPublicKey, signature: bytes, payload: bytes) -> bool:
    try:
        SshSignatureScheme().verify(
            payload, signature, TrustedKey("ssh", key.fingerprint, key.blob), namespace="git"
        )
    except SignatureError:
        return False
    return True


@pytest.mark.parametrize("kind", ["ed25519", "ecdsa"])
@pytest.mark.parametrize(
    ("payload", "valid"),
    [(PAYLOAD, True), (PAYLOAD + b"altered", False)],
    ids=["intact", "altered-payload"],
)
def test_fido_signature_verdict_agrees_with_ssh_keygen(
    tmp_path: Path, kind: str, payload: bytes, valid: bool
) -> None:
    key, signature = sk_signature(kind, USER_PRESENT)
    assert ssh_keygen_verifies(tmp_path, key, signature, payload) is valid
    assert ours_verifies(key, signature, payload) is valid


@pytest.mark.parametrize("kind", ["ed25519", "ecdsa"])
def test_fido_signature_without_user_presence_is_refused(tmp_path: Path, kind: str) -> None:
    # Deliberately stricter than ssh-keygen, which accepts it: a signature the authenticator
    # made without a touch could come from malware driving a plugged-in key.
    key, signature = sk_signature(kind, 0x00)
    assert ssh_keygen_verifies(tmp_path, key, signature, PAYLOAD)
    assert not ours_verifies(key, signature, PAYLOAD)


def webauthn_signature(
    payload: bytes = PAYLOAD, challenge_of: bytes | None = None
) -> tuple[SshPublicKey, bytes]:
    """What a security key makes through a browser's WebAuthn API (PROTOCOL.u2f): the key
    signs SHA256(application) || flags || counter || extensions || SHA256(clientData), and
    clientData carries the base64url of the SSHSIG data as its challenge."""
    private = ec.generate_private_key(ec.SECP256R1())
    name = b"sk-ecdsa-sha2-nistp256@openssh.com"
    point = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    blob = wire_string(name) + wire_string(b"nistp256") + wire_string(point)
    blob += wire_string(APPLICATION)
    message = signed_data(b"git", "sha512", payload)
    challenge = base64.urlsafe_b64encode(challenge_of or message).rstrip(b"=")
    origin = b"https://example.com"
    client_data = (
        b'{"type":"webauthn.get","challenge":"' + challenge + b'","origin":"' + origin + b'"}'
    )
    counter = 9
    to_sign = (
        hashlib.sha256(APPLICATION).digest()
        + bytes([USER_PRESENT])
        + counter.to_bytes(4, "big")
        + hashlib.sha256(client_data).digest()
    )
    r, s = decode_dss_signature(private.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    signature_blob = (
        wire_string(b"webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
        + wire_string(wire_mpint(r) + wire_mpint(s))
        + bytes([USER_PRESENT])
        + counter.to_bytes(4, "big")
        + wire_string(origin)
        + wire_string(client_data)
        + wire_string(b"")
    )
    sshsig = (
        MAGIC
        + (1).to_bytes(4, "big")
        + wire_string(blob)
        + wire_string(b"git")
        + wire_string(b"")
        + wire_string(b"sha512")
        + wire_string(signature_blob)
    )
    return SshPublicKey(name.decode(), blob), armor(sshsig)


@pytest.mark.parametrize(
    ("payload", "challenge_of", "valid"),
    [
        (PAYLOAD, None, True),
        (PAYLOAD + b"altered", None, False),
        (PAYLOAD, b"some other challenge", False),
    ],
    ids=["intact", "altered-payload", "foreign-challenge"],
)
def test_webauthn_signature_verdict_agrees_with_ssh_keygen(
    tmp_path: Path, payload: bytes, challenge_of: bytes | None, valid: bool
) -> None:
    key, signature = webauthn_signature(challenge_of=challenge_of)
    assert ssh_keygen_verifies(tmp_path, key, signature, payload) is valid
    assert ours_verifies(key, signature, payload) is valid


def test_signature_by_an_unsupported_key_type_is_reported_as_such() -> None:
    from gitwarden.integrity.signer_check import check_signer
    from gitwarden.integrity.trust_policy import TrustPolicy

    dss_key = wire_string(b"ssh-dss") + b"".join(wire_mpint(v) for v in (7, 5, 3, 2))
    sshsig = (
        MAGIC
        + (1).to_bytes(4, "big")
        + wire_string(dss_key)
        + wire_string(b"git")
        + wire_string(b"")
        + wire_string(b"sha512")
        + wire_string(wire_string(b"ssh-dss") + wire_string(b"\x00" * 40))
    )
    check = check_signer(PAYLOAD, armor(sshsig), TrustPolicy(), signed_at=0)
    assert check.problem is not None
    assert check.problem.id == "unsupported-signature-scheme"
    assert "ssh-dss" in check.reason
