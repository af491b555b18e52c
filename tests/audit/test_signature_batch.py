from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from audit_fixtures import KeyPair
from cryptography.hazmat.primitives import serialization

from gitwarden.audit.chain import signed_message
from gitwarden.audit.signature_batch import PARALLEL_THRESHOLD, SignatureJob, invalid_signatures


def _jobs(
    writer: KeyPair, count: int, bad: set[int]
) -> tuple[list[SignatureJob], dict[str, bytes]]:
    key = writer.signing_key
    jobs = []
    for seq in range(1, count + 1):
        entry_hash = f"{seq:064x}"
        signed = signed_message(entry_hash if seq not in bad else f"{seq + 1:064x}")
        jobs.append(
            SignatureJob(seq, key.key_id, entry_hash, base64.b64encode(key.sign(signed)).decode())
        )
    raw = key.private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return jobs, {key.key_id: raw}


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "worker-processes"])
def test_every_bad_signature_is_found_whatever_the_workers(writer: KeyPair, workers: int) -> None:
    bad = {3, PARALLEL_THRESHOLD // 2, PARALLEL_THRESHOLD + 7}
    jobs, keys = _jobs(writer, PARALLEL_THRESHOLD + 10, bad)
    assert invalid_signatures(jobs, keys, workers=workers) == sorted(bad)


def _short(signature: str) -> str:
    return base64.b64encode(base64.b64decode(signature)[:63]).decode()


def _long(signature: str) -> str:
    return base64.b64encode(base64.b64decode(signature) + b"\0").decode()


@pytest.mark.parametrize(
    "damage",
    [lambda _: "%%%", _short, _long, lambda s: s + "\n", lambda s: s[:-4] + "AAA="],
    ids=["not-base64", "63-bytes", "65-bytes", "trailing-newline", "altered"],
)
def test_damaged_signature_is_bad(writer: KeyPair, damage: Callable[[str], str]) -> None:
    jobs, keys = _jobs(writer, 2, set())
    jobs[1] = jobs[1]._replace(signature=damage(jobs[1].signature))
    assert invalid_signatures(jobs, keys) == [2]


def test_signature_by_another_key_under_the_same_key_id_is_bad(
    writer: KeyPair, forger: KeyPair
) -> None:
    jobs, keys = _jobs(writer, 2, set())
    forged, _ = _jobs(forger, 2, set())
    jobs[0] = jobs[0]._replace(signature=forged[0].signature)
    assert invalid_signatures(jobs, keys) == [1]


def test_intact_signatures_of_a_small_batch_all_verify(writer: KeyPair) -> None:
    jobs, keys = _jobs(writer, 5, set())
    assert invalid_signatures(jobs, keys) == []
