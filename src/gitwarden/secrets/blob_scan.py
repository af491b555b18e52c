"""Reading and scanning many blobs, on every core when there are enough of them.

Each worker process reads its share of the blobs through its own `git cat-file --batch` and
scans them with the engine it inherited when forked (compiling patterns again would cost
more than the scan). Only outcomes travel back: hits, sizes, and which blobs were missing.
A share comes back whole, so the workers also count the blobs they finish in one shared
counter that the parent reads while it waits: the progress bar moves as they work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized

from gitwarden.progress import SILENT_STEP, ProgressStep, advancing
from gitwarden.secrets.content import scan_content
from gitwarden.secrets.engine import SecretEngine
from gitwarden.secrets.hits import SecretHit
from gitwarden.sources.git_history import HistoryRepository

# Below this many blobs, starting workers costs more than it saves.
PARALLEL_MIN_BLOBS = 800
# How often the parent reads the workers' shared count while it waits for a share.
PROGRESS_POLL_SECONDS = 0.1


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


# Set only inside a forked worker, by the pool's initializer (fork passes the job and the
# counter without pickling them); the parent never writes them, so two scans in one process
# cannot share them.
_worker_job: _Job | None = None
_worker_done: Synchronized[int] | None = None


def scan_blobs(
    repository: HistoryRepository,
    blobs: Sequence[str],
    wanted: Mapping[str, Mapping[str, str]],
    max_bytes: int,
    engine: SecretEngine,
    scanned: ProgressStep = SILENT_STEP,
) -> Iterator[BlobOutcome]:
    """Outcomes for ``blobs`` (``wanted`` maps a blob to {content kind: a path of it});
    ``scanned`` advances once per blob as it is done, in whichever process."""
    job = _Job(repository, wanted, max_bytes, engine)
    workers = min(os.cpu_count() or 1, 4)
    if len(blobs) < PARALLEL_MIN_BLOBS or workers < 2 or not _can_fork():
        yield from advancing(_scan_share(job, blobs), scanned)
        return
    shares = [list(blobs[index::workers]) for index in range(workers)]
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    shown = 0
    with context.Pool(workers, initializer=_start_worker, initargs=(job, done)) as pool:
        pending = pool.imap_unordered(_scan_share_in_worker, shares)
        while True:
            try:
                outcomes = pending.next(timeout=PROGRESS_POLL_SECONDS)
            except multiprocessing.TimeoutError:
                outcomes = []
            except StopIteration:
                break
            shown = _caught_up(scanned, done, shown)
            yield from outcomes
    _caught_up(scanned, done, shown)


def _caught_up(scanned: ProgressStep, done: Synchronized[int], shown: int) -> int:
    """Advance ``scanned`` to the workers' count; the count now shown."""
    now = done.value
    if now > shown:
        scanned.advance(now - shown)
    return max(now, shown)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _start_worker(job: _Job, done: Synchronized[int]) -> None:
    global _worker_job, _worker_done
    _worker_job = job
    _worker_done = done


def _scan_share_in_worker(blobs: list[str]) -> list[BlobOutcome]:
    assert _worker_job is not None and _worker_done is not None, "worker started without a job"
    outcomes = []
    for outcome in _scan_share(_worker_job, blobs):
        outcomes.append(outcome)
        with _worker_done.get_lock():
            _worker_done.value += 1
    return outcomes


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
