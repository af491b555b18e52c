"""Reading kustomization files: which folders are overlays, what they pull in, what is remote.

This decides what gets rendered (overlays that no other kustomization uses as a base), which
files are patches (fragments, never checked as whole objects) and which overlays need the
network (remote references in any field kustomize loads from, refused unless allowed).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gitwarden.manifests.kustomize_identities import keeps_identities, patch_files
from gitwarden.manifests.yaml_nodes import YamlLimitError, YamlSyntaxError, parse_documents

KUSTOMIZATION_FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)")
# Any URL scheme (`http:`, `git::https:`, `file:`), an scp-like `user@host:path`, a go-getter
# `//` subfolder or `?ref=`: kustomize's loader fetches these, whichever field holds them.
_URL_LIKE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:(?://|:)|[\w.-]+@[\w.-]+:|[^/]+\.[^/]+/.*//)|[?&](?:ref|version|"
    r"submodules|timeout)=",
    re.IGNORECASE,
)
# Fields whose values kustomize never loads from anywhere: names, labels, images, inline
# patches and literals. A URL there is data (an annotation value), not a fetch.
_VALUE_ONLY_FIELDS = frozenset(
    {
        "apiVersion",
        "kind",
        "metadata",
        "namespace",
        "namePrefix",
        "nameSuffix",
        "commonLabels",
        "commonAnnotations",
        "labels",
        "images",
        "replicas",
        "buildMetadata",
        "sortOptions",
        "generatorOptions",
        "options",
        "literals",
        "patch",
        "target",
        "select",
        "reject",
        "source",
        "targets",
        "vars",
        "nameReference",
        "name",
        "behavior",
        "type",
        # Helm inflation is refused as a whole (``uses_helm``), repositories and all.
        "helmCharts",
        "helmGlobals",
        "helmChartInflationGenerator",
    }
)
# Fields holding plugin configurations, which may be written inline as YAML text; their
# own fields (a PatchTransformer's `path`) are loaded too.
_INLINE_CONFIG_FIELDS = ("transformers", "generators", "validators")
_INLINE_CONFIG_MAX_DEPTH = 3


@dataclass
class Kustomization:
    """One kustomization file, as far as gitwarden needs to know it."""

    folder: str
    file: str
    local_refs: list[str] = field(default_factory=list)
    remote_refs: list[str] = field(default_factory=list)
    outside_refs: list[str] = field(default_factory=list)
    fragment_files: list[str] = field(default_factory=list)
    uses_helm: bool = False
    # A kustomize Component only makes sense inside the overlay that includes it.
    is_component: bool = False
    # No field of this kustomization gives a resource a kind or name no input file holds
    # (`kustomize_identities`), apart from its patch files, judged from their content.
    keeps_identities: bool = False
    patch_files: list[str] = field(default_factory=list)
    # `namespace:` also renames the Namespace objects it builds on to that namespace.
    sets_namespace: bool = False
    error: str | None = None
    error_line: int = 1


def is_kustomization_file(name: str) -> bool:
    return name in KUSTOMIZATION_FILE_NAMES


def read_kustomization(folder: str, file: str, text: str, existing: set[str]) -> Kustomization:
    """Parse one kustomization; ``existing`` is every file and folder path of the repo."""
    result = Kustomization(folder=folder, file=file)
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        result.error = str(error)
        result.error_line = error.line
        return result
    body = documents[0].value if documents else None
    if not isinstance(body, Mapping):
        return result
    for key in ("resources", "bases", "components"):
        for entry in _strings(body.get(key)):
            _classify_ref(result, entry, existing)
    for entry in remote_loads(body, folder, existing):
        if entry not in result.remote_refs:
            result.remote_refs.append(entry)
    result.fragment_files.extend(_fragment_files(body, folder, existing))
    result.is_component = body.get("kind") == "Component"
    named_patches = [_join(folder, entry) for entry in patch_files(body)]
    result.patch_files = [path for path in named_patches if path is not None]
    result.keeps_identities = keeps_identities(body) and None not in named_patches
    result.sets_namespace = "namespace" in body
    result.uses_helm = bool(body.get("helmCharts") or body.get("helmChartInflationGenerator"))
    return result


def _classify_ref(result: Kustomization, entry: str, existing: set[str]) -> None:
    local = _join(result.folder, entry)
    first_segment = entry.split("/", 1)[0]
    if local is not None and local in existing:
        result.local_refs.append(local)
    elif (
        _REMOTE.match(entry)
        or "://" in entry
        or "?ref=" in entry
        or ("." in first_segment and "/" in entry and not entry.startswith("."))
    ):
        # `example.com/org/repo//path?ref=v1` style: a host, not a local folder. A dotted
        # name without a path (`missing.yaml`) cannot be a repository: it is a local file.
        result.remote_refs.append(entry)
    elif local is None:
        result.outside_refs.append(entry)
    # Anything else is a missing local path: kustomize itself will say so.


def remote_loads(body: Mapping[str, Any], folder: str, existing: set[str]) -> list[str]:
    """Every string in ``body`` that kustomize would fetch: whatever field holds it
    (``transformers``, ``openapi.path``, ``patches[].path``, ``configMapGenerator`` files,
    fields of future kustomize versions), except the fields that are data only. A path that
    exists in the repository is local, whatever it looks like."""
    found: list[str] = []
    _collect_remote(body, folder, existing, found, depth=0)
    return found


def _collect_remote(
    value: Any, folder: str, existing: set[str], found: list[str], *, depth: int, key: str = ""
) -> None:
    if isinstance(value, Mapping):
        for child_key, child in value.items():
            if str(child_key) not in _VALUE_ONLY_FIELDS:
                _collect_remote(child, folder, existing, found, depth=depth, key=str(child_key))
    elif isinstance(value, list):
        for item in value:
            _collect_remote(item, folder, existing, found, depth=depth, key=key)
    elif isinstance(value, str):
        if "\n" in value:
            if key in _INLINE_CONFIG_FIELDS and depth < _INLINE_CONFIG_MAX_DEPTH:
                for inline in _inline_configs(value):
                    _collect_remote(inline, folder, existing, found, depth=depth + 1)
            return
        # configMapGenerator `files` entries may be `key=path`.
        candidate = value.partition("=")[2] if key == "files" and "=" in value else value
        if _is_remote_reference(candidate.strip(), folder, existing):
            found.append(value)


def _inline_configs(text: str) -> list[Any]:
    try:
        return [document.value for document in parse_documents(text)]
    except (YamlSyntaxError, YamlLimitError):
        # kustomize will refuse it too; nothing in it is fetched.
        return []


def _is_remote_reference(entry: str, folder: str, existing: set[str]) -> bool:
    if not entry:
        return False
    local = _join(folder, entry)
    if local is not None and local in existing:
        return False
    return bool(_REMOTE.match(entry) or _URL_LIKE.search(entry))


def _fragment_files(body: Mapping[str, Any], folder: str, existing: set[str]) -> Iterable[str]:
    """Files kustomize reads as patches or plugin configuration: never whole objects."""
    candidates: list[str] = []
    for key in (
        "patchesStrategicMerge",
        "transformers",
        "generators",
        "validators",
        "configurations",
        "crds",
    ):
        candidates.extend(_strings(body.get(key)))
    for key in ("patches", "patchesJson6902", "replacements"):
        items = body.get(key)
        if isinstance(items, list):
            candidates.extend(
                item["path"] for item in items if isinstance(item, Mapping) and "path" in item
            )
    # A bare file name under `patches` is the old patchesStrategicMerge habit: kustomize
    # refuses it, but the file is still a patch, not an object to check on its own.
    candidates.extend(_strings(body.get("patches")))
    for candidate in candidates:
        if isinstance(candidate, str) and "\n" not in candidate:
            joined = _join(folder, candidate)
            if joined is not None and joined in existing:
                yield joined


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _join(folder: str, entry: str) -> str | None:
    """The repository path of ``entry`` relative to ``folder``; None if it leaves the repo."""
    if "://" in entry or entry.startswith("/"):
        return None
    joined = (
        posixpath.normpath(posixpath.join(folder, entry)) if folder else posixpath.normpath(entry)
    )
    if joined == ".":
        return ""
    if joined.startswith("../") or joined == "..":
        return None
    return joined


def overlay_roots(kustomizations: Mapping[str, Kustomization]) -> list[str]:
    """Folders whose kustomization no other kustomization of the repository refers to."""
    referenced = {ref for k in kustomizations.values() for ref in k.local_refs}
    return sorted(
        folder
        for folder, kustomization in kustomizations.items()
        if folder not in referenced and not kustomization.is_component
    )


def closure(folder: str, kustomizations: Mapping[str, Kustomization]) -> list[Kustomization]:
    """The kustomization at ``folder`` and every local kustomization it builds on."""
    seen: dict[str, Kustomization] = {}
    stack = [folder]
    while stack:
        current = stack.pop()
        if current in seen or current not in kustomizations:
            continue
        seen[current] = kustomizations[current]
        stack.extend(kustomizations[current].local_refs)
    return list(seen.values())
