"""Making SSH signatures: in-process for unencrypted key files, else with ``ssh-keygen -Y sign``.

``ssh-keygen`` is only used on keys the user names (their own signing key, which may live in
an agent); it never runs on anything taken from a scanned repository.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
import textwrap
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from gitwarden.errors import UsageError
from gitwarden.integrity.ssh_wire import (
    SshPublicKey,
    parse_public_key_line,
    wire_mpint,
    wire_string,
)
from gitwarden.integrity.sshsig import BEGIN, END, MAGIC, signed_data

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
_CURVE_NAMES = {"secp256r1": "nistp256", "secp384r1": "nistp384", "secp521r1": "nistp521"}
_CURVE_HASHES = {
    "secp256r1": hashes.SHA256(),
    "secp384r1": hashes.SHA384(),
    "secp521r1": hashes.SHA512(),
}


def public_key_of(private_key: PrivateKey) -> SshPublicKey:
    line = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )
    return parse_public_key_line(line)


def armor(blob: bytes) -> bytes:
    body = "\n".join(textwrap.wrap(base64.b64encode(blob).decode(), 70))
    return BEGIN + b"\n" + body.encode() + b"\n" + END + b"\n"


def raw_signature(private_key: PrivateKey, message: bytes) -> bytes:
    """The SSH signature blob (algorithm name + signature) over ``message``."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return wire_string(b"ssh-ed25519") + wire_string(private_key.sign(message))
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        curve = private_key.curve.name
        der = private_key.sign(message, ec.ECDSA(_CURVE_HASHES[curve]))
        r, s = decode_dss_signature(der)
        name = f"ecdsa-sha2-{_CURVE_NAMES[curve]}".encode()
        return wire_string(name) + wire_string(wire_mpint(r) + wire_mpint(s))
    signature = private_key.sign(message, padding.PKCS1v15(), hashes.SHA512())
    return wire_string(b"rsa-sha2-512") + wire_string(signature)


def sign_in_process(private_key: PrivateKey, payload: bytes, namespace: str) -> bytes:
    """An armored SSHSIG over ``payload`` (sha512 message hash, as ssh-keygen makes)."""
    message = signed_data(namespace.encode(), "sha512", payload)
    blob = (
        MAGIC
        + (1).to_bytes(4, "big")
        + wire_string(public_key_of(private_key).blob)
        + wire_string(namespace.encode())
        + wire_string(b"")
        + wire_string(b"sha512")
        + wire_string(raw_signature(private_key, message))
    )
    return armor(blob)


def load_private_key(path: Path) -> PrivateKey | None:
    """The unencrypted OpenSSH private key in ``path``; None when it is not one."""
    try:
        key = serialization.load_ssh_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError):
        return None
    if isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return key
    return None


def sign_file_key(key_file: Path, payload: bytes, namespace: str) -> bytes:
    """Sign with the key in ``key_file`` (a private key, or a public key held by ssh-agent)."""
    if not key_file.is_file():
        raise UsageError(f"signing key {key_file}: no such file")
    private_key = load_private_key(key_file)
    if private_key is not None:
        return sign_in_process(private_key, payload, namespace)
    with tempfile.TemporaryDirectory() as folder:
        message = Path(folder) / "message"
        message.write_bytes(payload)
        done = subprocess.run(
            ["ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", str(key_file), str(message)],
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        signature = Path(folder) / "message.sig"
        if done.returncode != 0 or not signature.exists():
            reason = done.stderr.decode("utf-8", "replace").strip()
            raise UsageError(f"signing with {key_file} failed: {reason}")
        return signature.read_bytes()


def signer_public_key(key_file: Path) -> SshPublicKey:
    private_key = load_private_key(key_file)
    if private_key is not None:
        return public_key_of(private_key)
    public_file = (
        key_file if key_file.suffix == ".pub" else key_file.with_name(key_file.name + ".pub")
    )
    try:
        return parse_public_key_line(public_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"signing key {key_file}: cannot read its public key ({error})") from None
