"""Rendering a Kustomize overlay with `kustomize build` or `kubectl kustomize`, safely.

The overlay is hostile input. Plugins, exec/container functions and Helm inflation are off,
files may only load from inside the overlay's root, the user's plugin and config folders are
hidden (HOME points at an empty folder), and unless the network is allowed every proxy
points at a closed local port so a remote base that slipped past the pre-check fails fast.
The overlay is built through a small wrapper kustomization that asks kustomize to annotate
every object with the file that defined it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
RENDER_TIMEOUT_SECONDS = 120
_CLOSED_PROXY = "http://127.0.0.1:9"
_WRAPPER_LAYER = re.compile(
    r"^accumulating resources: accumulation err='accumulating resources from '[^']*': "
    r"'[^']*' must resolve to a file': "
)


@dataclass(frozen=True)
class KustomizeRenderer:
    """The command that builds an overlay: ``kustomize build`` or ``kubectl kustomize``."""

    argv: tuple[str, ...]

    @property
    def name(self) -> str:
        return " ".join(Path(self.argv[0]).name.split() + list(self.argv[1:]))


@dataclass(frozen=True)
class KustomizeOutput:
    """The rendered YAML stream, or the renderer's error; ``wrapper_dir`` resolves origins."""

    text: str | None
    error: str | None
    wrapper_dir: Path


def find_kustomize() -> KustomizeRenderer | None:
    """The first renderer on PATH, preferring a standalone kustomize."""
    kustomize = shutil.which("kustomize")
    if kustomize:
        return KustomizeRenderer((kustomize, "build"))
    kubectl = shutil.which("kubectl")
    if kubectl:
        return KustomizeRenderer((kubectl, "kustomize"))
    return None


def render_overlay(
    renderer: KustomizeRenderer,
    overlay: Path,
    work_dir: Path,
    *,
    allow_network: bool = False,
    timeout: float = RENDER_TIMEOUT_SECONDS,
) -> KustomizeOutput:
    """Build ``overlay`` (an absolute folder) through a wrapper created under ``work_dir``."""
    wrapper = Path(tempfile.mkdtemp(prefix="kustomize-", dir=work_dir))
    relative = os.path.relpath(overlay, wrapper)
    (wrapper / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources:\n- {_yaml_quote(relative)}\n"
        "buildMetadata: [originAnnotations]\n",
        encoding="utf-8",
    )
    argv = [
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
            env=_sandbox_env(work_dir, allow_network),
            cwd=wrapper,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return KustomizeOutput(None, f"timed out after {timeout:.0f}s", wrapper)
    except OSError as error:
        return KustomizeOutput(None, f"could not run {renderer.name}: {error}", wrapper)
    if completed.returncode != 0:
        return KustomizeOutput(None, _clean_error(completed.stderr, overlay), wrapper)
    return KustomizeOutput(completed.stdout, None, wrapper)


def _sandbox_env(work_dir: Path, allow_network: bool) -> dict[str, str]:
    home = work_dir / "home"
    home.mkdir(exist_ok=True)
    env = {
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
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            env[name] = _CLOSED_PROXY
        env["NO_PROXY"] = ""
        env["GIT_ALLOW_PROTOCOL"] = "file"
    else:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy"):
            if name in os.environ:
                env[name] = os.environ[name]
    return env


def _clean_error(stderr: str, overlay: Path) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    text = lines[-1] if lines else "renderer failed without a message"
    # kubectl prefixes klog noise: keep the quoted error when present.
    marker = 'err="'
    if marker in text:
        text = text.split(marker, 1)[1].rstrip('"')
    # The wrapper kustomization is ours: its layer of the message means nothing to the user.
    text = _WRAPPER_LAYER.sub("", text)
    text = text.replace(str(overlay) + "/", "").replace(str(overlay), ".")
    return text[:2000]


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
