"""Long-lived renderer children: started once, asked many times, killed when they overrun.

A renderer that embeds a Go library (pykustomize, helm-python-sdk) pays Python's start-up and
the library's load once per child, not once per render. The child reads one JSON request a
line on standard input and writes one JSON answer a line on standard output. Each request has
its own wall-clock deadline: on overrun the child's process group is killed and the request
reported as stopped, never as rendered. A child that dies (the memory limit, a crash) fails
only the request it was answering; the next request starts a fresh child. The memory limit
(``RLIMIT_DATA``) holds for the child's whole life; a CPU-time limit per request is the
child's own business (it knows its usage, see `helm_worker`).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from gitwarden.sources.process_limits import ran_out_of_memory, resource_limiter

# An answer is a rendered stream: far below this unless something is wrong.
MAX_ANSWER_BYTES = 512 << 20
# A dead child's message is its first lines: never a Go backtrace of thousands.
_ERROR_LINES = 3
_ERROR_CHARS = 2000
_READ_CHUNK = 1 << 20
_EXIT_GRACE_SECONDS = 5.0
# What `_read_line` returns instead of a line (compared by identity).
_OVERRUN = b"overrun"
_TOO_LARGE = b"too large"


@dataclass(frozen=True)
class WorkerCommand:
    """How a child is started; children started the same way answer the same requests."""

    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...]
    memory_bytes: int
    cwd: str | None = None

    @classmethod
    def of(
        cls,
        argv: tuple[str, ...],
        env: Mapping[str, str],
        memory_bytes: int,
        cwd: str | None = None,
    ) -> WorkerCommand:
        return cls(argv, tuple(sorted(env.items())), memory_bytes, cwd)


@dataclass(frozen=True)
class WorkerAnswer:
    """The child's answer, or why there is none.

    ``stopped`` is ``time`` (the deadline passed), ``memory`` (the child died at its memory
    limit), ``cpu`` (it died of its CPU-time limit), ``crash`` (it died otherwise or answered
    nonsense) or ``start`` (it could not be started); ``detail`` is the child's own words.
    """

    answer: Mapping[str, Any] | None
    stopped: str | None = None
    detail: str = ""


class WorkerProcess:
    """One child started with ``command``; not thread-safe (a pool hands it to one thread).

    ``cores`` bounds the threads a Go renderer in the child runs at once (``GOMAXPROCS``,
    unless the command sets it; None: Go's own default, every core).
    """

    def __init__(self, command: WorkerCommand, *, cores: int | None = None) -> None:
        self.command = command
        self.cores = cores
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def ask(self, request: Mapping[str, Any], timeout: float) -> WorkerAnswer:
        """Send ``request`` and wait up to ``timeout`` seconds for the answer."""
        if not self.alive:
            self.close()
            started = self.start()
            if started is not None:
                return started
        process, stderr = self._process, self._stderr
        assert process is not None and process.stdin is not None and stderr is not None
        # What the child says on stderr matters only for the request that kills it. The
        # offset is shared with the child: rewound, its next words land at the start.
        stderr.seek(0)
        stderr.truncate()
        line = json.dumps(request).encode("utf-8") + b"\n"
        try:
            process.stdin.write(line)
            process.stdin.flush()
        except OSError:
            return self._died()
        raw = self._read_line(process, time.monotonic() + timeout)
        if raw is _OVERRUN:
            self.close()
            return WorkerAnswer(None, "time", f"stopped at the {timeout:g}s time limit")
        if raw is _TOO_LARGE:
            self.close()
            megabytes = MAX_ANSWER_BYTES >> 20
            return WorkerAnswer(None, "memory", f"the answer passed {megabytes} MiB")
        if not raw.endswith(b"\n"):
            return self._died()
        try:
            answer = json.loads(raw)
        except ValueError:
            self.close()
            return WorkerAnswer(None, "crash", "the renderer gave no readable answer")
        if not isinstance(answer, dict):
            self.close()
            return WorkerAnswer(None, "crash", "the renderer gave no readable answer")
        return WorkerAnswer(answer)

    def close(self) -> None:
        """Kill the child's process group and reap it (a no-op when none runs)."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def start(self) -> WorkerAnswer | None:
        """Start the child (`ask` does when none runs); the answer says why it could not."""
        command = self.command
        # A file, not a pipe: a child that writes warnings must never block on a full pipe.
        # It lives as long as the child, so `close` closes it, not a with block.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                command.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env=self._env(),
                cwd=command.cwd,
                # Its own process group: a kill stops everything the renderer started.
                start_new_session=True,
                preexec_fn=resource_limiter(command.memory_bytes),
                bufsize=0,
            )
        except OSError as error:
            self.close()
            return WorkerAnswer(None, "start", f"could not start the renderer: {error}")
        return None

    def _env(self) -> dict[str, str]:
        env = dict(self.command.env)
        if self.cores is not None:
            env.setdefault("GOMAXPROCS", str(self.cores))
        return env

    def _read_line(self, process: subprocess.Popen[bytes], deadline: float) -> bytes:
        """One line of the child's output; what it wrote before ending if it ended first;
        `_OVERRUN` when the deadline passed, `_TOO_LARGE` past `MAX_ANSWER_BYTES`."""
        assert process.stdout is not None
        fd = process.stdout.fileno()
        chunks: list[bytes] = []
        size = 0
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return _OVERRUN
                chunk = os.read(fd, _READ_CHUNK)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    return b"".join(chunks)
                if size > MAX_ANSWER_BYTES:
                    return _TOO_LARGE

    def _died(self) -> WorkerAnswer:
        """The answer for a child that ended (or must end) without answering."""
        process, stderr = self._process, self._stderr
        assert process is not None and stderr is not None
        try:
            # It closed its output: it is ending; its exit status says why.
            returncode = process.wait(timeout=_EXIT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.close()
            return WorkerAnswer(None, "crash", "the renderer stopped answering")
        stderr.seek(0)
        text = stderr.read(1 << 20).decode("utf-8", "replace")
        self.close()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and lines[0].startswith("Traceback"):
            lines = lines[-1:]  # Python's own words come last (the library failed to load)
        shown = " ".join(lines[:_ERROR_LINES])[:_ERROR_CHARS] or f"exit code {returncode}"
        if ran_out_of_memory(text):
            return WorkerAnswer(None, "memory", shown)
        if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return WorkerAnswer(None, "cpu", shown)
        return WorkerAnswer(None, "crash", shown)


class WorkerPool:
    """At most ``size`` children for one scan, shared by its render threads.

    A thread takes an idle child started the same way; when all of those are busy it waits
    up to ``patience`` seconds for one before it starts another (a chart renders in 10 ms,
    loading the SDK takes 100: short renders should queue, long ones spread). When ``size``
    children live already, an idle one of another kind makes room (overlays render before
    charts, so the kustomize children give way to the Helm ones). ``prestart`` starts a
    child before its first request, so that its start-up overlaps other work; for
    ``ahead_grace`` seconds such a child makes room only when no child of the asking kind
    lives to wait for (it was started for work that comes soon: the few charts after the
    overlays of a small repository; a large one's overlays spread over the pool after it).
    ``close`` ends them all.
    """

    def __init__(self, size: int, *, patience: float = 0.1, ahead_grace: float = 1.0) -> None:
        self.size = max(1, size)
        self.patience = patience
        self.ahead_grace = ahead_grace
        self._idle: list[WorkerProcess] = []
        # Started ahead by `prestart` and not taken yet, with when: kept for a while when
        # another kind needs room.
        self._ahead: dict[WorkerProcess, float] = {}
        self._busy = 0
        self._busy_kinds: Counter[WorkerCommand] = Counter()
        # Children answering a request, by kind, and how many of a kind may (`limit`).
        self._taken: Counter[WorkerCommand] = Counter()
        self._limits: dict[WorkerCommand, int] = {}
        self._lock = threading.Condition()
        self._closed = False

    @property
    def cores_each(self) -> int:
        """The cores each child may run on at once (cores / size): a Go renderer told so
        (GOMAXPROCS) does not fight its siblings and the scan for the same cores."""
        return max(1, (os.cpu_count() or 1) // self.size)

    def ask(
        self, command: WorkerCommand, request: Mapping[str, Any], timeout: float
    ) -> WorkerAnswer:
        worker = self._take(command)
        try:
            return worker.ask(request, timeout)
        finally:
            self._give_back(worker)

    def prestart(self, command: WorkerCommand, count: int = 1, *, spare: bool = False) -> None:
        """Start children for ``command`` now, as many as the pool has room for, until
        ``count`` of them are idle: each loads its renderer while the caller goes on. A
        ``spare`` one may pass the pool's size by one (a child of another kind, to take over
        from the others as they finish); the next request that needs a new child then ends
        an idle one, as in a full pool."""
        room = self.size + 1 if spare else self.size
        with self._lock:
            idle = sum(worker.command == command for worker in self._idle)
            for _ in range(count - idle):
                if self._closed or len(self._idle) + self._busy >= room:
                    return
                worker = WorkerProcess(command, cores=self.cores_each)
                if worker.start() is not None:
                    return  # said by the first request, which tries again
                self._idle.append(worker)
                self._ahead[worker] = time.monotonic()

    def limit(self, command: WorkerCommand, children: int) -> None:
        """At most ``children`` children started by ``command`` answer at once: a thread that
        finds none of them idle waits for one instead of starting another (for little work,
        a child's start costs more than the work it would take over)."""
        with self._lock:
            self._limits[command] = max(1, children)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._ahead.clear()
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in idle:
            worker.close()

    @property
    def pids(self) -> tuple[int, ...]:
        """The idle children's process ids (for tests and diagnostics)."""
        with self._lock:
            return tuple(w.pid for w in self._idle if w.pid is not None)

    def _take(self, command: WorkerCommand) -> WorkerProcess:
        evicted: WorkerProcess | None = None
        deadline = time.monotonic() + self.patience
        with self._lock:
            self._busy += 1
            self._busy_kinds[command] += 1
            while True:
                for index, worker in enumerate(self._idle):
                    if worker.command == command:
                        self._ahead.pop(worker, None)
                        self._taken[command] += 1
                        return self._idle.pop(index)
                limit = self._limits.get(command, self.size + 1)
                if self._taken[command] >= limit and not self._closed:
                    self._lock.wait()  # woken when one of them is given back, or at close
                    continue
                left = deadline - time.monotonic()
                # Others of this kind are busy (the count includes this thread): wait a bit.
                others_busy = self._busy_kinds[command] > 1
                if others_busy and left > 0:
                    self._lock.wait(left)
                    continue
                full = self._idle and self._excess() > 0
                kept = self._kept_ahead()
                if full and others_busy and kept and all(w in kept for w in self._idle):
                    # Making room would kill a child started ahead for work still to come.
                    self._lock.wait(min(kept.values()) - time.monotonic())
                    continue
                break
            if self._idle and self._excess() > 0:
                kept = self._kept_ahead()
                evicted = ([w for w in self._idle if w not in kept] or self._idle)[0]
                self._idle.remove(evicted)
                self._ahead.pop(evicted, None)
            self._taken[command] += 1
        if evicted is not None:
            evicted.close()
        return WorkerProcess(command, cores=self.cores_each)

    def _excess(self) -> int:
        """How many children, idle and busy, the pool holds past its size (a spare)."""
        return len(self._idle) + self._busy - self.size

    def _kept_ahead(self) -> dict[WorkerProcess, float]:
        """The children started ahead still within their grace, with when it ends."""
        now = time.monotonic()
        return {
            worker: started + self.ahead_grace
            for worker, started in self._ahead.items()
            if started + self.ahead_grace > now
        }

    def _give_back(self, worker: WorkerProcess) -> None:
        with self._lock:
            self._busy -= 1
            self._busy_kinds[worker.command] -= 1
            self._taken[worker.command] -= 1
            keep = worker.alive and not self._closed
            if keep:
                self._idle.append(worker)
            # A spare started ahead whose work did not come within its grace: the pool
            # goes back to its size rather than hold an idle renderer's memory.
            kept = self._kept_ahead()
            stale = [w for w in self._idle if w in self._ahead and w not in kept]
            stale = stale[: max(0, self._excess())]
            for idle in stale:
                self._idle.remove(idle)
                del self._ahead[idle]
            self._lock.notify_all()
        if not keep:
            worker.close()
        for idle in stale:
            idle.close()
