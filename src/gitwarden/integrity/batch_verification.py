"""Checking many signatures at once on every core, for the schemes that want it.

Signature verification is the one CPU-bound step of `gitwarden verify` (an ed25519 check
costs far more than reading the commit), and ``cryptography`` holds the GIL while it works,
so threads do not help. For large batches a scheme's ``check`` runs ahead in forked worker
processes; each outcome is handed back to the run's scheme instance (``accept``), which
consumes it once in its ``verify`` and still requires the signing key to be the policy's.
Small batches, and platforms without ``fork``, are verified in-line.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

MIN_BATCH = 2000
CHUNK = 250
Item = tuple[bytes, bytes, str]  # payload, armored signature, namespace
Check = Callable[[bytes, bytes, str], Any]  # a module-level function: workers receive it


def _check_chunk(check: Check, chunk: Sequence[Item]) -> list[Any]:
    return [check(payload, signature, namespace) for payload, signature, namespace in chunk]


def check_ahead(
    items: Sequence[Item],
    check: Check,
    accept: Callable[[Item, Any], None],
    *,
    min_batch: int = MIN_BATCH,
) -> Iterator[int]:
    """Run ``check`` over ``items`` ahead, in parallel, handing each outcome to ``accept``.

    The work starts at once; the returned iterator yields, in order, how many of ``items``
    (from the start) have been accepted, so the caller may judge those while the rest are
    checked. It yields nothing when the batch is to be verified in-line.
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
    futures = [pool.submit(_check_chunk, check, chunk) for chunk in chunks]
    return _collect(accept, pool, chunks, futures)


def _collect(
    accept: Callable[[Item, Any], None],
    pool: ProcessPoolExecutor,
    chunks: list[Sequence[Item]],
    futures: list[Future[list[Any]]],
) -> Iterator[int]:
    done = 0
    try:
        for chunk, future in zip(chunks, futures, strict=True):
            for item, outcome in zip(chunk, future.result(), strict=True):
                accept(item, outcome)
            done += len(chunk)
            yield done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ChecksAhead:
    """How far the checking ahead has got, per batch: a commit is judged once the batch
    holding its signature has been checked up to it."""

    def __init__(self) -> None:
        self._batches: list[_Batch] = []
        self._place: dict[str, tuple[_Batch, int]] = {}

    def add(self, keys: Sequence[str], ready: Iterator[int]) -> None:
        """``keys`` name the items of one batch, in order; ``ready`` is its progress."""
        batch = _Batch(ready, len(keys))
        self._batches.append(batch)
        for index, key in enumerate(keys):
            self._place[key] = (batch, index)

    def wait_for(self, key: str) -> None:
        """Return once the item ``key`` (if it was checked ahead) has its outcome."""
        place = self._place.get(key)
        if place is None:
            return
        batch, index = place
        while index >= batch.checked:
            batch.checked = next(batch.ready, batch.size)

    def finish(self) -> None:
        """Let every batch run to its end (its worker pool shuts down with it)."""
        for batch in self._batches:
            for _ in batch.ready:
                pass


class _Batch:
    __slots__ = ("checked", "ready", "size")

    def __init__(self, ready: Iterator[int], size: int) -> None:
        self.ready = ready
        self.size = size
        self.checked = 0
