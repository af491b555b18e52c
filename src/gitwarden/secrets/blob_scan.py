"""Reading and scanning many blobs, on every core when there are enough of them.

Each worker process reads its share of the blobs through its own `git cat-file --batch` and
scans them with the engine it inherited when forked (compiling patterns again would cost
more than the scan). Only outcomes travel back: hits, sizes, and which blobs were missing.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from gitwarden.secrets.content import scan_content
from gitwarden.secrets.engine import SecretEngine
from gitwarden.secrets.hits import SecretHit
from gitwarden.sources.git_history import HistoryRepository

# Below this many blobs, starting workers costs more than it saves.
PARALLEL_MIN_BLOBS = 800


@dataclass(frozen=True)
class BlobOutcome:
    """What scanning one blob gave, for each kind of content its paths have."""

    blob: str
    size: int
    missing: bool = False
    oversized: bool = False
    hits_by_kind: Mapping[str, list[SecretHit]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Job:
    repository: HistoryRepository
    wanted: Mapping[str, Mapping[str, str]]
    max_bytes: int
    engine: SecretEngine


# Set only inside a forked worker, by the pool's initializer (fork passes the job without
# pickling it); the parent never writes it, so two scans in one process cannot share it.
_worker_job: _Job | None = None


def scan_blobs(
    repository: HistoryRepository,
    blobs: Sequence[str],
    wanted: Mapping[str, Mapping[str, str]],
    max_bytes: int,
    engine: SecretEngine,
) -> Iterator[BlobOutcome]:
    """Outcomes for ``blobs`` (``wanted`` maps a blob to {content kind: a path of it})."""
    job = _Job(repository, wanted, max_bytes, engine)
    workers = min(os.cpu_count() or 1, 4)
    if len(blobs) < PARALLEL_MIN_BLOBS or workers < 2 or not _can_fork():
        yield from _scan_share(job, blobs)
        return
    shares = [list(blobs[index::workers]) for index in range(workers)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(job,)) as pool:
        for outcomes in pool.imap_unordered(_scan_share_in_worker, shares):
            yield from outcomes


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _start_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _scan_share_in_worker(blobs: list[str]) -> list[BlobOutcome]:
    assert _worker_job is not None, "worker started without a job"
    return list(_scan_share(_worker_job, blobs))


def _scan_share(job: _Job, blobs: Sequence[str]) -> Iterator[BlobOutcome]:
    for content in job.repository.read_blobs(blobs, job.max_bytes):
        if content.missing:
            yield BlobOutcome(content.blob, 0, missing=True)
            continue
        if content.data is None:
            yield BlobOutcome(content.blob, content.size, oversized=True)
            continue
        hits_by_kind = {
            kind: scan_content(path, content.data, job.engine).hits
            for kind, path in job.wanted[content.blob].items()
        }
        yield BlobOutcome(content.blob, content.size, hits_by_kind=hits_by_kind)
