from __future__ import annotations

import subprocess
import sys

import pytest

from gitwarden.sources.process_limits import ran_out_of_memory, resource_limiter

ALLOCATE = "data = bytearray(512 * 1024 * 1024)\nprint(len(data))\n"
SPIN = "while True:\n    pass\n"


def run_limited(
    code: str, memory_bytes: int, cpu_seconds: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=resource_limiter(memory_bytes, cpu_seconds),
    )


def test_child_over_the_memory_limit_is_refused_its_allocation() -> None:
    completed = run_limited(ALLOCATE, 128 << 20)
    assert completed.returncode != 0
    assert ran_out_of_memory(completed.stderr)


def test_child_within_the_memory_limit_runs() -> None:
    completed = run_limited(ALLOCATE, 2 << 30)
    assert (completed.returncode, completed.stdout.strip()) == (0, str(512 * 1024 * 1024))


def test_child_over_its_cpu_time_is_stopped() -> None:
    completed = run_limited(SPIN, 2 << 30, cpu_seconds=1)
    assert completed.returncode < 0  # killed by SIGXCPU or SIGKILL


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("fatal error: runtime: out of memory", True),
        ("fatal error: runtime: cannot allocate memory", True),
        ("runtime: failed to create new OS thread (have 5 already; errno=11)", True),
        ("MemoryError", True),
        ("runtime/cgo: pthread_create failed: Resource temporarily unavailable", True),
        ("Error: accumulating resources: missing.yaml", False),
    ],
)
def test_out_of_memory_is_recognised_in_the_renderers_words(stderr: str, expected: bool) -> None:
    assert ran_out_of_memory(stderr) is expected
