"""Rendering a Helm chart offline: Helm's own SDK in-process, or `helm template`.

helm-python-sdk embeds Helm's Go SDK, so charts render without a helm binary and without
running any plugin; the `lookup` function sees no cluster. When only the helm binary is
present it runs with an empty plugin folder, no repository config and no network proxies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitwarden.sources.offline import offline_proxy_env

RELEASE_NAME = "release"
# The namespace is chosen at install time (Argo CD destination, Flux targetNamespace), not
# by the chart; rendering into "default" would make every `.Release.Namespace` look careless.
RELEASE_NAMESPACE = "release-namespace"
RENDER_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class HelmOutput:
    """Rendered manifests by template path (``chart/templates/x.yaml``), or an error."""

    manifests: dict[str, str]
    error: str | None


def helm_renderer_name() -> str | None:
    """Which renderer is available: the embedded SDK, the helm binary, or None."""
    try:
        import helm_python  # noqa: F401  # probing for the optional SDK
    except ImportError:
        return "helm" if shutil.which("helm") else None
    return "helm-python-sdk"


def render_chart(
    chart_dir: Path, values_file: Path | None, namespace: str, work_dir: Path
) -> HelmOutput:
    """Render ``chart_dir`` with its defaults plus ``values_file`` when given."""
    try:
        import helm_python
    except ImportError:
        return _render_with_binary(chart_dir, values_file, namespace, work_dir)
    values: dict[str, Any] = {}
    if values_file is not None:
        try:
            text = values_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return HelmOutput({}, f"values file {values_file.name} unreadable: {error}")
        try:
            # Helm's own reader, as `helm -f` would use it: it refuses alias bombs, which a
            # Python loader would expand into memory when the values are handed over.
            values = helm_python.values_from_yaml(text)
        except helm_python.HelmError as error:
            return HelmOutput({}, f"values file {values_file.name} invalid: {_message(error)}")
    try:
        with helm_python.Chart.load(chart_dir) as chart:
            rendered: dict[str, str] = chart.render(values, name=RELEASE_NAME, namespace=namespace)
    except helm_python.HelmError as error:
        return HelmOutput({}, _message(error))
    return HelmOutput(rendered, None)


def _message(error: Exception) -> str:
    return str(error).strip()[:2000] or type(error).__name__


def _render_with_binary(
    chart_dir: Path, values_file: Path | None, namespace: str, work_dir: Path
) -> HelmOutput:
    helm = shutil.which("helm")
    if helm is None:
        return HelmOutput({}, "no Helm renderer installed")
    values_args = ["--values", str(values_file)] if values_file is not None else []
    # A fresh folder per render: one chart's output must not be read as another's.
    out_dir = Path(tempfile.mkdtemp(prefix="helm-out-", dir=work_dir))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work_dir),
        "HELM_PLUGINS": str(work_dir / "no-plugins"),
        "HELM_CONFIG_HOME": str(work_dir / "helm-config"),
        "HELM_CACHE_HOME": str(work_dir / "helm-cache"),
        "HELM_DATA_HOME": str(work_dir / "helm-data"),
        **offline_proxy_env(),
    }
    try:
        completed = subprocess.run(
            [
                helm,
                "template",
                RELEASE_NAME,
                str(chart_dir),
                "--namespace",
                namespace,
                *values_args,
                "--output-dir",
                str(out_dir),
            ],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return HelmOutput({}, f"helm template failed: {error}")
    if completed.returncode != 0:
        return HelmOutput({}, completed.stderr.strip()[-2000:])
    manifests = {
        path.relative_to(out_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(out_dir.rglob("*.yaml"))
    }
    return HelmOutput(manifests, None)
