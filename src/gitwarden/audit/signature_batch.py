"""Check many entry signatures at once, on every core: Ed25519 verification is most of the
cost of verifying a long trail, and it holds the GIL, so threads would not help."""

from __future__ import annotations

import base64
import binascii
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gitwarden.audit.chain import signed_message

# Below this many signatures, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4096
MAX_WORKERS = 8


@dataclass(frozen=True)
class SignatureJob:
    """One entry's signature to check: its position, signer, hash and base64 signature."""

    seq: int
    key_id: str
    entry_hash: str
    signature: str


def _bad_in(jobs: Sequence[SignatureJob], raw_keys: Mapping[str, bytes]) -> list[int]:
    keys = {key_id: Ed25519PublicKey.from_public_bytes(raw) for key_id, raw in raw_keys.items()}
    bad = []
    for job in jobs:
        try:
            signature = base64.b64decode(job.signature, validate=True)
            keys[job.key_id].verify(signature, signed_message(job.entry_hash))
        except (InvalidSignature, binascii.Error, ValueError):
            bad.append(job.seq)
    return bad


def invalid_signatures(
    jobs: Sequence[SignatureJob], raw_keys: Mapping[str, bytes], *, workers: int | None = None
) -> list[int]:
    """The ``seq`` of every job whose signature does not verify under ``raw_keys[key_id]``.

    ``raw_keys`` maps a key id to its 32-byte Ed25519 public key; every job's key must be there.
    """
    cores = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    if cores <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        return _bad_in(jobs, raw_keys)
    size = -(-len(jobs) // (cores * 4))
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    # fork: the workers need nothing but this module, already imported.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=cores, mp_context=context) as pool:
        results = pool.map(_bad_in, chunks, [raw_keys] * len(chunks))
        return sorted(seq for bad in results for seq in bad)
