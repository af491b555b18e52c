"""A signature scheme is one module plus one line in the registry: shown with a test-only one.

The toy scheme below "signs" by naming its key and the payload's SHA-256: worthless as
cryptography, enough to show that the trust policy reads its keys, the signer check finds and
verifies them, and nothing else in gitwarden had to change.
"""

from __future__ import annotations

import hashlib

import pytest

from gitwarden.integrity import schemes
from gitwarden.integrity.schemes import SCHEME_TYPES, SchemeSet
from gitwarden.integrity.signature_scheme import (
    KeyFormat,
    ParsedKey,
    SignatureError,
    SignatureInfo,
    TrustedKey,
)
from gitwarden.integrity.signer_check import check_signer
from gitwarden.integrity.trust_file import dump_trust_policy, parse_trust_policy

BEGIN = b"-----BEGIN TOY SIGNATURE-----\n"


class ToySignatureScheme:
    name = "toy"
    key_format = KeyFormat("toy_keys", "key", "a toy key")

    def recognises(self, signature: bytes) -> bool:
        return signature.startswith(BEGIN)

    def inspect(self, signature: bytes) -> SignatureInfo:
        key, _, _ = signature[len(BEGIN) :].decode().partition(":")
        return SignatureInfo("toy", (f"TOY:{key}",), "sha256")

    def verify(self, payload: bytes, signature: bytes, key: TrustedKey, *, namespace: str) -> None:
        expected = BEGIN + key.material + b":" + hashlib.sha256(payload).hexdigest().encode()
        if signature != expected:
            raise SignatureError("the toy signature does not match")

    def holds(self, key: TrustedKey, info: SignatureInfo) -> bool:
        return key.fingerprint in info.key_ids

    def signing_key(self, key: TrustedKey, info: SignatureInfo) -> str:
        return key.fingerprint

    def recognises_key(self, text: str) -> bool:
        return text.startswith("toy-")

    def parse_key(self, text: str) -> ParsedKey:
        if not text.startswith("toy-"):
            raise SignatureError("not a toy key")
        return ParsedKey(f"TOY:{text}", text.encode(), text)


def toy_sign(key: str, payload: bytes) -> bytes:
    return BEGIN + key.encode() + b":" + hashlib.sha256(payload).hexdigest().encode()


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schemes, "SCHEME_TYPES", (*SCHEME_TYPES, ToySignatureScheme))


POLICY = "version: 1\nprincipals:\n  tina:\n    toy_keys: [toy-tina]\n"


@pytest.mark.parametrize(
    ("signature", "problem"),
    [(toy_sign("toy-tina", b"payload"), None), (toy_sign("toy-tina", b"other"), "bad-signature")],
    ids=["valid", "altered"],
)
def test_registered_scheme_is_read_from_the_policy_and_verified(
    registered: None, signature: bytes, problem: str | None
) -> None:
    policy = parse_trust_policy(POLICY, "trust.yaml")
    check = check_signer(b"payload", signature, policy, signed_at=0)
    assert (check.problem.id if check.problem else None) == problem


def test_registered_scheme_keys_are_written_back(registered: None) -> None:
    policy = parse_trust_policy(POLICY, "trust.yaml")
    assert parse_trust_policy(dump_trust_policy(policy), "trust.yaml") == policy


def test_unregistered_scheme_is_an_unknown_policy_key() -> None:
    from gitwarden.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown key"):
        parse_trust_policy(POLICY, "trust.yaml")


def test_each_run_gets_its_own_scheme_instances() -> None:
    first, second = SchemeSet(), SchemeSet()
    assert first.ssh is not second.ssh
    assert [s.name for s in first.schemes] == ["ssh", "openpgp"]
