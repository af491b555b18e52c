"""Which files a change touches, read through the hardened git runner and never by running
anything the repository configures.

``--diff REV`` compares the working tree with REV: REV's tree is listed by git, the working
tree files are hashed here as git would hash them, so no clean filter, textconv or
fsmonitor hook of the repository's config ever runs. ``--staged`` compares the index with
HEAD and materialises the index's blobs, the content a commit would record.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from gitwarden.errors import UsageError
from gitwarden.pipeline.change_set import ChangeSet
from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.tree import RepoFile

MAX_STAGED_BYTES = 1024 * 1024 * 1024
# What a change replaced is read for context only: past these bounds a file is left out, and
# the cross-object findings it would have explained are then reported (never hidden).
MAX_BASE_FILE_BYTES = 4 * 1024 * 1024
MAX_BASE_BYTES = 64 * 1024 * 1024
_BLOB_MODES = {"100644", "100755"}
_READ_BATCH = 500


def changes_since(root: Path, rev: str, files: Iterable[RepoFile]) -> ChangeSet:
    """Files of the working tree under ``root`` that differ from ``rev`` (added, modified,
    deleted), ``files`` being the tree walk's list."""
    repo = GitRepository(root)
    commit = repo.resolve(rev)
    listed = repo.run_bytes("ls-tree", "-r", "-z", "--full-tree", commit, "--")
    prefix = _prefix_of(repo)
    at_rev: dict[str, str] = {}
    for entry in listed.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, _, oid = meta.decode().split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.startswith(prefix):
            at_rev[path[len(prefix) :]] = oid if mode in _BLOB_MODES else f"{mode}:{oid}"
    algorithm = "sha256" if len(commit) == 64 else "sha1"
    changed = set()
    present = set()
    for repo_file in files:
        present.add(repo_file.path)
        if at_rev.get(repo_file.path) != _blob_id(repo_file.absolute, algorithm):
            changed.add(repo_file.path)
    changed.update(path for path in at_rev if path not in present and not (root / path).exists())
    replaced = {
        path: at_rev[path] for path in changed if path in at_rev and ":" not in at_rev[path]
    }
    return ChangeSet(frozenset(changed), base_texts=base_texts(repo, replaced))


def staged_changes(root: Path) -> ChangeSet:
    """Paths whose index content differs from HEAD (all of them before the first commit)."""
    repo = GitRepository(root)
    has_head = repo.succeeds("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not has_head:
        out = repo.run_bytes("ls-files", "-z", "--cached")
        return ChangeSet(
            frozenset(p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p)
        )
    out = repo.run_bytes(
        "diff-index", "--cached", "--raw", "-z", "--no-renames", "--relative", "HEAD"
    )
    # Entries are ":<old mode> <new mode> <old id> <new id> <status>" NUL <path> NUL.
    fields = out.split(b"\0")
    paths: set[str] = set()
    replaced: dict[str, str] = {}
    for meta, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, _, old_id, _, _ = meta[1:].decode().split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        paths.add(path)
        if old_mode in _BLOB_MODES:
            replaced[path] = old_id
    return ChangeSet(frozenset(paths), base_texts=base_texts(repo, replaced))


def base_texts(repo: GitRepository, blobs: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """(path, text) of each of ``blobs`` (path -> blob id) that is UTF-8 text within the
    bounds, in path order: the content a change replaced."""
    wanted = sorted(blobs.items())
    found = repo.read_objects([oid for _, oid in wanted]) if wanted else {}
    texts: list[tuple[str, str]] = []
    total = 0
    for path, oid in wanted:
        data = found[oid].data
        total += len(data)
        if len(data) > MAX_BASE_FILE_BYTES or total > MAX_BASE_BYTES:
            continue
        try:
            texts.append((path, data.decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return tuple(texts)


def write_index(root: Path, destination: Path) -> None:
    """The index's regular files under ``root`` as plain files in ``destination`` (emptied
    first); links and submodules are left out, as the tree walk leaves them out."""
    repo = GitRepository(root)
    listed = repo.run_bytes("ls-files", "-z", "--stage")
    entries: list[tuple[str, str, str]] = []
    for entry in listed.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, oid, stage = meta.decode().split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if mode in _BLOB_MODES and stage == "0" and _is_plain_relative(path):
            entries.append((mode, oid, path))
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True, mode=0o700)
    total = 0
    for start in range(0, len(entries), _READ_BATCH):
        batch = entries[start : start + _READ_BATCH]
        blobs = repo.read_objects([oid for _, oid, _ in batch])
        for mode, oid, path in batch:
            data = blobs[oid].data
            total += len(data)
            if total > MAX_STAGED_BYTES:
                raise UsageError(
                    f"the index of {root} holds more than {MAX_STAGED_BYTES} bytes",
                    hint="scan the working tree instead of --staged",
                )
            target = destination / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o755 if mode == "100755" else 0o644)


def _prefix_of(repo: GitRepository) -> str:
    """The path of ``repo.path`` inside its work tree (``apps/`` or ``""``)."""
    return repo.run("rev-parse", "--show-prefix").strip()


def _blob_id(path: Path, algorithm: str) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.new(algorithm)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _is_plain_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and ".git" not in parts
