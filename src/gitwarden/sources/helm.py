"""Rendering a Helm chart offline and bounded: Helm's own SDK in a child process, or
`helm template`.

helm-python-sdk embeds Helm's Go SDK, so charts render without a helm binary and without
running any plugin; the `lookup` function sees no cluster. A chart is hostile input: a
template can loop for hours (nested ``range until``) or allocate gigabytes (``repeat``), so
renders run in child processes (`helm_worker`, long-lived: one SDK load for many charts, see
`worker_process`) under a memory limit, a CPU-time limit per render and a wall-clock timeout
per render (`HelmLimits`); a child that overruns is killed, its chart reported as stopped,
and the next chart gets a fresh child. Where the system allows, children run in a network
namespace of their own. When only the helm binary is present it runs
with the same limits, an empty plugin folder, no repository config and no network proxies.

The memory limit is ``RLIMIT_DATA`` (see `process_limits`): once the SDK is loaded the Go
runtime holds 1.8 GB of address space but 139 MB of data.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.sources import helm_worker
from gitwarden.sources.offline import network_isolation, offline_proxy_env
from gitwarden.sources.process_limits import (
    DEFAULT_MEMORY_BYTES,
    ran_out_of_memory,
    resource_limiter,
)
from gitwarden.sources.worker_process import WorkerAnswer, WorkerCommand, WorkerPool

RELEASE_NAME = "release"
# The namespace is chosen at install time (Argo CD destination, Flux targetNamespace), not
# by the chart; rendering into "default" would make every `.Release.Namespace` look careless.
RELEASE_NAMESPACE = "release-namespace"
RENDER_TIMEOUT_SECONDS = 30.0
RENDER_MEMORY_BYTES = DEFAULT_MEMORY_BYTES


@dataclass(frozen=True)
class HelmLimits:
    """How far one chart render may go before it is stopped and reported as not checked.

    ``cpu_seconds`` defaults to the timeout: a render that burns more CPU than that, on any
    number of cores, is stopped as well.
    """

    timeout_seconds: float = RENDER_TIMEOUT_SECONDS
    memory_bytes: int = RENDER_MEMORY_BYTES
    cpu_seconds: int | None = None

    @property
    def cpu_limit(self) -> int:
        return self.cpu_seconds or max(1, math.ceil(self.timeout_seconds))


@dataclass(frozen=True)
class HelmOutput:
    """Rendered manifests by template path (``chart/templates/x.yaml``), or an error.

    ``limit`` names the limit a render hit (``time``, ``memory`` or ``cpu``), if any.
    """

    manifests: dict[str, str]
    error: str | None
    limit: str | None = field(default=None)
    # Helm itself refused the chart: the same inputs fail the same way again (unlike a
    # limit, a crash or a renderer that could not start).
    reproducible: bool = False


def helm_renderer_name() -> str | None:
    """Which renderer is available: the embedded SDK, the helm binary, or None."""
    if _sdk_installed():
        return "helm-python-sdk"
    return "helm" if shutil.which("helm") else None


def _sdk_installed() -> bool:
    # Found, not imported: importing loads the Go runtime, which only the child needs.
    return importlib.util.find_spec("helm_python") is not None


def _sdk_folder() -> str:
    """The folder holding the ``helm_python`` package (a site-packages folder)."""
    spec = importlib.util.find_spec("helm_python")
    assert spec is not None and spec.origin is not None  # checked by _sdk_installed
    return str(Path(spec.origin).parent.parent)


def render_chart(
    chart_dir: Path,
    values_file: Path | None,
    namespace: str,
    work_dir: Path,
    *,
    limits: HelmLimits | None = None,
    isolation: tuple[str, ...] | None = None,
    workers: WorkerPool | None = None,
) -> HelmOutput:
    """Render ``chart_dir`` with its defaults plus ``values_file`` when given.

    ``isolation`` is the command prefix that cuts the renderer off the network (probed with
    `network_isolation` when None: a scan probes once and passes it to every render).
    The SDK renders in a child of ``workers`` (a scan's pool); without one, in a child of
    its own, closed before this returns.
    """
    limits = limits or HelmLimits()
    prefix = network_isolation() if isolation is None else isolation
    command = worker_command(work_dir, limits=limits, isolation=prefix)
    if command is None:
        return _render_with_binary(chart_dir, values_file, namespace, work_dir, limits, prefix)
    values_yaml = None
    if values_file is not None:
        try:
            values_yaml = values_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return HelmOutput({}, f"values file {values_file.name} unreadable: {error}")
    request = {
        "chart_dir": str(chart_dir),
        "values_yaml": values_yaml,
        "values_name": values_file.name if values_file else None,
        "release": RELEASE_NAME,
        "namespace": namespace,
        "cpu_seconds": limits.cpu_limit,
    }
    pool = workers or WorkerPool(1)
    try:
        reply = pool.ask(command, request, limits.timeout_seconds)
    finally:
        if workers is None:
            pool.close()
    return _sdk_output(reply, limits)


def worker_command(
    work_dir: Path,
    *,
    limits: HelmLimits | None = None,
    isolation: tuple[str, ...] | None = None,
) -> WorkerCommand | None:
    """How `render_chart` starts its SDK worker children (None without the SDK): a pool
    may start one ahead of the first chart (`WorkerPool.prestart`)."""
    if not _sdk_installed():
        return None
    limits = limits or HelmLimits()
    prefix = network_isolation() if isolation is None else isolation
    # -S: no site initialisation (the venv's .pth hooks cost ~15 ms a start); the worker
    # finds the SDK in the one folder it is given.
    argv = (*prefix, sys.executable, "-I", "-S", helm_worker.__file__, _sdk_folder())
    return WorkerCommand.of(argv, _child_env(work_dir), limits.memory_bytes)


def _sdk_output(reply: WorkerAnswer, limits: HelmLimits) -> HelmOutput:
    answer = reply.answer
    if answer is not None and "error" in answer:
        return HelmOutput({}, str(answer["error"]), reproducible=True)
    if answer is not None and isinstance(answer.get("manifests"), dict):
        return HelmOutput({str(k): str(v) for k, v in answer["manifests"].items()}, None)
    if answer is not None:
        return HelmOutput({}, "the Helm renderer gave no readable answer")
    if reply.stopped == "time":
        message = f"rendering stopped at the {limits.timeout_seconds:g}s time limit"
        return HelmOutput({}, message, limit="time")
    if reply.stopped == "memory":
        megabytes = limits.memory_bytes // (1 << 20)
        message = f"rendering stopped at the {megabytes} MiB memory limit"
        return HelmOutput({}, message, limit="memory")
    if reply.stopped == "cpu":
        message = f"rendering stopped at the {limits.cpu_limit}s CPU-time limit"
        return HelmOutput({}, message, limit="cpu")
    if reply.stopped == "start":
        return HelmOutput({}, reply.detail.replace("the renderer", "the Helm renderer"))
    return HelmOutput({}, f"the Helm renderer crashed: {reply.detail}")


@dataclass(frozen=True)
class _BoundedRun:
    """What a bounded child left: its output, or the limit that stopped it."""

    stdout: str
    stderr: str
    returncode: int
    failure: HelmOutput | None = None


def _run_bounded(
    argv: list[str], stdin: str, limits: HelmLimits, env: dict[str, str]
) -> _BoundedRun:
    """Run ``argv`` under ``limits``; a failure says which limit it hit, if any."""
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            # Its own process group: a timeout kills everything the renderer started.
            start_new_session=True,
            preexec_fn=resource_limiter(limits.memory_bytes, limits.cpu_limit),
        )
    except OSError as error:
        failure = HelmOutput({}, f"could not start the Helm renderer: {error}")
        return _BoundedRun("", "", -1, failure)
    try:
        stdout, stderr = process.communicate(stdin, timeout=limits.timeout_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        message = f"rendering stopped at the {limits.timeout_seconds:g}s time limit"
        return _BoundedRun("", "", -1, HelmOutput({}, message, limit="time"))
    return _BoundedRun(
        stdout, stderr, process.returncode, _limit_hit(process.returncode, stderr, limits)
    )


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended just now
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _limit_hit(returncode: int, stderr: str, limits: HelmLimits) -> HelmOutput | None:
    """The failure when a limit stopped the child; None when it ended on its own."""
    if returncode == 0:
        return None
    if ran_out_of_memory(stderr):
        megabytes = limits.memory_bytes // (1 << 20)
        message = f"rendering stopped at the {megabytes} MiB memory limit"
        return HelmOutput({}, message, limit="memory")
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        message = f"rendering stopped at the {limits.cpu_limit}s CPU-time limit"
        return HelmOutput({}, message, limit="cpu")
    return None


def _child_env(work_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work_dir),
        "HELM_PLUGINS": str(work_dir / "no-plugins"),
        "HELM_CONFIG_HOME": str(work_dir / "helm-config"),
        "HELM_CACHE_HOME": str(work_dir / "helm-cache"),
        "HELM_DATA_HOME": str(work_dir / "helm-data"),
        "LANG": "C.UTF-8",
        **offline_proxy_env(),
    }


def _render_with_binary(
    chart_dir: Path,
    values_file: Path | None,
    namespace: str,
    work_dir: Path,
    limits: HelmLimits,
    isolation: tuple[str, ...],
) -> HelmOutput:
    helm = shutil.which("helm")
    if helm is None:
        return HelmOutput({}, "no Helm renderer installed")
    values_args = ["--values", str(values_file)] if values_file is not None else []
    # A fresh folder per render: one chart's output must not be read as another's.
    out_dir = Path(tempfile.mkdtemp(prefix="helm-out-", dir=work_dir))
    argv = [
        *isolation,
        helm,
        "template",
        RELEASE_NAME,
        str(chart_dir),
        "--namespace",
        namespace,
        *values_args,
        "--output-dir",
        str(out_dir),
    ]
    run = _run_bounded(argv, "", limits, _child_env(work_dir))
    if run.failure is not None:
        return run.failure
    if run.returncode != 0:
        return HelmOutput({}, run.stderr.strip()[-2000:], reproducible=True)
    manifests = {
        path.relative_to(out_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(out_dir.rglob("*.yaml"))
    }
    return HelmOutput(manifests, None)
