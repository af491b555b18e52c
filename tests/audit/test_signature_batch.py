from __future__ import annotations

import base64

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


def test_signature_that_is_not_base64_is_bad(writer: KeyPair) -> None:
    jobs, keys = _jobs(writer, 2, set())
    jobs[1] = SignatureJob(2, jobs[1].key_id, jobs[1].entry_hash, "%%%")
    assert invalid_signatures(jobs, keys) == [2]
