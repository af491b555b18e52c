"""Where policies come from: folders of `.rego` files and of YAML policy objects.

A policy folder is read like the scanned tree: links are never followed, sizes are bounded,
and every file that cannot be read is a finding. YAML files in a policy folder hold
ValidatingAdmissionPolicies, their bindings and parameters, and Kyverno policies.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.findings import Finding
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.tree import MANIFEST_SUFFIXES, RepoFile, read_manifest_text

DEFAULT_NAMESPACES = ("main",)
ALL_NAMESPACES = "*"
MAX_POLICY_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class PolicySource:
    """A folder (or file) of policies and the Rego packages queried in it (``*``: all)."""

    path: str
    namespaces: tuple[str, ...] = DEFAULT_NAMESPACES
    # Named by the scanned repository's own config: must not lead out of the repository.
    from_repository: bool = False


@dataclass(frozen=True)
class RegoModule:
    """One `.rego` file: the name findings show for it, its text, the packages to query."""

    file: str
    text: str
    namespaces: tuple[str, ...] = DEFAULT_NAMESPACES


@dataclass
class LoadedPolicies:
    """Everything read from the policy sources."""

    rego: list[RegoModule] = field(default_factory=list)
    # ValidatingAdmissionPolicies, bindings, params and Kyverno policies from policy folders.
    objects: list[K8sObject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def load_policy_sources(
    sources: Iterable[tuple[PolicySource, Path]], root: Path | None
) -> LoadedPolicies:
    """Read each source (``(source, base folder its path is relative to)``).

    Files inside the scanned ``root`` are named relative to it, like every other finding;
    others keep the path they were given.
    """
    loaded = LoadedPolicies()
    seen: set[Path] = set()
    for source, base in sources:
        given = Path(source.path)
        absolute = given if given.is_absolute() else base / given
        if not absolute.exists():
            raise UsageError(
                f"policy path {source.path}: no such file or folder",
                hint="--policy and `policies:` name folders of .rego or YAML policy files",
            )
        if source.from_repository and (
            absolute.is_symlink() or not absolute.resolve().is_relative_to(base.resolve())
        ):
            raise UsageError(
                f"policy path {source.path}: leads out of the repository through a symbolic "
                "link; it was not read",
                hint="name a real folder inside the repository in `policies:`",
            )
        for path in _policy_files(absolute):
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            _load_file(loaded, path, _display_name(path, given, absolute, root), source)
    return loaded


def _policy_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(path, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            candidate = Path(folder) / name
            if candidate.is_symlink():
                continue
            if name.endswith(".rego") or name.lower().endswith(MANIFEST_SUFFIXES):
                found.append(candidate)
    return found


def _display_name(path: Path, given: Path, absolute: Path, root: Path | None) -> str:
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    if path == absolute:
        return given.as_posix()
    return (given / path.relative_to(absolute)).as_posix()


def _load_file(loaded: LoadedPolicies, path: Path, name: str, source: PolicySource) -> None:
    text, problem = read_manifest_text(RepoFile(name, path), MAX_POLICY_FILE_BYTES)
    if problem is not None:
        loaded.findings.append(problem)
        return
    assert text is not None
    if name.endswith(".rego"):
        loaded.rego.append(RegoModule(name, text, source.namespaces))
        return
    result = load_manifest_text(text, name)
    loaded.findings.extend(result.findings)
    loaded.objects.extend(result.objects)


def merge_objects(
    repository: Sequence[K8sObject], policy_folder: Sequence[K8sObject]
) -> list[K8sObject]:
    """The repository's objects plus those of policy folders not already among them."""
    seen = {(obj.file, obj.resource) for obj in repository}
    return [*repository, *(o for o in policy_folder if (o.file, o.resource) not in seen)]
