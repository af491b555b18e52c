"""Rendering a Kustomize overlay with kustomize's Go API (pykustomize, in a long-lived
worker), `kustomize build` or `kubectl kustomize`, safely.

The overlay is hostile input. Plugins, exec/container functions and Helm inflation are off,
files may only load from inside the overlay's root, the user's plugin and config folders are
hidden (HOME points at an empty folder), and unless the network is allowed the renderer
runs in a new network namespace where no host, loopback included, can be reached (when the
system allows one; see `offline`) with every proxy pointing at a closed local port, so a
remote reference that slipped past the pre-check fails instead of being fetched.
The overlay is built through a small wrapper kustomization that asks kustomize to annotate
every object with the file that defined it (unless the caller finds objects by their kind
and name instead: see `kustomize_identities`).

When pykustomize is installed, overlays are built by `kustomize_worker` children that load
kustomize's library once and build many overlays each (`worker_process`), under the same
environment, memory limit, network isolation and per-render timeout as a command; the
worker fixes the same build options the command line sets. ``GITWARDEN_KUSTOMIZE``
(``pykustomize``, ``kustomize`` or ``kubectl``) picks one renderer instead of the first found.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitwarden.distributions import installed_version
from gitwarden.sources import kustomize_worker
from gitwarden.sources.offline import network_isolation, offline_proxy_env
from gitwarden.sources.process_limits import (
    DEFAULT_MEMORY_BYTES,
    ran_out_of_memory,
    resource_limiter,
)
from gitwarden.sources.worker_process import WorkerCommand, WorkerPool

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
RENDER_TIMEOUT_SECONDS = 120
# The render worker's soft Go memory goal (see `_sandbox_env`).
WORKER_MEMORY_GOAL_BYTES = 160 << 20
PYKUSTOMIZE = "pykustomize"
RENDERER_CHOICE_VARIABLE = "GITWARDEN_KUSTOMIZE"
_WRAPPER_LAYER = re.compile(
    r"^accumulating resources: accumulation err='accumulating resources from '[^']*': "
    r"'[^']*' must resolve to a file': "
)
# kubectl logs through klog: `err="<Go-quoted text>"` on one line, or `err=<` followed by
# tab-indented lines and a closing ` >` when the message spans several lines.
_KLOG_QUOTED = re.compile(r'\berr="((?:[^"\\]|\\.)*)"')
_KLOG_BLOCK = re.compile(r"\berr=<\n(.*?)\n[ \t]*>[ \t]*$", re.DOTALL | re.MULTILINE)
_GO_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_GO_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass(frozen=True)
class KustomizeRenderer:
    """The command that builds an overlay: ``kustomize build`` or ``kubectl kustomize``, or
    (``worker``) the command that starts a `kustomize_worker` answering build requests."""

    argv: tuple[str, ...]
    worker: bool = False
    # The installed pykustomize's version, for a worker.
    version: str | None = None

    @property
    def name(self) -> str:
        if self.worker:
            return PYKUSTOMIZE
        return " ".join(Path(self.argv[0]).name.split() + list(self.argv[1:]))


@dataclass(frozen=True)
class KustomizeOutput:
    """The rendered YAML stream (or, from a worker, the rendered objects as JSON values), or
    the renderer's error; ``wrapper_dir`` resolves origins."""

    text: str | None
    error: str | None
    wrapper_dir: Path
    # Whether the renderer ran in a network namespace of its own (no host reachable).
    isolated: bool = False
    # The renderer itself refused the overlay: the same inputs fail the same way again
    # (unlike a timeout, the memory limit or a renderer that could not start).
    reproducible: bool = False
    # kustomize's JSON of the objects, when it reads exactly as ``text`` would (see
    # `kustomize_worker.json_reads_as_yaml`); ``text`` is then None.
    resources: tuple[Any, ...] | None = None

    @property
    def rendered(self) -> bool:
        return self.text is not None or self.resources is not None


def find_kustomize(choice: str | None = None) -> KustomizeRenderer | None:
    """The first renderer found: pykustomize, then a standalone kustomize, then kubectl.

    ``choice`` (default: ``$GITWARDEN_KUSTOMIZE``) names the one renderer to use, if any.
    """
    choice = os.environ.get(RENDERER_CHOICE_VARIABLE) if choice is None else choice
    if choice in (None, "", PYKUSTOMIZE):
        worker = pykustomize_worker()
        if worker is not None or choice == PYKUSTOMIZE:
            return worker
    kustomize = shutil.which("kustomize")
    if kustomize and choice in (None, "", "kustomize"):
        return KustomizeRenderer((kustomize, "build"))
    kubectl = shutil.which("kubectl")
    if kubectl and choice in (None, "", "kubectl"):
        return KustomizeRenderer((kubectl, "kustomize"))
    return None


def pykustomize_worker() -> KustomizeRenderer | None:
    """The `kustomize_worker` command when pykustomize is installed (found, not imported:
    loading the library is the worker's job)."""
    folders = []
    for module in ("pykustomize", "cffi", "_cffi_backend"):
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            return None
        folder = Path(spec.origin).parent
        # A package's folder holds its __init__; a single-file module sits in the folder.
        folders.append(str(folder.parent if spec.submodule_search_locations else folder))
    argv = (sys.executable, "-I", "-S", kustomize_worker.__file__, *dict.fromkeys(folders))
    return KustomizeRenderer(argv, worker=True, version=installed_version(PYKUSTOMIZE))


def render_overlay(
    renderer: KustomizeRenderer,
    overlay: Path,
    work_dir: Path,
    *,
    allow_network: bool = False,
    timeout: float = RENDER_TIMEOUT_SECONDS,
    isolation: tuple[str, ...] | None = None,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    workers: WorkerPool | None = None,
    json_within: int | None = None,
    origins: bool = True,
) -> KustomizeOutput:
    """Build ``overlay`` (an absolute folder) through a wrapper created under ``work_dir``.

    ``isolation`` is the command prefix that cuts the renderer off the network (probed with
    `network_isolation` when None; ignored when the network is allowed); ``memory_bytes``
    bounds the renderer's data (the Argo CD HA install renders in under 100 MB).
    A worker renderer runs in ``workers`` (a scan's pool); without one, in a worker of its
    own, closed before this returns. With ``json_within`` (the largest document the YAML
    path accepts), a worker answers with JSON values when they read exactly as its YAML.
    Without ``origins``, objects carry no origin annotation: kustomize then spends no pass
    over every resource after each of its transformers.
    """
    wrapper = Path(tempfile.mkdtemp(prefix="kustomize-", dir=work_dir))
    if shutil.which(renderer.argv[0]) is None:
        # Said here: behind the isolation prefix, a missing renderer is unshare's error.
        return KustomizeOutput(None, f"could not run {renderer.name}: not found", wrapper)
    relative = os.path.relpath(overlay, wrapper)
    (wrapper / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources:\n- {_yaml_quote(relative)}\n"
        + ("buildMetadata: [originAnnotations]\n" if origins else ""),
        encoding="utf-8",
    )
    prefix = _isolation_prefix(allow_network, isolation)
    if renderer.worker:
        command = worker_command(
            renderer,
            work_dir,
            allow_network=allow_network,
            isolation=prefix,
            memory_bytes=memory_bytes,
        )
        request: dict[str, Any] = {"path": str(wrapper)}
        if json_within is not None:
            request["json_within"] = json_within
        output = _ask_worker(renderer, command, request, overlay, wrapper, timeout, workers)
        return KustomizeOutput(
            output.text,
            output.error,
            wrapper,
            bool(prefix),
            reproducible=output.reproducible,
            resources=output.resources,
        )
    env = _sandbox_env(work_dir, allow_network, memory_bytes)
    argv = [
        *prefix,
        *renderer.argv,
        str(wrapper),
        "--enable-alpha-plugins=false",
        "--enable-helm=false",
        "--load-restrictor=LoadRestrictionsRootOnly",
    ]
    try:
        completed = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=wrapper,
            check=False,
            stdin=subprocess.DEVNULL,
            preexec_fn=resource_limiter(memory_bytes),
        )
    except subprocess.TimeoutExpired:
        return KustomizeOutput(None, f"timed out after {timeout:.0f}s", wrapper, bool(prefix))
    except OSError as error:
        return KustomizeOutput(
            None, f"could not run {renderer.name}: {error}", wrapper, bool(prefix)
        )
    if completed.returncode != 0 and ran_out_of_memory(completed.stderr):
        megabytes = memory_bytes // (1 << 20)
        error_text = f"stopped at the {megabytes} MiB memory limit"
        return KustomizeOutput(None, error_text, wrapper, bool(prefix))
    if completed.returncode != 0:
        error_text = _clean_error(completed.stderr, overlay, wrapper)
        return KustomizeOutput(None, error_text, wrapper, bool(prefix), reproducible=True)
    return KustomizeOutput(completed.stdout, None, wrapper, bool(prefix))


def worker_command(
    renderer: KustomizeRenderer,
    work_dir: Path,
    *,
    allow_network: bool = False,
    isolation: tuple[str, ...] | None = None,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
) -> WorkerCommand:
    """How `render_overlay` starts ``renderer``'s worker children: a pool may start one
    ahead of the first build (`WorkerPool.prestart`) and hand it to that build."""
    prefix = _isolation_prefix(allow_network, isolation)
    env = _sandbox_env(work_dir, allow_network, memory_bytes, worker=True)
    return WorkerCommand.of((*prefix, *renderer.argv), env, memory_bytes, str(work_dir))


def _isolation_prefix(allow_network: bool, isolation: tuple[str, ...] | None) -> tuple[str, ...]:
    if allow_network:
        return ()
    return network_isolation() if isolation is None else isolation


def _ask_worker(
    renderer: KustomizeRenderer,
    command: WorkerCommand,
    request: dict[str, Any],
    overlay: Path,
    wrapper: Path,
    timeout: float,
    workers: WorkerPool | None,
) -> KustomizeOutput:
    pool = workers or WorkerPool(1)
    try:
        reply = pool.ask(command, request, timeout)
    finally:
        if workers is None:
            pool.close()
    answer = reply.answer or {}
    built = answer.get("json")
    if isinstance(built, dict) and isinstance(built.get("resources"), list):
        return KustomizeOutput(None, None, wrapper, resources=tuple(built["resources"]))
    if isinstance(answer.get("text"), str):
        return KustomizeOutput(answer["text"], None, wrapper)
    if isinstance(answer.get("error"), str):
        error_text = _cleaned(answer["error"], overlay, wrapper)
        return KustomizeOutput(None, error_text, wrapper, reproducible=True)
    if reply.answer is not None:
        detail = "the renderer gave no readable answer"
        return KustomizeOutput(None, f"could not run {renderer.name}: {detail}", wrapper)
    if reply.stopped == "time":
        return KustomizeOutput(None, f"timed out after {timeout:.0f}s", wrapper)
    if reply.stopped == "memory":
        megabytes = command.memory_bytes // (1 << 20)
        return KustomizeOutput(None, f"stopped at the {megabytes} MiB memory limit", wrapper)
    return KustomizeOutput(None, f"could not run {renderer.name}: {reply.detail}", wrapper)


def _sandbox_env(
    work_dir: Path,
    allow_network: bool,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    *,
    worker: bool = False,
) -> dict[str, str]:
    home = work_dir / "home"
    home.mkdir(exist_ok=True)
    env = {
        # A render is a short-lived process: collect half as often as Go's default, and
        # always before three quarters of the memory limit (Argo CD's HA install: 1.69 ->
        # 1.24 s CPU, 188 -> 242 MB; "off" saved more CPU but took 800 MB). A worker lives
        # for a whole scan: 400 cut its CPU by 12% on 16 copies of the combined corpora
        # for 18 MB more peak RSS (70 -> 88 MB; "off": 758 MB), see docs/benchmarks.md;
        # its soft goal keeps Argo CD's eight install overlays, built one after another,
        # at 200 MB peak (345 MB without it, 240 MB with GOGC=200) for 5% more CPU than
        # without it. Soft: a render that needs more still runs, up to the data limit.
        "GOGC": "400" if worker else "200",
        "GOMEMLIMIT": f"{_go_memory_goal(memory_bytes, worker) // (1 << 20)}MiB",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "KUSTOMIZE_PLUGIN_HOME": str(home / "no-plugins"),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LANG": "C.UTF-8",
    }
    if not allow_network:
        env.update(offline_proxy_env())
        env["GIT_ALLOW_PROTOCOL"] = "file"
    else:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy"):
            if name in os.environ:
                env[name] = os.environ[name]
    return env


def _go_memory_goal(memory_bytes: int, worker: bool) -> int:
    """Go's soft memory goal: three quarters of the data limit, and for a long-lived
    worker no more than `WORKER_MEMORY_GOAL_BYTES`."""
    goal = memory_bytes * 3 // 4
    return min(goal, WORKER_MEMORY_GOAL_BYTES) if worker else goal


def _clean_error(stderr: str, overlay: Path, wrapper: Path) -> str:
    return _cleaned(_error_text(stderr), overlay, wrapper)


def _cleaned(text: str, overlay: Path, wrapper: Path) -> str:
    """kustomize's message about ``overlay``, as the user would read it."""
    # The wrapper kustomization is ours: its layer of the message means nothing to the user,
    # nor does the line saying that the error happened while reading the overlay itself.
    text = _WRAPPER_LAYER.sub("", text)
    text = text.removeprefix(f"recursed accumulation of path '{overlay}': ")
    text = text.replace(str(wrapper), "<wrapper>")
    text = _without_folder(text, overlay, ".")
    return " ".join(text.split())[:2000]


def _without_folder(text: str, folder: Path, replacement: str) -> str:
    """``folder/x`` becomes ``x``, ``folder`` itself ``replacement``; ``folder2`` stays."""
    pattern = re.escape(str(folder)) + r"(/|(?![\w.-]))"
    return re.sub(pattern, lambda m: "" if m.group(1) else replacement, text)


def _error_text(stderr: str) -> str:
    """The renderer's error message, out of kubectl's klog wrapping when present."""
    block = _KLOG_BLOCK.search(stderr)
    if block:
        return " ".join(line.strip() for line in block.group(1).splitlines() if line.strip())
    quoted = _KLOG_QUOTED.search(stderr)
    if quoted:
        return _go_unquote(quoted.group(1))
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    if errors:
        return errors[-1].removeprefix("Error: ")
    return lines[-1] if lines else "renderer failed without a message"


def _go_unquote(text: str) -> str:
    def unescape(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "uUx" and len(escape) > 1:
            code = int(escape[1:], 16)
            return chr(code) if code <= 0x10FFFF else match.group(0)
        return _GO_SIMPLE_ESCAPES.get(escape, escape)

    return _GO_ESCAPE.sub(unescape, text)


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
