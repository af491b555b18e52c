"""A scan's renderer children and the folder they work in, made by the scan's caller.

Loading a renderer's Go library takes a child about 65 ms of CPU, and the CLI spends about
as long importing the checks before a scan knows what it will render. A caller that starts
the first child before those imports (`start_render_workers`) has both run at once, on two
cores; the scan then renders in this pool and its folder (`ScanOptions.render_workers`)
instead of its own. Whether a child starts is told by the last scan of the same root with
the same cache (`RenderHint`): none when the cache knows the root (what changed since gets
its children once the scan knows what to render), one for a root never scanned.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from gitwarden.cache_files import read_cache_file, write_atomically
from gitwarden.sources import helm, kustomize
from gitwarden.sources.offline import network_isolation
from gitwarden.sources.worker_process import WorkerCommand, WorkerPool

KUSTOMIZE = "kustomize"
HELM = "helm"
# "OVERLAYS CHARTS\n": anything longer is not a hint.
_HINT_MAX_BYTES = 64


class RenderWorkers:
    """The pool a scan's renders run in and its work folder. `start` starts children on a
    thread of its own; `close` ends them and removes the folder."""

    def __init__(self, work_dir: Path, pool: WorkerPool, *, allow_network: bool) -> None:
        self.work_dir = work_dir
        self.pool = pool
        self.allow_network = allow_network
        self._isolation: tuple[str, ...] = ()
        self._starting: threading.Thread | None = None

    @property
    def isolation(self) -> tuple[str, ...]:
        """The network isolation prefix the children were started with (probed once)."""
        self.wait_started()
        return self._isolation

    def start(self, kind: str) -> None:
        """Start one child of ``kind`` (`KUSTOMIZE` or `HELM`) on a thread: a start is a
        fork and an exec, which the caller need not wait for."""
        self._starting = threading.Thread(
            target=self._start_child, args=(kind,), name="gitwarden-workers", daemon=True
        )
        self._starting.start()

    def close(self) -> None:
        self.wait_started()
        self.pool.close()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def wait_started(self) -> None:
        """Return once the children `start` asked for are started (or failed to)."""
        if self._starting is not None:
            self._starting.join()

    def _start_child(self, kind: str) -> None:
        self._isolation = () if self.allow_network else network_isolation()
        if kind == KUSTOMIZE:
            renderer = kustomize.find_kustomize()
            if renderer is None or not renderer.worker:
                return  # a renderer run once per overlay: nothing to start ahead
            command: WorkerCommand | None = kustomize.worker_command(
                renderer,
                self.work_dir,
                allow_network=self.allow_network,
                isolation=self._isolation,
            )
        else:
            command = helm.worker_command(self.work_dir, isolation=self._isolation)
        if command is not None:
            self.pool.prestart(command)


@dataclass(frozen=True)
class RenderHint:
    """How many overlays and charts the last scan of a root had to render (from the cache
    or not): None when unknown (no earlier scan with this cache, or an unreadable hint).

    Kept as one small file per root in the render cache's folder. It only chooses which
    children start early: a missing, stale or tampered hint costs time, never a finding.
    """

    overlays: int | None = None
    charts: int | None = None

    @classmethod
    def read(cls, cache_dir: Path, root: Path) -> RenderHint:
        data = read_cache_file(_hint_path(cache_dir, root), _HINT_MAX_BYTES)
        try:
            overlays, charts = (int(part) for part in (data or b"").split())
        except ValueError:
            return cls()
        return cls(max(overlays, 0), max(charts, 0))

    def write(self, cache_dir: Path, root: Path) -> None:
        if self.overlays is None or self.charts is None:
            return
        with contextlib.suppress(OSError):  # the next scan only starts its children later
            write_atomically(
                _hint_path(cache_dir, root), f"{self.overlays} {self.charts}\n".encode()
            )

    def renders_expected(self, *, cached: bool) -> RenderHint:
        """The renders the next scan is expected to run: with the cache, none once the
        root is known (its units are kept); without it, all that the last scan had."""
        if self.overlays is None or self.charts is None:
            return self
        return RenderHint(0, 0) if cached else self


def render_jobs(requested: int | None) -> int:
    """How many units a scan renders at once: ``--jobs``, else one per core."""
    return max(1, requested if requested is not None else (os.cpu_count() or 1))


def start_render_workers(
    jobs: int, *, allow_network: bool = False, hint: RenderHint | None = None
) -> RenderWorkers | None:
    """A work folder and a pool of ``jobs`` children, one of which starts now: of the kind
    the scan renders first (overlays come before charts) among those ``hint`` expects; None
    when it expects no render. The scan starts the others once it knows what it renders:
    each start keeps a core busy for about 65 ms, which the caller's imports need too.
    An unknown hint expects both kinds, as for a first scan."""
    hint = hint or RenderHint()
    if hint.overlays != 0:
        kind = KUSTOMIZE
    elif hint.charts != 0:
        kind = HELM
    else:
        return None
    workers = RenderWorkers(
        Path(tempfile.mkdtemp(prefix="gitwarden-")), WorkerPool(jobs), allow_network=allow_network
    )
    workers.start(kind)
    return workers


def _hint_path(cache_dir: Path, root: Path) -> Path:
    name = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:32]
    return cache_dir / "render-hints" / name
