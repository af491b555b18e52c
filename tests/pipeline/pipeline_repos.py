"""A small builder for pipeline tests: a repository of real files in tmp_path, walked."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gitwarden.path_patterns import PathFilter
from gitwarden.sources.tree import TreeWalk, walk_repository


def make_repo(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def walk(root: Path) -> TreeWalk:
    return walk_repository(root, PathFilter((), (".git/",)))
