"""An Argo CD application's folder rendered to one YAML stream, with gitwarden's renderers.

The same sandboxed renderers the scan uses (`sources.kustomize`, `sources.helm`): no network,
no plugins, bounded time and memory. A folder with a kustomization is built, a folder with a
`Chart.yaml` is templated, any other folder's YAML files are concatenated (Argo CD's
"directory" source, not recursive). Every failure is a `RenderError`: a half-rendered
application must never reach the repo-server.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from gitwarden.errors import GitwardenError
from gitwarden.sources.helm import render_chart
from gitwarden.sources.kustomize import find_kustomize, render_overlay

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CHART_NAME = "Chart.yaml"
PLAIN_SUFFIXES = (".yaml", ".yml", ".json")
# The wrapper the scan renders through asks kustomize for origins; they are not deployed.
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
DEFAULT_NAMESPACE = "default"


class RenderError(GitwardenError):
    """The application's folder could not be rendered: nothing is generated."""


def render_application(
    folder: Path, work_dir: Path, *, namespace: str | None, helm_values: str | None
) -> str:
    """The YAML stream of the application in ``folder`` (an existing directory)."""
    names = {entry.name for entry in folder.iterdir()}
    if any(name in names for name in KUSTOMIZATION_NAMES):
        return _kustomize(folder, work_dir)
    if CHART_NAME in names:
        return _helm(folder, work_dir, namespace or DEFAULT_NAMESPACE, helm_values)
    if helm_values is not None:
        raise RenderError(f"{folder.name}: HELM_VALUES given, but the folder holds no chart")
    return _plain(folder)


def _kustomize(folder: Path, work_dir: Path) -> str:
    renderer = find_kustomize()
    if renderer is None:
        raise RenderError("no kustomize renderer: install kubectl or kustomize in the sidecar")
    output = render_overlay(renderer, folder, work_dir)
    if output.text is None:
        raise RenderError(f"kustomize could not build the application: {output.error}")
    return _without_origins(output.text)


def _helm(folder: Path, work_dir: Path, namespace: str, helm_values: str | None) -> str:
    values = folder / helm_values if helm_values else None
    if values is not None and not values.is_file():
        raise RenderError(f"HELM_VALUES: {helm_values} is not a file of the application")
    output = render_chart(folder, values, namespace, work_dir)
    if output.error is not None:
        raise RenderError(f"helm could not render the application: {output.error}")
    documents = (
        f"# Source: {name}\n{text.strip()}\n"
        for name, text in sorted(output.manifests.items())
        if text.strip()
    )
    return "---\n".join(documents)


def _plain(folder: Path) -> str:
    files = sorted(
        entry
        for entry in folder.iterdir()
        if entry.is_file() and not entry.is_symlink() and entry.suffix in PLAIN_SUFFIXES
    )
    texts = []
    for file in files:
        try:
            texts.append(file.read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError) as error:
            raise RenderError(f"{file.name}: unreadable ({error})") from None
    return "".join(f"---\n{text}\n" for text in texts if text)


def _without_origins(stream: str) -> str:
    try:
        documents = [d for d in yaml.safe_load_all(stream) if d is not None]
    except yaml.YAMLError as error:
        raise RenderError(f"kustomize's output is not YAML: {error}") from None
    for document in documents:
        metadata = document.get("metadata") if isinstance(document, dict) else None
        if not isinstance(metadata, dict):
            continue
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict):
            annotations.pop(ORIGIN_ANNOTATION, None)
            if not annotations:
                del metadata["annotations"]
    return yaml.safe_dump_all(documents, sort_keys=False)
