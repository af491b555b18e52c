"""Verifying many SSH signatures at once on every core.

Signature verification is the one CPU-bound step of `gitwarden verify` (an ed25519 check
costs far more than reading the commit), and ``cryptography`` holds the GIL while it works,
so threads do not help. For large batches the signatures are checked ahead in forked worker
processes; each outcome is handed to the run's ``SshSignatureScheme``, keyed by (namespace,
signature, payload) and consumed once by its ``verify``, which still requires the embedded key
to be the policy's key.
Small batches, and platforms without ``fork``, are verified in-line.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from gitwarden.integrity.sshsig import SshSignatureScheme, check

MIN_BATCH = 2000
CHUNK = 250


def _check_chunk(
    chunk: Sequence[tuple[bytes, bytes, str]],
) -> list[tuple[str | None, bytes, str]]:
    return [check(payload, signature, namespace) for payload, signature, namespace in chunk]


def preverify_ssh(
    items: Sequence[tuple[bytes, bytes, str]],
    scheme: SshSignatureScheme,
    *,
    min_batch: int = MIN_BATCH,
) -> Iterator[int]:
    """Check (payload, armored SSH signature, namespace) triples ahead, in parallel.

    The work starts at once; the returned iterator yields, in order, how many of ``items``
    (from the start) have their outcome in ``scheme``, so the caller may judge those while
    the rest are checked. It yields nothing when the batch is to be verified in-line.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < min_batch or workers < 2:
        return iter(())
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return iter(())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    futures = [pool.submit(_check_chunk, chunk) for chunk in chunks]
    return _collect(scheme, pool, chunks, futures)


def _collect(
    scheme: SshSignatureScheme,
    pool: ProcessPoolExecutor,
    chunks: list[Sequence[tuple[bytes, bytes, str]]],
    futures: list[Future[list[tuple[str | None, bytes, str]]]],
) -> Iterator[int]:
    done = 0
    try:
        for chunk, future in zip(chunks, futures, strict=True):
            for item, outcome in zip(chunk, future.result(), strict=True):
                scheme.accept(item, outcome)
            done += len(chunk)
            yield done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
