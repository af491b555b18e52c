"""Which files a render unit's renderer may read: its input set.

The render cache keys an overlay or chart by the content of these files, and `--diff`
renders again exactly the units whose input set holds a changed path; one computation for
both, so what the cache trusts is what a change invalidates. The set over-approximates (a
whole folder, not the files a kustomization names): a needless re-render costs time, a
missed input would serve stale objects.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gitwarden.manifests.kustomizations import Kustomization, closure
from gitwarden.manifests.kustomize_identities import (
    NAMESPACE_KIND,
    may_hold_a_namespace,
    patch_keeps_identities,
)

# Beyond these an input set is "unknown": the unit is never cached and always affected.
MAX_INPUT_FILES = 20_000
MAX_INPUT_BYTES = 64 * 1024 * 1024
_SKIPPED_FOLDERS = {".git"}


class FolderFiles:
    """The files under each folder of one repository, listed once per scan."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listed: dict[str, tuple[str, ...] | None] = {}

    def under(self, folder: str) -> tuple[str, ...] | None:
        """Repository paths of every file below ``folder``; None beyond the bound."""
        if folder not in self._listed:
            self._listed[folder] = _list_files(self.root, folder)
        return self._listed[folder]


def overlay_inputs(
    folder: str, kustomizations: Mapping[str, Kustomization], files: FolderFiles
) -> tuple[str, ...] | None:
    """Every file of the overlay at ``folder`` and of the bases and components it resolves.

    With the load restrictor kustomize reads files only below a kustomization's own folder,
    so the folders of the closure and the paths its kustomizations name cover all it reads.
    """
    folders: set[str] = set()
    for kustomization in closure(folder, kustomizations):
        folders.add(kustomization.folder)
        folders.update(kustomization.local_refs)
    return _union(files.under(f) for f in sorted(folders))


@dataclass(frozen=True)
class OverlaySources:
    """Where an overlay rendered without origins finds its objects: ``files``, the resource
    files its kustomizations list, each object the one of its kind and name among them,
    except the objects of ``renamed_kinds`` (kustomize may rename them: see
    `kustomize_identities`), which only origins attribute."""

    files: tuple[str, ...]
    renamed_kinds: frozenset[str] = frozenset()


def overlay_sources(
    folder: str,
    kustomizations: Mapping[str, Kustomization],
    read_text: Callable[[str], str | None],
) -> OverlaySources | None:
    """The sources of the overlay at ``folder`` when no kustomization it builds on can give
    a resource a kind or name no input file holds (see `kustomize_identities`); None when
    only kustomize's origin annotations can say which file an object comes from."""
    members = closure(folder, kustomizations)
    if not members or not all(map(_attributable, members)):
        return None
    patches = dict.fromkeys(path for member in members for path in member.patch_files)
    for path in patches:
        text = read_text(path)
        if text is None or not patch_keeps_identities(text):
            return None
    # What a closure refers to is a kustomization's folder or a resource file.
    files = tuple(
        sorted({ref for m in members for ref in m.local_refs if ref not in kustomizations})
    )
    if not any(member.sets_namespace for member in members):
        return OverlaySources(files)
    for path in files:
        text = read_text(path)
        if text is None or may_hold_a_namespace(text):
            return None  # a Namespace object it holds is renamed: rendered with origins
    return OverlaySources(files, frozenset({NAMESPACE_KIND}))


def _attributable(kustomization: Kustomization) -> bool:
    return (
        kustomization.keeps_identities
        and kustomization.error is None
        and not kustomization.remote_refs
        and not kustomization.outside_refs
        and not kustomization.uses_helm
    )


def chart_inputs(folder: str, files: FolderFiles) -> tuple[str, ...] | None:
    """Every file of the chart at ``folder``: templates, values, subcharts."""
    return files.under(folder)


def input_digests(root: Path, inputs: Iterable[str]) -> dict[str, str] | None:
    """The SHA-256 of each input file's content; None when unreadable or over the bound."""
    return InputDigests(root).of(inputs)


class InputDigests:
    """One scan's file digests: a base shared by many overlays is read and hashed once.

    Used from the render threads; two threads hashing the same file at once both get the
    same answer, so the table needs no lock.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        # path -> (size, digest); None when the file could not be read.
        self._known: dict[str, tuple[int, str] | None] = {}

    def of(self, inputs: Iterable[str]) -> dict[str, str] | None:
        """The digest of each of ``inputs``; None when one is unreadable or over the bound."""
        digests: dict[str, str] = {}
        total = 0
        for path in inputs:
            if path in self._known:
                known = self._known[path]
            else:
                known = self._known[path] = self._digest(path)
            if known is None:
                return None
            total += known[0]
            if total > MAX_INPUT_BYTES:
                return None
            digests[path] = known[1]
        return digests

    def _digest(self, path: str) -> tuple[int, str] | None:
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return None
        return len(data), hashlib.sha256(data).hexdigest()


def _union(groups: Iterable[tuple[str, ...] | None]) -> tuple[str, ...] | None:
    paths: set[str] = set()
    for group in groups:
        if group is None:
            return None
        paths.update(group)
    return tuple(sorted(paths)) if len(paths) <= MAX_INPUT_FILES else None


def _list_files(root: Path, folder: str) -> tuple[str, ...] | None:
    start = root / folder if folder else root
    if start.is_file():
        return (folder,)
    found: list[str] = []
    for current, dirs, names in os.walk(start, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_FOLDERS)
        if any((Path(current) / d).is_symlink() for d in dirs):
            return None  # what a linked folder holds is not listed here: unknown inputs
        relative = Path(current).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative
        found.extend(posixpath.join(prefix, name) if prefix else name for name in names)
        if len(found) > MAX_INPUT_FILES:
            return None
    return tuple(sorted(found))
