"""Resource limits for the renderers gitwarden runs as child processes.

The memory limit is ``RLIMIT_DATA``, not ``RLIMIT_AS``: renderers are Go programs (kubectl,
kustomize, Helm's SDK), and the Go runtime reserves address space it never uses, so an
address-space limit measures Go's reservations rather than the input's use (measured in
docs/benchmarks.md: at 1 GiB of address space legitimate charts fail at random).
"""

from __future__ import annotations

import resource
from collections.abc import Callable

DEFAULT_MEMORY_BYTES = 1 << 30
# How Go's runtime and Python say that the limit refused an allocation; a thread whose stack
# cannot be mapped is refused the same way.
OUT_OF_MEMORY_MARKERS = (
    "out of memory",
    "cannot allocate memory",
    "failed to create new OS thread",
    "pthread_create failed",
    "MemoryError",
)


def resource_limiter(memory_bytes: int, cpu_seconds: int | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` that limits the child's data to ``memory_bytes`` and, when given, its
    CPU time to ``cpu_seconds`` (SIGXCPU, then SIGKILL a second later)."""

    def limit_child() -> None:  # runs in the child, between fork and exec
        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    return limit_child


def ran_out_of_memory(stderr: str) -> bool:
    """Whether a child's error output says the memory limit stopped it."""
    return any(marker in stderr for marker in OUT_OF_MEMORY_MARKERS)
