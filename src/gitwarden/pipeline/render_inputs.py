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
from collections.abc import Iterable, Mapping
from pathlib import Path

from gitwarden.manifests.kustomizations import Kustomization, closure

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
