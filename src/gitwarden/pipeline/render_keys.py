"""What a render cache key is made of, besides the input files' content.

The renderer (its path and the binary's size and time, which change with every upgrade; for
pykustomize its version, its library's size and time and the kustomize API version built
into the library),
the gitwarden version, the code that drives the renderer and parses its output (an entry
holds parsed objects), the YAML libraries' versions, and the options that change the
output or its parse. One `RenderKeys` per scan: the renderer's identity is looked up once.
"""

from __future__ import annotations

import hashlib
import mmap
import re
import shutil
from collections.abc import Callable, Mapping
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from gitwarden.distributions import installed_version
from gitwarden.manifests import (
    entry_fields,
    helm_templates,
    loader,
    objects,
    rendered,
    rendered_records,
    yaml_nodes,
)
from gitwarden.pipeline import render_cache_entries
from gitwarden.sources import (
    helm,
    helm_worker,
    kustomize,
    kustomize_worker,
    offline,
    worker_process,
)
from gitwarden.sources.kustomize import KustomizeRenderer
from gitwarden.version import __version__

# Everything whose change changes an entry: the renderer drivers and the parse of their output.
_ENTRY_CODE: tuple[ModuleType, ...] = (
    kustomize,
    kustomize_worker,
    helm,
    helm_worker,
    worker_process,
    offline,
    yaml_nodes,
    loader,
    objects,
    rendered,
    rendered_records,
    entry_fields,
    helm_templates,
    render_cache_entries,
)

HELM_SDK_DISTRIBUTION = "helm-python-sdk"
# Go's build information in the library names the kustomize API module it was built with.
_KUSTOMIZE_API = re.compile(rb"dep\tsigs\.k8s\.io/kustomize/api\t(v[0-9A-Za-z.+-]+)")


class RenderKeys:
    """The fixed parts of every key of one scan, rooted at ``root``."""

    def __init__(
        self, root: Path, *, allow_network: bool, max_document_bytes: int | None = None
    ) -> None:
        self.root = root
        self.allow_network = allow_network
        self.max_document_bytes = max_document_bytes
        # A renderer's identity, read once per scan (a package's metadata or a binary's
        # stat costs ~1 ms, and a scan keys hundreds of units).
        self._identities: dict[tuple[str, ...], list[str]] = {}

    def overlay(
        self, renderer: KustomizeRenderer, folder: str, inputs: Mapping[str, str]
    ) -> dict[str, Any]:
        return {
            **self.common,
            "unit": "kustomize",
            "renderer": self._kustomize_identity(renderer),
            "folder": folder,
            "inputs": dict(inputs),
        }

    def chart(
        self, renderer: str, folder: str, values_file: str | None, inputs: Mapping[str, str]
    ) -> dict[str, Any]:
        return {
            **self.common,
            "unit": "helm",
            "renderer": [renderer, *self._identity(("helm", renderer), _helm_identity)],
            "folder": folder,
            "values": values_file,
            "namespace": helm.RELEASE_NAMESPACE,
            "inputs": dict(inputs),
        }

    def _kustomize_identity(self, renderer: KustomizeRenderer) -> list[str]:
        if not renderer.worker:
            binary = self._identity(("binary", renderer.argv[0]), _binary_identity)
            return [*renderer.argv, *binary]
        return self._pykustomize_identity

    def _identity(self, key: tuple[str, str], read: Callable[[str], list[str]]) -> list[str]:
        found = self._identities.get(key)
        if found is None:
            found = self._identities[key] = read(key[1])
        return found

    @cached_property
    def _pykustomize_identity(self) -> list[str]:
        return ["pykustomize", _distribution_version("pykustomize"), *pykustomize_library()]

    @cached_property
    def common(self) -> dict[str, Any]:
        return {
            "gitwarden": __version__,
            "driver": _source_digest(),
            # Origins in a kustomize stream are paths relative to the render's folder, read
            # against the repository's place: another place is another key.
            "root": str(self.root),
            "allow_network": self.allow_network,
            # An entry holds parsed documents: a larger bound may parse one refused before.
            "max_document_bytes": self.max_document_bytes,
            "yaml": [yaml.__version__, bool(getattr(yaml, "__with_libyaml__", False))],
            "rapidyaml": _distribution_version("rapidyaml"),
        }


def _binary_identity(command: str) -> list[str]:
    found = shutil.which(command)
    if found is None:
        return ["missing"]
    real = Path(found).resolve()
    try:
        info = real.stat()
    except OSError:
        return [str(real), "unreadable"]
    return [str(real), str(info.st_size), str(info.st_mtime_ns)]


def pykustomize_library() -> list[str]:
    """The library's path, size and time, and the kustomize API version it embeds."""
    try:
        path = kustomize_worker.library_path()
        info = path.stat()
        with path.open("rb") as library, mmap.mmap(library.fileno(), 0, prot=mmap.PROT_READ) as m:
            found = _KUSTOMIZE_API.search(m)
            api = found.group(1).decode("ascii") if found else "unknown"
    except (ImportError, OSError, ValueError):
        return ["library unreadable"]
    return [str(path), str(info.st_size), str(info.st_mtime_ns), f"kustomize/api {api}"]


def _helm_identity(renderer: str) -> list[str]:
    if renderer == HELM_SDK_DISTRIBUTION:
        return [_distribution_version(HELM_SDK_DISTRIBUTION)]
    return _binary_identity(renderer)


def _distribution_version(name: str) -> str:
    return installed_version(name) or "not installed"


@cache
def _source_digest() -> str:
    """The code behind an entry: a changed sandbox, wrapper or parser is a changed entry.
    Once per process: both caches' keys use it, and the code running does not change."""
    digest = hashlib.sha256()
    for module in _ENTRY_CODE:
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()
