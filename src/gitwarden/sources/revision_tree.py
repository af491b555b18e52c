"""A revision's tree written to a folder, so the tree scanners can judge REV without a checkout.

Only blobs are written, through the hardened `GitRepository` (no checkout, so no filters,
hooks or attributes run). A symbolic link or submodule is never written as one: it is listed
in ``skipped`` for the caller to report, since its content was not checked. Every file gets
mode 0644 (nothing written here is meant to run); sizes are bounded per file and in total.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitwarden.sources.git_repository import (
    MAX_OBJECT_BYTES,
    GitError,
    GitRepository,
    MissingObjectError,
)

DEFAULT_MAX_TOTAL_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 200_000
# Objects read per `cat-file --batch`: bounds the memory one batch holds.
BATCH_BYTES = 64 * 1024 * 1024
FILE_MODE = 0o644
SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"


@dataclass(frozen=True)
class TreeLimits:
    max_file_bytes: int = MAX_OBJECT_BYTES
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    max_entries: int = DEFAULT_MAX_ENTRIES


@dataclass(frozen=True)
class SkippedEntry:
    """A tree entry that was not written; ``reason`` is ``symlink``, ``submodule``, ``too-large``
    or ``unsafe-path``."""

    path: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class MaterialisedTree:
    revision: str
    tree: str
    root: Path
    files: int
    skipped: tuple[SkippedEntry, ...]


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    oid: str
    size: int | None
    path: str


def materialise_tree(
    repo: GitRepository, revision: str, destination: Path, limits: TreeLimits | None = None
) -> MaterialisedTree:
    """Write the blobs of ``revision``'s tree under ``destination`` (an empty folder).

    Raises `GitError` (`MissingObjectError` for a shallow or partial clone) when the tree
    cannot be read whole: a partial tree must never be scanned as if it were complete.
    """
    limits = limits or TreeLimits()
    commit = repo.resolve(f"{revision}^{{commit}}")
    tree = repo.resolve(f"{commit}^{{tree}}")
    entries = _entries(repo, commit)
    if len(entries) > limits.max_entries:
        raise GitError(
            f"{revision}: {len(entries)} tree entries, over the {limits.max_entries} limit"
        )
    skipped: list[SkippedEntry] = []
    wanted: list[_Entry] = []
    total = 0
    for entry in entries:
        reason = _skip_reason(entry, limits)
        if reason is not None:
            skipped.append(SkippedEntry(entry.path, *reason))
            continue
        total += entry.size or 0
        if total > limits.max_total_bytes:
            raise GitError(
                f"{revision}: the tree holds over {limits.max_total_bytes} bytes of files"
            )
        wanted.append(entry)
    destination.mkdir(parents=True, exist_ok=True)
    for batch in _batches(wanted):
        objects = repo.read_objects([entry.oid for entry in batch])
        for entry in batch:
            target = destination.joinpath(*PurePosixPath(entry.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(objects[entry.oid].data)
            target.chmod(FILE_MODE)
    return MaterialisedTree(commit, tree, destination, len(wanted), tuple(skipped))


def _entries(repo: GitRepository, commit: str) -> list[_Entry]:
    out = repo.run_bytes("ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        header, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = header.decode("ascii", "replace").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == "blob" and not size.isdigit():
            # ls-tree -l prints no size for a blob it cannot read: the object is missing.
            raise MissingObjectError(
                f"{path}: blob {oid} is missing from {repo.path}",
                hint="the clone is shallow, partial or damaged; fetch the full history",
            )
        entries.append(_Entry(mode, kind, oid, int(size) if size.isdigit() else None, path))
    return entries


def _skip_reason(entry: _Entry, limits: TreeLimits) -> tuple[str, str] | None:
    parts = PurePosixPath(entry.path).parts
    if not parts or entry.path.startswith("/") or any(p in ("..", ".git", "") for p in parts):
        return ("unsafe-path", "a path git itself would refuse to check out")
    if entry.mode == SYMLINK_MODE:
        return ("symlink", "a symbolic link is not followed")
    if entry.mode == SUBMODULE_MODE or entry.kind != "blob":
        return ("submodule", f"a {entry.kind} entry ({entry.oid}) is not part of this tree")
    if entry.size is not None and entry.size > limits.max_file_bytes:
        return ("too-large", f"{entry.size} bytes, over the {limits.max_file_bytes} limit")
    return None


def _batches(entries: list[_Entry]) -> list[list[_Entry]]:
    batches: list[list[_Entry]] = [[]]
    held = 0
    for entry in entries:
        if batches[-1] and held + (entry.size or 0) > BATCH_BYTES:
            batches.append([])
            held = 0
        batches[-1].append(entry)
        held += entry.size or 0
    return [batch for batch in batches if batch]
