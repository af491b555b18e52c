"""The working-tree walker: which files of a repository are candidate manifests.

The scanned tree is hostile input: symbolic links are never followed (a link that leads out
of the repository is reported), oversized and binary files are reported and skipped, and
nothing in `.git` is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import BINARY_FILE, DOCUMENT_TOO_LARGE, PARSE_ERROR, SYMLINK_OUTSIDE
from gitwarden.path_patterns import PathFilter

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
    """Walk ``root`` without following links; returns candidate files and findings."""
    root = root.resolve()
    walk = TreeWalk(root=root)
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        folder_path = Path(folder)
        rel_folder = folder_path.relative_to(root).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder
        kept_dirs = []
        for name in sorted(dirnames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            if name == ".git" or path_filter.excludes_folder(rel):
                continue
            if (folder_path / name).is_symlink():
                _check_link(walk, folder_path / name, rel)
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            absolute = folder_path / name
            if absolute.is_symlink():
                _check_link(walk, absolute, rel)
                continue
            if not path_filter.keeps(rel):
                continue
            repo_file = RepoFile(rel, absolute)
            walk.all_files.append(repo_file)
            if name.lower().endswith(MANIFEST_SUFFIXES):
                walk.manifest_files.append(repo_file)
    return walk


def _check_link(walk: TreeWalk, link: Path, rel: str) -> None:
    """Report links that leave the repository; links inside it are scanned at their target."""
    try:
        target = link.resolve(strict=False)
    except (OSError, RuntimeError):  # loops resolve to RuntimeError on some Pythons
        target = None
    if target is not None and (target == walk.root or walk.root in target.parents):
        return
    walk.tainted_folders.add(rel.rpartition("/")[0])
    walk.findings.append(
        SYMLINK_OUTSIDE.finding(
            f"'{rel}' links to '{link.readlink()}', outside the repository; it was not "
            "followed, and renderers were not run on this folder. Replace the link with "
            "the content it should hold.",
            Location(file=rel, line=1),
        )
    )


def read_manifest_text(
    repo_file: RepoFile, max_file_bytes: int
) -> tuple[str | None, Finding | None]:
    """The file's text, or a finding saying why it cannot be scanned."""
    try:
        size = repo_file.absolute.stat().st_size
        if size > max_file_bytes:
            return None, DOCUMENT_TOO_LARGE.finding(
                f"File of {size} bytes is over the {max_file_bytes}-byte cap and was not "
                "scanned; split it or raise max_file_bytes in .gitwarden.yaml.",
                Location(file=repo_file.path),
            )
        data = repo_file.absolute.read_bytes()
    except OSError as error:
        return None, PARSE_ERROR.finding(
            f"File could not be read ({error.strerror}); nothing in it was checked.",
            Location(file=repo_file.path),
        )
    if b"\x00" in data[:_BINARY_SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, BINARY_FILE.finding(
            "File holds binary data and was skipped; a manifest must be text.",
            Location(file=repo_file.path),
        )
    try:
        return _decode(data), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, PARSE_ERROR.finding(
            f"File is not valid UTF-8 text (byte {error.start}); Kubernetes manifests must "
            "be UTF-8. Re-encode the file.",
            Location(file=repo_file.path, line=line),
        )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")
