"""The working-tree walker: which files of a repository are candidate manifests.

The scanned tree is hostile input: symbolic links are never followed (a link that leads out
of the repository is reported), oversized and binary files are reported and skipped, and
nothing in `.git` is read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.errors import GitwardenError
from gitwarden.findings import Finding, Location
from gitwarden.input_rules import BINARY_FILE, DOCUMENT_TOO_LARGE, PARSE_ERROR, SYMLINK_OUTSIDE
from gitwarden.path_patterns import PathFilter
from gitwarden.sources.git_repository import GitRepository

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
_BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class RepoFile:
    """A regular file inside the repository: its posix path relative to the root."""

    path: str
    absolute: Path

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]


@dataclass
class TreeWalk:
    """Everything the walker saw: manifest candidates, all files, and what it refused."""

    root: Path
    manifest_files: list[RepoFile] = field(default_factory=list)
    all_files: list[RepoFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Folders holding a symbolic link out of the repository: never handed to a renderer.
    tainted_folders: set[str] = field(default_factory=set)


def walk_repository(root: Path, path_filter: PathFilter) -> TreeWalk:
    """Walk ``root`` without following links; returns candidate files and findings.

    Untracked files and folders that the repository's .gitignore ignores (virtualenvs,
    caches, build output) are not part of the repository and are skipped; tracked files are
    always walked, whatever .gitignore says.
    """
    root = root.resolve()
    walk = TreeWalk(root=root)
    ignored = untracked_ignored_paths(root)

    def unreadable_folder(error: OSError) -> None:
        folder = Path(error.filename or root)
        rel = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
        walk.findings.append(
            PARSE_ERROR.finding(
                f"Folder '{rel}' could not be read ({error.strerror}); nothing in it was "
                "checked. Make it readable to the scanner.",
                Location(file=rel),
            )
        )

    for folder, dirnames, filenames in os.walk(root, onerror=unreadable_folder, followlinks=False):
        folder_path = Path(folder)
        rel_folder = folder_path.relative_to(root).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder
        kept_dirs = []
        for name in sorted(dirnames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            if name == ".git" or rel in ignored:
                continue
            # Links are checked even where excluded: a renderer reads the whole folder.
            if (folder_path / name).is_symlink():
                _check_link(walk, folder_path / name, rel)
                continue
            if not path_filter.excludes_folder(rel):
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            if rel in ignored:
                continue
            absolute = folder_path / name
            mode = _mode(absolute)
            if stat.S_ISLNK(mode):
                _check_link(walk, absolute, rel)
                continue
            if not path_filter.keeps(rel):
                continue
            if not stat.S_ISREG(mode):
                # FIFOs and devices would block or never end when read; whatever their name
                # (a FIFO named .env hides from the secret scan), not reading is reported.
                walk.findings.append(_not_regular(rel))
                continue
            repo_file = RepoFile(rel, absolute)
            walk.all_files.append(repo_file)
            if name.lower().endswith(MANIFEST_SUFFIXES):
                walk.manifest_files.append(repo_file)
    return walk


def untracked_ignored_paths(root: Path) -> frozenset[str]:
    """Paths under ``root`` (folders without a trailing slash) that git ignores and does not
    track; empty when ``root`` is not in a Git work tree or git is unavailable."""
    try:
        repository = GitRepository(root)
        listing = repository.run_bytes(
            "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"
        )
    except GitwardenError:
        return frozenset()
    paths = (entry.decode("utf-8", "surrogateescape") for entry in listing.split(b"\0"))
    return frozenset(path.rstrip("/") for path in paths if path)


def _check_link(walk: TreeWalk, link: Path, rel: str) -> None:
    """Report links that leave the repository; links inside it are scanned at their target."""
    try:
        target = link.resolve(strict=False)
    except (OSError, RuntimeError):  # loops resolve to RuntimeError on some Pythons
        target = None
    if target is not None and (target == walk.root or walk.root in target.parents):
        return
    walk.tainted_folders.add(rel.rpartition("/")[0])
    where = "outside the repository" if target is not None else "in a loop of links"
    walk.findings.append(
        SYMLINK_OUTSIDE.finding(
            f"'{rel}' links to '{link.readlink()}', {where}; it was not followed, and "
            "renderers were not run on this folder. Replace the link with the content it "
            "should hold.",
            Location(file=rel, line=1),
        )
    )


def _mode(path: Path) -> int:
    """The file's type bits, not following a link; a file that vanished counts as regular
    so that the reader reports why it cannot be read."""
    try:
        return path.lstat().st_mode
    except OSError:
        return stat.S_IFREG


def _not_regular(rel: str) -> Finding:
    return PARSE_ERROR.finding(
        "File is not a regular file (a FIFO, socket or device) and was not read; nothing "
        "in it was checked. Replace it with a regular file.",
        Location(file=rel),
    )


class NotRegularFileError(OSError):
    """A FIFO, socket or device stands where a regular file was expected."""


def read_bounded_bytes(repo_file: RepoFile, max_file_bytes: int) -> bytes:
    """At most ``max_file_bytes + 1`` bytes of the file (one more says it is over the cap).

    The file is opened without following a symbolic link (OSError with errno ELOOP) and
    without blocking on a FIFO (NotRegularFileError), and is never read further, even if it
    grows meanwhile.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(repo_file.absolute, flags)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotRegularFileError(f"{repo_file.path} is not a regular file")
        return handle.read(max_file_bytes + 1)


def is_binary(data: bytes) -> bool:
    """NUL bytes near the start mean binary, unless a UTF-16 byte order mark says text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in data[:_BINARY_SNIFF_BYTES]


def _size_on_disk(repo_file: RepoFile) -> int:
    try:
        return repo_file.absolute.lstat().st_size
    except OSError:
        return 0


def read_manifest_text(
    repo_file: RepoFile, max_file_bytes: int
) -> tuple[str | None, Finding | None]:
    """The file's text, or a finding saying why it cannot be scanned.

    The file is opened without following a symbolic link and without blocking on a FIFO,
    and never more than ``max_file_bytes`` of it is read, even if it grows meanwhile.
    """
    try:
        data = read_bounded_bytes(repo_file, max_file_bytes)
    except NotRegularFileError:
        return None, _not_regular(repo_file.path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, PARSE_ERROR.finding(
                "File is a symbolic link and was not followed; nothing in it was checked.",
                Location(file=repo_file.path),
            )
        return None, _unreadable(repo_file, error)
    if len(data) > max_file_bytes:
        size = max(_size_on_disk(repo_file), len(data))
        return None, DOCUMENT_TOO_LARGE.finding(
            f"File of {size} bytes is over the {max_file_bytes}-byte cap and was not "
            "scanned; split it or raise max_file_bytes in .gitwarden.yaml.",
            Location(file=repo_file.path),
        )
    if is_binary(data):
        return None, BINARY_FILE.finding(
            "File holds binary data and was skipped; a manifest must be text.",
            Location(file=repo_file.path),
        )
    encoding = _encoding(data)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as error:
        # error.start counts from after a UTF-8 byte order mark, which the codec drops.
        offset = len(data) - len(error.object) + error.start
        line = data[:offset].count(b"\n") + 1
        shown = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        return None, PARSE_ERROR.finding(
            f"File is not valid {shown} text (byte {offset}); Kubernetes manifests must "
            "be UTF-8. Re-encode the file.",
            Location(file=repo_file.path, line=line),
        )


def _unreadable(repo_file: RepoFile, error: OSError) -> Finding:
    return PARSE_ERROR.finding(
        f"File could not be read ({error.strerror}); nothing in it was checked.",
        Location(file=repo_file.path),
    )


def _encoding(data: bytes) -> str:
    """The codec for ``data``: UTF-16 when it starts with that byte order mark, else UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"
